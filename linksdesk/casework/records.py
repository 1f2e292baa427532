"""Shared pieces of the use cases: finding live rows, checking input, dates and names."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from linksdesk.core.errors import ConflictError, NotFoundError, ValidationError
from linksdesk.storage import people
from linksdesk.storage.engine import READ_ONLY_OPTION
from linksdesk.storage.tables import Participant as ParticipantRow
from linksdesk.storage.tables import SyncColumns
from linksdesk.sync import state

Row = TypeVar("Row", bound=SyncColumns)
E = TypeVar("E", bound=StrEnum)


def today(on: dt.date | None = None) -> dt.date:
    return on if on is not None else dt.date.today()


def now() -> dt.datetime:
    """Local wall-clock time without zone, as contacts and notes store it (to the second)."""
    return dt.datetime.now().replace(microsecond=0)


NOT_FOUND = "That {what} could not be found. It may have been removed or erased."


def live(session: Session, table: type[Row], row_id: str, what: str) -> Row:
    """The row with this id unless it is missing or deleted (then NotFoundError).

    In a write transaction it also arms the read-only guard: changes to a participant whose
    case was handed to a colleague (kept here read-only) raise ConflictError when flushed.
    """
    row = session.get(table, row_id) if isinstance(row_id, str) else None
    if row is None or row.deleted:
        raise NotFoundError(NOT_FOUND.format(what=what))
    if _writing(session):
        _guard_read_only(session)
    return row


READ_ONLY_MESSAGE = (
    "This person's case has moved to another links worker; their record here is read-only."
)
_GUARD = "linksdesk_read_only_participants"


def _writing(session: Session) -> bool:
    # Store.read() sessions are bound through storage.engine.reader(); anything else writes
    return not session.get_bind().get_execution_options().get(READ_ONLY_OPTION, False)


def read_only_participants(session: Session) -> frozenset[str]:
    """Participants handed to a colleague whose records stay here read-only (sync sets it)."""
    with session.no_autoflush:
        return frozenset(str(p) for p in state.get(session, state.READ_ONLY, []))


def _guard_read_only(session: Session) -> None:
    # checked at flush, not at look-up: some reads run in a write transaction (a view is
    # audited), and they must still work on a read-only copy
    if _GUARD in session.info:
        return
    read_only = read_only_participants(session)
    session.info[_GUARD] = read_only
    if read_only:
        event.listen(session, "before_flush", _refuse_read_only_changes)


def _participant_of(obj: object) -> object:
    return obj.id if isinstance(obj, ParticipantRow) else getattr(obj, "participant_id", None)


def _refuse_read_only_changes(session: Session, _context: Any, _instances: Any) -> None:
    read_only: frozenset[str] = session.info.get(_GUARD, frozenset())
    changed = [*session.new, *session.deleted]
    changed += [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in changed:
        if isinstance(obj, SyncColumns) and _participant_of(obj) in read_only:
            raise ConflictError(READ_ONLY_MESSAGE)


def participant(session: Session, participant_id: str) -> ParticipantRow:
    return live(session, ParticipantRow, participant_id, "participant")


def person_ids(session: Session, participant_id: str) -> tuple[str, ...]:
    """Every record of this participant's person, the kept record first (one record unless
    records were found to be one person: ``storage.people``); NotFoundError as
    ``participant`` when the record is not here."""
    participant(session, participant_id)
    return people.person_ids(session, participant_id)


def participant_id(session: Session, participant_id: str) -> str:
    """``participant(...).id`` without loading the row: for writes that only attach to it."""
    deleted = (
        session.scalar(select(ParticipantRow.deleted).where(ParticipantRow.id == participant_id))
        if isinstance(participant_id, str)
        else None
    )
    if deleted is None or deleted:
        raise NotFoundError(NOT_FOUND.format(what="participant"))
    if _writing(session):
        _guard_read_only(session)
    return participant_id


def enum_arg(enum: type[E], value: Any, field: str) -> E:
    """``value`` as a member of ``enum`` (given as the member or its stored value)."""
    try:
        return enum(value)
    except ValueError:
        raise ValidationError(f"{field} is not one of the choices offered.") from None


def text_arg(
    value: Any, field: str, *, required: bool = False, max_len: int | None = None
) -> str | None:
    """Trimmed text; blank is None; the message names the field, never the value."""
    if value is None:
        cleaned = ""
    elif isinstance(value, str):
        cleaned = storable_text(value, field).strip()
    else:
        raise ValidationError(f"{field} must be text.")
    if not cleaned:
        if required:
            raise ValidationError(f"{field} is needed.")
        return None
    if max_len is not None and len(cleaned) > max_len:
        raise ValidationError(f"{field} is too long: at most {max_len} characters.")
    return cleaned


def storable_text(value: str, field: str) -> str:
    """``value`` if every character can be saved and synced: no NUL characters, no half of
    a character pair (a lone surrogate, left by a broken copy and paste). The one check
    for every piece of text casework keeps."""
    if "\x00" in value:
        raise ValidationError(
            f"{field} contains a hidden null character that cannot be saved. Retype the text "
            "or paste it again from its source."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            f"{field} contains a broken character (half of an emoji or symbol) that cannot be "
            "saved. Retype the text or paste it again from its source."
        ) from None
    return value


def date_arg(value: Any, field: str, *, required: bool = False) -> dt.date | None:
    if value is None:
        if required:
            raise ValidationError(f"{field} is needed.")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise ValidationError(f"{field} must be a date.")


def datetime_arg(value: Any, field: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        # stored naive, local time: drop a zone after converting to local time
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    raise ValidationError(f"{field} must be a date and time.")


def int_arg(value: Any, field: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValidationError(f"{field} must be a whole number from {lo} to {hi}.")
    return value


def display_name(given: str, family: str, preferred: str | None) -> str:
    first = preferred or given
    return f"{first} {family}".strip()
