"""Settings… and Name workers…: Escape or Cancel with something typed asks first.

The user guide: Escape (or Cancel) with words written in a dialog asks before throwing them
away. Settings… (note templates, concerns, programme words typed at length) and the
supervisor's Name workers… closed on one key with everything typed gone (outside check 20
found it by reading; the merge dialog's own test is test_outside20_merge_escape). Nothing
typed, they close at once; a lock closes them without asking."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_tired_outcome_note import answer_box

from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

TEMPLATE = "Home visit\nWho was there:\nWhat we agreed:"


def test_settings_changed_ask_before_escape_throws_them_away(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    weeks = ui_session.settings.not_seen_weeks
    window.action_settings.trigger()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing changed: closed at once
    assert not dialog.isVisible()

    window.action_settings.trigger()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)
    dialog.not_seen.setValue(weeks + 3)
    dialog.templates.setPlainText(TEMPLATE)
    seen: dict[str, Any] = {}
    answer_box(QMessageBox.StandardButton.Cancel, seen)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert "Discard" in seen.get("question", ""), "one Escape threw the settings away"
    assert dialog.isVisible() and dialog.templates.toPlainText() == TEMPLATE
    assert dialog.not_seen.value() == weeks + 3

    answer_box(QMessageBox.StandardButton.Discard, seen)
    dialog.reject()  # Cancel, then Discard
    assert not dialog.isVisible()
    assert ui_session.settings.not_seen_weeks == weeks  # nothing saved

    window.action_settings.trigger()
    dialog = window.settings_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)
    dialog.not_seen.setValue(weeks + 1)
    seen.clear()
    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        window.action_lock.trigger()
    assert not dialog.isVisible() and "question" not in seen  # the lock asks nothing
