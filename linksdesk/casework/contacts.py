"""Contacts: schedule them, record what happened in one call, and keep count of appointments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypedDict, TypeVar, Unpack

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from linksdesk.casework import common, notes, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import (
    AppointmentLimitWarning,
    AppointmentUse,
    BookedOutcome,
    Contact,
    DiaryEntry,
    Outcome,
)
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import (
    NEVER_SEEN_KINDS,
    NOT_COUNTED_KINDS,
    NOT_COUNTED_STATUSES,
    ContactKind,
    ContactStatus,
    counts_towards_limit,
)
from linksdesk.storage import people
from linksdesk.storage.store import WriteTx
from linksdesk.storage.tables import Contact as ContactRow

C = TypeVar("C", bound=Contact)

OUTCOMES = frozenset(
    {ContactStatus.ATTENDED, ContactStatus.DID_NOT_ATTEND, ContactStatus.CANCELLED}
)
# "Record contact" at a time this close to one of the person's booked contacts (on the same
# day) is almost always that booking happening: recording it again would count it twice.
NEAR_BOOKED = dt.timedelta(hours=3)
# an attempt to reach someone this soon after another is the same try, clicked twice
JUST_TRIED = dt.timedelta(minutes=5)


def standing_clause(table: Any = ContactRow) -> ColumnElement[bool]:
    """The contact is not marked entered in error (``vocab.IN_ERROR_COLUMN``): part of every
    clause below, and of every list of what is booked or happened."""
    return common.standing(table)  # type: ignore[no-any-return]


def counted_clause(table: Any = ContactRow) -> ColumnElement[bool]:
    """SQL form of ``vocab.counts_towards_limit`` (used by the caseload's aggregate too)."""
    return and_(
        table.deleted.is_(False),
        standing_clause(table),
        table.kind.not_in(sorted(NOT_COUNTED_KINDS)),
        table.status.not_in(sorted(NOT_COUNTED_STATUSES)),
    )


def seen_clause(table: Any = ContactRow) -> ColumnElement[bool]:
    """SQL form of ``vocab.was_seen``: the contact saw the person (attended, and of no kind
    that never sees anyone: an attempt; not entered in error)."""
    return and_(
        standing_clause(table),
        table.status == ContactStatus.ATTENDED.value,
        table.kind.not_in(sorted(NEVER_SEEN_KINDS)),
    )


in_error = common.in_error


def to_contact(row: Any, into: type[C] = Contact, **given: Any) -> C:  # type: ignore[assignment]
    """A contact row (or a row of a query with its columns) as a ``Contact``, or as
    ``into``, a kind of contact with more ``given`` (a diary entry)."""
    counted = counts_towards_limit(row.kind, row.status, in_error=in_error(row))
    return to_dto(into, row, at=row.scheduled_at, counts_towards_limit=counted, **given)


_CHECKS: dict[str, common.Check] = {
    "kind": common.choice(ContactKind, "Kind of contact"),
    "at": lambda value: records.datetime_arg(value, "Date and time"),
    "minutes": lambda value: None if value is None else records.int_arg(value, "Minutes", 0, 1440),
    "venue": common.text("Venue", max_len=200),
    "purpose": common.text("Purpose", max_len=4000),
}


def contact_problem(values: Mapping[str, Any]) -> str | None:
    """Why these details cannot be kept for a contact (a purpose pasted too long), or None
    (the dialog asks first)."""
    return common.problem(values, _CHECKS, "contact")


def in_diary(contact: Contact, who: DiaryEntry) -> DiaryEntry:
    """``contact`` as a diary entry about the same person as ``who``."""
    return to_dto(DiaryEntry, contact, programme_id=who.programme_id, display_name=who.display_name)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = common.clean(values, _CHECKS, "contact")
    if "at" in out:
        out["scheduled_at"] = out.pop("at")  # a contact's time is stored as when it is booked
    return out


def _counted(session: Session, participant_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ContactRow)
            .where(
                ContactRow.participant_id.in_(people.person_ids(session, participant_id)),
                counted_clause(),
            )
        )
        or 0
    )


