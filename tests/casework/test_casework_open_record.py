"""Opening a record: one snapshot of its parts, one "viewed" audit event per opening."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from linksdesk.casework import notes, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.casework.record import open_record
from linksdesk.core.errors import NotFoundError
from linksdesk.storage.tables import AuditEvent


def _views(cb: Casebook) -> int:
    with cb.store.read() as s:
        return int(
            s.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")
            )
            or 0
        )


def test_the_record_is_audited_once_per_opening_not_on_each_reload(
    cb: Casebook, person: Participant
) -> None:
    notes.write_note(cb, person.id, "A synthetic first note.")
    record = open_record(cb, person.id)
    assert record.participant.id == person.id
    assert [n.latest.text for n in record.notes] == ["A synthetic first note."]
    assert _views(cb) == 1
    # a save, then the reload that follows it: the same opening, no second event
    notes.write_note(cb, person.id, "A synthetic second note.")
    again = open_record(cb, person.id, opening=False)
    assert len(again.notes) == 2
    assert _views(cb) == 1
    open_record(cb, person.id)  # opened again later
    assert _views(cb) == 2
    with pytest.raises(NotFoundError):
        open_record(cb, "01900000-0000-7000-8000-000000000000")
    assert _views(cb) == 2


def test_a_snapshot_reads_every_part_as_of_one_moment(cb: Casebook, person: Participant) -> None:
    notes.write_note(cb, person.id, "Before the snapshot.")
    with cb.store.snapshot():
        before = notes.list_notes(cb, person.id)
        # another thread writes meanwhile (the vault is unclaimed here: any thread writes)
        writer = threading.Thread(
            target=notes.write_note, args=(cb, person.id, "Written during the snapshot.")
        )
        writer.start()
        writer.join()
        during = notes.list_notes(cb, person.id)
        people = participants.find_participants(cb, "Testperson")
    assert len(before) == len(during) == 1  # one moment: the later note is not in it
    assert [p.id for p in people] == [person.id]
    assert len(notes.list_notes(cb, person.id)) == 2  # and after it, it is
