"""Round 26: a supervisor's Monday morning through the windows: workers' bundles from a USB
stick, one after another; the Team dashboard filtered and seen as a board sees it; the
board's report exported, twice. Real vaults, real age and minisign files, synthetic people."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from bundle_kit import Laptop, Supervisor, signed_by_laptop, trusted_by
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QPushButton
from screens_kit import settle
from shell_kit import PASSPHRASE, window_at_unlock

from linksdesk.reports.scope import Period
from linksdesk.ui.bundle_dialogs import ImportBundleDialog
from linksdesk.ui.views.supervision import ExportDialog, SupervisionView

pytestmark = pytest.mark.gui


@pytest.fixture
def monday(qtbot: Any, ui_session: Any, tmp_path: Path) -> dict[str, Any]:
    """The supervisor's window, unlocked; a stick holding two known workers' bundles (A's,
    and B's of this month, four and three people more than the vault has of them)."""
    sup = Supervisor.create(tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    out: dict[str, Any] = {"usb": usb}
    for label, people in (("a", 4), ("b", 3)):
        lap = Laptop.create(tmp_path, f"worker-{label}")
        (tmp_path / label).mkdir()
        trusted_by(sup, lap, tmp_path / label)  # their bundles came before
        for i in range(people):
            lap.contact(lap.person(given_name=f"Ailsa{label}{i}"))
        out[label] = signed_by_laptop(lap, sup, usb / f"caseload-{label}-2026-12.age")
        lap.close()
    sup.vault.lock()
    window, page = window_at_unlock(qtbot, ui_session, sup.path)
    window.resize(1280, 860)
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, ui_session)
    out["window"] = window
    return out


def importing(qtbot: Any, ui_session: Any, window: Any, path: Path) -> ImportBundleDialog:
    """File › Import a bundle…, the path typed, Import pressed: the dialog once answered."""
    dialog = ImportBundleDialog.ask(ui_session, window)
    qtbot.waitExposed(dialog)
    dialog.path.setText(str(path))
    dialog.ok_button.click()
    qtbot.waitUntil(
        lambda: (
            not shiboken6.isValid(dialog) or not dialog.isVisible() or dialog.message.isVisible()
        ),
        timeout=30_000,
    )
    settle(qtbot, ui_session)
    return dialog


def dashboard_at(qtbot: Any, ui_session: Any, window: Any) -> SupervisionView:
    """The Team dashboard, its period the year of the referrals (whatever today is)."""
    window.show_view("supervision")
    view: SupervisionView = window.supervision_view
    view.set_period(Period.parse("2026-01..2026-12"))
    view.show_button.click()
    settle(qtbot, ui_session)
    return view


def exporting(qtbot: Any, ui_session: Any, view: SupervisionView, fill: Any) -> ExportDialog:
    """Export report… pressed and the dialog ``fill``ed by keys (it answers or stays open)."""
    seen: list[ExportDialog] = []

    def answer() -> None:
        dialog = next(d for d in view.findChildren(ExportDialog) if d.isVisible())
        seen.append(dialog)
        fill(dialog)

    QTimer.singleShot(200, answer)
    qtbot.keyClick(view.export_button, Qt.Key.Key_Space)
    settle(qtbot, ui_session)
    qtbot.waitUntil(view.export_button.isEnabled, timeout=30_000)
    return seen[0]


def typed(qtbot: Any, dialog: ExportDialog, path: Path) -> None:
    """The file name typed over the suggested one, then Enter."""
    dialog.path_edit.setFocus()
    dialog.path_edit.selectAll()
    qtbot.keyClicks(dialog.path_edit, str(path))
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"],
                          check=True, capture_output=True, text=True).stdout  # fmt: skip


def test_a_board_report_named_pdf_is_a_pdf(
    qtbot: Any, ui_session: Any, monday: dict[str, Any], tmp_path: Path
) -> None:
    """The supervisor typed board.pdf and pressed Enter, the format box left at its first
    choice: "Report written to …board.pdf", and the file was a spreadsheet the board's PDF
    reader could not open."""
    window = monday["window"]
    importing(qtbot, ui_session, window, monday["a"])
    view = dashboard_at(qtbot, ui_session, window)
    board = tmp_path / "board.pdf"
    dialog = exporting(qtbot, ui_session, view, lambda d: typed(qtbot, d, board))
    assert f"Report written to {board}." in view.message.text()
    assert board.read_bytes().startswith(b"%PDF"), board.read_bytes()[:4]
    assert "Caseload per worker" in pdf_text(board)
    assert dialog.format_box.currentData() == "pdf"  # the box said what was written