def _warn_if_over_limit(limit: int | None, tx: WriteTx, row: ContactRow) -> None:
    """Warn (never block) when this counted contact leaves the total above the limit."""
    if limit is None or row.deleted:
        return
    if not counts_towards_limit(row.kind, row.status, in_error=in_error(row)):
        return
    used = _counted(tx.session, row.participant_id)
    if used > limit:
        tx.changes.warnings.append(AppointmentLimitWarning(row.participant_id, used, limit))


def attempt_problem(values: Mapping[str, Any]) -> str | None:
    """Why a contact with these stored values (kind, status, minutes, venue) cannot be an
    attempted contact, in the worker's words; None when it can, or is no attempt.

    An attempt (a call not answered, a knock with no reply) is kept as attended, the try
    was made, and reached nobody: it has no outcome of its own, no time spent together and
    no venue, and is never booked (``vocab.was_seen`` and ``contact_outcome`` read it so).
    The Record contact dialog hides those fields for an attempt; this holds any other way
    in to the same rule."""
    if values.get("kind") != ContactKind.ATTEMPTED.value:
        return None
    status = values.get("status")
    if status == ContactStatus.SCHEDULED.value:
        return (
            "An attempted contact cannot be booked: book the kind of contact you will make, "
            "and record an attempt when a try does not reach them."
        )
    if status != ContactStatus.ATTENDED.value:
        return (
            "An attempted contact reached nobody, so it has no outcome: did not attend and "
            "cancelled are for a booked contact. If you did reach them, record the contact "
            "itself with Record contact."
        )
    if values.get("minutes") is not None or values.get("venue") is not None:
        return (
            "An attempted contact reached nobody, so it has no minutes or venue: leave them "
            "empty, or record the contact itself if you did reach them."
        )
    return None


def _check_attempt(values: Mapping[str, Any]) -> None:
    problem = attempt_problem(values)
    if problem is not None:
        raise ValidationError(problem)


_ATTEMPT_FIELDS = frozenset({"kind", "status", "minutes", "venue"})  # what attempt_problem reads


def _as_it_would_be(row: ContactRow, values: Mapping[str, Any]) -> dict[str, Any]:
    """The row's kind, status, minutes and venue once ``values`` are set on it."""
    return {**{name: getattr(row, name) for name in _ATTEMPT_FIELDS}, **values}


def _new_contact(
    cb: Casebook, participant_id: str, status: ContactStatus, fields: dict[str, Any]
) -> Outcome[Contact]:
    values = {"status": status.value, **fields}
    _check_attempt(values)
    return common.add_to_participant(
        cb, participant_id, ContactRow, values, to_contact, then=_limit_check(cb)
    )


def _limit_check(cb: Casebook) -> Callable[..., None]:
    """``_warn_if_over_limit`` as the last step of a write (the limit read before it)."""
    limit = cb.settings().appointment_limit
    return lambda tx, *rows: _warn_if_over_limit(limit, tx, rows[-1])


def schedule_contact(
    cb: Casebook,
    participant_id: str,
    *,
    kind: ContactKind | str,
    at: dt.datetime,
    minutes: int | None = None,
    venue: str | None = None,
    purpose: str | None = None,
) -> Outcome[Contact]:
    """Put a contact in the diary; warns when it takes the person over the appointment limit."""
    fields = _clean(
        {"kind": kind, "at": at, "minutes": minutes, "venue": venue, "purpose": purpose}
    )
    if fields["kind"] == ContactKind.ATTEMPTED.value:
        raise ValidationError("Kind of contact cannot be an attempted contact when scheduling.")
    return _new_contact(cb, participant_id, ContactStatus.SCHEDULED, fields)


