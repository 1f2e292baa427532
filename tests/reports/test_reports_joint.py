"""Suppression across tables: nothing hidden can be worked back from all tables together.

Random linked tables are built from atoms (the records that went in, counted at the finest
grain: referrals by worker, source, month and seen or not; onward referrals by resource,
month and status; wellbeing pairs by scale, dose and outcome). Every published cell is then
a linear form over the atoms, and a hidden cell can be worked out exactly from everything
published if and only if its form lies in the span of the published forms. That is checked
here by exact elimination modulo a large prime, written independently of the module (a
form outside the span modulo p is outside it over the rationals too, so the check can only
err towards failing). The tables' columns are the real ones (from ``figures.compute`` on an
empty vault); the links are the real ``figures.linked_cells``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from linksdesk.core.vocab import OnwardStatus
from linksdesk.reports.data import TeamData
from linksdesk.reports.figures import compute, linked_cells
from linksdesk.reports.joint import suppress_linked
from linksdesk.reports.model import Kind, Table
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.settings import ReportSettings
from linksdesk.reports.suppression import suppress_table

THRESHOLD = 10
PRIME = 2**61 - 1
Form = dict[Any, int]


def real_tables(months: int) -> dict[str, Table]:
    """The report's tables with no rows: their real columns, sums and kinds."""
    empty = TeamData((), (), (), (), (), (), (), (), {}, {}, {}, {})
    period = Period.months((2026, 1), (2026, months))
    sections = compute(empty, Scope(period), ReportSettings(), dt.date(2026, 8, 1))
    return {t.key: t for s in sections for t in s.tables}


def add(*forms: Form) -> Form:
    out: Form = defaultdict(int)
    for f in forms:
        for k, v in f.items():
            out[k] += v
    return dict(out)


class Builder:
    """Rows of (value, form) per count cell, built from atoms drawn by hypothesis."""

    def __init__(self, draw: Any, months: int) -> None:
        self.draw = draw
        self.atoms: dict[Any, int] = {}
        self.months = months

    def atom(self, name: Any) -> Form:
        # mostly small: sums then cross the threshold, some stay under it
        self.atoms[name] = self.draw(st.one_of(st.integers(0, 4), st.integers(0, 15)))
        return {name: 1}

    def value(self, form: Form) -> int:
        return sum(self.atoms[k] * c for k, c in form.items())


def build(draw: Any) -> tuple[list[Table], dict[str, dict[tuple[int, int], Form]], Builder]:
    n_months = draw(st.integers(1, 2))
    workers = draw(st.integers(1, 3))
    sources = draw(st.integers(1, 2))
    resources = draw(st.integers(1, 3))
    real = real_tables(n_months)
    b = Builder(draw, n_months)
    forms: dict[str, dict[tuple[int, int], Form]] = defaultdict(dict)
    tables: list[Table] = []

    def table(key: str, rows: list[list[Any]]) -> None:
        """Rows of values and forms (a form stands for a count cell) into the real table."""
        t = real[key]
        out = []
        for r, row in enumerate(rows):
            cells = []
            for j, cell in enumerate(row):
                if isinstance(cell, dict):
                    assert t.columns[j].kind is Kind.COUNT, (key, j)
                    forms[key][(r, j)] = cell
                    cells.append(b.value(cell))
                else:
                    cells.append(cell)
            out.append(tuple(cells))
        tables.append(replace(t, rows=tuple(out)))

    # referrals: worker x source x month x seen
    ref = {
        (w, s, m, seen): b.atom(("ref", w, s, m, seen))
        for w in range(workers) for s in range(sources) for m in range(n_months)
        for seen in (0, 1)
    }  # fmt: skip

    def refs(w: int | None = None, s: int | None = None, m: int | None = None,
             seen: int | None = None) -> Form:  # fmt: skip
        return add(*(f for (w2, s2, m2, z), f in ref.items()
                     if w in (None, w2) and s in (None, s2) and m in (None, m2)
                     and seen in (None, z)))  # fmt: skip

    open_now = [b.atom(("open", w)) for w in range(workers)]
    worked = [b.atom(("worked", w)) for w in range(workers)]
    team: list[int | None] = [*range(workers), None]
    table("caseload", [
        [f"W{w}", open_now[w], worked[w], refs(w)] for w in range(workers)
    ] + [["All workers", add(*open_now), add(*worked), refs()]])  # fmt: skip
    over = [b.atom(("over", w)) for w in range(workers)]
    table("timeliness", [
        [f"W{w}" if w is not None else "All workers", refs(w), refs(w, seen=1), 3.0, 9.0,
         over[w] if w is not None else add(*over), refs(w, seen=0)]
        for w in team
    ])  # fmt: skip
    by_source = [[f"S{s}", *(refs(s=s, m=m) for m in range(n_months)), refs(s=s)]
                 for s in range(sources)]  # fmt: skip
    by_source.append(["Total", *(refs(m=m) for m in range(n_months)), refs()])
    table("referrals_by_source", by_source)

    # onward referrals: resource x month x status
    statuses = [s.value for s in OnwardStatus]
    onw = {
        (r, m, k): b.atom(("onward", r, m, k))
        for r in range(resources) for m in range(n_months) for k in range(len(statuses))
    }  # fmt: skip

    def onward(r: int | None = None, m: int | None = None, k: int | None = None) -> Form:
        return add(*(f for (r2, m2, k2), f in onw.items()
                     if r in (None, r2) and m in (None, m2) and k in (None, k2)))  # fmt: skip

    rs: list[int | None] = [*range(resources), None]
    table("onward_by_month", [
        [f"R{r}" if r is not None else "Total", *(onward(r, m) for m in range(n_months)),
         onward(r)] for r in rs
    ])  # fmt: skip
    table("onward_outcomes", [
        [f"R{r}" if r is not None else "Total", *(onward(r, k=k) for k in range(len(statuses))),
         onward(r), "Open"] for r in rs
    ])  # fmt: skip

    # wellbeing: scale x dose x (improved, no change, declined), and baseline only
    wb = {
        (sc, d, o): b.atom(("wb", sc, d, o)) for sc in range(2) for d in range(2) for o in range(4)
    }  # o = 3: baseline only

    def wrow(label: str, sc: int, doses: tuple[int, ...]) -> list[Any]:
        part = [add(*(wb[(sc, d, o)] for d in doses)) for o in range(4)]
        paired = add(part[0], part[1], part[2])
        n = b.value(paired)
        share = round(100 * b.value(part[0]) / n, 1) if n else None
        mean = 1.5 if n else None
        return [label, paired, part[3], mean, mean, mean, part[0], part[1], part[2], share]

    table("wellbeing_change", [wrow(f"Scale {sc}", sc, (0, 1)) for sc in range(2)])
    table("wellbeing_dose", [wrow(f"Scale {sc}, dose {d}", sc, (d,))
                             for sc in range(2) for d in range(2)])  # fmt: skip
    paired, only = b.atom("ons4 paired"), b.atom("ons4 baseline only")
    table("ons4_change", [
        [q, "Higher is better", paired, only, 0.5, 0.1, 0.9] for q in "abcd"
    ])  # fmt: skip
    return tables, forms, b