def test_the_second_export_starts_from_the_first_and_a_file_there_is_said_in_the_dialog(
    qtbot: Any, ui_session: Any, monday: dict[str, Any], tmp_path: Path
) -> None:
    """The board's PDF written, then the same again by mistake: "…already exists" came on the
    dashboard once the dialog had shut, and the dialog opened afresh on a spreadsheet in the
    home folder, the PDF and the folder chosen to be chosen all over again."""
    window = monday["window"]
    importing(qtbot, ui_session, window, monday["a"])
    view = dashboard_at(qtbot, ui_session, window)
    board = tmp_path / "board" / "board.pdf"
    board.parent.mkdir()

    def first(dialog: ExportDialog) -> None:
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
        typed(qtbot, dialog, board)

    exporting(qtbot, ui_session, view, first)
    assert board.exists()
    said: dict[str, Any] = {}

    def again(dialog: ExportDialog) -> None:
        said["format"] = dialog.format_box.currentData()
        said["folder"] = Path(dialog.path_edit.text()).parent
        typed(qtbot, dialog, board)  # the same name again: said here, the dialog kept
        said["open"] = dialog.isVisible()
        if not said["open"]:
            return
        said["message"] = dialog.message.text()
        typed(qtbot, dialog, board.with_name("board-2.pdf"))

    exporting(qtbot, ui_session, view, again)
    assert said["format"] == "pdf" and said["folder"] == board.parent, said
    assert said["open"] and "is there already" in said["message"], said
    assert board.with_name("board-2.pdf").read_bytes().startswith(b"%PDF")


def test_the_board_view_and_a_worker_chosen_show_at_once(
    qtbot: Any, ui_session: Any, monday: dict[str, Any]
) -> None:
    """Ticking "As a board sees it (small numbers hidden)" left the exact small counts on
    screen, and a worker chosen left everyone's figures under the filter naming one worker,
    until Show was pressed; Export report… then wrote what the filters said, not what was
    seen."""
    window = monday["window"]
    importing(qtbot, ui_session, window, monday["a"])
    view = dashboard_at(qtbot, ui_session, window)

    def caseload() -> list[tuple[Any, ...]]:
        assert view.report is not None
        return [tuple(r) for r in view.report.section("caseload").table("caseload").rows]

    assert len(caseload()) == 3  # A and B, known from before, and the team
    view.external_check.setFocus()
    qtbot.keyClick(view.external_check, Qt.Key.Key_Space)
    settle(qtbot, ui_session)
    assert view.report is not None and view.report.audience == "external"
    hidden = [c for r in caseload() for c in r[1:]]  # None: shown as "c"
    assert None in hidden and all(c in (None, 0) or c >= 10 for c in hidden), hidden
    view.external_check.setChecked(False)
    view.worker_box.setFocus()
    qtbot.keyClick(view.worker_box, Qt.Key.Key_Down)
    settle(qtbot, ui_session)
    assert view.report is not None and view.report.audience == "internal"
    assert [r[0] for r in caseload()] == [view.worker_box.currentText(), "All workers"]
    assert view.worker_box.currentText() in view.as_of_label.text()


def test_the_next_bundle_is_chosen_from_the_stick_the_last_came_from(
    qtbot: Any, ui_session: Any, monday: dict[str, Any], monkeypatch: Any
) -> None:
    """Four bundles on a stick, one import each: Choose… opened every time in the folder the
    app started in, and the stick was looked for again four times."""
    window, usb = monday["window"], monday["usb"]
    importing(qtbot, ui_session, window, monday["a"])  # typed, as the first one was
    asked: list[str] = []

    def chooser(_parent: Any, _title: str, folder: str, _filter: str) -> tuple[str, str]:
        asked.append(folder)
        return str(monday["b"]), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", chooser)
    dialog = ImportBundleDialog.ask(ui_session, window)
    qtbot.waitExposed(dialog)
    choose = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Choose…")
    qtbot.keyClick(choose, Qt.Key.Key_Space)
    assert asked and Path(asked[0]) == usb, asked
    assert dialog.path.text() == str(monday["b"])
    dialog.reject()
