"""Every section's chart renders offscreen (Agg, no GPU) in the light and dark palettes, and
says in words what it shows (its text alternative), numbers included."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from team_kit import PERIOD, TODAY

from linksdesk.reports.build import report_from_store
from linksdesk.reports.charts import DARK, LIGHT, draw_table_chart, new_figure, png
from linksdesk.reports.scope import Period, Scope


@pytest.mark.parametrize("audience", ["internal", "external"])
def test_every_chart_renders_offscreen_light_and_dark_with_a_text_alternative(
    team: Any, audience: str
) -> None:
    supervisor, _ledger = team
    report = report_from_store(supervisor.store, Scope(Period.parse(PERIOD)),
                               audience=audience, today=TODAY)  # fmt: skip
    charted = [s for s in report.sections if s.chart is not None]
    assert len(charted) >= 7  # caseload, referrals, concerns, contacts, goals, wellbeing...
    for section in charted:
        assert section.chart is not None
        table = section.table(section.chart.table)
        corners = {}
        for palette in (LIGHT, DARK):
            fig = new_figure()
            text = draw_table_chart(fig, section.chart, table, palette)
            image = Image.open(io.BytesIO(png(fig, dpi=60))).convert("RGB")
            assert image.size[0] > 300 and image.size[1] > 150
            corners[palette.name] = image.getpixel((2, 2))
            assert text.startswith(section.chart.title), section.key
        # the dark chart is dark and the light one light (the background behind the axes)
        assert sum(corners["light"]) > 600 and sum(corners["dark"]) < 150, section.key
        # the text alternative names what is drawn, with the numbers (or "c" where hidden)
        if section.chart.kind != "stacked_columns":
            first = table.rows[0]
            assert str(first[0])[:20] in text, section.key
        if audience == "external" and table.suppressed:
            assert " c" in text, section.key
