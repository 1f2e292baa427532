"""Outside check 17: a hostile or broken device of the worker's own, over real HTTP to a
real server, changing rows that devices only ever add and never change.

A case note's words are kept as revisions: an edit is a new revision, never a change in
place (casework.notes, "history always visible"). A team consent is recorded as a new
version, never changed (the existing hostile-consent test covers scope, given, version
and tombstones); but which of two records of one version decides is told by the
record's clock, so a later-stamped edit of any of its fields (its method, say) decides
again. An erasure receipt is the proof that a person was forgotten. A device with a
token (a laptop stolen before it is revoked, or a broken one) sent such changes and the
server took them and handed them to the worker's other laptop.
"""

from __future__ import annotations

from typing import Any

import pytest
from server_kit import Device, Programme
from sqlalchemy import func, select

from linksdesk.core.ids import uuid7
from linksdesk.server.models import ParticipantAccess, Record
from linksdesk.server.sync.consent import latest_team_consent

WORDS = "Kept-words-4c1e: talked about the allotment"
REWRITTEN = "Rewritten-words-9d2a"


def _statuses(answer: dict[str, Any]) -> list[str]:
    return [r["status"] for r in answer["results"]]


def _held_fields(p: Programme, table: str, row_id: str) -> dict[str, Any]:
    with p.db.reading() as s:
        rec = s.get(Record, (table, row_id))
        assert rec is not None
        return {**rec.fields, "deleted": rec.deleted}


def _a_shared_note(dev: Device) -> tuple[str, dict[str, Any]]:
    person = dev.participant()
    pid = str(person["row_id"])
    note, revision = dev.note(pid, WORDS)
    assert set(_statuses(dev.push([*dev.shared(person), note, revision]))) == {"applied"}
    return pid, revision


def test_a_case_notes_words_once_sent_are_never_changed_in_place(served: Programme) -> None:
    worker = served.worker(served.team())
    laptop, other = served.enrol(worker), served.enrol(worker)
    pid, revision = _a_shared_note(laptop)
    rid = revision["row_id"]
    held = _held_fields(served, "note_revision", rid)

    edits = [
        # an edit of what it saw, as a device would send one
        laptop.change(
            "note_revision",
            rid,
            fields={"body": REWRITTEN},
            participant_id=pid,
            base={"body": revision["hlc"]},
        ),
        # the same without saying what it saw (the server held this device's own words)
        laptop.change("note_revision", rid, fields={"body": REWRITTEN}, participant_id=pid),
        # its place in the note's history
        laptop.change(
            "note_revision",
            rid,
            fields={"revision": 7, "written_at": "2020-01-01T09:00:00"},
            participant_id=pid,
            base={"revision": revision["hlc"], "written_at": revision["hlc"]},
        ),
        # taken out
        laptop.change("note_revision", rid, op="delete", participant_id=pid),
    ]
    for edit in edits:
        answer = laptop.push_one(edit)
        assert answer["status"] == "rejected", (edit["fields"], edit["op"], answer)
        assert "new version" in answer["reason"], answer["reason"]
        assert REWRITTEN not in answer["reason"]

    assert _held_fields(served, "note_revision", rid) == held
    pulled, _ = other.pull_all()
    bodies = [c["fields"].get("body") for c in pulled if c["table"] == "note_revision"]
    assert bodies == [WORDS]
    assert not [c for c in pulled if c["table"] == "note_revision" and c["op"] == "delete"]


def test_two_laptops_making_the_same_moved_note_still_keep_both_words(
    served: Programme,
) -> None:
    """The worker's two laptops move one note to one record on different days: the copy's
    ids derive from the note and the record, so both make the same revision with words
    that differ (the day it was moved). That is no edit: both words are kept, as before."""
    worker = served.worker(served.team())
    office, venues = served.enrol(worker), served.enrol(worker)
    pid, revision = _a_shared_note(office)
    row_id = uuid7()
    fields = {**revision["fields"], "body": f"{WORDS} [Moved here on 2 Mar]"}
    first = office.change("note_revision", row_id, fields=fields, participant_id=pid)
    assert office.push_one(first)["status"] == "applied"
    again = {**fields, "body": f"{WORDS} [Moved here on 3 Mar]"}
    second = venues.change("note_revision", row_id, fields=again, participant_id=pid)
    assert venues.push_one(second)["status"] == "conflict"


