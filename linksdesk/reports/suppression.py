"""Small-number suppression for reports that leave the supervisor's desk (rule 8).

Primary: every count from 1 to ``threshold - 1`` is hidden. Secondary: more cells are hidden
until no hidden count can be worked out exactly from what is published, whatever the totals
and other cells reveal. Shares and statistics built on a hidden count are hidden with it.
Pure: tables in, tables out.

A table states its sums (a total row, total columns); each is an equation ``total = parts``.
In every table here a cell takes part in at most two of them (its row's and its column's),
as in a two-way table with margins. Draw each equation as a node, one extra node ``FREE``,
and each hidden cell as an edge between its two equations (or between its one equation and
``FREE``). A hidden cell can be worked out exactly if and only if its edge is a bridge: an
edge on a cycle can move up and down with the others on the cycle and every total stays
the same, while for a bridge, adding up the equations on the side away from ``FREE``
leaves that one cell alone. So while there are bridges, a published count joining the two
sides of one is hidden too, which closes a cycle through it: a non-zero one, a part before
a total (a board reads the totals), then one next to the bridge, then the smallest.
tests/reports/test_reports_suppression.py checks the result independently with matrix ranks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from linksdesk.reports.model import Kind, Table

Cell = tuple[int, int]
Equation = tuple[Cell, tuple[Cell, ...]]  # total cell, the cells it is the sum of

DEFAULT_THRESHOLD = 10
FREE = -1  # the node of cells that only one equation ties


def equations(table: Table) -> list[Equation]:
    """The sums a table publishes: its total row over each count column, and each row's
    total columns over their parts."""
    out: list[Equation] = []
    n = len(table.rows)
    counts = [i for i, c in enumerate(table.columns) if c.kind is Kind.COUNT]
    if table.total_row and n >= 2:
        for j in counts:
            parts = tuple((r, j) for r in range(n - 1) if table.rows[r][j] is not None)
            if table.rows[n - 1][j] is not None and parts:
                out.append(((n - 1, j), parts))
    for j, col in enumerate(table.columns):
        if col.kind is Kind.COUNT and col.sums:
            part_cols = [table.column_index(k) for k in col.sums]
            for r in range(n):
                if table.rows[r][j] is None:
                    continue
                parts = tuple((r, k) for k in part_cols if table.rows[r][k] is not None)
                if parts:  # a row whose parts do not apply (a union of people) sums nothing
                    out.append(((r, j), parts))
    return out


def _ends(eqs: Sequence[Equation]) -> dict[Cell, tuple[int, int]]:
    """Each cell's two nodes: the equations it is in (``FREE`` standing in for a missing one)."""
    seen: dict[Cell, list[int]] = defaultdict(list)
    for k, (total, parts) in enumerate(eqs):
        for cell in (total, *parts):
            seen[cell].append(k)
    out = {}
    for cell, nodes in seen.items():
        if len(nodes) > 2:
            raise ValueError("a cell in more than two sums: not a two-way table")
        out[cell] = (nodes[0], nodes[1] if len(nodes) == 2 else FREE)
    return out


def _bridges(edges: dict[Cell, tuple[int, int]]) -> set[Cell]:
    """Edges on no cycle (Tarjan's low-link, iterative; parallel edges are cycles)."""
    graph: dict[int, list[tuple[int, Cell]]] = defaultdict(list)
    for cell, (u, v) in edges.items():
        graph[u].append((v, cell))
        graph[v].append((u, cell))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    out: set[Cell] = set()
    for root in graph:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[int, Cell | None, int]] = [(root, None, 0)]
        while stack:
            node, via, i = stack[-1]
            if i < len(graph[node]):
                stack[-1] = (node, via, i + 1)
                nxt, cell = graph[node][i]
                if cell == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, cell, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent] and via is not None:
                        out.add(via)
    return out


def _side(edges: dict[Cell, tuple[int, int]], start: int, without: Cell) -> set[int]:
    graph: dict[int, list[int]] = defaultdict(list)
    for cell, (u, v) in edges.items():
        if cell != without:
            graph[u].append(v)
            graph[v].append(u)
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def suppress_cells(
    values: dict[Cell, int],
    eqs: Sequence[Equation],
    threshold: int = DEFAULT_THRESHOLD,
    also: Iterable[Cell] = (),
) -> set[Cell]:
    """Which count cells to hide: primary (1..threshold-1) and ``also``, plus secondary
    until safe."""
    ends = _ends(eqs)
    totals = {total for total, _parts in eqs}
    hidden = {cell for cell, v in values.items() if 0 < v < threshold} | set(also)
    while True:
        edges = {c: ends[c] for c in hidden if c in ends}
        bridges = _bridges(edges)
        if not bridges:
            return hidden
        target = min(bridges)
        u, v = edges[target]
        side_u = _side(edges, u, target)
        # a published cell with one end on each side closes a cycle through the bridge
        joining = [
            c for c, (a, b) in ends.items()
            if c not in hidden and ((a in side_u) != (b in side_u))
        ]  # fmt: skip
        if not joining:
            raise AssertionError("suppression found no cell to close a cycle")
        near = {u, v}
        best = min(
            joining,
            key=lambda c: (
                values.get(c, 0) == 0,  # hiding a zero protects least
                c in totals,  # a total says more than a part (a board reads the totals)
                not near.intersection(ends[c]),  # next to the bridge: a short cycle
                values.get(c, 0),
                c,
            ),
        )
        hidden.add(best)


def _count_values(table: Table) -> dict[Cell, int]:
    return {
        (r, j): int(row[j])
        for r, row in enumerate(table.rows)
        for j, col in enumerate(table.columns)
        if col.kind is Kind.COUNT and row[j] is not None
    }


def suppress_table(table: Table, threshold: int = DEFAULT_THRESHOLD) -> Table:
    """The table as an external report shows it: hidden cells become None."""
    hidden = suppress_cells(_count_values(table), equations(table), threshold)
    return _hide(table, hidden, threshold)


def _hide(table: Table, hidden: set[Cell], threshold: int) -> Table:
    hidden = hidden | _dependent_cells(table, hidden, threshold)
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
