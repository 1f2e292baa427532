"""The participant's wellbeing trend on the one chart path (matplotlib), not Qt Charts."""

from __future__ import annotations

import datetime as dt
import math
import sys
from dataclasses import replace
from typing import Any

import pytest
from screens_kit import drawn_canvases

from linksdesk.casework.dto import MeasureRecord
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.ui.views.participant_wellbeing import TrendChart

pytestmark = pytest.mark.gui


def record(day: dt.date, total: int, *, baseline: bool = False, assisted: bool = False) -> Any:
    return MeasureRecord(
        id=f"m{total}", participant_id="p", kind=MeasureKind.WEMWBS, taken_on=day,
        context=MeasureContext.BASELINE if baseline else MeasureContext.REVIEW,
        assisted=assisted, items=(3,) * 14, total=total, metric=None, is_baseline=baseline,
        in_error_at=None, in_error_reason=None,
    )  # fmt: skip


def test_trend_draws_scores_over_bands_with_a_text_alternative(qtbot: Any) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(700, 320)
    chart.show()
    chart.plot(MeasureKind.WEMWBS, [
        record(dt.date(2026, 2, 1), 40, baseline=True),
        record(dt.date(2026, 4, 1), 45, assisted=True),
        record(dt.date(2026, 6, 1), 49),
    ])  # fmt: skip
    ax = chart.figure.axes[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "Score"]
    assert list(line.get_ydata()) == [40.0, 45.0, 49.0]
    # five meaningful-change bands around the baseline, and the assisted score ringed
    assert len(ax.patches) == 5
    assert len(ax.collections) == 1
    assert ax.get_ylim() == (14.0, 70.0)
    assert chart.title == "WEMWBS over time"
    assert chart.accessibleDescription().startswith("Baseline 40; changes of 3 or more")
    assert "01 Jun 2026: 49" in chart.description
    chart.plot(MeasureKind.SWEMWBS, [])
    assert chart.title == "No SWEMWBS scores yet" and chart.description == ""


def test_qt_charts_is_not_loaded() -> None:
    import linksdesk.ui.main_window  # noqa: F401  (every screen, the wellbeing tab included)

    assert "PySide6.QtCharts" not in sys.modules


def test_ons4_answers_of_an_earlier_episode_say_which(qtbot: Any) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    first, back = (
        replace(record(dt.date(2026, m, 1), 0, baseline=True), kind=MeasureKind.ONS4,
                items=(5, 5, 5, 5), total=None, episode=n)
        for m, n in ((1, 1), (9, 2))
    )  # fmt: skip
    chart.plot(MeasureKind.ONS4, [first, back])
    assert chart.description.startswith("Episode 1, 01 Jan 2026: life satisfaction 5")
    assert "; Episode 2, 01 Sep 2026:" in chart.description


def test_ons4_lines_break_where_the_person_came_back(qtbot: Any) -> None:
    # the last answers of the first episode were joined to the baseline after months away,
    # as if the fall between them happened under support
    chart = TrendChart()
    qtbot.addWidget(chart)
    first, review, back = (
        replace(record(dt.date(2026, m, 1), 0, baseline=base), id=f"o{m}", kind=MeasureKind.ONS4,
                items=items, total=None, episode=n)
        for m, n, base, items in ((1, 1, True, (5, 5, 5, 5)), (3, 1, False, (7, 7, 7, 3)),
                                  (9, 2, True, (4, 4, 4, 6)))
    )  # fmt: skip
    chart.plot(MeasureKind.ONS4, [first, review, back])
    ax = chart.figure.axes[0]
    answers = zip(*(r.items for r in (first, review, back)), strict=True)  # per question
    assert len(ax.get_lines()) == 4  # one line per question
    for line, (a, b, c) in zip(ax.get_lines(), answers, strict=True):
        ys = [float(y) for y in line.get_ydata()]
        assert ys[:2] == [a, b] and math.isnan(ys[2]) and ys[3] == c, line.get_label()
        # broken where the new baseline is
        assert list(line.get_xdata())[2:] == [dt.date(2026, 9, 1)] * 2


def test_a_chart_not_on_screen_is_not_drawn_until_it_is(
    qtbot: Any, unlocked_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record's wellbeing chart, hidden behind Today, was drawn (twice, a quarter of a
    second) as the window opened; it is drawn when its tab is first shown."""
    drawn = drawn_canvases(monkeypatch)
    window = unlocked_window
    window.resize(1300, 900)  # laid out again at another size, as a worker's window is
    qtbot.wait(200)
    chart = window.participant_view.wellbeing.chart
    assert drawn == []
    chart.plot(MeasureKind.WEMWBS, [record(dt.date(2026, 2, 1), 40, baseline=True)])
    qtbot.wait(100)
    assert drawn == []  # plotted into its figure, still not on screen
    window.participant_view.tabs.setCurrentWidget(window.participant_view.wellbeing)
    window.show_view("record")
    qtbot.waitUntil(lambda: chart.canvas in drawn, timeout=20_000)