def test_a_withdrawal_that_decided_a_tie_is_not_undone_by_restamping_the_other_record(
    served: Programme,
) -> None:
    """The office laptop records team consent given (version 2) while the venues laptop,
    offline, records it withdrawn (version 2 too): the later clock decides, the withdrawal.
    Changing the given record's method then stamps it later still, and it would decide."""
    worker = served.worker(served.team())
    office, venues, third = served.enrol(worker), served.enrol(worker), served.enrol(worker)
    person = office.participant()
    pid = str(person["row_id"])
    assert set(_statuses(office.push(office.shared(person)))) == {"applied"}
    given = office.consent(pid, given=True, version=2)
    assert office.push_one(given)["status"] == "applied"
    withdrawn = venues.consent(pid, given=False, version=2)
    assert venues.push_one(withdrawn)["status"] == "applied"
    with served.db.reading() as s:
        assert latest_team_consent(s, pid) is False

    for fields in ({"method": "written"}, {"method": "verbal"}, {"note": "asked again"}):
        restamp = office.change(
            "consent",
            given["row_id"],
            fields=fields,
            participant_id=pid,
            base=dict.fromkeys(fields, given["hlc"]),
        )
        answer = office.push_one(restamp)
        assert answer["status"] == "rejected", (fields, answer)
        assert "stays as it was" in answer["reason"]

    with served.db.reading() as s:
        assert latest_team_consent(s, pid) is False
        assert not s.scalar(select(func.count()).where(ParticipantAccess.participant_id == pid))
    # nothing of the person comes in again, and no laptop is sent the case back
    record = office.push_one(office.participant(pid))
    assert record["status"] == "rejected" and "withdrew consent" in record["reason"]
    pulled, _ = third.pull_all()
    assert not [c for c in pulled if c["table"] == "participant"]


@pytest.mark.parametrize("how", ["tombstone", "rewrite"])
def test_an_erasure_receipt_is_never_taken_out_or_rewritten(served: Programme, how: str) -> None:
    worker = served.worker(served.team())
    laptop, other = served.enrol(worker), served.enrol(worker)
    person = laptop.participant()
    pid = str(person["row_id"])
    assert set(_statuses(laptop.push(laptop.shared(person)))) == {"applied"}
    receipt = laptop.change(
        "erasure_receipt",
        fields={"erased_at": "2026-03-02T10:00:00", "rows_removed": 2},
        participant_id=pid,
    )
    erase = laptop.change("participant", pid, op="erase", participant_id=pid)
    assert _statuses(laptop.push([receipt, erase])) == ["applied", "applied"]
    held = _held_fields(served, "erasure_receipt", receipt["row_id"])

    if how == "tombstone":
        change = laptop.change(
            "erasure_receipt", receipt["row_id"], op="delete", participant_id=pid
        )
    else:
        change = laptop.change(
            "erasure_receipt",
            receipt["row_id"],
            fields={"rows_removed": 0, "erased_at": "2020-01-01T00:00:00"},
            participant_id=pid,
            base={"rows_removed": receipt["hlc"], "erased_at": receipt["hlc"]},
        )
    answer = laptop.push_one(change)
    assert answer["status"] == "rejected", answer
    assert _held_fields(served, "erasure_receipt", receipt["row_id"]) == held
    pulled, _ = other.pull_all()
    receipts = [c for c in pulled if c["table"] == "erasure_receipt"]
    assert [(c["op"], c["fields"]) for c in receipts] == [("upsert", held_without_flag(held))]


def held_without_flag(held: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in held.items() if k != "deleted"}
