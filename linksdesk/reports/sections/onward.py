"""Onward referrals and signposting to community resources, and how long each step took
(part of ``reports.figures``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from linksdesk.core.onward import steps as onward_steps
from linksdesk.core.vocab import (
    OnwardStatus,
    ResourceCapacity,
)
from linksdesk.reports.model import ChartSpec, Column, Kind, Section, Table
from linksdesk.reports.scope import day_words
from linksdesk.reports.sections.context import (
    Ctx,
    column_sums,
    count_columns,
    per_month_table,
)
from linksdesk.reports.stats import percentile

OVER_CAPACITY = frozenset({ResourceCapacity.FULL.value, ResourceCapacity.WAITING_LIST.value})


def onward(c: Ctx) -> Section:
    """Onward referrals first recorded in the period, by month and by their status as at
    its end (today, while it runs), and the days between their steps: a report of a period
    that is over is the same whenever it is written (docs/reports.md, "Onward referrals")."""
    months = c.period.month_keys
    until = min(c.period.last, c.today).isoformat()
    per_month: dict[str, Counter[str]] = defaultdict(Counter)
    outcome: dict[str, Counter[str]] = defaultdict(Counter)
    for _pid, _owner, rid, status, suggested, made, ended in c.d.onward:
        days = onward_steps(status, suggested, made, ended)
        start = days.started_on
        if start is None or not c.a <= start <= c.b:
            continue
        then = days.status_at(until)
        if then is None:  # first recorded after today: not yet, in a period still running
            continue
        per_month[rid][start[:7]] += 1
        outcome[rid][then] += 1
    rids = sorted(per_month, key=lambda r: (-sum(per_month[r].values()), _res(c, r)[0], r))
    rows, rows2, flagged = [], [], set()
    for i, rid in enumerate(rids):
        label, capacity = _res(c, rid)
        counts = [per_month[rid][m] for m in months]
        rows.append((label, *counts, sum(counts)))
        statuses = [outcome[rid][s.value] for s in OnwardStatus]
        rows2.append((label, *statuses, sum(statuses), ResourceCapacity(capacity).label))
        if capacity in OVER_CAPACITY or outcome[rid][OnwardStatus.NO_CAPACITY.value]:
            flagged.add(i)
    warnings = tuple(
        (f"{rows[i][0]} received {rows[i][-1]} onward referrals but " if c.exact
         else f"{rows[i][0]} received onward referrals but ")
        + _capacity_note(_res(c, rids[i])[1])
        for i in sorted(flagged)
    )  # fmt: skip
    by_month = per_month_table(
        "onward_by_month",
        "Onward referrals per resource and month",
        Column("resource", "Resource", Kind.TEXT),
        months,
        rows,
        flagged=frozenset(flagged),
        warnings=warnings,
    )
    outcomes = Table(
        "onward_outcomes",
        "Onward referrals per resource by status at the period's end",
        count_columns(
            Column("resource", "Resource", Kind.TEXT),
            [(s.value, s.label) for s in OnwardStatus],
            Column("capacity", "Capacity in the directory", Kind.TEXT),
        ),
        (*rows2, ("Total", *column_sums(rows2, 1, 7), "")) if rows2 else (),
        total_row=True,
        flagged=frozenset(flagged),
        description=f"Status as at {day_words(dt.date.fromisoformat(until))}: one made, "
        "attended or declined after that counts as it was then.",
    )  # fmt: skip
    chart = ChartSpec("hbar", "onward_by_month", ("total",), "Onward referrals per resource")
    return Section("onward", "Onward referrals", (by_month, outcomes, _onward_times(c)), chart)


def _onward_times(c: Ctx) -> Table:
    """Days from suggested to made (those made in the period that were suggested first) and
    from made to attended (those attended in the period): each counted by the day of its
    later step, which no later step moves."""
    until = min(c.period.last, c.today).isoformat()
    to_made: list[int] = []
    to_attended: list[int] = []
    for _pid, _owner, _rid, status, suggested, made, ended in c.d.onward:
        days = onward_steps(status, suggested, made, ended)
        if (
            days.made_on is not None
            and c.a <= days.made_on <= until
            and days.suggested_on is not None
            and days.suggested_on <= days.made_on
        ):
            to_made.append(_days_between(days.suggested_on, days.made_on))
        if (
            status == OnwardStatus.ATTENDED.value
            and days.outcome_on is not None
            and c.a <= days.outcome_on <= until
            and days.made_on is not None
            and days.made_on <= days.outcome_on
        ):
            to_attended.append(_days_between(days.made_on, days.outcome_on))

    def row(label: str, ds: list[int]) -> tuple[Any, ...]:
        return (
            label,
            len(ds),
            round(percentile(ds, 50), 1) if ds else None,
            round(percentile(ds, 90), 1) if ds else None,
        )

    return Table(
        "onward_times",
        "Days between an onward referral's steps",
        (
            Column("step", "From … to", Kind.TEXT),
            Column("referrals", "Onward referrals"),
            Column("median_days", "Median days", Kind.NUMBER, based_on=("referrals",)),
            Column("p90_days", "90th percentile days", Kind.NUMBER, based_on=("referrals",)),
        ),
        (row("Suggested to made", to_made), row("Made to attended", to_attended)),
        description="Suggested to made: onward referrals made in the period that were "
        "suggested first. Made to attended: onward referrals attended in the period. "
        f"Counted as at {day_words(min(c.period.last, c.today))}.",
    )


def _days_between(first: str, last: str) -> int:
    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days


def _capacity_note(capacity: str) -> str:
    """Why a resource stands out, as its row's "Capacity in the directory" says: full, a
    waiting list, or (listed as open or limited) a referral came back "no capacity"."""
    if capacity == ResourceCapacity.FULL.value:
        return "is full in the resource directory."
    if capacity == ResourceCapacity.WAITING_LIST.value:
        return "has a waiting list in the resource directory."
    return "at least one came back with no capacity."


def _res(c: Ctx, rid: str) -> tuple[str, str]:
    label, capacity = c.d.resources.get(rid, ("Resource not in the directory", "unknown"))
    try:
        ResourceCapacity(capacity)
    except ValueError:
        capacity = ResourceCapacity.UNKNOWN.value
    return label, capacity
