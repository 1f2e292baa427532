"""Small-number suppression: nothing hidden can be worked back from what is published."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from linksdesk.reports.model import Column, Kind, Table
from linksdesk.reports.suppression import suppress_table

THRESHOLD = 10


def cross_tab(grid: list[list[int]], row_sums: bool = True, total_row: bool = True) -> Table:
    """A table of counts with a total column and/or a total row, as reports publish them."""
    width = len(grid[0])
    keys = tuple(f"c{j}" for j in range(width))
    rows = [(f"r{i}", *row, sum(row)) for i, row in enumerate(grid)]
    if total_row:
        rows.append(("Total", *(sum(r[j + 1] for r in rows) for j in range(width + 1))))
    return Table(
        "t", "t",
        (Column("label", "", Kind.TEXT), *(Column(k, k) for k in keys),
         Column("total", "Total", sums=keys if row_sums else ())),
        tuple(rows), total_row=total_row,
    )  # fmt: skip


def determined_cells(table: Table, hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Independently of the module: a hidden cell is recoverable exactly when its unit vector
    lies in the row space of the published sums restricted to hidden cells (numpy ranks)."""
    n_rows, n_cols = len(table.rows), len(table.columns)
    eqs: list[list[tuple[tuple[int, int], int]]] = []
    if table.total_row:
        for j in range(1, n_cols):  # each column's total row
            eqs.append([((i, j), 1) for i in range(n_rows - 1)] + [((n_rows - 1, j), -1)])
    if table.columns[-1].sums:
        for i in range(n_rows):  # each row's total column
            eqs.append([((i, j), 1) for j in range(1, n_cols - 1)] + [((i, n_cols - 1), -1)])
    order = sorted(hidden)
    if not order:
        return set()
    a = np.zeros((len(eqs), len(order)))
    for r, eq in enumerate(eqs):
        for cell, sign in eq:
            if cell in hidden:
                a[r, order.index(cell)] += sign
    # x is pinned exactly when every solution of the homogeneous system has x = 0, i.e. its
    # coordinate is zero in every vector of the null space (one SVD for all cells)
    _u, sv, vt = np.linalg.svd(a)
    rank = int((sv > 1e-9 * max(1.0, sv.max(initial=0.0))).sum())
    null = vt[rank:]
    out = set()
    for k, cell in enumerate(order):
        if null.shape[0] == 0 or np.abs(null[:, k]).max() < 1e-9:
            out.add(cell)
    return out


grids = st.integers(1, 5).flatmap(
    lambda w: st.lists(
        st.lists(st.one_of(st.integers(0, 12), st.integers(0, 60)), min_size=w, max_size=w),
        min_size=1,
        max_size=6,
    )
)


shapes = st.sampled_from([(True, True), (False, True), (True, False)])


@settings(max_examples=300, deadline=None)
@given(grids, shapes)
def test_no_suppressed_cell_is_recoverable_from_published_totals(
    grid: list[list[int]], shape: tuple[bool, bool]
) -> None:
    table = cross_tab(grid, *shape)
    out = suppress_table(table, THRESHOLD)
    hidden = set(out.suppressed)
    # every small count is hidden, and nothing else is changed
    for i, row in enumerate(table.rows):
        for j, value in enumerate(row):
            if j and 0 < value < THRESHOLD:
                assert (i, j) in hidden
            if (i, j) not in hidden:
                assert out.rows[i][j] == value
            else:
                assert out.rows[i][j] is None
    assert determined_cells(table, hidden) == set()


def test_a_lone_small_count_takes_a_neighbour_with_it() -> None:
    table = cross_tab([[3, 20], [15, 12], [30, 40]])
    out = suppress_table(table, THRESHOLD)
    assert out.rows[0][1] is None
    assert len(out.suppressed) >= 4  # primary + enough secondary to close a cycle
    assert determined_cells(table, set(out.suppressed)) == set()
    assert out.rows[-1][-1] == 120  # the grand total stays published


def test_shares_built_on_hidden_counts_are_hidden() -> None:
    cols = (
        Column("label", "", Kind.TEXT),
        Column("people", "People"),
        Column("share", "Share", Kind.PERCENT, based_on=("people",), base_in_last_row="people"),
    )
    rows: Any = (("a", 4, 4.0), ("b", 50, 50.0), ("c", 46, 46.0), ("Total", 100, 100.0))
    out = suppress_table(Table("t", "t", cols, rows, total_row=True), THRESHOLD)
    assert out.rows[0][1:] == (None, None)
    hidden_b_or_c = [r for r in out.rows[1:3] if r[1] is None]
    assert hidden_b_or_c and all(r[2] is None for r in hidden_b_or_c)
    # base hidden: every share goes
    small = (("a", 4, 40.0), ("b", 6, 60.0), ("Total", 10, 100.0))
    out2 = suppress_table(Table("t", "t", cols, small, total_row=True), THRESHOLD)
    assert out2.rows[0][2] is None and out2.rows[1][2] is None


