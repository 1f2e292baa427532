"""Case notes: append-only revisions, optionally tied to a contact; history always visible."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import ConcurrentRevisionWarning, Note, NoteRevision, Outcome
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.ids import stable_id, uuid7
from linksdesk.core.vocab import IN_ERROR_FIELDS, AuditAction, Sharing
from linksdesk.core.vocab import WRONG_RECORD as WRONG_RECORD
from linksdesk.storage.store import WriteTx
from linksdesk.storage.tables import Contact as ContactRow
from linksdesk.storage.tables import Note as NoteRow
from linksdesk.storage.tables import NoteRevision as RevisionRow
from linksdesk.storage.tables import Participant as ParticipantRow
from linksdesk.storage.tables import SyncColumns

MAX_NOTE = 100_000


def to_revision(row: RevisionRow) -> NoteRevision:
    return to_dto(NoteRevision, row, text=row.body)


def _order(rows: Sequence[RevisionRow]) -> list[RevisionRow]:
    # revision number first; the clock orders two devices' revisions with the same number
    return sorted(rows, key=lambda r: (r.revision, r.hlc))


def _to_note(note: NoteRow, revisions: Sequence[RevisionRow]) -> Note:
    ordered = _order(revisions)
    bases = Counter(r.base_revision_id for r in ordered if r.base_revision_id)
    return to_dto(
        Note,
        note,
        private=note.sharing == Sharing.PRIVATE.value,
        latest=to_revision(ordered[-1]),
        revision_count=len(ordered),
        has_concurrent_revisions=any(n > 1 for n in bases.values()),
    )


def _revisions(session: Session, note_id: str) -> list[RevisionRow]:
    return _order(
        list(
            session.scalars(
                select(RevisionRow).where(
                    RevisionRow.note_id == note_id, RevisionRow.deleted.is_(False)
                )
            )
        )
    )


def _text(text: str) -> str:
    # note text is kept exactly as written (no trimming inside), but blank is refused
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("Note text is needed.")
    if len(text) > MAX_NOTE:
        raise ValidationError(f"Note text is too long: at most {MAX_NOTE} characters.")
    return records.storable_text(text, "Note text")


def note_problem(text: str | None) -> str | None:
    """Why ``text`` cannot be kept as a case note, or None (a dialog asks before it closes)."""
    return None if text is None else common.refusal(_text, text)


def note_rows(
    participant_id: str,
    text: str,
    *,
    written_at: dt.datetime,
    contact_id: str | None = None,
    private: bool = False,
    ids: tuple[str, str] | None = None,
) -> tuple[NoteRow, RevisionRow]:
    """A new case note and its first revision, not yet written (``write_note``; the demo too);
    ``ids`` (the note's, the revision's) when every laptop must make the same ones."""
    body = _text(text)
    sharing = Sharing.PRIVATE.value if private else Sharing.TEAM.value
    note_id, revision_id = ids or (uuid7(), uuid7())
    note = NoteRow(
        id=note_id,
        participant_id=participant_id,
        contact_id=contact_id,
        written_at=written_at,
        sharing=sharing,
    )
    first = RevisionRow(
        id=revision_id,
        note_id=note.id,
        participant_id=participant_id,
        revision=1,
        base_revision_id=None,
        body=body,
        written_at=written_at,
        sharing=sharing,
    )
    return note, first


def revision_row(
    note: NoteRow, base: RevisionRow, text: str, *, revision: int, written_at: dt.datetime
) -> RevisionRow:
    """Revision ``revision`` of ``note``, written on top of ``base``; not yet written."""
    return RevisionRow(
        id=uuid7(),
        note_id=note.id,
        participant_id=note.participant_id,
        revision=revision,
        base_revision_id=base.id,
        body=_text(text),
        written_at=written_at,
        sharing=note.sharing,
    )


class NoteOptions(TypedDict, total=False):
    """What a new case note may say besides its text (``write_note`` and ``add_note``)."""

    contact_id: str | None  # the contact it is about
    written_at: dt.datetime | None  # now when not given
    private: bool  # never leaves this device


def write_note(
    cb: Casebook, participant_id: str, text: str, **options: Unpack[NoteOptions]
) -> Outcome[Note]:
    """A new case note (its first revision); ``private`` notes never leave this device."""
    _text(text)  # refused before the vault is opened for writing
    with cb.store.write() as tx:
        return Outcome(add_note(tx, participant_id, text, **options), tx.changes)


def add_note(tx: WriteTx, participant_id: str, text: str, **options: Unpack[NoteOptions]) -> Note:
    """``write_note`` inside a write already open (so a contact's outcome and its note commit
    together)."""
    when = records.datetime_arg(options.get("written_at") or records.now(), "Written at")
    pid = records.participant_id(tx.session, participant_id)
    contact_id = options.get("contact_id")
    if contact_id is not None:
        contact = records.live(tx.session, ContactRow, contact_id, "contact")
        if contact.participant_id != pid:
            raise ValidationError("Contact belongs to someone else's record.")
    private = options.get("private", False)
    note, rev = note_rows(pid, text, written_at=when, contact_id=contact_id, private=private)
    # together: one statement per table, one pass for outbox, search and audit
    rows: list[SyncColumns] = [note, rev]
    tx.insert_many(rows)
    return _to_note(note, [rev])


def revise_note(cb: Casebook, note_id: str, text: str, *, base_revision_id: str) -> Outcome[Note]:
    """Add a revision written on top of ``base_revision_id``; nothing is changed in place.

    If someone revised the note after that base (another device, another window), both
    revisions are kept and a ConcurrentRevisionWarning is added.
    """
    body = _text(text)
    with cb.store.write() as tx:
        # a note marked entered in error is not revised (its words stay as they were marked)
        note = common.standing_row(tx.session, NoteRow, note_id, "case note")
        revisions = _revisions(tx.session, note.id)
        by_id = {r.id: r for r in revisions}
        base = by_id.get(base_revision_id)
        if base is None:
            raise NotFoundError("The version of the note this edit started from is not there.")
        latest = revisions[-1]
        if base.id == latest.id and base.body == body:
            return Outcome(_to_note(note, revisions), tx.changes)  # nothing changed
        rev = tx.insert(
            revision_row(note, base, body, revision=latest.revision + 1, written_at=records.now())
        )
        if base.id != latest.id:
            tx.changes.warnings.append(ConcurrentRevisionWarning(note.id))
        return Outcome(_to_note(note, [*revisions, rev]), tx.changes)


def get_note(cb: Casebook, note_id: str) -> Note:
    with cb.store.read() as s:
        note = records.live(s, NoteRow, note_id, "case note")
        return _to_note(note, _revisions(s, note.id))


def note_history(cb: Casebook, note_id: str) -> list[NoteRevision]:
    """Every revision of the note, oldest first."""
    with cb.store.read() as s:
        note = records.live(s, NoteRow, note_id, "case note")
        return [to_revision(r) for r in _revisions(s, note.id)]


def list_notes(cb: Casebook, participant_id: str, *, contact_id: str | None = None) -> list[Note]:
    """The participant's case notes, newest first, each with its latest text."""
    with cb.store.read() as s:
        ids = records.person_ids(s, participant_id)
        query = select(NoteRow).where(NoteRow.participant_id.in_(ids), NoteRow.deleted.is_(False))
        if contact_id is not None:
            query = query.where(NoteRow.contact_id == contact_id)
        notes = list(s.scalars(query.order_by(NoteRow.written_at.desc(), NoteRow.hlc.desc())))
        revisions: dict[str, list[RevisionRow]] = defaultdict(list)
        for r in s.scalars(
            select(RevisionRow).where(
                RevisionRow.participant_id.in_(ids), RevisionRow.deleted.is_(False)
            )
        ):
            revisions[r.note_id].append(r)
        return [_to_note(n, revisions[n.id]) for n in notes if revisions[n.id]]


