"""A hostile device against the real server over HTTP: requests sent again, and another
team's device naming this team's participants.

A push captured and sent again (under its own batch key, or its changes under a new one)
after the person was erased or their team sharing withdrawn must bring nothing back: each
change is applied once, and the stored answer holds nothing of a purged person. A device of
another team that knows a participant's id (a consent of its own, their row, a note, a
tombstone of a note) changes nothing and pulls nothing of them.

Laptop A of a worker withdraws team sharing while laptop B of the same worker pushes an
edit and a new note: however the two meet, the server ends holding the team consent
records alone, and B is told its changes were not taken (B's laptop keeps them).
"""

from __future__ import annotations

import threading
from typing import Any

from server_kit import Device, Programme, stored_bytes
from sqlalchemy import select

from linksdesk.core.ids import uuid7
from linksdesk.server.models import ChangeLog, ParticipantKey, Record

CANARY = "Replaycanary-q7"


def _statuses(answer: dict[str, Any]) -> list[str]:
    return [r["status"] for r in answer["results"]]


def _held(p: Programme, pid: str) -> list[str]:
    with p.db.reading() as s:
        return sorted(
            str(t) for t in s.scalars(select(Record.table_name).where(Record.participant_id == pid))
        )


def _logged(p: Programme, pid: str) -> list[str]:
    with p.db.reading() as s:
        return sorted(
            str(t)
            for t in s.scalars(select(ChangeLog.table_name).where(ChangeLog.participant_id == pid))
        )


def _a_case(dev: Device) -> tuple[str, dict[str, Any]]:
    """A shared participant with a note holding the canary: (their id, the batch sent)."""
    person = dev.participant(given_name=CANARY)
    pid = str(person["row_id"])
    note, revision = dev.note(pid, f"{CANARY} note")
    batch = {"batch_key": uuid7(), "changes": [*dev.shared(person), note, revision]}
    r = dev.post("push", batch)
    assert r.status_code == 200 and set(_statuses(r.json())) == {"applied"}, r.text
    return pid, batch


def _erase(dev: Device, pid: str) -> None:
    answer = dev.push_one(dev.change("participant", pid, op="erase", participant_id=pid))
    assert answer["status"] == "applied", answer


def test_a_push_sent_again_after_an_erasure_or_a_withdrawal_brings_nobody_back(
    served: Programme,
) -> None:
    worker = served.worker(served.team())
    dev, other = served.enrol(worker), served.enrol(worker)
    erased, first = _a_case(dev)
    withdrawn, second = _a_case(dev)
    _erase(dev, erased)
    assert dev.push_one(dev.consent(withdrawn, given=False, version=2))["status"] == "applied"
    consents_left = _held(served, withdrawn)
    for batch in (first, second):
        again = dev.post("push", batch)  # the same request, byte for byte
        assert again.status_code == 200 and again.json()["replayed"], again.text
        assert CANARY not in again.text
        renamed = dev.post("push", {**batch, "batch_key": uuid7()})  # its changes, a new key
        assert renamed.status_code == 200, renamed.text
        assert CANARY not in renamed.text
    assert _held(served, erased) == []
    assert _held(served, withdrawn) == consents_left == ["consent", "consent"]
    pulled, _ = other.pull_all()
    assert CANARY not in repr(pulled)
    assert not [c for c in pulled if c["table"] != "consent" and c["op"] != "erase"]
    with served.db.reading() as s:
        assert not list(s.scalars(select(ParticipantKey.participant_id)))
    assert CANARY.encode() not in stored_bytes(served.db_url)


def test_another_teams_device_naming_this_teams_participant_changes_and_pulls_nothing(
    served: Programme,
) -> None:
    north = served.enrol(served.worker(served.team()))
    south = served.enrol(served.worker(served.team()))
    pid, batch = _a_case(north)
    note_id = batch["changes"][2]["row_id"]
    before = _held(served, pid)
    crafted = [
        south.consent(pid),
        south.participant(pid, given_name="Taken"),
        south.change("note", participant_id=pid),
        south.change("note", note_id, op="delete", participant_id=pid),
        south.change(
            "consent", batch["changes"][0]["row_id"], participant_id=pid, fields={"given": False}
        ),
    ]
    for change in crafted:
        answer = south.post("push", {"batch_key": uuid7(), "changes": [change]})
        assert answer.status_code in (200, 422), answer.text
        if answer.status_code == 200:
            result = answer.json()["results"][0]
            assert result["status"] == "rejected" and result["reason"], result
            assert CANARY not in answer.text
    assert _held(served, pid) == before
    pulled, _ = south.pull_all()
    assert [c for c in pulled if c.get("participant_id") == pid or c["row_id"] == pid] == []
    mine, _ = north.pull_all()
    assert "Taken" not in repr(mine)


def test_a_withdrawal_racing_an_edit_from_the_workers_other_laptop_leaves_only_consents(
    served: Programme,
) -> None:
    worker = served.worker(served.team())
    a, b = served.enrol(worker), served.enrol(worker)
    for round_ in range(8):
        pid, _ = _a_case(a)
        withdrawn, edited = _at_once(a, b, pid, with_participant=bool(round_ % 2))
        assert withdrawn.status_code == 200 and _statuses(withdrawn.json()) == ["applied"]
        assert edited.status_code == 200, edited.text
        assert _held(served, pid) == ["consent", "consent"], round_
        assert _logged(served, pid) in ([], ["consent"], ["consent", "consent"]), round_
        with served.db.reading() as s:
            assert s.get(ParticipantKey, pid) is None
    pulled, _ = b.pull_all()
    assert CANARY not in repr(pulled)
    assert CANARY.encode() not in stored_bytes(served.db_url)


def _at_once(a: Device, b: Device, pid: str, *, with_participant: bool) -> tuple[Any, Any]:
    """A withdrawal from ``a`` and an edit (a new note, and the participant's row if
    ``with_participant``) from ``b``, sent at the same moment: both answers."""
    gate = threading.Barrier(2)
    answers: dict[str, Any] = {}
    note, revision = b.note(pid, f"{CANARY} raced")
    changes = [note, revision]
    if with_participant:
        changes.insert(0, b.participant(pid, given_name=f"{CANARY}edited"))
    withdrawal = [a.consent(pid, given=False, version=2)]

    def send(name: str, dev: Device, batch: list[dict[str, Any]]) -> None:
        gate.wait()
        answers[name] = dev.post("push", {"batch_key": uuid7(), "changes": batch})

    threads = [
        threading.Thread(target=send, args=("a", a, withdrawal)),
        threading.Thread(target=send, args=("b", b, changes)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers["a"], answers["b"]
