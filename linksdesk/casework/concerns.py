"""Concerns: the issues identified with a participant, from the programme's taxonomy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from linksdesk.casework import records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import Concern, Outcome
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ConcernStage
from linksdesk.storage.tables import Concern as ConcernRow


def to_concern(row: ConcernRow) -> Concern:
    return to_dto(Concern, row)


def _category(cb: Casebook, value: Any) -> str:
    text = records.text_arg(value, "Concern", required=True, max_len=64)
    assert text is not None
    taxonomy = cb.settings().concern_taxonomy
    # matched case-insensitively, stored as the taxonomy spells it
    for known in taxonomy:
        if known.casefold() == text.casefold():
            return known
    raise ValidationError("Concern must be one of the programme's list of concerns.")


def _clean(cb: Casebook, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "category":
            out[name] = _category(cb, value)
        elif name == "stage":
            out[name] = records.enum_arg(ConcernStage, value, "When identified").value
        elif name == "identified_on":
            out[name] = records.date_arg(value, "Identified on", required=True)
        elif name == "detail":
            out[name] = records.text_arg(value, "Detail", max_len=4000)
        else:
            raise ValidationError(f"'{name}' is not a concern detail that can be changed.")
    return out


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
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        row = tx.insert(ConcernRow(participant_id=person.id, **fields))
        return Outcome(to_concern(row), tx.changes)


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
    with cb.store.write() as tx:
        row = records.live(tx.session, ConcernRow, concern_id, "concern")
        tx.update(row, resolved_on=None)
        return Outcome(to_concern(row), tx.changes)


def list_concerns(
    cb: Casebook, participant_id: str, *, include_resolved: bool = True
) -> list[Concern]:
    """Concerns oldest first (as they surfaced over the sessions)."""
    with cb.store.read() as s:
        records.participant(s, participant_id)
        query = select(ConcernRow).where(
            ConcernRow.participant_id == participant_id, ConcernRow.deleted.is_(False)
        )
        if not include_resolved:
            query = query.where(ConcernRow.resolved_on.is_(None))
        rows = s.scalars(query.order_by(ConcernRow.identified_on, ConcernRow.hlc))
        return [to_concern(r) for r in rows]
