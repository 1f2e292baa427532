"""Concerns: the issues identified with a participant, from the programme's taxonomy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import Concern, Outcome
from linksdesk.core.errors import ValidationError
from linksdesk.core.settings import CONCERN_LENGTH
from linksdesk.core.vocab import ConcernStage
from linksdesk.storage.tables import Concern as ConcernRow

WHAT = "concern"


def to_concern(row: ConcernRow) -> Concern:
    return to_dto(Concern, row)


def _category(cb: Casebook, value: Any) -> str:
    text = records.text_arg(value, "Concern", required=True, max_len=CONCERN_LENGTH)
    assert text is not None
    taxonomy = cb.settings().concern_taxonomy
    # matched case-insensitively, stored as the taxonomy spells it
    for known in taxonomy:
        if known.casefold() == text.casefold():
            return known
    raise ValidationError("Concern must be one of the programme's list of concerns.")


# the checks of a concern's details besides its category (the programme's list: ``_category``)
_CHECKS: dict[str, common.Check] = {
    "stage": common.choice(ConcernStage, "When identified"),
    "identified_on": common.date("Identified on", required=True),
    "detail": common.text("Detail", max_len=4000),
}


def _clean(cb: Casebook, values: dict[str, Any]) -> dict[str, Any]:
    checks = {"category": lambda value: _category(cb, value), **_CHECKS}
    return common.clean(values, checks, "concern")


def concern_problem(values: Mapping[str, Any]) -> str | None:
    """Why these details (besides the category) cannot be kept as a concern, or None (the
    dialog asks first)."""
    return common.problem(values, _CHECKS, "concern")


def add_concern(
    cb: Casebook,
    participant_id: str,
    category: str,
    *,
    stage: ConcernStage | str = ConcernStage.LATER,
    identified_on: dt.date | None = None,
    detail: str | None = None,
) -> Outcome[Concern]:
    fields = _clean(
        cb,
        {
            "category": category,
            "stage": stage,
            "identified_on": records.today(identified_on),
            "detail": detail,
        },
    )
    return common.add_to_participant(cb, participant_id, ConcernRow, fields, to_concern)


def resolve_concern(
    cb: Casebook, concern_id: str, *, on: dt.date | None = None
) -> Outcome[Concern]:
    """Resolve a concern (today unless ``on``); one marked entered in error is refused
    (``core.errors.MarkedInErrorError``)."""
    return _resolved_on(cb, concern_id, records.today(on))


def reopen_concern(cb: Casebook, concern_id: str) -> Outcome[Concern]:
    """Reopen a resolved concern; one marked entered in error is refused, as resolving it is."""
    return _resolved_on(cb, concern_id, None)


def _resolved_on(cb: Casebook, concern_id: str, day: dt.date | None) -> Outcome[Concern]:
    with cb.store.write() as tx:
        # marked entered in error: resolved or reopened no more until the mark is taken off
        row = common.standing_row(tx.session, ConcernRow, concern_id, WHAT)
        if day is not None and day < row.identified_on:
            raise ValidationError("Resolved on cannot be before the concern was identified.")
        tx.update(row, resolved_on=day)
        return Outcome(to_concern(row), tx.changes)


def in_error_problem(reason: str | None) -> str | None:
    """Why ``reason`` cannot be kept as why a concern was entered in error, or None."""
    return common.in_error_problem(reason, WHAT)


def mark_in_error(cb: Casebook, concern_id: str, reason: str) -> Outcome[Concern]:
    """Mark a concern added to the wrong participant (or twice) entered in error.

    Nothing is deleted: it stays in the record, struck through, with when and why, and in the
    audit trail; from now on it counts nowhere: not in the person's GP summary or own record,
    a report or an evaluation file, and it is resolved or reopened no more. The mark syncs
    (``common.mark_in_error``)."""
    return common.mark_in_error(cb, ConcernRow, concern_id, WHAT, reason, to_concern)


def restore_concern(cb: Casebook, concern_id: str) -> Outcome[Concern]:
    """Take the entered-in-error mark off a concern marked by mistake: it counts again as it
    was recorded, resolved or not."""
    return common.restore(cb, ConcernRow, concern_id, WHAT, to_concern)


def list_concerns(
    cb: Casebook, participant_id: str, *, include_resolved: bool = True
) -> list[Concern]:
    """Concerns oldest first (as they surfaced over the sessions); those marked entered in
    error among them, for the worker's record (every reader that counts leaves them out)."""
    where = [] if include_resolved else [ConcernRow.resolved_on.is_(None)]
    order = (ConcernRow.identified_on, ConcernRow.hlc)
    return common.list_of(cb, participant_id, ConcernRow, to_concern, order, where)
