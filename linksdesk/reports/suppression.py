"""Small-number suppression for reports that leave the supervisor's desk (rule 8).

Primary: every count from 1 to ``threshold - 1`` is hidden. Secondary: more cells are hidden
until no hidden count can be worked out exactly from what is published, whatever the totals
and other cells reveal. A table states its sums (a total row, total columns), and each becomes
a linear equation between cells; a hidden cell can be worked out exactly when its unit vector
lies in the row space of those equations restricted to the hidden cells, which exact
(fraction) elimination decides. While some hidden cell can be worked out, the published
count sharing an equation with it that leaves fewest cells exposed (then the smallest
non-zero) is hidden too. Shares and statistics built on a hidden count are hidden with it.
Pure: tables in, tables out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

from linksdesk.reports.model import Kind, Table

Cell = tuple[int, int]
Equation = tuple[Cell, tuple[Cell, ...]]  # total cell, the cells it is the sum of

DEFAULT_THRESHOLD = 10


def equations(table: Table) -> list[Equation]:
    """The sums a table publishes: its total row over each count column, and each row's
    total columns over their parts."""
    out: list[Equation] = []
    n = len(table.rows)
    counts = [i for i, c in enumerate(table.columns) if c.kind is Kind.COUNT]
    if table.total_row and n >= 2:
        for j in counts:
            parts = tuple((r, j) for r in range(n - 1) if table.rows[r][j] is not None)
            if table.rows[n - 1][j] is not None:
                out.append(((n - 1, j), parts))
    for j, col in enumerate(table.columns):
        if col.kind is Kind.COUNT and col.sums:
            part_cols = [table.column_index(k) for k in col.sums]
            for r in range(n):
                if table.rows[r][j] is None:
                    continue
                parts = tuple((r, k) for k in part_cols if table.rows[r][k] is not None)
                out.append(((r, j), parts))
    return out


def _rref_singletons(rows: list[list[Fraction]], width: int) -> set[int]:
    """Columns whose unit vector lies in the row space of ``rows`` (exact elimination)."""
    matrix = [r[:] for r in rows if any(r)]
    pivots: list[tuple[int, int]] = []
    rank = 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][col]
        matrix[rank] = [v / lead for v in matrix[rank]]
        for i in range(len(matrix)):
            if i != rank and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        pivots.append((rank, col))
        rank += 1
    return {col for r, col in pivots if all(v == 0 for k, v in enumerate(matrix[r]) if k != col)}


def recoverable(eqs: Sequence[Equation], hidden: set[Cell]) -> set[Cell]:
    """The hidden cells that the published cells and the equations pin down exactly."""
    order = sorted(hidden)
    index = {cell: i for i, cell in enumerate(order)}
    rows: list[list[Fraction]] = []
    for total, parts in eqs:
        row = [Fraction(0)] * len(order)
        for cell, sign in ((total, -1), *((p, 1) for p in parts)):
            if cell in index:
                row[index[cell]] += sign
        rows.append(row)
    return {order[i] for i in _rref_singletons(rows, len(order))}


def suppress_cells(
    values: dict[Cell, int], eqs: Sequence[Equation], threshold: int = DEFAULT_THRESHOLD
) -> set[Cell]:
    """Which count cells to hide: primary (1..threshold-1) plus secondary until safe."""
    hidden = {cell for cell, v in values.items() if 0 < v < threshold}
    exposed = recoverable(eqs, hidden)
    while exposed:
        candidates: set[Cell] = set()
        for total, parts in eqs:
            members = (total, *parts)
            if exposed.intersection(members):
                candidates.update(c for c in members if c not in hidden)
        if not candidates:  # pinned through a chain of equations: widen to every shown cell
            candidates = {c for t, ps in eqs for c in (t, *ps) if c not in hidden}
        if not candidates:
            raise AssertionError("suppression found no cell left to hide")
        # the cell that leaves fewest cells exposed; among equals the smallest non-zero count
        # (hiding a zero protects least, a big count loses most), then position
        scored = []
        for cell in candidates:
            after = recoverable(eqs, hidden | {cell})
            value = values.get(cell, 0)
            scored.append(((len(after), value == 0, value, cell), cell, after))
        _key, best, exposed = min(scored)
        hidden.add(best)
    return hidden


def suppress_table(table: Table, threshold: int = DEFAULT_THRESHOLD) -> Table:
    """The table as an external report shows it: hidden cells become None."""
    values = {
        (r, j): int(row[j])
        for r, row in enumerate(table.rows)
        for j, col in enumerate(table.columns)
        if col.kind is Kind.COUNT and row[j] is not None
    }
    hidden = suppress_cells(values, equations(table), threshold)
    hidden |= _dependent_cells(table, hidden, threshold)
    rows = tuple(
        tuple(None if (r, j) in hidden else v for j, v in enumerate(row))
        for r, row in enumerate(table.rows)
    )
    return replace(table, rows=rows, suppressed=frozenset(hidden))


def _dependent_cells(table: Table, hidden: set[Cell], threshold: int) -> set[Cell]:
    """Shares and statistics built on a hidden count, or on fewer people than the threshold."""
    out: set[Cell] = set()
    last = len(table.rows) - 1
    for j, col in enumerate(table.columns):
        if col.kind not in (Kind.PERCENT, Kind.NUMBER) or not col.based_on:
            continue
        deps = [table.column_index(k) for k in col.based_on]
        base = table.column_index(col.base_in_last_row) if col.base_in_last_row else None
        for r, row in enumerate(table.rows):
            if row[j] is None:
                continue
            small = any(
                (r, k) in hidden or (row[k] is not None and 0 < row[k] < threshold)
                for k in deps[:1]
            )
            if (
                small
                or any((r, k) in hidden for k in deps)
                or (base is not None and (last, base) in hidden)
            ):
                out.add((r, j))
    return out


def suppress_all(tables: Iterable[Table], threshold: int = DEFAULT_THRESHOLD) -> list[Table]:
    return [suppress_table(t, threshold) for t in tables]
