"""Resources: directory search, demand markers, CSV import with a report of bad rows, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screens_kit import person, resource, settle, texts
from shell_kit import call_casework

from linksdesk.casework import onward
from linksdesk.casework.resources import import_resources_csv, list_resources
from linksdesk.core.vocab import OnwardKind, ResourceCapacity
from linksdesk.ui.dialogs.onward import OnwardDialog
from linksdesk.ui.dialogs.resource import ImportReportDialog, ResourceDialog
from linksdesk.ui.views.resources import OVERWHELMED_30_DAYS, ResourcesView

pytestmark = pytest.mark.gui

HEADER = (
    "organisation,service,description,categories,address,postcode,area,when,who_for,cost,"
    "accessibility,how_to_refer,phone,email,website,capacity,last_verified\n"
)


def watched_view(qtbot: Any, session: Any, monkeypatch: Any) -> tuple[ResourcesView, list[Any]]:
    """The Resources screen, following the session's changes and shown filled, and the
    import reports it shows (kept, not opened as dialogs)."""
    view = ResourcesView(session)
    qtbot.addWidget(view)
    session.sig_changed.connect(view.on_changes)
    view.refresh()
    settle(qtbot, session)
    reports: list[Any] = []
    monkeypatch.setattr(view, "show_import_report", reports.append)
    return view, reports


def test_directory_search_demand_marker_and_adding(
    qtbot: Any, unlocked: Any, monkeypatch: Any, qtmodeltester: Any
) -> None:
    busy = resource(qtbot, unlocked, "Kettle Café", "Lunch club", categories=("Food",))
    resource(qtbot, unlocked, "Craigbank Library", "Digital drop-in", categories=("Digital",))
    for n in range(OVERWHELMED_30_DAYS):
        someone = person(qtbot, unlocked, "Ailsa", f"Testington{n}")
        call_casework(
            qtbot, unlocked, onward.refer_onward, someone.id, busy.id, OnwardKind.REFERRAL
        )
    view = ResourcesView(unlocked)
    qtbot.addWidget(view)
    unlocked.sig_changed.connect(view.on_changes)
    view.refresh()
    settle(qtbot, unlocked)
    assert view.model.rowCount() == 2
    row = view.model.row_of_id(busy.id)
    assert view.model.index(row, 6).data() == str(OVERWHELMED_30_DAYS)
    assert "Overwhelmed" in view.model.index(row, 8).data()
    assert "1 overwhelmed" in view.count_label.text()
    # never verified: flagged
    assert "Never" in view.model.index(row, 5).data()
    view.search_edit.setText("digital")
    assert texts(view.proxy) == ["Craigbank Library"]
    # typed without the accent, words in any order and in any column (it found none)
    for typed in ("kettle cafe", "lunch KETTLE", "café"):
        view.search_edit.setText(typed)
        assert texts(view.proxy) == ["Kettle Café"], typed
    view.search_edit.clear()
    view.category_box.setCurrentIndex(view.category_box.findData("Food"))
    assert texts(view.proxy) == ["Kettle Café"]
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)

    monkeypatch.setattr(
        ResourceDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, existing=None: {
                "organisation": "Burnside Walkers",
                "service": "Health walks",
                "categories": ("Physical health",),
                "capacity": ResourceCapacity.OPEN,
            }
        ),
    )
    view.category_box.setCurrentIndex(0)
    view.add_button.click()
    settle(qtbot, unlocked)
    assert "Burnside Walkers" in texts(view.model)


def test_csv_import_reports_bad_rows_and_imports_good_files_and_exports(
    qtbot: Any, unlocked: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    view, reports = watched_view(qtbot, unlocked, monkeypatch)

    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "Kettle Café,Lunch club,,Food,,,,,,,,,,,,open,\n"
        + ",No organisation,,,,,,,,,,,,,,,\n"
        + "Craigbank Library,Digital drop-in,,,,,,,,,,,,,,sometimes,not a date\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(ResourcesView, "ask_import_path", classmethod(lambda cls, p: bad))
    view.import_button.click()
    settle(qtbot, unlocked)
    report = reports[-1]
    assert not report.ok and [p.line for p in report.problems] == [3, 4]
    assert view.model.rowCount() == 0  # all or nothing

    good = tmp_path / "good.csv"
    good.write_text(
        HEADER + "Kettle Café,Lunch club,,Food; Isolation,,,,,,,,,,,,open,2026-01-05\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(ResourcesView, "ask_import_path", classmethod(lambda cls, p: good))
    view.import_button.click()
    settle(qtbot, unlocked)
    assert reports[-1].ok and reports[-1].added == 1
    assert "1 added" in view.message.text()
    assert texts(view.model) == ["Kettle Café"]
    assert not view.progress.isVisible() and view.import_button.isEnabled()

    out = tmp_path / "out.csv"
    monkeypatch.setattr(ResourcesView, "ask_export_path", classmethod(lambda cls, p: out))
    view.export_button.click()
    settle(qtbot, unlocked)
    assert "Kettle Café" in out.read_text(encoding="utf-8")
    assert "Exported 1" in view.message.text()


def test_signposting_finds_a_resource_typed_without_its_accent(qtbot: Any, unlocked: Any) -> None:
    cafe = resource(qtbot, unlocked, "Kettle Café", "Lunch club", categories=("Food",))
    resource(qtbot, unlocked, "Craigbank Library", "Digital drop-in", categories=("Digital",))
    resources = call_casework(qtbot, unlocked, list_resources)
    dialog = OnwardDialog(resources)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "kettle cafe")
    assert [dialog.proxy.row_at(r).id for r in range(dialog.proxy.rowCount())] == [cafe.id]


def test_the_import_report_names_rows_as_the_spreadsheet_does(
    qtbot: Any, unlocked: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "two-lines.csv"
    bad.write_text(
        HEADER
        + 'Kettle Café,Lunch club,,Food,"1 Main St\nFlat 2",,,,,,,,,,,open,\n'
        + ",No organisation,,,,,,,,,,,,,,,\n",
        encoding="utf-8",
    )
    report = call_casework(qtbot, unlocked, import_resources_csv, bad).value
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    shown = dialog.problems.toPlainText()
    assert shown.startswith("Row 3 (line 4 of the file): ")
    assert "Organisation is needed" in shown
    assert dialog.summary.startswith("1 row could not be imported, so nothing was imported.")

    wrong = tmp_path / "wrong-columns.csv"
    wrong.write_text("organisation,service,colour\nKettle Café,Lunch club,red\n", "utf-8")
    report = call_casework(qtbot, unlocked, import_resources_csv, wrong).value
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.summary.startswith("The header row (the first, naming the columns) is not")
    assert dialog.problems.toPlainText().startswith("Row 1: Header row: missing columns")


def test_one_resource_is_counted_in_the_singular(qtbot: Any, unlocked: Any) -> None:
    resource(qtbot, unlocked, "Kettle Café", "Lunch club", categories=("Food",))
    view = ResourcesView(unlocked)
    qtbot.addWidget(view)
    view.refresh()
    settle(qtbot, unlocked)
    assert view.count_label.text() == "1 resource"
