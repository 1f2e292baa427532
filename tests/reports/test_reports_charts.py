"""Every section's chart renders offscreen (Agg, no GPU) in the light and dark palettes, and
says in words what it shows (its text alternative), numbers included."""

from __future__ import annotations

import io
import itertools
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


@pytest.mark.parametrize("resources", [3, 12, 30, 144])
def test_a_bar_per_resource_never_draws_labels_over_each_other(resources: int) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from linksdesk.reports.model import ChartSpec, Column, Table

    table = Table(
        key="onward",
        title="Onward referrals",
        columns=(Column("resource", "Resource"), Column("made", "Made")),
        rows=tuple(
            (f"Community resource number {n} of the directory", n + 1) for n in range(resources)
        ),
    )
    spec = ChartSpec("hbar", "onward", ("made",), "Onward referrals per resource",
                     skip_last=False)  # fmt: skip
    fig = new_figure(7.5, 2.8)  # the dashboard's smallest chart
    draw_table_chart(fig, spec, table, LIGHT)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    (ax,) = fig.axes
    boxes = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
    assert len(boxes) >= min(resources, 12)  # every label while they fit, then every k-th
    assert ax.get_yticklabels()[0].get_text().startswith("Community resource number 0")
    boxes.sort(key=lambda b: b.y0)
    for lower, upper in itertools.pairwise(boxes):
        assert lower.y1 <= upper.y0 + 0.5, (resources, lower, upper)


@pytest.mark.parametrize("workers", [1, 2, 6])
def test_a_legend_never_covers_a_bar_however_full_the_chart(workers: int) -> None:
    """One worker's two caseload bars fill the plot: the legend, placed "best" inside it,
    covered one and hid a series' swatch. Its keys stand above the plot, off the title."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Rectangle

    from linksdesk.reports.model import ChartSpec, Column, Table

    table = Table(
        key="caseload",
        title="Caseload",
        columns=(Column("worker", "Worker"), Column("open_now", "Open now"),
                 Column("worked_with", "Worked with in the period")),
        rows=tuple((f"Worker {n:06x}", 30 + n, 34 + n) for n in range(workers)),
        flagged=frozenset({0}),  # over the safe caseload: its bars framed
    )  # fmt: skip
    for spec in (
        ChartSpec("bar", "caseload", ("open_now", "worked_with"), "Caseload per worker",
                  skip_last=False),
        ChartSpec("hbar_stacked", "caseload", ("open_now", "worked_with"),
                  "Concerns: at referral and later", skip_last=False),
    ):  # fmt: skip
        fig = new_figure(7.5, 2.8)
        draw_table_chart(fig, spec, table, LIGHT)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        (ax,) = fig.axes
        legend = ax.get_legend()
        assert legend is not None and [t.get_text() for t in legend.get_texts()] == [
            "Open now", "Worked with in the period"]  # fmt: skip
        box = legend.get_window_extent(renderer)
        bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width()]
        assert len(bars) == 2 * workers
        for bar in bars:
            assert not box.overlaps(bar.get_window_extent(renderer)), (spec.kind, workers)
        assert not box.overlaps(ax.title.get_window_extent(renderer)), (spec.kind, workers)
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
        # a key shows its series' colour, not the frame of a flagged bar
        assert all(h.get_linewidth() == 0 for h in legend.legend_handles), spec.kind
