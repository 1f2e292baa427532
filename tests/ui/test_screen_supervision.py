"""The supervisor's dashboard on a real team vault: filters, a chart's numbers, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from screens_kit import dashboard_on, drawn_canvases, settle
from team_kit import PERIOD, build_team

from linksdesk.reports.scope import Period
from linksdesk.reports.settings import ReportSettings
from linksdesk.ui.views.supervision import (
    ExportChoice,
    ExportDialog,
    ReportSettingsDialog,
    SupervisionView,
)

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def team_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    supervisor, ledger = build_team(tmp_path_factory.mktemp("team"), people=8, seed=3)
    path = supervisor.path
    supervisor.lock()
    return path, ledger


@pytest.fixture
def view(qtbot: Any, ui_session: Any, team_vault: tuple[Path, Any]) -> SupervisionView:
    return dashboard_on(qtbot, ui_session, team_vault[0], PERIOD)


def caseload_rows(view: SupervisionView) -> list[str]:
    model = view.sections["caseload"].chart.model  # type: ignore[union-attr]
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_dashboard_filters_by_worker_and_period(
    qtbot: Any, ui_session: Any, view: SupervisionView, team_vault: tuple[Path, Any]
) -> None:
    _path, ledger = team_vault
    assert set(view.sections) >= {"caseload", "referrals", "concerns", "contacts", "goals",
                                  "wellbeing", "onward", "deprivation", "freshness"}  # fmt: skip
    assert len(caseload_rows(view)) == 6  # five workers and the team
    assert view.worker_box.count() == 6  # "All workers" and each worker
    assert "Data as of" in view.as_of_label.text()

    worker = ledger.workers[1]
    view.select_worker(worker)
    view.refresh()
    settle(qtbot, ui_session)
    assert caseload_rows(view) == [f"Worker {worker[-6:]}", "All workers"]

    view.set_period(Period.parse("2026-03"))
    view.refresh()
    settle(qtbot, ui_session)
    referrals = view.sections["referrals"].chart.model.table()  # type: ignore[union-attr]
    assert [c.key for c in referrals.columns] == ["source", "2026-03", "total"]
    assert view.report is not None and view.report.period_label == "2026-03"

    view.set_period(Period(dt.date(2026, 5, 1), dt.date(2026, 5, 31)))
    view.last_edit.set_value(dt.date(2026, 3, 1))
    view.refresh()
    assert "ends before it starts" in view.message.text()


def test_each_chart_is_drawn_once_when_the_dashboard_opens(
    qtbot: Any, ui_session: Any, team_vault: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart drawn at its first paint, while the sections were still being laid out, was
    drawn again at its final size: two or three draws of a quarter of a second each."""
    drawn = drawn_canvases(monkeypatch)
    view = dashboard_on(qtbot, ui_session, team_vault[0], PERIOD)
    charts = [box.chart.canvas for box in view.sections.values() if box.chart is not None]

    def in_view() -> list[Any]:
        return [c for c in charts if not c.visibleRegion().isEmpty()]

    # every chart in view drawn (a quarter of a second each), then any redraw the opening
    # would bring has had its time
    def all_drawn() -> bool:
        return bool(in_view()) and all(c in drawn for c in in_view())

    qtbot.waitUntil(all_drawn, timeout=20_000)
    qtbot.wait(300)
    shown = in_view()
    assert all(c in charts for c in drawn)
    assert [drawn.count(c) for c in shown] == [1] * len(shown)