# -- entered in error -----------------------------------------------------------------------
WHAT = "case note"


def _converted(note: NoteRow) -> Note:
    """The note as it stands in the write it was changed in."""
    session = object_session(note)
    assert session is not None
    return _to_note(note, _revisions(session, note.id))


def in_error_problem(reason: str | None) -> str | None:
    """Why ``reason`` cannot be kept as why a case note was entered in error, or None."""
    return common.in_error_problem(reason, WHAT)


def mark_in_error(cb: Casebook, note_id: str, reason: str) -> Outcome[Note]:
    """Mark a case note entered in error (written in the wrong participant's record, or
    written twice).

    Nothing is deleted: the note and every revision stay in the worker's record view, struck
    through with when and why, and in the audit trail. From now on neither it nor any of its
    revisions reaches anything else: not the person's own record, the GP summary, search,
    a report, an evaluation file or a bundle's copy outside the record (the mark is on the
    note row, ``vocab.IN_ERROR_COLUMN``, and syncs, so the worker's other laptop, the server
    and the supervisor's copy agree).
    """
    return common.mark_in_error(cb, NoteRow, note_id, WHAT, reason, _converted)


def restore_note(cb: Casebook, note_id: str) -> Outcome[Note]:
    """Take the entered-in-error mark off a note marked by mistake: it is part of the record
    again, everywhere it was before (its words were never changed)."""
    return common.restore(cb, NoteRow, note_id, WHAT, _converted)