def test_zero_is_not_a_small_number() -> None:
    out = suppress_table(cross_tab([[0, 20], [15, 12]]), THRESHOLD)
    assert out.rows[0][1] == 0 and not out.suppressed


def test_a_big_table_is_suppressed_quickly_and_safely() -> None:
    import random
    import time

    rng = random.Random(5)
    grid = [[rng.choice((0, 0, 1, 2, 3, 12, 25)) for _ in range(12)] for _ in range(200)]
    table = cross_tab(grid)
    started = time.perf_counter()
    out = suppress_table(table, THRESHOLD)
    assert time.perf_counter() - started < 20  # hundreds of resources by twelve months
    assert determined_cells(table, set(out.suppressed)) == set()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 25), min_size=4, max_size=4))
def test_deprivation_headline_never_gives_back_a_hidden_decile(counts: list[int]) -> None:
    """Across the decile table and the headline table ("most deprived 20 %" = deciles 1 + 2),
    no hidden decile count can be worked out from every count the two tables publish."""
    from linksdesk.reports.build import _suppressed
    from linksdesk.reports.sections.deprivation import deprivation_section

    d1, d2, rest, unknown = counts
    people: list[int | None] = [1] * d1 + [2] * d2 + [5] * rest + [None] * unknown
    section = _suppressed(deprivation_section(people), THRESHOLD)
    deciles, headline = section.tables
    # each published count as a linear form over (d1, d2, rest, unknown), independently
    forms = {
        "deprivation": ([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 1, 1, 1]),
        "headline": ([1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 0, 1], [1, 1, 1, 1]),
    }
    published = [
        form
        for table in (deciles, headline)
        for form, row in zip(forms[table.key.split("_")[-1]], table.rows, strict=True)
        if row[1] is not None
    ]
    assert headline.rows[1][1] in (None, d1 + d2)
    base = np.array(published, dtype=float).reshape(-1, 4)
    rank = np.linalg.matrix_rank(base) if len(published) else 0
    for i in range(4):
        if deciles.rows[i][1] is None:
            unit = np.eye(4)[i]
            assert np.linalg.matrix_rank(np.vstack([base, unit])) > rank, (counts, i)
    # a share is never shown beside a hidden count
    for t in (deciles, headline):
        for row in t.rows:
            assert row[1] is not None or row[2] is None


def test_the_teams_wait_stays_published_when_each_workers_not_yet_seen_is_small() -> None:
    """Referrals = seen + not yet seen, per worker: small "not yet seen" counts take each
    worker's "seen" with them, but parts are hidden before totals, so the team's row (and
    its median wait, which a board reads) stays."""
    from test_reports_joint import real_tables

    table = real_tables(1)["timeliness"]
    # worker, referrals, seen, median, p90, over target, not yet seen
    rows = [(f"W{i}", 30 + i, 25 + i, 12.0, 20.0, 11, 5) for i in range(5)]
    team = ("All workers", sum(r[1] for r in rows), sum(r[2] for r in rows), 12.0, 20.0, 55, 25)
    out = suppress_table(replace(table, rows=(*rows, team)), THRESHOLD)
    assert all(r[6] is None and r[2] is None for r in out.rows[:-1])  # 5 = 30 - 25 is hidden
    assert out.rows[-1] == team
    assert determined_cells_of(out) == set()


def determined_cells_of(out: Table) -> set[tuple[int, int]]:
    """The timeliness table's own sums (referrals = seen + not yet seen per row, and each
    column's total), checked with numpy ranks."""
    hidden = sorted(out.suppressed & {(r, j) for r in range(len(out.rows)) for j in (1, 2, 5, 6)})
    last = len(out.rows) - 1
    eqs = [[((r, 1), 1), ((r, 2), -1), ((r, 6), -1)] for r in range(last + 1)]
    eqs += [[((r, j), 1) for r in range(last)] + [((last, j), -1)] for j in (1, 2, 5, 6)]
    if not hidden:
        return set()
    a = np.zeros((len(eqs), len(hidden)))
    for i, eq in enumerate(eqs):
        for cell, sign in eq:
            if cell in hidden:
                a[i, hidden.index(cell)] += sign
    rank = np.linalg.matrix_rank(a)
    return {
        cell
        for k, cell in enumerate(hidden)
        if np.linalg.matrix_rank(np.vstack([a, np.eye(len(hidden))[k]])) == rank
    }
