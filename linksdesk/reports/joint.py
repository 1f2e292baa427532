"""Small-number suppression across tables: counts published twice, and sums across tables.

Some figures appear in more than one table (a worker's new referrals in the caseload and the
waiting-times tables) or add up across tables (the wellbeing-by-dose rows to the wellbeing
change row). Suppressing each table alone lets a count hidden in one be read, or worked
back, from another. The tables that share cells are suppressed together:

1. every place one quantity is published is one unknown (``Links.same``), so a count hidden
   in one place is hidden in all;
2. each table's own sums are made safe by ``suppression.suppress_cells`` (exact per table
   and fast), seeded with what the other tables hide, until nothing more changes;
3. then every sum of those tables and the sums across them (``Links.sums``) are solved
   together, exactly (modulo a large prime, see ``_pinned``), over the hidden unknowns.
   While one is pinned down, a published count in an equation with it is hidden too (one
   that un-pins it when one does), and 2–3 run again.

Tables that share nothing are suppressed alone, as before. Pure: tables in, tables out.
tests/reports/test_reports_joint.py checks the result against every published cell as a
linear form of the records that went in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from linksdesk.reports.model import Table
from linksdesk.reports.suppression import (
    DEFAULT_THRESHOLD,
    _count_values,
    _hide,
    equations,
    suppress_cells,
    suppress_table,
)

Ref = tuple[str, int, str]  # a published cell: table key, row index, column key
Node = tuple[str, int, int]  # the same, with the column's index
Form = dict[Node, int]  # a linear equation "form = 0" over unknowns
Find = Callable[[Node], Node]
PRIME = 2**61 - 1  # a Mersenne prime: exact arithmetic in machine-sized integers
TRIES = 8  # candidates tried for one that un-pins a hidden count, before taking the first


@dataclass(frozen=True)
class Links:
    """What ties cells of different tables: equal quantities, and sums across tables."""

    same: tuple[tuple[Ref, Ref], ...] = ()
    sums: tuple[tuple[Ref, tuple[Ref, ...]], ...] = ()


class _Unknowns:
    """Union-find: every published place of one quantity maps to one unknown."""

    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, n: Node) -> Node:
        root = n
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while n != root:
            n, self.parent[n] = self.parent[n], root
        return root

    def join(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def suppress_linked(
    tables: Sequence[Table], links: Links, threshold: int = DEFAULT_THRESHOLD
) -> list[Table]:
    """Every table as an external report shows it, suppressed jointly where they share cells."""
    by_key = {t.key: t for t in tables}
    values = {key: _count_values(t) for key, t in by_key.items()}

    def node(ref: Ref) -> Node | None:
        key, r, col = ref
        table = by_key.get(key)
        if table is None or not 0 <= r < len(table.rows):
            return None
        try:
            j = table.column_index(col)
        except KeyError:
            return None
        return (key, r, j) if (r, j) in values[key] else None

    unknowns = _Unknowns()
    tied: dict[str, set[str]] = {key: {key} for key in by_key}  # tables sharing cells
    cross: list[Form] = []

    def tie(keys: Iterable[str]) -> None:
        group = set().union(*(tied[k] for k in keys))
        for k in group:
            tied[k] = group

    for a, b in links.same:
        na, nb = node(a), node(b)
        if na is not None and nb is not None:
            unknowns.join(na, nb)
            tie((na[0], nb[0]))
    for total, parts in links.sums:
        nodes = [node(total), *(node(p) for p in parts)]
        if all(n is not None for n in nodes):
            found = [n for n in nodes if n is not None]
            cross.append(_form(found[0], found[1:]))
            tie(n[0] for n in found)

    hidden: dict[str, set[tuple[int, int]]] = {}
    done: set[str] = set()
    for key in by_key:
        if key in done:
            continue
        group = sorted(tied[key])
        done.update(group)
        if len(group) == 1:
            continue
        inside = [f for f in cross if all(n[0] in tied[key] for n in f)]
        hidden.update(
            _suppress_group({k: by_key[k] for k in group}, values, unknowns, inside, threshold)
        )
    return [
        _hide(t, hidden[t.key], threshold) if t.key in hidden else suppress_table(t, threshold)
        for t in tables
    ]


def _form(total: Node, parts: Sequence[Node]) -> Form:
    out: Form = {total: 1}
    for p in parts:
        out[p] = out.get(p, 0) - 1
    return out


def _suppress_group(
    tables: dict[str, Table],
    values: dict[str, dict[tuple[int, int], int]],
    unknowns: _Unknowns,
    cross: list[Form],
    threshold: int,
) -> dict[str, set[tuple[int, int]]]:
    find = unknowns.find
    eqs = {key: equations(t) for key, t in tables.items()}
    value: dict[Node, int] = {}
    for key in tables:
        for (r, j), v in values[key].items():
            value[find((key, r, j))] = v
    # every equation of the group over unknowns, each once
    forms: dict[tuple[tuple[Node, int], ...], Form] = {}
    totals: set[Node] = set()
    for key, table_eqs in eqs.items():
        for total, parts in table_eqs:
            raw = _form((key, *total), [(key, *p) for p in parts])
            totals.add(find((key, *total)))
            _add_form(forms, raw, find)
    for raw in cross:
        totals.add(find(next(iter(raw))))
        _add_form(forms, raw, find)
    joint = list(forms.values())

    hidden = {u for u, v in value.items() if 0 < v < threshold}
    while True:
        _per_table(tables, values, eqs, hidden, find, threshold)
        pinned = _pinned(joint, hidden)
        if not pinned:
            break
        x = min(pinned)
        near = sorted(
            {u for f in joint if x in f for u in f if u not in hidden},
            key=lambda u: (value.get(u, 0) == 0, u in totals, value.get(u, 0), u),
        )
        if not near:
            raise AssertionError("suppression found no cell to protect a hidden count")
        hidden.add(
            next((u for u in near[:TRIES] if x not in _pinned(joint, hidden | {u})), near[0])
        )
    return {
        key: {(r, j) for (r, j) in values[key] if find((key, r, j)) in hidden} for key in tables
    }


def _add_form(forms: dict[tuple[tuple[Node, int], ...], Form], raw: Form, find: Find) -> None:
    merged: Form = {}
    for n, c in raw.items():
        u = find(n)
        merged[u] = merged.get(u, 0) + c
    merged = {u: c for u, c in merged.items() if c}
    if merged:
        key = tuple(sorted(merged.items()))
        neg = tuple(sorted((u, -c) for u, c in merged.items()))
        if key not in forms and neg not in forms:
            forms[key] = merged


def _per_table(
    tables: dict[str, Table],
    values: dict[str, dict[tuple[int, int], int]],
    eqs: dict[str, list[tuple[tuple[int, int], tuple[tuple[int, int], ...]]]],
    hidden: set[Node],
    find: Find,
    threshold: int,
) -> None:
    """Each table safe on its own sums, every place of a hidden unknown hidden: until stable."""
    changed = True
    while changed:
        changed = False
        for key in tables:
            seed = [c for c in values[key] if find((key, *c)) in hidden]
            got = suppress_cells(values[key], eqs[key], threshold, also=seed)
            new = {find((key, *c)) for c in got} - hidden
            if new:
                hidden |= new
                changed = True


def _pinned(forms: Sequence[Form], hidden: set[Node]) -> set[Node]:
    """The hidden unknowns the equations pin down exactly, given every published value.

    An unknown is pinned exactly when it is 0 in every solution of the equations restricted
    to the hidden unknowns (their null space). Bring them to echelon form, modulo a large
    prime, then build one random null-space vector: a pinned unknown is 0 in it; any other
    is 0 only with chance 1/PRIME. Both shortcuts can only err towards calling an unknown
    pinned (a dependency that holds over the rationals holds modulo the prime), which hides
    one more count, never one fewer. Seeded, so a report is the same every time.
    """
    rows: dict[Node, dict[Node, int]] = {}  # pivot -> its row (pivot first in order, coef 1)
    # short equations first (a row's sum before its column's): far less fill-in
    for form in sorted(forms, key=len):
        row = {u: c % PRIME for u, c in form.items() if u in hidden}
        while row:
            p = min(row)
            if p not in rows:
                inv = pow(row[p], PRIME - 2, PRIME)
                rows[p] = {u: a * inv % PRIME for u, a in row.items()}
                break
            c = row[p]
            for u, a in rows[p].items():
                new = (row.get(u, 0) - c * a) % PRIME
                if new:
                    row[u] = new
                else:
                    row.pop(u, None)
    rng = random.Random(len(hidden))
    value = {u: rng.randrange(1, PRIME) for u in hidden if u not in rows}
    for p in sorted(rows, reverse=True):
        value[p] = -sum(a * value[u] for u, a in rows[p].items() if u != p) % PRIME
    return {p for p in rows if value[p] == 0}
