"""Case notes: append-only revisions, optionally tied to a contact; history always visible."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.casework import records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import ConcurrentRevisionWarning, Note, NoteRevision, Outcome
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import Sharing
from linksdesk.storage.store import WriteTx
from linksdesk.storage.tables import Contact as ContactRow
from linksdesk.storage.tables import Note as NoteRow
from linksdesk.storage.tables import NoteRevision as RevisionRow
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
    if text is None:
        return None
    try:
        _text(text)
    except ValidationError as exc:
        return str(exc)
    return None


def note_rows(
    participant_id: str,
    text: str,
    *,
    written_at: dt.datetime,
    contact_id: str | None = None,
    private: bool = False,
) -> tuple[NoteRow, RevisionRow]:
    """A new case note and its first revision, not yet written (``write_note``; the demo too)."""
    body = _text(text)
    sharing = Sharing.PRIVATE.value if private else Sharing.TEAM.value
    note = NoteRow(
        id=uuid7(),
        participant_id=participant_id,
        contact_id=contact_id,
        written_at=written_at,
        sharing=sharing,
    )
    first = RevisionRow(
        id=uuid7(),
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
        note = records.live(tx.session, NoteRow, note_id, "case note")
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
