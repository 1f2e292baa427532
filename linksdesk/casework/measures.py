"""Wellbeing measures (WEMWBS, SWEMWBS, ONS4): record scored answers, show change vs baseline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import BaselineChange, MeasureRecord, Outcome
from linksdesk.core import measures as scoring
from linksdesk.core.errors import ValidationError
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.storage.tables import Measure as MeasureRow


def _plain(row: MeasureRow) -> MeasureRecord:
    return to_dto(MeasureRecord, row)


def _baseline(rows: Sequence[MeasureRow]) -> MeasureRow | None:
    """The earliest measure marked baseline, else the earliest of all (rows of one kind)."""
    if not rows:
        return None
    marked = [r for r in rows if r.context == MeasureContext.BASELINE.value]
    return (marked or list(rows))[0]


def _with_change(row: MeasureRow, baseline: MeasureRow | None) -> MeasureRecord:
    plain = _plain(row)
    if baseline is None:
        return plain
    if baseline.id == row.id:
        return replace(plain, is_baseline=True)
    kind = MeasureKind(row.kind)
    if kind is MeasureKind.ONS4:
        diffs = tuple(int(a) - int(b) for a, b in zip(row.items, baseline.items, strict=True))
        return replace(plain, item_differences=diffs)
    before = baseline.metric if kind is MeasureKind.SWEMWBS else baseline.total
    after = row.metric if kind is MeasureKind.SWEMWBS else row.total
    if before is None or after is None:
        return plain
    result = scoring.change_between(kind, before, after)
    change = BaselineChange(result.difference, result.change, result.direction, result.summary)
    return replace(plain, vs_baseline=change)


def measure_row(
    participant_id: str,
    kind: MeasureKind | str,
    items: Sequence[int | None],
    *,
    context: MeasureContext | str,
    taken_on: dt.date,
    assisted: bool = False,
) -> MeasureRow:
    """One completed measure, scored and checked, not yet written (``record_measure``; the
    demo too). A missing or out-of-range answer is refused."""
    the_kind = records.enum_arg(MeasureKind, kind, "Measure")
    the_context = records.enum_arg(MeasureContext, context, "When taken")
    if not isinstance(assisted, bool):
        raise ValidationError("Assisted must be yes or no.")
    scored = scoring.score(the_kind, items)
    return MeasureRow(
        id=uuid7(),
        participant_id=participant_id,
        kind=the_kind.value,
        taken_on=taken_on,
        context=the_context.value,
        assisted=assisted,
        items=list(scored.items),
        total=scored.total,
        metric=scored.metric,
    )


def record_measure(
    cb: Casebook,
    participant_id: str,
    kind: MeasureKind | str,
    items: Sequence[int | None],
    *,
    context: MeasureContext | str,
    taken_on: dt.date | None = None,
    assisted: bool = False,
) -> Outcome[MeasureRecord]:
    """Score and keep one completed measure (a missing or out-of-range answer is refused)."""
    day = records.today(taken_on)
    new = measure_row(participant_id, kind, items, context=context, taken_on=day, assisted=assisted)
    if day > dt.date.today():
        raise ValidationError("Taken on cannot be in the future.")
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        new.participant_id = person.id
        row = tx.insert(new)
        earlier = list(
            tx.session.scalars(
                select(MeasureRow)
                .where(
                    MeasureRow.participant_id == person.id,
                    MeasureRow.kind == new.kind,
                    MeasureRow.deleted.is_(False),
                )
                .order_by(MeasureRow.taken_on, MeasureRow.hlc)
            )
        )
        return Outcome(_with_change(row, _baseline(earlier)), tx.changes)


def list_measures(
    cb: Casebook, participant_id: str, kind: MeasureKind | str | None = None
) -> list[MeasureRecord]:
    """The participant's measures oldest first, each compared with its kind's baseline."""
    where = [] if kind is None else [MeasureRow.kind == common.choice(MeasureKind, "Measure")(kind)]
    order = (MeasureRow.taken_on, MeasureRow.hlc)
    rows = common.list_of(cb, participant_id, MeasureRow, lambda row: row, order, where)
    baselines = {k: _baseline([r for r in rows if r.kind == k.value]) for k in MeasureKind}
    return [_with_change(r, baselines[MeasureKind(r.kind)]) for r in rows]


def remove_measure(cb: Casebook, measure_id: str) -> Outcome[None]:
    """Take out a measure recorded by mistake."""
    return common.remove(cb, MeasureRow, measure_id, "measure")
