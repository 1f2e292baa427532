"""A laptop's own accepted changes are not pulled back to it; everyone else still gets them.

Real server process, real vaults. The pull leaves out what the laptop sent itself and the
server took as is, up to the last push answer the laptop recorded (``own_through``): a
first sync no longer downloads the whole caseload it just uploaded. The worker's other
laptop still pulls all of it, a laptop cannot hide anyone else's changes by claiming a
high ``own_through``, and replicas still match the server (verify).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy import select
from sync_kit import Dev, ServerProcess, assert_replica_matches, normalise, two_laptops

from linksdesk.storage.tables import NoteRevision
from linksdesk.sync import state


def test_a_first_sync_pulls_none_of_its_own_changes_back(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    laptop, second = two_laptops(server, devices, ("laptop", "second"))
    people = [laptop.participant(given_name=f"Person{i}") for i in range(6)]
    for pid in people:
        laptop.note(pid, "first visit")
    waiting = laptop.outbox()
    assert waiting > 12

    first = laptop.sync()
    assert first.verified, first.message
    assert first.pushed == waiting
    assert first.pulled == 0  # before: every change it had just sent came back
    with laptop.store.read() as s:
        assert int(state.get(s, state.OWN_THROUGH, 0)) > 0

    # the worker's other laptop gets everything, and its own work goes the other way
    got = second.sync()
    assert got.verified and got.pulled == waiting
    second.note(people[0], "seen at the drop-in")
    sent = second.sync()
    assert sent.pushed > 0 and sent.pulled == 0
    again = laptop.sync()
    assert again.verified and again.pulled == sent.pushed
    with laptop.store.read() as s:
        bodies = sorted(
            r.body
            for r in s.scalars(select(NoteRevision).where(NoteRevision.participant_id == people[0]))
        )
    assert bodies == ["first visit", "seen at the drop-in"]
    assert normalise(laptop.replica()) == normalise(second.replica())
    assert_replica_matches(laptop, server)


def test_claiming_a_high_own_through_hides_no_one_elses_changes(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    laptop, second = two_laptops(server, devices, ("laptop", "second"))
    pid = laptop.participant(given_name="Someone")
    laptop.note(pid, "first visit")
    sent = laptop.sync()
    assert sent.verified and sent.pushed > 0

    # a crafted pull from the second laptop: everything is another device's
    with second.store.read() as s:
        token = state.get(s, state.TOKEN)
    answer = httpx.post(
        f"{server.url}/v1/pull",
        json={"cursor": 0, "limit": 500, "own_through": 2**40},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["changes"]) == sent.pushed
    # and from the laptop itself: its own, taken as is, are left out
    with laptop.store.read() as s:
        token = state.get(s, state.TOKEN)
    answer = httpx.post(
        f"{server.url}/v1/pull",
        json={"cursor": 0, "limit": 500, "own_through": 2**40},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["changes"] == []
    # without the claim (an older laptop, or a repair) everything comes as before
    answer = httpx.post(
        f"{server.url}/v1/pull",
        json={"cursor": 0, "limit": 500},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert len(answer.json()["changes"]) == sent.pushed
