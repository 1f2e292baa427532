"""Case notes: append-only revisions with their base, history, and concurrent revisions kept."""

from __future__ import annotations

import datetime as dt

import pytest
from casework_kit import queued_rows
from sqlalchemy import select

from linksdesk.casework import contacts, notes
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.dto import ConcurrentRevisionWarning, Participant
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.vocab import ConsentScope, ContactKind
from linksdesk.storage.tables import NoteRevision


def _raw_revisions(cb: Casebook, note_id: str) -> list[tuple[str, str, str]]:
    with cb.store.read() as s:
        rows = s.scalars(select(NoteRevision).where(NoteRevision.note_id == note_id))
        return sorted((r.id, r.body, r.hlc) for r in rows)


def test_revisions_append_and_never_change_in_place(cb: Casebook, person: Participant) -> None:
    first = notes.write_note(cb, person.id, "Met at the library.").value
    assert first.latest.revision == 1 and first.latest.base_revision_id is None
    before = _raw_revisions(cb, first.id)
    second = notes.revise_note(
        cb, first.id, "Met at the library; talked about housing.", base_revision_id=first.latest.id
    ).value
    assert second.text.endswith("housing.") and second.revision_count == 2
    assert second.latest.base_revision_id == first.latest.id
    after = _raw_revisions(cb, first.id)
    assert set(before) < set(after)  # the first revision is exactly as it was
    history = notes.note_history(cb, first.id)
    assert [h.text for h in history] == ["Met at the library.", second.text]
    assert [h.revision for h in history] == [1, 2]


def test_revising_from_an_old_base_keeps_both_and_warns(cb: Casebook, person: Participant) -> None:
    note = notes.write_note(cb, person.id, "Original").value
    base = note.latest.id
    notes.revise_note(cb, note.id, "Edit from window one", base_revision_id=base)
    late = notes.revise_note(cb, note.id, "Edit from window two", base_revision_id=base)
    assert any(isinstance(w, ConcurrentRevisionWarning) for w in late.changes.warnings)
    assert late.value.has_concurrent_revisions and late.value.revision_count == 3
    assert {h.text for h in notes.note_history(cb, note.id)} == {
        "Original",
        "Edit from window one",
        "Edit from window two",
    }


def test_unchanged_revision_adds_nothing(cb: Casebook, person: Participant) -> None:
    note = notes.write_note(cb, person.id, "Same").value
    again = notes.revise_note(cb, note.id, "Same", base_revision_id=note.latest.id)
    assert again.value.revision_count == 1 and not again.changes.entities


def test_note_tied_to_contact_and_listed_newest_first(cb: Casebook, person: Participant) -> None:
    c = contacts.record_contact(
        cb, person.id, kind=ContactKind.APPOINTMENT, at=dt.datetime(2025, 1, 1, 9)
    ).value
    old = notes.write_note(cb, person.id, "Old", written_at=dt.datetime(2025, 1, 1, 10)).value
    tied = notes.write_note(cb, person.id, "About the contact", contact_id=c.id).value
    assert tied.contact_id == c.id
    assert [n.id for n in notes.list_notes(cb, person.id)] == [tied.id, old.id]
    assert [n.id for n in notes.list_notes(cb, person.id, contact_id=c.id)] == [tied.id]
    other = P.create_participant(cb, given_name="Else", family_name="Where").value
    with pytest.raises(ValidationError, match="someone else"):
        notes.write_note(cb, other.id, "Wrong contact", contact_id=c.id)


def test_bad_input_and_missing_base(cb: Casebook, person: Participant) -> None:
    with pytest.raises(ValidationError, match="Note text is needed"):
        notes.write_note(cb, person.id, "   ")
    note = notes.write_note(cb, person.id, "x").value
    with pytest.raises(NotFoundError):
        notes.revise_note(cb, note.id, "y", base_revision_id="no-such-revision")


def test_private_notes_never_queue(cb: Casebook, person: Participant) -> None:
    record_consent(cb, person.id, ConsentScope.TEAM, True)
    shared = notes.write_note(cb, person.id, "Shared").value
    private = notes.write_note(cb, person.id, "Mine only", private=True).value
    notes.revise_note(cb, private.id, "Mine only, edited", base_revision_id=private.latest.id)
    queued = queued_rows(cb)
    assert ("note", shared.id) in queued
    assert not {r for r in queued if r[1] == private.id}
    assert notes.get_note(cb, private.id).private
