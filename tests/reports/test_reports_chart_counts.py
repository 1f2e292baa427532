"""A chart of counts reads in whole numbers: a small programme's board chart, whose counts
are all hidden or zero, showed an axis of 0.00 to 0.05 (0.01 of a contact, of a person)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linksdesk.reports.build import suppress_sections
from linksdesk.reports.charts import draw_table_chart, new_figure
from linksdesk.reports.data import TeamData
from linksdesk.reports.figures import compute
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.settings import ReportSettings

WORKER = "w-000000000001"


def _sections(contacts: int, exact: bool) -> Any:
    people = tuple((f"p{i}", WORKER, "active", None) for i in range(contacts))
    rows = tuple(
        (f"p{i}", WORKER, "appointment", "attended", "2026-03-10", False) for i in range(contacts)
    )
    concerns = tuple((f"p{i}", WORKER, "Isolation", "later", "2026-03-10") for i in range(contacts))
    data = TeamData(people, (), rows, concerns, (), (), (), (), {}, {}, {}, {})
    sections = compute(data, Scope(Period.parse("2026-03")), ReportSettings(),
                       dt.date(2026, 8, 1), exact=exact)  # fmt: skip
    return sections if exact else suppress_sections(sections, 10)


@pytest.mark.parametrize(("contacts", "exact"), [(0, True), (3, False), (3, True), (40, True)])
def test_every_count_axis_is_in_whole_numbers(contacts: int, exact: bool) -> None:
    drawn = 0
    for section in _sections(contacts, exact):
        chart = section.chart
        if chart is None or chart.kind == "errorbar":  # a mean change: not a count
            continue
        fig = new_figure()
        draw_table_chart(fig, chart, section.table(chart.table))
        ax = fig.axes[0]
        if not ax.get_xticks().size and not ax.get_yticks().size:
            continue  # "nothing to show for this period"
        ticks = ax.get_xticks() if chart.kind.startswith("hbar") else ax.get_yticks()
        assert all(float(t).is_integer() for t in ticks), (section.key, list(ticks))
        assert max(ticks) >= 1, section.key
        drawn += 1
    assert drawn >= 3  # charts drawn even with no data (their rows are all zero)