def record_contact(
    cb: Casebook,
    participant_id: str,
    *,
    kind: ContactKind | str,
    at: dt.datetime,
    status: ContactStatus | str = ContactStatus.ATTENDED,
    minutes: int | None = None,
    venue: str | None = None,
    purpose: str | None = None,
) -> Outcome[Contact]:
    """Record a contact that already happened (or was missed) without being scheduled first."""
    outcome = _outcome(status)
    fields = _clean(
        {"kind": kind, "at": at, "minutes": minutes, "venue": venue, "purpose": purpose}
    )
    return _new_contact(cb, participant_id, outcome, fields)


def record_attempted_contact(
    cb: Casebook,
    participant_id: str,
    *,
    at: dt.datetime | None = None,
    purpose: str | None = None,
) -> Outcome[Contact]:
    """An attempt to reach the person (a call not answered, a knock with no reply)."""
    fields = _clean({"kind": ContactKind.ATTEMPTED, "at": at or records.now(), "purpose": purpose})
    return _new_contact(cb, participant_id, ContactStatus.ATTENDED, fields)


class OutcomeDetails(TypedDict, total=False):
    """What recording an outcome may say besides what happened: ``record_outcome``'s and
    ``record_booked_outcome``'s keyword arguments of these names (each left as it stands
    when not given)."""

    minutes: int | None
    venue: str | None


def record_outcome(
    cb: Casebook, contact_id: str, status: ContactStatus | str, **details: Unpack[OutcomeDetails]
) -> Outcome[Contact]:
    """Attended, did not attend or cancelled, with minutes and venue, in one call."""
    values = _outcome_values(status, details)
    check = _limit_check(cb)
    with cb.store.write() as tx:
        row = _standing(tx.session, contact_id)
        _decide(tx, row, values, check)
        return Outcome(to_contact(row), tx.changes)


def _decide(
    tx: WriteTx, row: ContactRow, values: dict[str, Any], check: Callable[..., None]
) -> None:
    """What happened at a contact is one decision: its status, minutes and venue are
    written with one clock (those not given as they stand), so an outcome recorded for the
    same contact on the worker's other laptop wins or loses whole, never leaving a missed
    appointment with the other laptop's minutes and venue. ``check`` (``_limit_check``)
    then warns when it leaves the person over the appointment limit."""
    _check_attempt(_as_it_would_be(row, values))
    tx.update_together(row, {"minutes": row.minutes, "venue": row.venue, **values})
    check(tx, row)


def _outcome(status: ContactStatus | str) -> ContactStatus:
    outcome = records.enum_arg(ContactStatus, status, "What happened")
    if outcome not in OUTCOMES:
        raise ValidationError("What happened must be attended, did not attend or cancelled.")
    return outcome


def _outcome_values(status: ContactStatus | str, details: OutcomeDetails) -> dict[str, Any]:
    """What recording an outcome sets: the status, and minutes and venue where given."""
    given = {name: v for name, v in details.items() if v is not None}
    return {"status": _outcome(status).value, **_clean(given)}


def edit_contact(cb: Casebook, contact_id: str, **fields: Any) -> Outcome[Contact]:
    """Change when, what kind, how long, where or why (e.g. to reschedule)."""
    return _change(cb, contact_id, _clean(fields))


def move_booking(
    cb: Casebook, contact_id: str, *, at: dt.datetime, venue: str | None = None
) -> Outcome[Contact]:
    """Move a booked contact to another day and time, and venue (None: no venue): the
    same booking, changed as :func:`edit_contact` changes it (audited as a change), not
    cancelled and booked again, which said the person cancelled. Refused for a contact
    whose outcome is recorded (:func:`move_problem`) or that is entered in error."""
    return _change(cb, contact_id, _clean({"at": at, "venue": venue}), booked_only=True)


def move_problem(status: ContactStatus | str) -> str | None:
    """Why a contact with this status cannot be moved, in the worker's words, or None: only
    a booking still waiting for its outcome can be (what happened stays when it happened)."""
    if ContactStatus(status) is ContactStatus.SCHEDULED:
        return None
    return (
        "Only a booked contact can be moved: this one's outcome is recorded already. Record "
        "a new contact, or mark this one entered in error if its day was wrong."
    )


