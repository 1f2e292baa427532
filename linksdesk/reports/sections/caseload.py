"""The caseload, referrals in and waits: who is on each worker's caseload, who came in
and how long they waited for a first meeting (part of ``reports.figures``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from linksdesk.core.vocab import (
    ParticipantStatus,
    ReferralSource,
)
from linksdesk.reports.model import ChartSpec, Column, Kind, Section, Table
from linksdesk.reports.scope import day_words
from linksdesk.reports.sections.context import (
    ALL_WORKERS,
    Ctx,
    count_cols,
    per_month_table,
    with_total,
)
from linksdesk.reports.stats import percentile

OPEN_STATUSES = frozenset(s.value for s in ParticipantStatus if s is not ParticipantStatus.CLOSED)


def caseload(c: Ctx) -> Section:
    """Per worker: open now (internal reports only), worked with and new referrals.

    External reports hold figures of their period only: "open now" is counted on the day a
    report is made, so two reports of periods that do not overlap, written months apart,
    would differ there by the people who came (or left) after both periods, a small count
    per worker that no suppression sees. The safe-caseload check then rests on the people
    worked with in the period alone."""
    open_now: Counter[str] = Counter(
        owner for _pid, owner, status, _pc in c.d.participants if status in OPEN_STATUSES
    )
    new_refs: Counter[str] = Counter(
        owner for _pid, owner, day, _src in c.d.referrals if c.a <= day <= c.b
    )
    year_limit = round(c.settings.safe_people_per_year * len(c.period.month_keys) / 12)
    rows: list[tuple[Any, ...]] = []
    flagged, warnings = set(), []
    for i, w in enumerate(c.workers):
        row = (c.label(w), open_now[w], len(c.worked_with[w]), new_refs[w])
        over_open = c.exact and row[1] > c.settings.safe_open_cases
        if c.exact:
            rows.append(row)
        else:
            rows.append((row[0], *row[2:]))
        if over_open or row[2] > year_limit:
            flagged.add(i)
            warnings.append(
                f"{row[0]} is over the safe caseload ({row[1]} open, safe "
                f"{c.settings.safe_open_cases}; {row[2]} worked with, safe {year_limit} "
                "for this period)."
                if c.exact
                else f"{row[0]} is over the safe caseload (more than {year_limit} worked "
                "with in this period)."
            )
    counts = [
        ("open_now", "Open now"),
        ("worked_with", "Worked with in the period"),
        ("new_referrals", "New referrals"),
    ]
    table = Table(
        "caseload",
        "Caseload per worker",
        (Column("worker", "Worker", Kind.TEXT), *count_cols(*counts[0 if c.exact else 1 :])),
        with_total(rows, ALL_WORKERS),
        total_row=True,
        flagged=frozenset(flagged),
        warnings=tuple(warnings),
        description=(
            f"Safe caseload: {c.settings.safe_open_cases} open at once, "
            f"{c.settings.safe_people_per_year} people a year ({year_limit} for this period)."
            if c.exact
            else f"Safe caseload: {c.settings.safe_people_per_year} people a year "
            f"({year_limit} for this period). Open cases are counted on the day a report is "
            "made, so they are in internal reports only."
        ),
    )
    shown = ("open_now", "worked_with") if c.exact else ("worked_with",)
    chart = ChartSpec("bar", "caseload", shown, "Caseload per worker")
    return Section("caseload", "Caseload", (table,), chart)


# -- referrals in and waits -----------------------------------------------------------------
def referrals(c: Ctx) -> Section:
    months = c.period.month_keys
    grid: dict[str, Counter[str]] = defaultdict(Counter)
    for _pid, _owner, day, source in c.d.referrals:
        if c.a <= day <= c.b:
            grid[source][day[:7]] += 1
    sources = [s.value for s in ReferralSource] + sorted(
        set(grid) - {s.value for s in ReferralSource}
    )
    rows = []
    for src in sources:
        counts = [grid[src][m] for m in months]
        rows.append((_source_label(src), *counts, sum(counts)))
    by_source = per_month_table(
        "referrals_by_source",
        "Referrals in by source and month",
        Column("source", "Source", Kind.TEXT),
        months,
        rows,
    )
    waits = _timeliness(c)
    chart = ChartSpec(
        "stacked_columns",
        "referrals_by_source",
        months,
        "Referrals in by month and source",
        y_label="referrals",
    )
    return Section("referrals", "Referrals in and waiting times", (by_source, waits), chart)


def _source_label(value: str) -> str:
    try:
        return ReferralSource(value).label
    except ValueError:
        return value


def _first_attended(c: Ctx, pid: str, since: str) -> str | None:
    for day in c.attended.get(pid, ()):
        if day >= since:
            return day
    return None


def _timeliness(c: Ctx) -> Table:
    target = c.settings.wait_target_days
    waits: dict[str, list[int]] = defaultdict(list)
    referred: Counter[str] = Counter()
    waiting_over: Counter[str] = Counter()
    unseen: Counter[str] = Counter()
    # counted as at the period's end (today, while it runs): a report of a period that is
    # over gives the same waits whenever it is written (docs/reports.md, "Wait")
    until = min(c.period.last, c.today)
    for pid, owner, day, _src in c.d.referrals:
        if not c.a <= day <= c.b:
            continue
        referred[owner] += 1
        first = _first_attended(c, pid, day)
        received = dt.date.fromisoformat(day)
        if first is None or first > until.isoformat():
            unseen[owner] += 1
            if (until - received).days > target:
                waiting_over[owner] += 1
        else:
            waits[owner].append((dt.date.fromisoformat(first) - received).days)

    def row(label: str, owners: Iterable[str]) -> tuple[Any, ...]:
        owners = list(owners)
        ws = [w for o in owners for w in waits[o]]
        seen_over = sum(1 for w in ws if w > target)
        return (
            label,
            sum(referred[o] for o in owners),
            len(ws),
            round(percentile(ws, 50), 1) if ws else None,
            round(percentile(ws, 90), 1) if ws else None,
            seen_over + sum(waiting_over[o] for o in owners),
            sum(unseen[o] for o in owners),
        )

    rows = [row(c.label(w), [w]) for w in c.workers]
    rows.append(row(ALL_WORKERS, c.workers))
    return Table(
        "timeliness",
        "Days from referral to first attended contact",
        (
            Column("worker", "Worker", Kind.TEXT),
            # every referral is either seen or not yet seen: a sum suppression must know
            Column("referrals", "Referrals in the period", sums=("seen", "not_yet_seen")),
            Column("seen", "Seen"),
            Column("median_days", "Median days", Kind.NUMBER, based_on=("seen",)),
            Column("p90_days", "90th percentile days", Kind.NUMBER, based_on=("seen",)),
            Column("over_target", f"Waited over {target} days"),
            Column("not_yet_seen", "Not yet seen"),
        ),
        tuple(rows),
        total_row=True,
        description=f"Target: first attended contact within {target} days of referral. "
        f"Counted as at {day_words(until)}: anyone first seen after that is not yet seen here.",
    )
