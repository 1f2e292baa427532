"""Participants: create and edit, programme ids, duplicates, viewing, status and its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Required, Unpack

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import (
    DuplicateWarning,
    Outcome,
    Participant,
    ParticipantSummary,
    StatusChange,
)
from linksdesk.core import registry
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import AuditAction, ParticipantStatus
from linksdesk.storage import names, people, programme_ids
from linksdesk.storage import search as search_index
from linksdesk.storage.store import WriteTx
from linksdesk.storage.tables import Participant as ParticipantRow
from linksdesk.storage.tables import StatusChange as StatusChangeRow

PROGRAMME_PREFIX = programme_ids.PROGRAMME_PREFIX
FIRST_PROGRAMME_NUMBER = programme_ids.FIRST_PROGRAMME_NUMBER
NEXT_NUMBER_KEY = programme_ids.NEXT_NUMBER_KEY


class NewParticipant(common.ContactDetails, total=False):
    """Every detail of a participant a worker edits (status has use cases of its own):
    create_participant's keyword arguments."""

    given_name: Required[str]
    family_name: Required[str]
    preferred_name: str | None
    date_of_birth: dt.date | None
    gp_practice: str | None
    contact_preferences: str | None
    risk_summary: str | None
    referred_on: dt.date | None


EDITABLE_FIELDS = frozenset(NewParticipant.__annotations__)
# the same, in the table's column order
DETAILS: tuple[str, ...] = tuple(c for c in registry.columns("participant") if c in EDITABLE_FIELDS)


def to_participant(row: ParticipantRow) -> Participant:
    return to_dto(Participant, row, display_name=_display_name(row))


def to_summary(row: ParticipantRow) -> ParticipantSummary:
    return to_dto(ParticipantSummary, row, display_name=_display_name(row))


def _display_name(row: ParticipantRow) -> str:
    return records.display_name(row.given_name, row.family_name, row.preferred_name)


_CHECKS = common.detail_checks(
    "participant", DETAILS, longest={"risk_summary": 4000}, labels={"gp_practice": "GP practice"}
)


def birth_date_problem(dob: dt.date | None) -> str | None:
    """Why ``dob`` cannot be a date of birth (a day still to come), or None; the details
    dialog asks before it closes, so nothing typed is lost to it."""
    if dob is not None and dob > dt.date.today():
        return "Date of birth cannot be in the future."
    return None


def details_problem(values: Mapping[str, Any]) -> str | None:
    """Why the details given cannot be kept (an email that is no address, a risk summary
    pasted too long, a date of birth still to come), or None: the details dialog asks before
    it closes, so nothing typed is lost to a refusal after."""
    return common.refusal(_clean_fields, {k: v for k, v in values.items() if k in _CHECKS})


def _clean_fields(values: dict[str, Any]) -> dict[str, Any]:
    out = common.address_details(common.clean(values, _CHECKS, "participant"))
    problem = birth_date_problem(out.get("date_of_birth"))
    if problem:
        raise ValidationError(problem)
    return out


def _next_programme_id(session: Session, device_id: str) -> str:
    """The next id: from the blocks the server leased this laptop, or the vault's own counter
    (never enrolled, or every leased number used offline: then marked with this device's
    id's end, or the vault's own mark once restored); numbers are never reused, even after
    erasure."""
    return programme_ids.next_programme_id(session, mark=programme_ids.own_mark(session, device_id))


def _duplicates(
    session: Session,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    exclude: str | None = None,
) -> list[ParticipantRow]:
    query = select(ParticipantRow).where(
        ParticipantRow.deleted.is_(False),
        ParticipantRow.date_of_birth.is_(None)
        if date_of_birth is None
        else ParticipantRow.date_of_birth == date_of_birth,
        # the same names as a person reads them: "Zoe O'Brien" is "Zoë O’Brien", and
        # "Obrien" or "Smithjones", typed in a hurry, is "O'Brien" or "Smith-Jones"
        names.same_name(ParticipantRow.given_name, given_name),
        names.same_name(ParticipantRow.family_name, family_name),
    )
    if exclude:
        query = query.where(ParticipantRow.id != exclude)
    return list(session.scalars(query.order_by(ParticipantRow.programme_id)))


def _record_status(
    tx: WriteTx,
    row: ParticipantRow,
    from_status: str | None,
    to_status: ParticipantStatus,
    reason: str | None,
    on: dt.date,
) -> None:
    tx.insert(
        StatusChangeRow(
            participant_id=row.id,
            from_status=from_status,
            to_status=to_status.value,
            reason=reason,
            changed_on=on,
        )
    )


def create_participant(
    cb: Casebook,
    *,
    status: ParticipantStatus | str = ParticipantStatus.REFERRED,
    on: dt.date | None = None,
    **details: Unpack[NewParticipant],
) -> Outcome[Participant]:
    """A new participant with the next programme id; warns (never blocks) on a likely duplicate."""
    # a detail not given is empty (as on the form); one not known is refused
    fields = _clean_fields({**dict.fromkeys(DETAILS), **details})
    first_status = records.enum_arg(ParticipantStatus, status, "Status")
    if first_status is ParticipantStatus.CLOSED:
        raise ValidationError("Status cannot start as closed: record the participant first.")
    day = records.today(on)
    with cb.store.write() as tx:
        dupes = _duplicates(
            tx.session, fields["given_name"], fields["family_name"], fields["date_of_birth"]
        )
        row = tx.insert(
            ParticipantRow(
                programme_id=_next_programme_id(tx.session, tx.store.device_id),
                status=first_status.value,
                created_on=day,
                **fields,
            )
        )
        _record_status(tx, row, None, first_status, None, day)
        if dupes:
            tx.changes.warnings.append(DuplicateWarning(tuple(d.id for d in dupes)))
        return Outcome(to_participant(row), tx.changes)