def moved_text(text: str, written_at: dt.datetime, moved_on: dt.date) -> str:
    """The words of a note moved to the right record: as written, then a line saying it was
    moved (never whose record it was in: that is someone else's business)."""
    line = (
        f"[Moved here on {moved_on:%d %b %Y}: written on {written_at:%d %b %Y} in another "
        "participant's record by mistake.]"
    )
    return f"{text.rstrip()}\n\n{line}"


@dataclass(frozen=True)
class Moved:
    """A note moved: the new note in the right record, and the original marked in error."""

    note: Note
    original: Note


def move_note(cb: Casebook, note_id: str, to_participant_id: str) -> Outcome[Moved]:
    """Move a case note written in the wrong participant's record to the right one.

    In one write: the note's words (its latest revision) are written into the right
    participant's record as a new note with the same date and privacy, ending with a line
    that says it was moved (never naming the record it came from), and the original is
    marked entered in error, "written in the wrong participant's record". The original's
    contact is the wrong person's, so the new note is about no contact. The earlier
    revisions stay with the original, struck through, where only the worker sees them.
    """
    with cb.store.write() as tx:
        original = common.standing_row(tx.session, NoteRow, note_id, WHAT)
        target = records.participant(tx.session, to_participant_id)
        if target.id == original.participant_id:
            raise ValidationError(
                "The note is already in this participant's record. Choose the participant "
                "whose record it belongs in."
            )
        _guard_target(tx, target)
        revisions = _revisions(tx.session, original.id)
        if not revisions:
            raise NotFoundError("The text of this case note is not on this laptop yet.")
        text = moved_text(revisions[-1].body, original.written_at, records.now().date())
        note = _moved_copy(tx, original, target.id, text)
        fields = IN_ERROR_FIELDS
        tx.update_together(original, dict(zip(fields, (records.now(), WRONG_RECORD), strict=True)))
        tx.audit(AuditAction.CHANGE, "note_moved", original.id)
        return Outcome(Moved(note, _to_note(original, revisions)), tx.changes)


def _moved_copy(tx: WriteTx, original: NoteRow, target_id: str, text: str) -> Note:
    """The note in the right record that holds a moved note's words.

    Its ids derive from the original and the record it goes to, so the worker's two laptops
    moving the same note to the same record offline make one note, not two; moved there
    again (after "Not in error after all"), the copy still standing there is brought up to
    date by a revision. A copy since marked entered in error or deleted is left as it is,
    and a new note made."""
    ids = (
        stable_id("note-moved", original.id, target_id),
        stable_id("note-moved-revision", original.id, target_id),
    )
    held = tx.session.get(NoteRow, ids[0])
    revisions = _revisions(tx.session, held.id) if held is not None else []
    if held is None or held.deleted or held.in_error_at is not None or not revisions:
        note, first = note_rows(
            target_id,
            text,
            written_at=original.written_at,
            private=original.sharing == Sharing.PRIVATE.value,
            ids=ids if held is None else None,
        )
        rows: list[SyncColumns] = [note, first]
        tx.insert_many(rows)
        return _to_note(note, [first])
    latest = revisions[-1]
    if latest.body != text:
        revisions.append(
            tx.insert(
                revision_row(
                    held, latest, text, revision=latest.revision + 1, written_at=records.now()
                )
            )
        )
    return _to_note(held, revisions)


def _guard_target(tx: WriteTx, target: ParticipantRow) -> None:
    """A case handed to a colleague (kept here read-only) takes no note."""
    if target.id in records.read_only_participants(tx.session):
        raise ValidationError(records.READ_ONLY_MESSAGE)
