"""Text the worker copies with Ctrl+C from LinksDesk's own fields is cleared like a Copy button's.

The setting reads "Clear copied text after N seconds". The GP summary's Copy text button kept
that promise, but selecting the same preview and pressing Ctrl+C (what many do) left the
person's name, date of birth and notes on the clipboard for good, and with no hint asking
clipboard histories (Windows' Win+V, Klipper) not to keep them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from test_tired_gp_summary import gp_dialog

from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

HISTORY_HINT = 'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"'


@pytest.fixture
def owned_here(ui_session: UiSession) -> Iterator[None]:
    """The offscreen platform cannot tell who owns the clipboard; a desktop's does: it says
    this process does after Ctrl+C in one of its fields. Put back after (a session of an
    earlier test may still be listening)."""
    guard = ui_session.clipboard
    system = guard.copied_here
    guard.copied_here = lambda: True
    yield
    guard.copied_here = system


def _ctrl_c_in_preview(qtbot: Any, dialog: Any) -> str:
    dialog.preview.setFocus()
    qtbot.keyClick(dialog.preview, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.preview, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    shown = dialog.preview.toPlainText()
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: clipboard.text() == shown, timeout=5_000)
    return shown


def test_ctrl_c_from_the_gp_summary_preview_is_cleared_after_the_delay(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, owned_here: None
) -> None:
    who, dialog, _written = gp_dialog(qtbot, unlocked_window, ui_session)
    ui_session.clipboard.set_clear_ms(300)
    shown = _ctrl_c_in_preview(qtbot, dialog)
    assert who.given_name in shown  # what is at stake: the person's details
    data = QGuiApplication.clipboard().mimeData()
    assert data is not None and data.hasFormat(HISTORY_HINT)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=5_000)
    dialog.reject()


def test_ctrl_c_text_goes_at_the_lock_too(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, owned_here: None
) -> None:
    _who, dialog, _written = gp_dialog(qtbot, unlocked_window, ui_session)
    _ctrl_c_in_preview(qtbot, dialog)
    unlocked_window.action_lock.trigger()
    assert QGuiApplication.clipboard().text() == ""


def test_another_programs_text_is_never_taken_for_ours(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    ui_session.clipboard.set_clear_ms(200)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("a shopping list")  # the system says this process does not own it
    qtbot.wait(600)
    assert clipboard.text() == "a shopping list"
    clipboard.clear()


def test_window_titles_the_system_shows_name_no_one(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The task bar, Alt+Tab and screen-sharing pickers list windows by title: the main
    window and the GP summary (open while the worker pastes into the practice's system) give
    the page and the programme id, never the person's name."""
    who, dialog, _written = gp_dialog(qtbot, unlocked_window, ui_session)
    for title in (unlocked_window.windowTitle(), dialog.windowTitle()):
        assert who.given_name not in title and who.family_name not in title, title
    assert who.programme_id in dialog.windowTitle()
    dialog.reject()
