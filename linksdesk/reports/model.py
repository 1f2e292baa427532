"""The shapes every figure travels in: tables of typed columns, grouped into sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a column holds, which decides how writers store it and what suppression does."""

    TEXT = "text"
    COUNT = "count"  # a number of people or records: suppressed when small (external)
    PERCENT = "percent"  # a share built on a count column (``of``): suppressed with it
    NUMBER = "number"  # a statistic (median, mean change): suppressed when its ``n`` is small
    DATE = "date"
    MONTH = "month"  # "YYYY-MM"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.COUNT
    # PERCENT and NUMBER: the count columns of the same row they are built on (a share is
    # hidden when its count or its base is; a statistic when its n is small)
    based_on: tuple[str, ...] = ()
    # PERCENT whose base is a cell of the last row (a column total): that column's key
    base_in_last_row: str | None = None
    # COUNT columns whose sum is this column (a row total), for secondary suppression
    sums: tuple[str, ...] = ()


SUPPRESSED = None  # a suppressed cell holds None and is written as SUPPRESSED_MARK
SUPPRESSED_MARK = "c"  # ONS: "confidential" / suppressed to protect small numbers
NOT_APPLICABLE_MARK = "–"
# the label beside an external report's publication record in its file (reports.publication)
PUBLICATION_LABEL = "Publication record"


@dataclass(frozen=True)
class Table:
    """One table of figures. The last row is the total row when ``total_row`` is set.

    ``flagged`` holds the indexes of rows that stand out (a worker over the safe caseload,
    a resource over capacity), ``warnings`` notes shown beside the table.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    total_row: bool = False
    flagged: frozenset[int] = frozenset()
    warnings: tuple[str, ...] = ()
    description: str = ""
    # cells hidden by small-number suppression, as (row, column) indexes
    suppressed: frozenset[tuple[int, int]] = frozenset()

    def column_index(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def value(self, row: int, key: str) -> Any:
        return self.rows[row][self.column_index(key)]

    def row_by_label(self, label: Any) -> tuple[Any, ...]:
        for r in self.rows:
            if r[0] == label:
                return r
        raise KeyError(label)

    def with_rows(self, rows: tuple[tuple[Any, ...], ...], **more: Any) -> Table:
        return replace(self, rows=rows, **more)


@dataclass(frozen=True)
class ChartSpec:
    """How a section draws its main table: which column(s) against the first column."""

    kind: str  # "bar", "stacked", "line", "hbar"
    table: str  # key of the table drawn
    series: tuple[str, ...]  # column keys drawn
    title: str
    y_label: str = ""
    skip_last: bool = True  # the last row is a total (or a base), not drawn


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]
    chart: ChartSpec | None = None
    notes: tuple[str, ...] = ()

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


@dataclass(frozen=True)
class Report:
    """Everything a supervisor sees for one scope: the dashboard, the files and the CLI."""

    title: str
    period_label: str
    scope_label: str
    audience: str  # "internal" or "external"
    generated_at: dt.datetime
    data_as_of: dt.datetime | None
    sections: tuple[Section, ...]
    explanations: tuple[tuple[str, str], ...] = field(default=())
    # external reports: counts from 1 to threshold - 1 are hidden (the programme's setting)
    threshold: int | None = None
    # an external report's file: its scope and figures' digest (reports.publication)
    publication: str | None = None

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)