def test_a_chart_below_the_first_screen_is_drawn_when_scrolled_to(
    qtbot: Any, ui_session: Any, team_vault: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each chart costs a quarter of a second to draw. Every chart had its first paint while
    the sections were being laid out (all of them in view for a moment), so all were drawn
    as the dashboard opened, though a supervisor sees two at first and may never scroll."""
    drawn = drawn_canvases(monkeypatch)
    view = dashboard_on(qtbot, ui_session, team_vault[0], PERIOD)
    charts = [box.chart.canvas for box in view.sections.values() if box.chart is not None]
    below = [c for c in charts if c.visibleRegion().isEmpty()]
    assert below, "the team's dashboard is taller than a window"
    qtbot.waitUntil(lambda: any(c in drawn for c in charts), timeout=20_000)
    qtbot.wait(300)
    assert not [c for c in below if c in drawn]
    view.scroll_area.ensureWidgetVisible(below[-1])
    qtbot.waitUntil(lambda: below[-1] in drawn, timeout=20_000)
    assert drawn.count(below[-1]) == 1


def _type_month(qtbot: Any, field: Any, text: str) -> None:
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)


def test_a_period_is_read_as_it_was_typed(
    qtbot: Any, ui_session: Any, view: SupervisionView
) -> None:
    """The period's months are typed as a supervisor writes them, a whole day too
    ("140226" is 14 February 2026), read back in words under each box, and the figures are
    of those months; a month that cannot be read is said inline and nothing is counted."""
    _type_month(qtbot, view.first_edit, "140226")
    _type_month(qtbot, view.last_edit, "April 2026")
    assert view.first_edit.reading.text() == "February 2026"
    assert view.last_edit.reading.text() == "April 2026"
    assert view.last_edit.edit.text() == "Apr 2026"
    view.refresh()
    settle(qtbot, ui_session)
    assert view.report is not None and view.report.period_label == "2026-02..2026-04"
    _type_month(qtbot, view.first_edit, "3/2026")
    view.refresh()
    settle(qtbot, ui_session)
    assert view.report.period_label == "2026-03..2026-04"
    shown = view.report
    _type_month(qtbot, view.last_edit, "Aprill")
    view.refresh()
    said = "To: This is not a month LinksDesk can read. Type it as March 2026."
    assert view.message.text() == said
    assert view.report is shown  # nothing counted from a month it could not read


def test_a_charts_numbers_are_one_click_away(
    qtbot: Any, view: SupervisionView, qtmodeltester: Any
) -> None:
    panel = view.sections["caseload"].chart
    assert panel is not None
    assert panel.canvas.isVisible() and not panel.table_view.isVisible()
    assert panel.canvas.accessibleDescription().startswith("Caseload per worker.")
    # the chart is drawn on its first paint: bars for five workers, two series
    panel.canvas.repaint()
    qtbot.waitUntil(lambda: panel.canvas.pending is None, timeout=5_000)
    assert len(panel.figure.axes[0].patches) == 10
    qtbot.mouseClick(panel.table_button, Qt.MouseButton.LeftButton)
    assert panel.table_view.isVisible() and not panel.canvas.isVisible()
    qtmodeltester.check(panel.model)
    table = panel.model.table()
    # the view shows exactly the report's figures (internal on screen: exact numbers)
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row[1:], start=1):
            assert panel.model.index(r, c).data() == str(value)
    assert panel.model.headerData(1, Qt.Orientation.Horizontal) == "Open now"


def test_every_table_on_the_dashboard_shows_the_reports_figures(view: SupervisionView) -> None:
    """Every section's tables (behind its chart and below it) show each figure of the report
    that the golden tests check against what went in, cell for cell."""
    from linksdesk.reports.model import Kind

    assert view.report is not None
    want = {t.key: t for s in view.report.sections for t in s.tables}
    seen = set()
    for box in view.sections.values():
        models = [v.model() for v in box.tables.values()]
        if box.chart is not None:
            models.append(box.chart.model)
        for model in models:
            table = model.table()
            expected = want[table.key]
            assert model.rowCount() == len(expected.rows), table.key
            for r, row in enumerate(expected.rows):
                for c, (col, value) in enumerate(zip(expected.columns, row, strict=True)):
                    if value is None:
                        text = ""
                    elif col.kind is Kind.PERCENT:
                        text = f"{value:.1f} %"
                    elif col.kind is Kind.DATE:
                        text = value.strftime("%d %b %Y %H:%M")
                    else:
                        text = f"{value:g}" if isinstance(value, float) else str(value)
                    assert model.index(r, c).data() == text, (table.key, r, c)
            seen.add(table.key)
    assert seen == set(want)  # every table of the report is on the screen


def test_deprivation_headline_figures_are_on_the_dashboard(view: SupervisionView) -> None:
    box = view.sections["deprivation"]
    headline = box.tables["deprivation_headline"].model()
    shown = {
        headline.index(r, 0).data(): headline.index(r, 1).data() for r in range(headline.rowCount())
    }
    deciles = box.chart.model.table()  # type: ignore[union-attr]
    d1, d2 = deciles.rows[0][1], deciles.rows[1][1]
    assert shown["Most deprived 10 % (decile 1)"] == str(d1)
    assert shown["Most deprived 20 % (deciles 1 and 2)"] == str(d1 + d2)
    assert shown["Unknown"] == str(deciles.rows[3][1])  # unknown counted and shown
    assert shown["People in the period"] == str(deciles.rows[-1][1])


def test_ons4_change_per_question_is_on_the_dashboard(
    view: SupervisionView, team_vault: tuple[Path, Any]
) -> None:
    from expected import expected
    from team_kit import LOOKUP, TODAY

    from linksdesk.reports.sections.wellbeing import ONS4_NOTE

    box = view.sections["wellbeing"]
    model = box.tables["ons4_change"].model()
    period = Period.parse(PERIOD)
    want = expected(team_vault[1], period.first, period.last, TODAY, LOOKUP)["ons4"]
    assert want[0]["paired"] >= 2
    for r, w in enumerate(want):
        shown = [model.index(r, c).data() for c in range(model.columnCount())]
        assert shown[2:4] == [str(w["paired"]), str(w["baseline_only"])]
        assert float(shown[4]) == pytest.approx(w["mean_change"], abs=0.011)
        assert float(shown[5]) == pytest.approx(w["ci_low"], abs=0.011)
    assert model.index(3, 0).data() == "Anxious yesterday"
    assert model.index(3, 1).data() == "Lower is better"
    notes = [label.text() for label in box.findChildren(QLabel)]
    assert any(n.startswith("ONS4: Only") for n in notes)  # fewer than 30 pairs
    assert ONS4_NOTE in notes  # why there is no "improved" share


def test_board_view_hides_small_numbers(qtbot: Any, ui_session: Any, view: SupervisionView) -> None:
    view.external_check.setChecked(True)
    view.refresh()
    settle(qtbot, ui_session)
    model = view.sections["caseload"].chart.model  # type: ignore[union-attr]
    counts = range(1, model.columnCount())  # the board's caseload has no "open now"
    shown = [model.index(r, c).data() for r in range(model.rowCount()) for c in counts]
    assert "c" in shown
    assert not any(s.isdigit() and 0 < int(s) < 10 for s in shown)


def test_report_export_with_progress(
    qtbot: Any, ui_session: Any, view: SupervisionView, tmp_path: Path, monkeypatch: Any
) -> None:
    out = tmp_path / "board.xlsx"
    monkeypatch.setattr(
        ExportDialog, "asked", lambda _dialog: ExportChoice("xlsx", "external", out)
    )
    seen: list[tuple[int, int]] = []
    ui_session.runner.sig_progress.connect(lambda _job, done, total: seen.append((done, total)))
    view.export_button.click()
    assert view.progress.isVisible() and not view.export_button.isEnabled()
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: view.export_button.isEnabled(), timeout=20_000)
    assert not view.progress.isVisible()
    assert seen and seen[-1][0] == seen[-1][1] > 5  # a step per table, to the last
    assert "Report written" in view.message.text()
    wb = openpyxl.load_workbook(out)
    assert wb.worksheets[0].title == "About these figures"

    # a second export to the same file is refused in words, and the file is kept
    before = out.read_bytes()
    view.export_button.click()
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: view.export_button.isEnabled(), timeout=20_000)
    assert "already exists" in view.message.text()
    assert out.read_bytes() == before


def test_team_dashboard_is_in_the_go_menu(qtbot: Any, window: Any, unlocked: Any) -> None:
    assert "supervision" in window.go_actions
    window.go_actions["supervision"].trigger()
    assert window.current_view_key() == "supervision"
    assert window.windowTitle().startswith("Team dashboard")


def test_programme_settings_make_a_worker_stand_out(
    qtbot: Any, ui_session: Any, view: SupervisionView, monkeypatch: Any
) -> None:
    from linksdesk.reports.settings import ReportSettings
    from linksdesk.ui.views.supervision import ReportSettingsDialog

    table = view.sections["caseload"].chart.model.table()  # type: ignore[union-attr]
    assert not table.flagged
    dialog = ReportSettingsDialog(ReportSettings())
    assert dialog.open_spin.value() == 40 and dialog.year_spin.value() == 250
    dialog.open_spin.setValue(2)
    chosen = dialog.settings()
    monkeypatch.setattr(ReportSettingsDialog, "asked", lambda _dialog: chosen)
    view.settings_button.click()
    settle(qtbot, ui_session)
    settle(qtbot, ui_session)
    table = view.sections["caseload"].chart.model.table()  # type: ignore[union-attr]
    assert table.flagged  # everyone with more than 2 open cases stands out now
    model = view.sections["caseload"].chart.model  # type: ignore[union-attr]
    row = min(table.flagged)
    assert model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "over the safe caseload" in view.sections["caseload"].chart.warnings.text()  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def two_team_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A team vault whose imported bundles name two teams (two workers in the first)."""
    from linksdesk.storage.bundle_tables import BundleLedger

    supervisor, ledger = build_team(tmp_path_factory.mktemp("teams"), people=4, seed=5)
    first = sorted(ledger.workers)[:2]
    when = dt.datetime(2026, 6, 1, 9, 0)
    with supervisor.store.write() as tx:
        for i, w in enumerate(ledger.workers):
            tx.session.add(BundleLedger(
                bundle_id=f"00000000-0000-4000-8000-{i:012d}", direction="import",
                kind="supervision", signer=f"{i:016d}", sender_kind="device", worker_id=w,
                team_id="7e4d1c2a-0000-4000-8000-00000000aaa1" if w in first
                else "7e4d1c2a-0000-4000-8000-00000000bbb2",
                created_at=when, expires_at=when + dt.timedelta(days=30), counts={}, at=when,
            ))  # fmt: skip
    path = supervisor.path
    supervisor.lock()
    return path, first


def test_dashboard_filters_by_team(
    qtbot: Any, ui_session: Any, two_team_vault: tuple[Path, list[str]]
) -> None:
    path, first = two_team_vault
    v = dashboard_on(qtbot, ui_session, path, PERIOD)
    assert v.team_box.isVisible()
    assert [v.team_box.itemText(i) for i in range(v.team_box.count())] == [
        "All teams", "Team 00aaa1", "Team 00bbb2"
    ]  # fmt: skip
    assert len(caseload_rows(v)) == 6  # all five workers and the total
    v.select_team("Team 00aaa1")
    v.refresh()
    settle(qtbot, ui_session)
    assert sorted(caseload_rows(v)[:-1]) == sorted(f"Worker {w[-6:]}" for w in first)
    assert v.as_of_label.text().startswith("Team 00aaa1")
    # a worker outside the chosen team: nobody is counted, never another team's people
    other = next(v.worker_box.itemData(i) for i in range(1, v.worker_box.count())
                 if v.worker_box.itemData(i) not in first)  # fmt: skip
    v.select_worker(other)
    assert v.scope().workers == frozenset()


def test_programme_settings_read_a_number_as_it_was_typed(qtbot: Any) -> None:
    """A number too big for a setting is said, not cut to fit as it was typed ("150" was
    saved as 15 and "12000" as 1200), and one too small is said, not silently dropped."""
    dialog = ReportSettingsDialog(ReportSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    for spin, typed, said in (
        (dialog.threshold_spin, "150", "The small-number threshold must be between 2 and 100."),
        (dialog.threshold_spin, "1", "The small-number threshold must be between 2 and 100."),
        (dialog.year_spin, "12000", "people a year must be between 1 and 10000."),
    ):
        spin.selectAll()
        qtbot.keyClicks(spin, typed)
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
        assert said in dialog.message.text() and dialog.focusWidget() is spin
        spin.selectAll()
        qtbot.keyClicks(spin, "12" if spin is dialog.threshold_spin else "300")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.settings().suppression_threshold, dialog.settings().safe_people_per_year) == (
        12,
        300,
    )
