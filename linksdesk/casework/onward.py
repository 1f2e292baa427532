"""Onward referrals and signposting: participant → community resource, with a status lifecycle.

Each step keeps its own day (``suggested_on``, ``made_on``, ``outcome_on``), read by one
rule (``core.onward.steps``); a later step never moves an earlier step's day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import object_session

from linksdesk.casework import common, notes, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import OnwardReferral, Outcome
from linksdesk.core import onward as rule
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import OnwardKind, OnwardStatus
from linksdesk.storage.tables import OnwardReferral as OnwardRow
from linksdesk.storage.tables import Resource as ResourceRow

S = OnwardStatus
# suggested → made → attended | declined | no_capacity; a suggestion may also be declined
TRANSITIONS: dict[OnwardStatus, frozenset[OnwardStatus]] = {
    S.SUGGESTED: frozenset({S.MADE, S.DECLINED}),
    S.MADE: frozenset({S.ATTENDED, S.DECLINED, S.NO_CAPACITY}),
    S.ATTENDED: frozenset(),
    S.DECLINED: frozenset(),
    S.NO_CAPACITY: frozenset(),
}
FINAL = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
AWAITING = frozenset({S.SUGGESTED, S.MADE})
WHAT = "onward referral"
STARTING = frozenset({S.SUGGESTED, S.MADE})


# a resource this laptop does not hold: pulled rows keep no foreign keys, so a referral can
# arrive whose resource never did (set aside as incomplete on its way here)
GONE_RESOURCE: Final = "(a resource not in this laptop's directory)"


# the words written with an onward referral: why (a few words), and what came of it
_CHECKS: dict[str, common.Check] = {
    "why": common.text("Why", max_len=500),
    "outcome": common.text("Outcome", max_len=4000),
}


def onward_problem(values: Mapping[str, Any]) -> str | None:
    """Why the words given (``why``, ``outcome``) cannot be kept, or None (the dialogs ask
    before they close: a reply pasted from an e-mail may be too long)."""
    return common.problem(values, _CHECKS, "onward referral")


def started_on() -> ColumnElement[dt.date]:
    """SQL for ``Steps.started_on``: the day it was first recorded (rows recorded before the
    suggested day was kept hold it in made_on, the rule's own reading)."""
    return func.coalesce(OnwardRow.suggested_on, OnwardRow.made_on)


def current_on() -> ColumnElement[dt.date]:
    """SQL for ``Steps.current_on`` of a row awaiting an outcome: the day of its latest step."""
    return func.coalesce(OnwardRow.made_on, OnwardRow.suggested_on)


def resource_name(row: ResourceRow | None) -> str:
    return GONE_RESOURCE if row is None else f"{row.organisation} — {row.service}"


def steps_of(row: OnwardRow) -> rule.Steps[dt.date]:
    """The row's days, a row recorded before the suggested day was kept read as it was."""
    return rule.steps(row.status, row.suggested_on, row.made_on, row.outcome_on)


def to_onward(row: OnwardRow, resource: ResourceRow | None) -> OnwardReferral:
    days = steps_of(row)
    return to_dto(
        OnwardReferral,
        row,
        resource_name=resource_name(resource),
        suggested_on=days.suggested_on,
        made_on=days.made_on,
        outcome_on=days.outcome_on,
    )


def refer_onward(
    cb: Casebook,
    participant_id: str,
    resource_id: str,
    kind: OnwardKind | str,
    *,
    status: OnwardStatus | str = OnwardStatus.SUGGESTED,
    on: dt.date | None = None,
    why: str | None = None,
) -> Outcome[OnwardReferral]:
    """Signpost, refer or plan a supported visit to a resource (starts suggested or made).

    ``why`` (a short reason) is kept as a case note written with it, in the same write.
    """
    the_kind = records.enum_arg(OnwardKind, kind, "Kind of onward referral")
    first = records.enum_arg(OnwardStatus, status, "Onward referral status")
    if first not in STARTING:
        raise ValidationError("Onward referral status must start as suggested or made.")
    day = _step_day(on)
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        resource = records.live(tx.session, ResourceRow, resource_id, "resource")
        row = tx.insert(
            OnwardRow(
                participant_id=person.id,
                resource_id=resource.id,
                kind=the_kind.value,
                status=first.value,
                suggested_on=day if first is S.SUGGESTED else None,
                made_on=day if first is S.MADE else None,
            )
        )
        reason = _CHECKS["why"](why) if why else None
        if reason:
            notes.add_note(
                tx,
                person.id,
                f"{the_kind.label}: {resource.organisation} — {resource.service}. Why: {reason}",
            )
        return Outcome(to_onward(row, resource), tx.changes)


def update_onward(
    cb: Casebook,
    onward_id: str,
    status: OnwardStatus | str,
    *,
    outcome: str | None = None,
    on: dt.date | None = None,
) -> Outcome[OnwardReferral]:
    """Move along the lifecycle on the day ``on`` (today if not given): made records the
    day it was made, a final status the outcome and its day; the days of earlier steps stay
    as they were (a row recorded before the suggested day was kept gets it in its own column,
    ``core.onward``). A step cannot be dated before the step it follows.

    Giving the current status again only updates the outcome text (to correct it). One
    marked entered in error is refused (``core.errors.MarkedInErrorError``).
    """
    target = records.enum_arg(OnwardStatus, status, "Onward referral status")
    text = _CHECKS["outcome"](outcome)
    day = _step_day(on)
    with cb.store.write() as tx:
        # marked entered in error: it moves along no further until the mark is taken off
        row = common.standing_row(tx.session, OnwardRow, onward_id, WHAT)
        current = OnwardStatus(row.status)
        if target is current:
            if text is not None:
                tx.update(row, outcome=text)
        elif target in TRANSITIONS[current]:
            days = steps_of(row)
            _check_order(day, target, days)
            # one decision: a concurrent step on the worker's other laptop wins or loses whole
            tx.update_together(
                row,
                {
                    "status": target.value,
                    "outcome": row.outcome if text is None else text,
                    "suggested_on": days.suggested_on,
                    "made_on": day if target is S.MADE else days.made_on,
                    "outcome_on": day if target in FINAL else None,
                },
            )
        else:
            raise ValidationError(
                f"Onward referral status cannot go from {current.label.lower()} "
                f"to {target.label.lower()}."
            )
        return Outcome(_converted(row), tx.changes)


def in_error_problem(reason: str | None) -> str | None:
    """Why ``reason`` cannot be kept as why an onward referral was entered in error, or None."""
    return common.in_error_problem(reason, WHAT)


def _converted(row: OnwardRow) -> OnwardReferral:
    """The row as casework returns it, its resource read in the row's own session."""
    session = object_session(row)
    return to_onward(row, session.get(ResourceRow, row.resource_id) if session else None)


def mark_in_error(cb: Casebook, onward_id: str, reason: str) -> Outcome[OnwardReferral]:
    """Mark an onward referral or signposting recorded on the wrong participant (or twice)
    entered in error.

    Nothing is deleted: it stays in the record, struck through, with when and why, and in the
    audit trail; from now on it counts nowhere: not in the person's GP summary or own record,
    the referrals waiting for an outcome, the resource's demand, a report or an evaluation
    file, and it moves along its steps no further. The case note written with it (its why)
    stays as it is. The mark syncs (``common.mark_in_error``)."""
    return common.mark_in_error(cb, OnwardRow, onward_id, WHAT, reason, _converted)


def restore_onward(cb: Casebook, onward_id: str) -> Outcome[OnwardReferral]:
    """Take the entered-in-error mark off an onward referral marked by mistake: it counts
    again as it was recorded, at the step it was at."""
    return common.restore(cb, OnwardRow, onward_id, WHAT, _converted)


def _step_day(on: dt.date | None) -> dt.date:
    """The day a step was taken (today unless given): a step is recorded once it has
    happened, so never on a day still to come (a mistyped day counted as attended or made
    in a period that has not ended)."""
    day = records.today(on)
    if day > dt.date.today():
        raise ValidationError("The day of this step cannot be in the future.")
    return day


def _check_order(day: dt.date, target: OnwardStatus, days: rule.Steps[dt.date]) -> None:
    """A step is not dated before the step it follows (the date typed, in the worker's words)."""
    if days.made_on is not None and day < days.made_on:
        raise ValidationError("Outcome date cannot be before the referral was made.")
    if days.suggested_on is not None and day < days.suggested_on:
        if target is S.MADE:
            raise ValidationError("The referral cannot be made before it was suggested.")
        raise ValidationError("Outcome date cannot be before the referral was suggested.")


def list_onward_referrals(cb: Casebook, participant_id: str) -> list[OnwardReferral]:
    """The participant's onward referrals and signposting, newest first."""
    with cb.store.read() as s:
        ids = records.person_ids(s, participant_id)
        rows = s.execute(
            select(OnwardRow, ResourceRow)
            .outerjoin(ResourceRow, ResourceRow.id == OnwardRow.resource_id)
            .where(OnwardRow.participant_id.in_(ids), OnwardRow.deleted.is_(False))
            .order_by(started_on().desc(), OnwardRow.hlc.desc())
        ).all()
        return [to_onward(o, r) for o, r in rows]
