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
    day = records.today(on)
    with cb.store.write() as tx:
        row = records.live(tx.session, ConcernRow, concern_id, "concern")
        if day < row.identified_on:
            raise ValidationError("Resolved on cannot be before the concern was identified.")
        tx.update(row, resolved_on=day)
        return Outcome(to_concern(row), tx.changes)


def reopen_concern(cb: Casebook, concern_id: str) -> Outcome[Concern]:
    return common.change(cb, ConcernRow, concern_id, "concern", {"resolved_on": None}, to_concern)


def list_concerns(
    cb: Casebook, participant_id: str, *, include_resolved: bool = True
) -> list[Concern]:
    """Concerns oldest first (as they surfaced over the sessions)."""
    where = [] if include_resolved else [ConcernRow.resolved_on.is_(None)]
    order = (ConcernRow.identified_on, ConcernRow.hlc)
    return common.list_of(cb, participant_id, ConcernRow, to_concern, order, where)
