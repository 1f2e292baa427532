"""Goals in the participant's own words, with steps, progress (0–10), reviews and status."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from linksdesk.casework import common, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.dto import Goal, GoalStep, Outcome
from linksdesk.core.errors import ValidationError
from linksdesk.core.hlc import HLC
from linksdesk.core.vocab import GoalStatus
from linksdesk.storage.store import WriteTx
from linksdesk.storage.tables import Goal as GoalRow
from linksdesk.storage.tables import GoalStep as StepRow

CLOSED_STATUSES = frozenset({GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.STOPPED})
OPEN_STATUSES = frozenset({GoalStatus.ACTIVE, GoalStatus.ON_HOLD})


def to_step(row: StepRow) -> GoalStep:
    return to_dto(GoalStep, row)


def to_goal(row: GoalRow, steps: Sequence[StepRow] = ()) -> Goal:
    # the entered-in-error mark (core.records.Marked) is read by name, as every column is
    return to_dto(Goal, row, steps=_ordered(steps))


def _ordered(steps: Sequence[StepRow]) -> tuple[GoalStep, ...]:
    return tuple(to_step(s) for s in sorted(steps, key=lambda s: (s.position, s.hlc)))


# a goal this laptop does not hold: its steps came from the worker's other laptop, where the
# goal stays private, or before it (pulled rows are kept, ``storage.waiting``); they are
# shown under this, never lost from sight
GONE_GOAL: Final = "(a goal not on this laptop)"


def steps_without_goal(
    session: Session, steps: Mapping[str, Sequence[StepRow]]
) -> dict[str, list[StepRow]]:
    """Of ``steps`` (by goal id), those whose goal this vault does not hold at all (a goal
    removed, or closed and left out of a list, is held)."""
    ids = [goal_id for goal_id, rows in steps.items() if rows]
    held = set(session.scalars(select(GoalRow.id).where(GoalRow.id.in_(ids)))) if ids else set()
    return {goal_id: list(steps[goal_id]) for goal_id in ids if goal_id not in held}


def waiting_goal(goal_id: str, steps: Sequence[StepRow]) -> Goal:
    """The goal "not on this laptop" its steps are shown under, dated by its first step."""
    first = min(steps, key=lambda s: s.hlc)
    return Goal(
        id=goal_id,
        participant_id=first.participant_id,
        title=GONE_GOAL,
        why_it_matters=None,
        status=GoalStatus.ACTIVE,
        set_on=dt.datetime.fromtimestamp(HLC.decode(first.hlc).wall_ms / 1000, dt.UTC).date(),
        review_on=None,
        progress=0,
        closed_on=None,
        steps=_ordered(steps),
        in_error_at=None,  # not held here: no mark known
        in_error_reason=None,
        held=False,
    )


def _steps(session: Session, goal_id: str) -> list[StepRow]:
    return list(
        session.scalars(
            select(StepRow)
            .where(StepRow.goal_id == goal_id, StepRow.deleted.is_(False))
            .order_by(StepRow.position, StepRow.hlc)
        )
    )


def _standing(session: Session, goal_id: str) -> GoalRow:
    """The live goal, refused when it is marked entered in error (nothing more is recorded
    of a goal set by mistake until the mark is taken off)."""
    row: GoalRow = common.standing_row(session, GoalRow, goal_id, "goal")
    return row


def _step_change(tx: WriteTx, step: StepRow) -> None:
    """A step of a goal marked entered in error is not changed: the write rolls back."""
    _standing(tx.session, step.goal_id)


def _title(value: Any) -> str:
    text = records.text_arg(value, "Goal", required=True, max_len=2000)
    assert text is not None
    return text


def _step_text(value: Any) -> str:
    text = records.text_arg(value, "Step", required=True, max_len=2000)
    assert text is not None
    return text


def _progress(value: Any) -> int:
    return records.int_arg(value, "Progress", 0, 10)


def _review_after(cb: Casebook, day: dt.date) -> dt.date:
    return day + dt.timedelta(weeks=cb.settings().review_goals_every_weeks)


def _new_goal(
    title: Any, why_it_matters: Any, set_on: Any, review_on: Any, progress: Any, steps: Any
) -> tuple[str, str | None, dt.date, dt.date | None, int, list[str]]:
    """A new goal's details checked (``set_goal``, and its dialog before it closes)."""
    the_title = _title(title)
    why = records.text_arg(why_it_matters, "Why it matters", max_len=4000)
    day = records.today(set_on)
    review = records.date_arg(review_on, "Review on")
    if review is not None and review < day:
        raise ValidationError("Review on cannot be before the goal was set.")
    return the_title, why, day, review, _progress(progress), [_step_text(s) for s in steps]


