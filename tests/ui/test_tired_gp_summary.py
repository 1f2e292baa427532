"""A tired worker's GP summary: a note of odd pasted text, copied and saved as a letter, the
summary changed after copying, and GP consent withdrawn while the dialog is open."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from documents_kit import pdf_text
from PySide6.QtGui import QGuiApplication
from screens_kit import person
from shell_kit import call_casework
from test_tired_odd_text import ODD

from linksdesk.casework import consent, notes
from linksdesk.core.changes import Changes
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

PASTED = f"Smiled 🙂 at the end. {ODD} " + "then a very long line without a break " * 40
LATER = "Second meeting at the library"


def gp_dialog(qtbot: Any, window: Any, session: UiSession) -> tuple[Any, Any, list[Any]]:
    """A person who agreed to share with their GP, with two notes (the first pasted, no
    contact yet), their record open and File › GP summary… up: the person, the dialog, the
    notes."""
    who = person(qtbot, session)
    call_casework(qtbot, session, consent.record_consent, who.id, "gp", True)
    written = [
        call_casework(qtbot, session, notes.write_note, who.id, text).value
        for text in (PASTED, LATER)
    ]
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    window.action_gp_summary.trigger()
    dialog = window.record_documents.gp_dialog
    qtbot.waitUntil(lambda: "none attended yet" in dialog.preview.toPlainText(), timeout=20_000)
    session.clipboard.set_clear_ms(60_000)  # as the worker's own 30 s: not gone while we look
    return who, dialog, written


def test_odd_pasted_text_reaches_the_clipboard_as_shown_and_the_letter_in_its_own_order(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _who, dialog, written = gp_dialog(qtbot, unlocked_window, ui_session)
    dialog.note_boxes[written[0].id].setChecked(True)
    qtbot.waitUntil(lambda: "🙂" in dialog.preview.toPlainText(), timeout=20_000)
    shown = dialog.preview.toPlainText()
    dialog.copy_button.click()
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: "Copied" in dialog.message.text(), timeout=20_000)
    assert clipboard.text() == shown  # what is pasted is what the worker read
    assert "مجموعة المشي — שלום" in shown and "then a very long line" in shown

    caplog.set_level(logging.INFO)
    dialog.save_pdf_to(tmp_path / "letter")
    saved = tmp_path / "letter.pdf"
    qtbot.waitUntil(saved.exists, timeout=20_000)
    letter = pdf_text(saved)
    # an emoji the font cannot draw is named, not dropped without a word; Hebrew and Arabic
    # read in their own order (they printed backwards, letter by letter)
    assert "Smiled [slightly smiling face] at" in letter and "Tuesday [pedestrian]" in letter
    assert "שלום" in letter and "مجموعة" in letter
    assert "missing the following glyphs" not in caplog.text  # no note characters in the log
    dialog.reject()


def test_a_summary_changed_after_copying_takes_the_old_one_off_the_clipboard(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    _who, dialog, written = gp_dialog(qtbot, unlocked_window, ui_session)
    dialog.copy_button.click()
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: "Copied" in dialog.message.text(), timeout=20_000)
    assert clipboard.text() == dialog.preview.toPlainText()

    dialog.note_boxes[written[1].id].setChecked(True)  # one more note ticked after copying
    qtbot.waitUntil(lambda: LATER in dialog.preview.toPlainText(), timeout=20_000)
    assert clipboard.text() == ""
    assert "copy it again" in dialog.message.text()
    dialog.reject()


def test_gp_consent_withdrawn_while_the_dialog_is_open_takes_the_summary_away(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who, dialog, _written = gp_dialog(qtbot, unlocked_window, ui_session)
    dialog.copy_button.click()
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: "Copied" in dialog.message.text(), timeout=20_000)
    assert clipboard.text() == dialog.preview.toPlainText()

    # the person says no on the phone to a colleague; the change arrives by sync
    call_casework(qtbot, ui_session, consent.record_consent, who.id, "gp", False)
    ui_session.sig_changed.emit(Changes())
    qtbot.waitUntil(lambda: "says no" in dialog.message.text(), timeout=20_000)
    assert dialog.preview.toPlainText() == ""
    assert not dialog.copy_button.isEnabled() and not dialog.save_button.isEnabled()
    assert clipboard.text() == ""  # what was copied before may not be pasted now
    dialog.reject()


def test_the_summary_closes_by_itself_when_the_vault_locks(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Like the other dialogs over the vault it closes at a lock on its own, not only because
    the window closes what it shows: opened over a widget of its own, it is not left up with
    the summary to read."""
    from PySide6.QtWidgets import QWidget

    from linksdesk.ui.dialogs.gp_summary import GpSummaryDialog

    who, shown, written = gp_dialog(qtbot, unlocked_window, ui_session)
    shown.reject()
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    dialog = GpSummaryDialog.show_for(ui_session, who.id, who.programme_id, written, elsewhere)
    qtbot.waitUntil(lambda: "none attended yet" in dialog.preview.toPlainText(), timeout=20_000)
    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        unlocked_window.lock()
    assert not dialog.isVisible()
    assert dialog.preview.toPlainText() == ""
