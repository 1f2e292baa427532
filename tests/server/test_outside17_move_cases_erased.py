"""Outside check 17: a worker leaves after forgetting a participant, and the administrator
moves their cases with ``linksdesk-server move-cases``, as docs/server.md says.

An erasure keeps the case's access rows on the server (the erase command must still reach
the worker's laptops), so the erased participant is still listed among the worker's cases;
``move-cases`` handed each case over in turn, met the erased one, refused it ("nothing to
hand over") and stopped: the cases after it never moved, however often it was run again.
"""

from __future__ import annotations

import subprocess
import sys

from server_kit import Programme

from linksdesk.server import admin

NAME = "Oakhamcanary"


def _cli(p: Programme, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linksdesk.server.cli", *args, "--db", p.db_url],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_leaving_workers_cases_move_past_a_participant_they_forgot(served: Programme) -> None:
    team = served.team()
    leaving = admin.add_worker(served.db, team, "Alex Leaving", "worker")
    staying = admin.add_worker(served.db, team, "Jo Staying", "worker")
    laptop = served.enrol(leaving)
    people = [laptop.participant(given_name=f"{NAME}{i}") for i in range(3)]
    for person in people:
        answer = laptop.push(laptop.shared(person))
        assert {r["status"] for r in answer["results"]} == {"applied"}
    forgotten = people[1]["row_id"]  # ids sort as made: one case before it, one after
    erase = laptop.change("participant", forgotten, op="erase", participant_id=forgotten)
    assert laptop.push_one(erase)["status"] == "applied"

    moved = _cli(served, "move-cases", "--from", "Alex Leaving", "--to", "Jo Staying")
    assert moved.returncode == 0, moved.stderr
    assert "Moved 2 cases" in moved.stdout
    for shown in (moved.stdout, moved.stderr):
        assert NAME not in shown

    # the colleague's laptop has both cases, and nothing of the person forgotten
    colleague = served.enrol(staying)
    pulled, _ = colleague.pull_all()
    held = {c["row_id"] for c in pulled if c["table"] == "participant" and c["op"] == "upsert"}
    assert held == {people[0]["row_id"], people[2]["row_id"]}
    assert not [c for c in pulled if c["participant_id"] == forgotten and c["op"] != "erase"]
    # run again: nothing is left to move, and it says so
    again = _cli(served, "move-cases", "--from", "Alex Leaving", "--to", "Jo Staying")
    assert again.returncode == 0, again.stderr
    assert "holds no cases" in again.stdout
