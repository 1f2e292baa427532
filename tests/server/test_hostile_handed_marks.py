"""A case handed to a colleague while its worker, offline, marked a row of it entered in
error (a case note written in the wrong participant's record, moved to the right one). The
real server takes that mark alone from the worker's own devices, on a row only their
devices wrote, and the colleague's laptop pulls it; anything wider is still refused, and
nothing of it reaches the colleague: another worker's or team's device, any other field,
a mark taken off, a row the colleague changed, a case the worker never handed, a case whose
team sharing was withdrawn."""

from __future__ import annotations

from typing import Any

import pytest
from server_kit import Device, Programme

from linksdesk.server import admin

MARKED = {"in_error_at": "2026-03-03T09:00:00", "in_error_reason": "Written in the wrong record"}


def _mark(dev: Device, note: dict[str, Any], pid: str, **fields: Any) -> dict[str, Any]:
    values = {**MARKED, **fields}
    return dev.change(
        "note",
        note["row_id"],
        participant_id=pid,
        fields=values,
        base=dict.fromkeys(values, note["hlc"]),
    )


def _case(programme: Programme) -> tuple[Device, Device, str, dict[str, Any], str]:
    """The worker's laptop, the colleague's, a shared participant with a note the worker
    wrote, handed to the colleague since; and the team."""
    team = programme.team()
    worker, colleague = programme.worker(team), programme.worker(team)
    laptop, theirs = programme.enrol(worker), programme.enrol(colleague)
    person = laptop.participant()
    pid = person["row_id"]
    note, revision = laptop.note(pid, "Rang about rent Canaryhandedmark")
    answers = laptop.push([*laptop.shared(person), note, revision])["results"]
    assert [r["status"] for r in answers] == ["applied"] * 4
    admin.handover(programme.db, pid, colleague, keep_read_only=False)
    return laptop, theirs, pid, note, team


def _marks_pulled(dev: Device, cursor: int = 0) -> list[dict[str, Any]]:
    pulled, _ = dev.pull_all(cursor)
    return [c for c in pulled if c["table"] == "note" and "in_error_at" in c["fields"]]


def test_the_workers_own_mark_on_a_case_handed_since_reaches_the_colleague(
    programme: Programme,
) -> None:
    laptop, theirs, pid, note, _team = _case(programme)
    _seen, cursor = theirs.pull_all()
    result = laptop.push_one(_mark(laptop, note, pid))
    assert result["status"] == "applied", result
    marks = _marks_pulled(theirs, cursor)
    assert [m["fields"] for m in marks] == [MARKED]
    assert marks[0]["owner"] == theirs.worker_id, "the case went back to the worker"
    # still the colleague's case: anything else the worker sends about it is refused
    other = laptop.change("note", note["row_id"], participant_id=pid, fields={"contact_id": None})
    assert laptop.push_one(other)["status"] == "rejected"


@pytest.mark.parametrize(
    "how",
    [
        "third worker",
        "other team",
        "the colleague's row",
        "another field",
        "taken off",
        "changed by the colleague",
        "never handed",
        "withdrawn",
    ],
)
def test_any_wider_mark_on_a_handed_case_is_still_refused(programme: Programme, how: str) -> None:
    laptop, theirs, pid, note, team = _case(programme)
    sender, change_fields, row = laptop, dict(MARKED), note
    if how == "third worker":
        sender = programme.enrol(programme.worker(team))
    elif how == "other team":
        sender = programme.enrol(programme.worker(programme.team()))
    elif how == "the colleague's row":  # written by the colleague after the handover
        row, revision = theirs.note(pid, "The colleague's own words")
        assert [r["status"] for r in theirs.push([row, revision])["results"]] == ["applied"] * 2
    elif how == "another field":
        change_fields["written_at"] = "2026-03-01T09:00:00"
    elif how == "taken off":
        change_fields = {"in_error_at": None, "in_error_reason": None}
    elif how == "changed by the colleague":
        edit = theirs.change(
            "note",
            note["row_id"],
            participant_id=pid,
            fields={"written_at": "2026-03-01T10:00:00"},
            base={"written_at": note["hlc"]},
        )
        assert theirs.push_one(edit)["status"] == "applied"
    elif how == "never handed":  # the colleague's own case from the start
        person = theirs.participant()
        pid = person["row_id"]
        row, revision = theirs.note(pid, "The colleague's own case")
        theirs.push([*theirs.shared(person), row, revision])
    else:
        withdrawal = theirs.consent(pid, given=False, version=2)
        assert theirs.push_one(withdrawal)["status"] == "applied"
    _seen, cursor = theirs.pull_all()
    change = sender.change(
        "note",
        row["row_id"],
        participant_id=pid,
        fields=change_fields,
        base=dict.fromkeys(change_fields, row["hlc"]),
    )
    result = sender.push_one(change)
    assert result["status"] == "rejected", result
    assert _marks_pulled(theirs, cursor) == [], "the colleague pulled a mark refused"
