"""Settings dialog: changes persist in the vault, bad values are explained, passphrase change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from shell_kit import PASSPHRASE
from synthetic import NEW_PASSPHRASE

from linksdesk.core.errors import WrongPassphraseError
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def relock_and_unlock(qtbot: Any, session: UiSession, path: Path, passphrase: str) -> None:
    with qtbot.waitSignal(session.sig_closed, timeout=20_000):
        session.lock()
    with qtbot.waitSignal(session.sig_unlocked, timeout=20_000):
        session.unlock(path, passphrase)


def test_settings_change_persists_across_a_lock(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, made_vault: Path
) -> None:
    window = unlocked_window
    window.action_settings.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.auto_lock.value() == 5  # the defaults are shown

    dialog.auto_lock.setValue(12)
    dialog.appointment_limit.setValue(0)  # "No limit"
    assert dialog.appointment_limit.text() == "No limit"
    dialog.not_seen.setValue(8)
    dialog.concerns.setPlainText("Money and benefits\nHousing\n\nLoneliness  \nHousing")
    with qtbot.waitSignal(ui_session.sig_settings_changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ui_session.idle._limit_s == 12 * 60  # the idle lock follows at once

    relock_and_unlock(qtbot, ui_session, made_vault, PASSPHRASE)
    s = ui_session.settings
    assert s.auto_lock_minutes == 12
    assert s.appointment_limit is None
    assert s.not_seen_weeks == 8
    assert s.concern_taxonomy == ("Money and benefits", "Housing", "Loneliness")


def test_a_bad_setting_is_explained_inline_and_nothing_is_saved(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    window.open_settings()
    dialog = window.settings_dialog
    dialog.concerns.setPlainText("   \n")
    failures: list[Any] = []
    ui_session.runner.sig_failed.connect(lambda _id, exc: failures.append(exc))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert dialog.isVisible()
    assert dialog.message.isVisible()
    assert "concerns cannot be empty" in dialog.message.text()
    assert ui_session.settings.concern_taxonomy  # unchanged
    assert window.statusBar().currentMessage() == ""  # said once, where it belongs


def test_change_passphrase_from_settings(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, made_vault: Path
) -> None:
    window = unlocked_window
    window.open_settings()
    dialog = window.settings_dialog
    dialog.tabs.setCurrentIndex(1)

    dialog.current.setText(PASSPHRASE)
    dialog.new.setText(NEW_PASSPHRASE)
    assert dialog.strength.label.text()
    dialog.repeat.setText(NEW_PASSPHRASE + "!")
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.passphrase_message.text()

    dialog.repeat.setText(NEW_PASSPHRASE)
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.passphrase_message.kind == "success", timeout=20_000)
    assert dialog.current.text() == dialog.new.text() == dialog.repeat.text() == ""

    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        ui_session.lock()
    failures: list[BaseException] = []
    ui_session.unlock(made_vault, PASSPHRASE, on_error=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=20_000)
    assert isinstance(failures[0], WrongPassphraseError)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(made_vault, NEW_PASSPHRASE)
