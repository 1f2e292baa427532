"""Wellbeing measures (WEMWBS, SWEMWBS, ONS4): record scored answers, show change against the
baseline of the same episode of support."""

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
from linksdesk.core.episodes import episodes, in_order
from linksdesk.core.errors import ValidationError
from linksdesk.core.ids import uuid7
from linksdesk.core.records import Referral, StatusChange
from linksdesk.core.vocab import MeasureContext, MeasureKind, ParticipantStatus
from linksdesk.storage import people
from linksdesk.storage.tables import Measure as MeasureRow


def _plain(row: MeasureRow) -> MeasureRecord:
    return to_dto(
        MeasureRecord, row, in_error_at=row.in_error_at, in_error_reason=row.in_error_reason
    )


def _taken_on(row: MeasureRow | MeasureRecord) -> dt.date:
    return row.taken_on


def _recorded(row: MeasureRow | MeasureRecord) -> str:
    return row.id


def compared(rows: Sequence[MeasureRow]) -> list[MeasureRecord]:
    """Each measure (any kinds), oldest first in the reports' order (``core.episodes``:
    by day, then as recorded), compared with the first score of its episode of support,
    numbered from 1 (``core.episodes``: a new one starts where the person came back). A
    score marked entered in error is listed as it was recorded, in no episode (0) and
    compared with nothing: the episode's next score is its baseline."""
    out: dict[str, MeasureRecord] = {
        r.id: replace(_plain(r), episode=0) for r in rows if common.in_error(r)
    }
    for kind in MeasureKind:
        split = episodes(
            (r for r in rows if r.kind == kind.value and not common.in_error(r)),
            _taken_on,
            lambda r: r.context,
            _recorded,
        )
        for n, episode in enumerate(split, start=1):
            for r in episode:
                out[r.id] = replace(_with_change(r, episode[0]), episode=n)
    return [out[r.id] for r in in_order(rows, _taken_on, _recorded)]


def _with_change(row: MeasureRow, baseline: MeasureRow) -> MeasureRecord:
    plain = _plain(row)
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


def taken_on_problem(day: dt.date) -> str | None:
    """Why a score cannot be dated ``day`` (a day still to come), or None; the form asks
    before it closes, so the answers ticked are never lost to it."""
    return "Taken on cannot be in the future." if day > dt.date.today() else None


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
    problem = taken_on_problem(day)
    if problem:
        raise ValidationError(problem)
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        new.participant_id = person.id
        row = tx.insert(new)
        earlier = list(
            tx.session.scalars(
                select(MeasureRow).where(
                    MeasureRow.participant_id.in_(people.person_ids(tx.session, person.id)),
                    MeasureRow.kind == new.kind,
                    MeasureRow.deleted.is_(False),
                )
            )
        )
        (mine,) = (m for m in compared(earlier) if m.id == row.id)
        return Outcome(mine, tx.changes)


def list_measures(
    cb: Casebook, participant_id: str, kind: MeasureKind | str | None = None
) -> list[MeasureRecord]:
    """The participant's measures oldest first, each compared with the baseline of its
    episode of support (``compared``)."""
    where = [] if kind is None else [MeasureRow.kind == common.choice(MeasureKind, "Measure")(kind)]
    rows = common.list_of(cb, participant_id, MeasureRow, lambda row: row, (), where)
    return compared(rows)  # in the one order of scores


def context_for_next(
    kind: MeasureKind,
    scores: Sequence[MeasureRecord],
    statuses: Sequence[StatusChange],
    referrals: Sequence[Referral],
    referred_on: dt.date | None = None,
) -> MeasureContext:
    """What a new score of ``kind`` is most likely: a baseline for a person with no score of
    it yet, or whose case was reopened or who had a new referral in after their last one
    (they came back: a new episode of support starts), else a review. Their first referral
    in (``referred_on``, the person's referred-on date, says which) is no coming back, even
    when a first score was dated before it. Only the form's first choice: the worker can
    change it."""
    days = [m.taken_on for m in scores if m.kind is MeasureKind(kind) and not m.in_error]
    if not days:
        return MeasureContext.BASELINE
    last = max(days)
    closed = ParticipantStatus.CLOSED
    reopened = any(
        c.from_status is closed and c.to_status is not closed and c.changed_on > last
        for c in statuses
    )
    standing = [r for r in referrals if not r.in_error]

    def first_time(r: Referral) -> bool:
        # the referral that brought them here first (nothing earlier, and their referred-on
        # date is its day or later): a score taken before it was typed in is no episode
        # they came back from
        earlier = any(o.received_on < r.received_on for o in standing)
        return not earlier and referred_on is not None and referred_on >= r.received_on

    referred = any(r.received_on > last and not first_time(r) for r in standing)
    return MeasureContext.BASELINE if reopened or referred else MeasureContext.REVIEW


def _which(row: MeasureRow) -> tuple[str, str, str]:
    return row.id, row.participant_id, row.kind


def _listed(cb: Casebook, which: tuple[str, str, str]) -> MeasureRecord:
    """A score (id, participant, kind) as the record lists it now: compared within its
    episode, read again."""
    measure_id, participant_id, kind = which
    with cb.store.read() as s:
        rows = list(
            s.scalars(
                select(MeasureRow).where(
                    MeasureRow.participant_id.in_(people.person_ids(s, participant_id)),
                    MeasureRow.kind == kind,
                    MeasureRow.deleted.is_(False),
                )
            )
        )
    (mine,) = (m for m in compared(rows) if m.id == measure_id)
    return mine


def in_error_problem(reason: str | None) -> str | None:
    """Why ``reason`` cannot be kept as why a score was entered in error, or None."""
    return common.in_error_problem(reason, "score")


def mark_in_error(cb: Casebook, measure_id: str, reason: str) -> Outcome[MeasureRecord]:
    """Mark a wellbeing score entered in error (typed wrong, on the wrong participant,
    recorded twice): kept as recorded, struck through, with when and why; from now on in no
    episode, change against a baseline, chart, report, evaluation, GP summary or the
    person's own record. The right answers are recorded again as a new score."""
    done = common.mark_in_error(cb, MeasureRow, measure_id, "score", reason, _which)
    return Outcome(_listed(cb, done.value), done.changes)


def restore_measure(cb: Casebook, measure_id: str) -> Outcome[MeasureRecord]:
    """Take the entered-in-error mark off a score marked by mistake: it counts again."""
    done = common.restore(cb, MeasureRow, measure_id, "score", _which)
    return Outcome(_listed(cb, done.value), done.changes)