def goal_problem(values: Mapping[str, Any]) -> str | None:
    """Why a new goal's details cannot be kept (a review day before it is set, words too
    long), or None: Set a goal asks before it closes, so the person's words are never lost
    to a refusal after."""
    return common.refusal(
        _new_goal,
        values.get("title"),
        values.get("why_it_matters"),
        values.get("set_on"),
        values.get("review_on"),
        values.get("progress", 0),
        values.get("steps", ()),
    )


def set_goal(
    cb: Casebook,
    participant_id: str,
    title: str,
    *,
    why_it_matters: str | None = None,
    set_on: dt.date | None = None,
    review_on: dt.date | None = None,
    progress: int = 0,
    steps: Sequence[str] = (),
) -> Outcome[Goal]:
    """A new goal; the review date defaults to the programme's review interval after set_on."""
    the_title, why, day, review, rating, descriptions = _new_goal(
        title, why_it_matters, set_on, review_on, progress, steps
    )
    review = review or _review_after(cb, day)
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        goal = tx.insert(
            GoalRow(
                participant_id=person.id,
                title=the_title,
                why_it_matters=why,
                status=GoalStatus.ACTIVE.value,
                set_on=day,
                review_on=review,
                progress=rating,
            )
        )
        step_rows = [
            tx.insert(
                StepRow(
                    goal_id=goal.id,
                    participant_id=person.id,
                    position=i,
                    description=text,
                )
            )
            for i, text in enumerate(descriptions, start=1)
        ]
        return Outcome(to_goal(goal, step_rows), tx.changes)


