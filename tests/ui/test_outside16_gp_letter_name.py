"""File › GP summary… › Save as PDF, and the Print record preview's Save as PDF…, a name
typed without ".pdf" where a document of that name is already saved. Outside checker,
round 16."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from test_screen_record_documents import _open, _plant, _preview
from test_tired_gp_summary import gp_dialog

from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def _typed(monkeypatch: Any, path: Path) -> None:
    """The file dialog: the worker types ``path``'s name; no file of that very name is
    there, so the dialog has nothing to ask about replacing."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def _answer(button: QMessageBox.StandardButton, asked: list[str]) -> None:
    """Answer the next question (noting its text) with ``button``."""

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, QMessageBox):
            asked.append(w.text())
            w.button(button).click()
        elif time.monotonic() < deadline:
            QTimer.singleShot(10, poll)

    deadline = time.monotonic() + 15
    QTimer.singleShot(0, poll)


def test_a_name_typed_without_pdf_does_not_replace_another_letter_unasked(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    earlier = tmp_path / "letter.pdf"
    earlier.write_bytes(b"%PDF-1.4 the letter for last week's participant\n")
    before = earlier.read_bytes()
    _typed(monkeypatch, tmp_path / "letter")
    _who, dialog, _notes = gp_dialog(qtbot, unlocked_window, ui_session)
    asked: list[str] = []
    _answer(QMessageBox.StandardButton.No, asked)
    dialog.save_button.click()
    qtbot.waitUntil(
        lambda: "letter" in dialog.message.text() or not dialog.isVisible(), timeout=20_000
    )
    qtbot.wait(200)
    assert earlier.read_bytes() == before  # last week's letter is as it was
    assert len(asked) == 1 and "letter.pdf" in asked[0] and "Replace" in asked[0]
    assert "not saved" in dialog.message.text()

    # asked again, the worker means it this time: the letter is replaced, whole
    _answer(QMessageBox.StandardButton.Yes, asked)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: earlier.read_bytes() != before, timeout=20_000)
    assert len(asked) == 2
    assert earlier.read_bytes().startswith(b"%PDF") and b"last week" not in earlier.read_bytes()
    qtbot.waitUntil(lambda: "Saved the letter as letter.pdf" in dialog.message.text())
    dialog.reject()


def test_the_print_preview_asks_too_and_a_new_name_is_not_asked_about(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    window = unlocked_window
    planted = _plant(qtbot, ui_session)
    _open(qtbot, window, planted.participant_id)
    preview = _preview(qtbot, window, monkeypatch)

    earlier = tmp_path / "record.pdf"
    earlier.write_bytes(b"%PDF-1.4 another participant's record\n")
    before = earlier.read_bytes()
    asked: list[str] = []
    _typed(monkeypatch, tmp_path / "record")
    _answer(QMessageBox.StandardButton.No, asked)
    preview.save_action.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    qtbot.wait(200)
    assert "record.pdf" in asked[0]
    assert earlier.read_bytes() == before

    _answer(QMessageBox.StandardButton.Yes, asked)
    preview.save_action.trigger()
    qtbot.waitUntil(lambda: earlier.read_bytes() != before, timeout=20_000)
    assert len(asked) == 2 and b"another participant" not in earlier.read_bytes()

    # a name of its own: saved with .pdf added, nothing asked
    _typed(monkeypatch, tmp_path / "fresh")
    preview.save_action.trigger()
    qtbot.waitUntil((tmp_path / "fresh.pdf").exists, timeout=20_000)
    assert len(asked) == 2
    preview.reject()
