"""What every section of the figures counts from (the loaded rows, the workers, the people
in the period), and the table shapes they share."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from linksdesk.core.vocab import (
    was_seen,
)
from linksdesk.reports.data import TeamData, worker_label
from linksdesk.reports.model import Column, Table
from linksdesk.reports.scope import Scope
from linksdesk.reports.settings import ReportSettings

ALL_WORKERS = "All workers"


class Ctx:
    """The loaded rows and what every section shares (workers, people in the period)."""

    def __init__(
        self,
        data: TeamData,
        scope: Scope,
        settings: ReportSettings,
        today: dt.date,
        exact: bool = True,
    ):
        self.d, self.scope, self.settings, self.today = data, scope, settings, today
        # False for external reports: notes beside a table then never repeat a count, which
        # small-number suppression may hide in the table
        self.exact = exact
        self.period = scope.period
        # dates arrive as ISO text (reports.data), which compares as dates do
        self.a, self.b = scope.period.first.isoformat(), scope.period.last.isoformat()
        self.owner_of = {pid: owner for pid, owner, _s, _p in data.participants}
        owners = (
            {o for _i, o, _s, _p in data.participants}
            | set(data.latest)
            | {o for o, _m, _c in data.totals}
            | data.workers  # a worker whose data never came still has a row: "no data"
        )
        self.workers = sorted(owners, key=lambda o: (self.label(o), o))
        self.worked_with: dict[str, set[str]] = defaultdict(set)
        self.attended: dict[str, list[str]] = defaultdict(list)
        a, b = self.a, self.b
        for pid, owner, kind, status, day, in_error in data.contacts:
            if was_seen(kind, status, in_error=bool(in_error)):
                self.attended[pid].append(day)
                if a <= day <= b:
                    # under the person's own worker, so the team's total counts them once
                    self.worked_with[self.owner_of.get(pid, owner)].add(pid)
        for days in self.attended.values():
            days.sort()
        referred = {pid for pid, _o, day, _s in data.referrals if a <= day <= b}
        seen = {pid for people in self.worked_with.values() for pid in people}
        self.people_in_period = {p for p in referred | seen if p in self.owner_of}

    def label(self, owner: str) -> str:
        return worker_label(self.d.labels, owner)


def count_cols(*pairs: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(k, label) for k, label in pairs)


def with_total(rows: list[tuple[Any, ...]], label: str = "Total") -> tuple[tuple[Any, ...], ...]:
    if not rows:
        return ()
    width = len(rows[0])
    total = [label] + [sum(r[i] for r in rows) for i in range(1, width)]
    return (*rows, tuple(total))


def count_columns(
    first: Column, counts: list[tuple[str, str]], *after: Column
) -> tuple[Column, ...]:
    """``first``, a count column per (key, label), their row total, then ``after``."""
    keys = tuple(key for key, _label in counts)
    return (
        first,
        *(Column(key, label) for key, label in counts),
        Column("total", "Total", sums=keys),
        *after,
    )


def per_month_table(
    key: str,
    title: str,
    first: Column,
    months: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    flagged: frozenset[int] = frozenset(),
    warnings: tuple[str, ...] = (),
) -> Table:
    """A row per ``first`` (a source, a resource…), a count per month, totals at the end."""
    columns = count_columns(first, [(m, m) for m in months])
    return Table(
        key, title, columns, with_total(rows), total_row=True, flagged=flagged, warnings=warnings
    )


def column_sums(rows: list[tuple[Any, ...]], start: int, stop: int) -> list[int]:
    return [sum(int(r[i]) for r in rows) for i in range(start, stop)]