def _change(
    cb: Casebook, contact_id: str, values: dict[str, Any], *, booked_only: bool = False
) -> Outcome[Contact]:
    limit = _limit_check(cb)

    def then(tx: WriteTx, row: ContactRow) -> None:
        _standing(tx.session, row.id)  # refused: the write rolls back
        problem = move_problem(row.status) if booked_only else None
        if problem is not None:
            raise ValidationError(problem)  # the write rolls back
        # set already: refused, the write rolls back. Only a change to what the rule is
        # about: a row a merge left against it can still be moved or given a purpose
        if values.keys() & _ATTEMPT_FIELDS:
            _check_attempt(_as_it_would_be(row, {}))
        limit(tx, row)

    return common.change(cb, ContactRow, contact_id, "contact", values, to_contact, then=then)


def remove_contact(cb: Casebook, contact_id: str) -> Outcome[None]:
    return common.remove(cb, ContactRow, contact_id, "contact")


# -- entered in error -----------------------------------------------------------------------
def _standing(session: Session, contact_id: str) -> ContactRow:
    """The live contact ``contact_id``, refused when it is marked entered in error: what
    happened at it, or when it is, cannot be recorded any more (take the mark off first)."""
    row: ContactRow = common.standing_row(session, ContactRow, contact_id, "contact")
    return row


def in_error_problem(reason: str | None) -> str | None:
    """Why ``reason`` cannot be kept as why a contact was entered in error, or None."""
    return common.in_error_problem(reason, "contact")


def mark_in_error(cb: Casebook, contact_id: str, reason: str) -> Outcome[Contact]:
    """Mark a contact entered in error (booked on the wrong participant, recorded twice).

    Nothing is deleted: the contact stays in the record, struck through, with when and why,
    and its audit trail; from now on it counts nowhere (``vocab.outcome_key``: not seen,
    missed or cancelled, not against the appointment limit, in no total, report, GP summary
    or the person's own record) and leaves the diary. The mark syncs, so the worker's other
    laptop, the server and the supervisor's bundles agree (``common.mark_in_error``).
    """
    return common.mark_in_error(cb, ContactRow, contact_id, "contact", reason, to_contact)


def restore_contact(cb: Casebook, contact_id: str) -> Outcome[Contact]:
    """Take the entered-in-error mark off a contact marked by mistake: it counts again as it
    did before (its kind, outcome, minutes and venue were never changed); the limit warning
    is given again if it applies."""
    check = _limit_check(cb)
    return common.restore(cb, ContactRow, contact_id, "contact", to_contact, then=check)


def list_contacts(cb: Casebook, participant_id: str) -> list[Contact]:
    """Every contact of the participant, newest first."""
    order = (ContactRow.scheduled_at.desc(), ContactRow.hlc.desc())
    return common.list_of(cb, participant_id, ContactRow, to_contact, order)


def appointment_use(cb: Casebook, participant_id: str) -> AppointmentUse:
    limit = cb.settings().appointment_limit
    with cb.store.read() as s:
        records.participant(s, participant_id)
        return AppointmentUse(used=_counted(s, participant_id), limit=limit)


# -- booked contacts ------------------------------------------------------------------------
def nearest_booking(contact_list: list[Contact], at: dt.datetime) -> Contact | None:
    """The booked (still scheduled) contact closest to ``at``, on the same day and within
    ``NEAR_BOOKED``; None when there is none (the rule, without the database)."""
    return _closest(contact_list, at, NEAR_BOOKED, lambda c: c.status is ContactStatus.SCHEDULED)


def _booked(c: Contact) -> bool:
    """Still booked: scheduled, and not marked entered in error."""
    return c.status is ContactStatus.SCHEDULED and not c.in_error