def _goal_fields(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "title":
            out[name] = _title(value)
        elif name == "why_it_matters":
            out[name] = records.text_arg(value, "Why it matters", max_len=4000)
        elif name == "review_on":
            out[name] = records.date_arg(value, "Review on")
        elif name == "set_on":
            out[name] = records.date_arg(value, "Set on", required=True)
        elif name == "progress":
            out[name] = _progress(value)
        else:
            raise ValidationError(f"'{name}' is not a goal detail that can be changed.")
    return out


def edit_goal(cb: Casebook, goal_id: str, **fields: Any) -> Outcome[Goal]:
    """Change a goal's details; a review day or set day changed keeps the review on or after
    the day the goal was set (as Set a goal and Review goal do)."""
    cleaned = _goal_fields(fields)
    with cb.store.write() as tx:
        goal = _standing(tx.session, goal_id)
        if cleaned.keys() & {"review_on", "set_on"}:
            review = cleaned.get("review_on", goal.review_on)
            if review is not None and review < cleaned.get("set_on", goal.set_on):
                raise ValidationError("Review on cannot be before the goal was set.")
        tx.update(goal, **cleaned)
        return Outcome(to_goal(goal, _steps(tx.session, goal.id)), tx.changes)


def rate_progress(cb: Casebook, goal_id: str, progress: int) -> Outcome[Goal]:
    """The participant's own rating of how far they have come, 0 to 10."""
    return edit_goal(cb, goal_id, progress=progress)


def _next_review(value: Any, set_on: dt.date) -> dt.date | None:
    """The next review day typed (None: the programme's usual interval), refused before the
    goal was set, as Set a goal refuses its review (a year typed with last year's digits)."""
    day = records.date_arg(value, "Next review on")
    if day is not None and day < set_on:
        raise ValidationError("Next review cannot be before the goal was set.")
    return day


def review_problem(set_on: dt.date, values: Mapping[str, Any]) -> str | None:
    """Why a review of a goal set on ``set_on`` cannot be kept (its next review before the
    goal was set), or None: Review goal asks before it closes, so the progress and status
    chosen are not lost to a refusal after."""
    return common.refusal(_next_review, values.get("next_review_on"), set_on)


def review_goal(
    cb: Casebook,
    goal_id: str,
    *,
    progress: int | None = None,
    on: dt.date | None = None,
    next_review_on: dt.date | None = None,
) -> Outcome[Goal]:
    """Record a review: optionally a new progress rating, and set the next review date (not
    before the goal was set)."""
    day = records.today(on)
    values: dict[str, Any] = {}
    if progress is not None:
        values["progress"] = _progress(progress)
    with cb.store.write() as tx:
        goal = _standing(tx.session, goal_id)
        values["review_on"] = _next_review(next_review_on, goal.set_on) or _review_after(cb, day)
        tx.update(goal, **values)
        return Outcome(to_goal(goal, _steps(tx.session, goal.id)), tx.changes)


def change_goal_status(
    cb: Casebook, goal_id: str, status: GoalStatus | str, *, on: dt.date | None = None
) -> Outcome[Goal]:
    """Achieved, partly achieved or stopped close the goal; active or on hold reopen it."""
    target = records.enum_arg(GoalStatus, status, "Goal status")
    day = records.today(on)
    with cb.store.write() as tx:
        goal = _standing(tx.session, goal_id)
        was_closed = GoalStatus(goal.status) in CLOSED_STATUSES
        # moving between closed statuses keeps the date it was first closed
        closed_on = None
        if target in CLOSED_STATUSES:
            closed_on = (goal.closed_on or day) if was_closed else day
        tx.update_together(goal, {"status": target.value, "closed_on": closed_on})
        return Outcome(to_goal(goal, _steps(tx.session, goal.id)), tx.changes)


def add_step(
    cb: Casebook, goal_id: str, description: str, *, due_on: dt.date | None = None
) -> Outcome[GoalStep]:
    text = _step_text(description)
    due = records.date_arg(due_on, "Due on")
    with cb.store.write() as tx:
        goal = _standing(tx.session, goal_id)
        last = tx.session.scalar(
            select(func.max(StepRow.position)).where(
                StepRow.goal_id == goal.id, StepRow.deleted.is_(False)
            )
        )
        step = tx.insert(
            StepRow(
                goal_id=goal.id,
                participant_id=goal.participant_id,
                position=(last or 0) + 1,
                description=text,
                due_on=due,
            )
        )
        return Outcome(to_step(step), tx.changes)


_STEP_CHECKS: dict[str, common.Check] = {
    "description": _step_text,
    "due_on": common.date("Due on"),
}


def step_problem(values: Mapping[str, Any]) -> str | None:
    """Why a step cannot be kept (words pasted too long), or None: Add a step asks before it
    closes, so the words are not lost to a refusal after."""
    return common.problem(values, _STEP_CHECKS, "step")


def edit_step(cb: Casebook, step_id: str, **fields: Any) -> Outcome[GoalStep]:
    cleaned = common.clean(fields, _STEP_CHECKS, "step")
    return common.change(cb, StepRow, step_id, "step", cleaned, to_step, then=_step_change)


def complete_step(
    cb: Casebook, step_id: str, *, on: dt.date | None = None, done: bool = True
) -> Outcome[GoalStep]:
    """Tick a step done (or, with ``done=False``, not done after all)."""
    done_on = records.today(on) if done else None
    values = {"done_on": done_on}
    return common.change(cb, StepRow, step_id, "step", values, to_step, then=_step_change)


def reorder_steps(cb: Casebook, goal_id: str, step_ids: Sequence[str]) -> Outcome[Goal]:
    """Put the goal's steps in this order; ``step_ids`` must list every step once."""
    with cb.store.write() as tx:
        goal = _standing(tx.session, goal_id)
        steps = _steps(tx.session, goal.id)
        by_id = {s.id: s for s in steps}
        if len(step_ids) != len(by_id) or set(step_ids) != set(by_id):
            raise ValidationError("Steps to reorder must be exactly this goal's steps.")
        # one decision: every position is written, moved or not, so an order decided on
        # the worker's other laptop meanwhile wins or loses whole (no two steps in one place)
        moved = any(by_id[sid].position != p for p, sid in enumerate(step_ids, start=1))
        for position, sid in enumerate(step_ids, start=1):
            tx.update_together(by_id[sid], {"position": position}, always=moved)
        return Outcome(to_goal(goal, steps), tx.changes)


def remove_step(cb: Casebook, step_id: str) -> Outcome[None]:
    with cb.store.write() as tx:
        step = records.live(tx.session, StepRow, step_id, "step")
        _step_change(tx, step)
        tx.delete(step)
        return Outcome(None, tx.changes)


def get_goal(cb: Casebook, goal_id: str) -> Goal:
    with cb.store.read() as s:
        goal = records.live(s, GoalRow, goal_id, "goal")
        return to_goal(goal, _steps(s, goal.id))


def list_goals(cb: Casebook, participant_id: str, *, include_closed: bool = True) -> list[Goal]:
    """Goals with their steps: open ones first, then by the date they were set."""
    with cb.store.read() as s:
        ids = records.person_ids(s, participant_id)
        query = select(GoalRow).where(GoalRow.participant_id.in_(ids), GoalRow.deleted.is_(False))
        if not include_closed:
            query = query.where(GoalRow.status.in_([g.value for g in OPEN_STATUSES]))
        goals = list(s.scalars(query.order_by(GoalRow.set_on, GoalRow.hlc)))
        steps: dict[str, list[StepRow]] = defaultdict(list)
        for step in s.scalars(
            select(StepRow).where(StepRow.participant_id.in_(ids), StepRow.deleted.is_(False))
        ):
            steps[step.goal_id].append(step)
        goals.sort(key=lambda g: GoalStatus(g.status) not in OPEN_STATUSES)
        waiting = [waiting_goal(i, rows) for i, rows in steps_without_goal(s, steps).items()]
        return [to_goal(g, steps[g.id]) for g in goals] + waiting


# -- entered in error -----------------------------------------------------------------------
def _converted(goal: GoalRow) -> Goal:
    session = object_session(goal)
    assert session is not None
    return to_goal(goal, _steps(session, goal.id))


def in_error_problem(reason: str | None) -> str | None:
    """Why ``reason`` cannot be kept as why a goal was entered in error, or None."""
    return common.in_error_problem(reason, "goal")


def mark_in_error(cb: Casebook, goal_id: str, reason: str) -> Outcome[Goal]:
    """Mark a goal set by mistake (twice, or in the wrong participant's record) entered in
    error: kept with its steps, struck through, with when and why; from now on it and its
    steps count in no goal report or evaluation file, are due for no review and are in no
    document or search. The mark syncs (``common.mark_in_error``)."""
    return common.mark_in_error(cb, GoalRow, goal_id, "goal", reason, _converted)


def restore_goal(cb: Casebook, goal_id: str) -> Outcome[Goal]:
    """Take the entered-in-error mark off a goal marked by mistake: it counts again as it
    was (nothing of it was changed while marked)."""
    return common.restore(cb, GoalRow, goal_id, "goal", _converted)
