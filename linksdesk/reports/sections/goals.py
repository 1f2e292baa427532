"""Goals set with people, by their status at the period's end (part of ``reports.figures``)."""

from __future__ import annotations

from collections import Counter, defaultdict

from linksdesk.core.vocab import (
    GoalStatus,
)
from linksdesk.reports.model import ChartSpec, Column, Kind, Section, Table
from linksdesk.reports.scope import day_words
from linksdesk.reports.sections.context import (
    ALL_WORKERS,
    Ctx,
    with_total,
)

GOAL_GROUPS = (
    ("achieved", "Achieved", {GoalStatus.ACHIEVED.value}),
    ("partly", "Partly achieved", {GoalStatus.PARTLY_ACHIEVED.value}),
    ("in_progress", "In progress", {GoalStatus.ACTIVE.value}),
    ("other", "On hold or stopped", {GoalStatus.ON_HOLD.value, GoalStatus.STOPPED.value}),
)


def goal_status_at(status: str, closed_on: str | None, end: str) -> str:
    """A goal's status as at the day ``end`` (ISO dates): a goal closed (achieved, partly
    achieved, stopped) after that day was still open on it. A goal on hold keeps its status:
    no date of putting it on hold is kept."""
    if closed_on is not None and closed_on > end:
        return GoalStatus.ACTIVE.value
    return status


def goals(c: Ctx) -> Section:
    """Goals set in the period, by their status at its end (a report of a past period is
    the same whenever it is written: docs/reports.md, "Goals")."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for _pid, owner, status, set_on, closed_on in c.d.goals:
        if c.a <= set_on <= c.b:
            then = goal_status_at(status, closed_on, c.b)
            for key, _label, statuses in GOAL_GROUPS:
                if then in statuses:
                    counts[owner][key] += 1
    rows = []
    for w in c.workers:
        parts = [counts[w][k] for k, _l, _s in GOAL_GROUPS]
        rows.append((c.label(w), sum(parts), *parts))
    keys = tuple(k for k, _l, _s in GOAL_GROUPS)
    table = Table(
        "goals",
        "Goals set in the period, by status at its end",
        (
            Column("worker", "Worker", Kind.TEXT),
            Column("set", "Set", sums=keys),
            *(Column(k, label) for k, label, _s in GOAL_GROUPS),
        ),
        with_total(rows, ALL_WORKERS),
        total_row=True,
        description=f"Status as at {day_words(c.period.last)}: a goal closed after that "
        "counts as in progress.",
    )
    chart = ChartSpec(
        "stacked_bar", "goals", keys, "Goals set, by status at the period's end", y_label="goals"
    )
    return Section("goals", "Goals", (table,), chart)