def in_span(published: list[Form], target: Form) -> bool:
    """Whether ``target`` is a linear combination of ``published`` (modulo PRIME)."""
    pivots: dict[Any, dict[Any, int]] = {}

    def reduce(row: dict[Any, int]) -> dict[Any, int]:
        row = {k: v % PRIME for k, v in row.items() if v % PRIME}
        while True:
            hit = next((k for k in row if k in pivots), None)
            if hit is None:
                return row
            c = row[hit]
            for k, v in pivots[hit].items():
                new = (row.get(k, 0) - c * v) % PRIME
                if new:
                    row[k] = new
                else:
                    row.pop(k, None)

    for form in published:
        row = reduce(form)
        if row:
            p = min(row, key=repr)
            inv = pow(row[p], PRIME - 2, PRIME)
            pivots[p] = {k: v * inv % PRIME for k, v in row.items()}
    return not reduce(target)


@st.composite
def linked_report(draw: Any) -> tuple[list[Table], dict[str, dict[tuple[int, int], Form]], Any]:
    return build(draw)


def hidden_recoverable(tables: list[Table], out: list[Table], forms: Any) -> list[Any]:
    published, hidden = [], []
    for before, after in zip(tables, out, strict=True):
        for cell, form in forms[before.key].items():
            r, j = cell
            (hidden if after.rows[r][j] is None else published).append((before.key, cell, form))
    spans = [f for _k, _c, f in published]
    return [(k, c) for k, c, f in hidden if in_span(spans, f)]


@settings(max_examples=150, deadline=None)
@given(linked_report())
def test_no_hidden_count_can_be_worked_back_from_all_tables_together(
    report: tuple[list[Table], Any, Builder],
) -> None:
    tables, forms, b = report
    out = suppress_linked(tables, linked_cells(tables), THRESHOLD)
    for before, after in zip(tables, out, strict=True):
        for (r, j), form in forms[before.key].items():
            value = b.value(form)
            if 0 < value < THRESHOLD:
                assert after.rows[r][j] is None, (before.key, r, j)  # every small count
            if after.rows[r][j] is not None:
                assert after.rows[r][j] == value  # nothing published is changed
        for row in after.rows:
            for j, col in enumerate(after.columns):
                if col.kind is Kind.PERCENT and any(
                    row[after.column_index(k)] is None for k in col.based_on
                ):
                    assert row[j] is None  # a share beside a hidden count goes with it
    assert hidden_recoverable(tables, out, forms) == []


def test_the_check_catches_what_tables_suppressed_alone_give_away() -> None:
    """The same check on tables suppressed one by one finds a count worked back across
    tables (so the test above can fail)."""
    found = []

    @settings(max_examples=200, deadline=None, database=None)
    @given(linked_report())
    def look(report: tuple[list[Table], Any, Builder]) -> None:
        tables, forms, _b = report
        alone = [suppress_table(t, THRESHOLD) for t in tables]
        found.extend(hidden_recoverable(tables, alone, forms))

    look()
    assert found, "tables suppressed alone always looked safe: the check would prove nothing"