def edit_participant(cb: Casebook, participant_id: str, **fields: Any) -> Outcome[Participant]:
    """Change details (not status: see ``change_status``); warns on a likely duplicate."""
    cleaned = _clean_fields(fields)
    with cb.store.write() as tx:
        row = records.participant(tx.session, participant_id)
        changed = tx.update(row, **cleaned)
        if changed & {"given_name", "family_name", "date_of_birth"}:
            dupes = _duplicates(
                tx.session, row.given_name, row.family_name, row.date_of_birth, exclude=row.id
            )
            if dupes:
                tx.changes.warnings.append(DuplicateWarning(tuple(d.id for d in dupes)))
        return Outcome(to_participant(row), tx.changes)


def get_participant(cb: Casebook, participant_id: str) -> Participant:
    """One participant's details; the view is recorded in the audit log."""
    with cb.store.write() as tx:
        row = records.participant(tx.session, participant_id)
        tx.audit(AuditAction.VIEW, "participant", row.id)
        return to_participant(row)


def display_names(cb: Casebook, participant_ids: Iterable[str]) -> dict[str, str]:
    """The names the window shows for these participants (an erased one is left out)."""
    with cb.store.read() as s:
        rows = s.scalars(
            select(ParticipantRow).where(
                ParticipantRow.id.in_(list(participant_ids)), ParticipantRow.deleted.is_(False)
            )
        )
        return {r.id: _display_name(r) for r in rows}


def find_participants(cb: Casebook, text: str, *, limit: int = 50) -> list[ParticipantSummary]:
    """Participants whose names, programme id or postcode match ``text`` (best first); a
    record merged into another of the same person is found as the person's kept record (its
    programme id stays an alias of theirs)."""
    with cb.store.read() as s:
        hits = search_index.search(s, text, limit=limit, entities=frozenset({"participant"}))
        away = people.merged_away(s)
        ids = list(dict.fromkeys(away.get(h.row_id, h.row_id) for h in hits))
        if not ids:
            return []
        rows = {
            r.id: r
            for r in s.scalars(
                select(ParticipantRow).where(
                    ParticipantRow.id.in_(ids), ParticipantRow.deleted.is_(False)
                )
            )
        }
        return [to_summary(rows[i]) for i in ids if i in rows]


def possible_duplicates(
    cb: Casebook, given_name: str, family_name: str, date_of_birth: dt.date | None
) -> list[ParticipantSummary]:
    """People already recorded with the same names and date of birth (names compared
    folded: case, accents, apostrophes, dashes and spaces aside)."""
    with cb.store.read() as s:
        return [to_summary(r) for r in _duplicates(s, given_name, family_name, date_of_birth)]


def change_status(
    cb: Casebook,
    participant_id: str,
    to_status: ParticipantStatus | str,
    *,
    reason: str | None = None,
    on: dt.date | None = None,
) -> Outcome[Participant]:
    """Move a participant to another status, keeping every earlier one in the history.

    Closing needs a reason and sets the closed date. Leaving "closed" is a reopening: the
    door is always open, so the closed date is cleared and the history kept.
    """
    target = records.enum_arg(ParticipantStatus, to_status, "Status")
    why = records.text_arg(reason, "Reason", max_len=2000)
    day = records.today(on)
    if target is ParticipantStatus.CLOSED and why is None:
        raise ValidationError("Reason is needed to close a participant's case.")
    with cb.store.write() as tx:
        row = records.participant(tx.session, participant_id)
        current = row.status
        if current == target.value:
            raise ValidationError(f"Status is already {target.label.lower()}.")
        tx.update_together(
            row,
            {
                "status": target.value,
                "status_reason": why,
                "closed_on": day if target is ParticipantStatus.CLOSED else None,
            },
        )
        _record_status(tx, row, current, target, why, day)
        return Outcome(to_participant(row), tx.changes)


def close_participant(
    cb: Casebook, participant_id: str, reason: str, *, on: dt.date | None = None
) -> Outcome[Participant]:
    return change_status(cb, participant_id, ParticipantStatus.CLOSED, reason=reason, on=on)


def reopen_participant(
    cb: Casebook,
    participant_id: str,
    *,
    to_status: ParticipantStatus | str = ParticipantStatus.ACTIVE,
    reason: str | None = None,
    on: dt.date | None = None,
) -> Outcome[Participant]:
    """Reopen a closed case: a new status change; every earlier record stays."""
    target = records.enum_arg(ParticipantStatus, to_status, "Status")
    if target is ParticipantStatus.CLOSED:
        raise ValidationError("Status to reopen to cannot be closed.")
    with cb.store.read() as s:
        if records.participant(s, participant_id).status != ParticipantStatus.CLOSED.value:
            raise ValidationError("Only a closed case can be reopened.")
    return change_status(cb, participant_id, target, reason=reason, on=on)


def status_history(cb: Casebook, participant_id: str) -> list[StatusChange]:
    """Every status the participant has had, in the order recorded (first: when added)."""
    # recording order (the clock), so the last entry is always the current status
    order = (StatusChangeRow.hlc,)
    return common.list_of(cb, participant_id, StatusChangeRow, _status_change, order)


def _status_change(row: StatusChangeRow) -> StatusChange:
    return to_dto(StatusChange, row)