def recorded_near(
    contact_list: list[Contact], kind: ContactKind | str, at: dt.datetime
) -> Contact | None:
    """The person's contact of this kind already recorded as attended or missed near ``at``
    (same day, within ``NEAR_BOOKED``): "Record contact" for it again would count it twice
    (its outcome recorded from Today or the Diary, then the meeting logged on the record).
    Attempts only within ``JUST_TRIED``: several tries in a morning are the usual thing."""
    kind = ContactKind(kind)
    window = JUST_TRIED if kind is ContactKind.ATTEMPTED else NEAR_BOOKED
    done = (ContactStatus.ATTENDED, ContactStatus.DID_NOT_ATTEND)
    return _closest(contact_list, at, window, lambda c: c.kind is kind and c.status in done)


def _closest(
    contact_list: list[Contact],
    at: dt.datetime,
    window: dt.timedelta,
    matches: Callable[[Contact], bool],
) -> Contact | None:
    """The contact ``matches`` takes that is closest to ``at``, on the same day and within
    ``window`` (the earlier of two as close)."""
    near = [
        c
        for c in contact_list
        if not c.in_error and matches(c) and c.at.date() == at.date() and abs(c.at - at) <= window
    ]
    return min(near, key=lambda c: (abs(c.at - at), c.at), default=None)


def booked_near(cb: Casebook, participant_id: str, at: dt.datetime) -> Contact | None:
    """The person's booked contact that a contact recorded at ``at`` most likely is."""
    at = records.datetime_arg(at, "Date and time")
    return nearest_booking(list_contacts(cb, participant_id), at)


def record_booked_outcome(
    cb: Casebook,
    contact_id: str,
    status: ContactStatus | str,
    *,
    note: str | None = None,
    private: bool = False,
    **details: Unpack[OutcomeDetails],
) -> Outcome[BookedOutcome]:
    """What happened at a booked contact, with the case note about it, in one write.

    The booking itself changes (no second contact is added), so the appointment count stays
    as it was for an attended or missed appointment. A booking whose outcome is already
    recorded is refused, so a double press cannot record it twice.
    """
    values = _outcome_values(status, details)
    text = note if note and note.strip() else None
    check = _limit_check(cb)
    with cb.store.write() as tx:
        row = _standing(tx.session, contact_id)
        if row.status != ContactStatus.SCHEDULED.value:
            raise ValidationError(
                "This contact's outcome is already recorded "
                f"({ContactStatus(row.status).label.lower()})."
            )
        _decide(tx, row, values, check)
        written = (
            notes.add_note(tx, row.participant_id, text, contact_id=row.id, private=private)
            if text is not None
            else None
        )
        return Outcome(BookedOutcome(to_contact(row), written), tx.changes)


def appointment_number(
    use: AppointmentUse,
    kind: ContactKind | str,
    status: ContactStatus | str,
    existing: Contact | None = None,
) -> int | None:
    """Which appointment this contact will be once saved (7 for "7th of 6"), or None when it
    does not count towards the limit; ``existing`` is the booking being recorded, if any."""
    if not counts_towards_limit(kind, status, in_error=False):  # a contact about to be saved
        return None
    if existing is not None and existing.counts_towards_limit:
        return use.used  # already counted while booked
    return use.used + 1


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def limit_text(use: AppointmentUse, number: int | None) -> str:
    """How the dialog says where this contact stands against the limit, before saving."""
    if number is None:
        return "Does not count towards the appointment limit."
    if use.limit is None:
        return f"This will be the {ordinal(number)} appointment."
    text = f"This will be the {ordinal(number)} of {use.limit} appointments"
    return text + (" — over the programme's limit." if number > use.limit else ".")


def booking_to_record(
    contact_list: list[Contact], now: dt.datetime, selected: Contact | None = None
) -> Contact | None:
    """Which booked contact "Record outcome" means: the one selected if it is booked, else
    the one near now, else the latest booked contact whose time has passed."""
    if selected is not None and _booked(selected):
        return selected
    near = nearest_booking(contact_list, now)
    if near is not None:
        return near
    past = [c for c in contact_list if _booked(c) and c.at <= now]
    return max(past, key=lambda c: c.at, default=None)
