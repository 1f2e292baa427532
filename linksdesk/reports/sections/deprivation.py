"""Where people live, by deprivation decile (part of ``reports.figures``)."""

from __future__ import annotations

from dataclasses import replace

from linksdesk.reports.data import decile_of
from linksdesk.reports.model import ChartSpec, Column, Kind, Section, Table
from linksdesk.reports.sections.context import (
    Ctx,
)
from linksdesk.reports.stats import pct

DEPRIVATION_ROWS = (
    ("Decile 1 (most deprived 10 %)", {1}),
    ("Decile 2 (10-20 %)", {2}),
    ("Deciles 3 to 10", set(range(3, 11))),
)


def deprivation(c: Ctx) -> Section:
    postcodes = {pid: pc for pid, _o, _s, pc in c.d.participants}
    deciles = [decile_of(c.d, postcodes.get(p)) for p in c.people_in_period]
    return deprivation_section(deciles, lookup_loaded=bool(c.d.deciles))


def deprivation_section(deciles: list[int | None], *, lookup_loaded: bool = True) -> Section:
    """The deprivation tables from each person's decile (None: unknown)."""
    total = len(deciles)
    rows = []
    for label, group in DEPRIVATION_ROWS:
        n = sum(1 for d in deciles if d in group)
        rows.append((label, n, pct(n, total)))
    unknown = sum(1 for d in deciles if d is None)
    rows.append(("Unknown", unknown, pct(unknown, total)))
    rows.append(("People in the period", total, pct(total, total)))
    table = Table(
        "deprivation",
        "People in the period by deprivation decile",
        (
            Column("decile", "Deprivation", Kind.TEXT),
            Column("people", "People"),
            Column("share", "Share", Kind.PERCENT, based_on=("people",), base_in_last_row="people"),
        ),
        tuple(rows),
        total_row=True,
        description=(
            "Most deprived 20 % = deciles 1 and 2. Unknown: no postcode, or a postcode not in "
            "the deprivation lookup."
            + ("" if lookup_loaded else " No deprivation lookup has been loaded into this vault.")
        ),
    )
    d1, d2 = rows[0][1], rows[1][1]
    headline = Table(
        "deprivation_headline",
        "Headline: people living in the most deprived areas",
        table.columns,
        (
            (HEADLINE_10, d1, pct(d1, total)),
            (HEADLINE_20, d1 + d2, pct(d1 + d2, total)),
            ("Unknown", unknown, pct(unknown, total)),
            ("People in the period", total, pct(total, total)),
        ),
        description=(
            "The programme's headline figures: shares of all people in the period, unknown "
            "included in the base and shown."
        ),
    )
    chart = ChartSpec("bar", "deprivation", ("people",), "People by deprivation decile")
    return Section("deprivation", "Deprivation", (table, headline), chart)


HEADLINE_10 = "Most deprived 10 % (decile 1)"
HEADLINE_20 = "Most deprived 20 % (deciles 1 and 2)"
# headline row -> the rows of the decile table it is the sum of (for suppression across both)
HEADLINE_PARTS = ((0,), (0, 1), (3,), (4,))


def hide_headline_with_deciles(section: Section) -> Section:
    """External reports: a headline count is hidden whenever a decile count it adds up is
    hidden, so "most deprived 20 %" minus decile 1 can never give back a hidden decile 2."""
    if section.key != "deprivation":
        return section
    deciles, headline = section.tables
    hidden = set(headline.suppressed)
    for r, parts in enumerate(HEADLINE_PARTS):
        if any((p, 1) in deciles.suppressed for p in parts):
            hidden |= {(r, 1), (r, 2)}
    if (3, 1) in hidden:  # the base of every share
        hidden |= {(r, 2) for r in range(len(headline.rows))}
    rows = tuple(
        tuple(None if (r, j) in hidden else v for j, v in enumerate(row))
        for r, row in enumerate(headline.rows)
    )
    headline = headline.with_rows(rows, suppressed=frozenset(hidden))
    return replace(section, tables=(deciles, headline))
