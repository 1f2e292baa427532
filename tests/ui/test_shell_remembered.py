"""The unlock screen remembers the last vault opened (its path only) and offers it next time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from shell_kit import PASSPHRASE

from linksdesk.casework.casebook import default_vault_path
from linksdesk.ui.main_window import MainWindow
from linksdesk.ui.remembered import RememberedVault, default_settings_file
from linksdesk.ui.session import UiSession
from linksdesk.ui.unlock import UnlockOptions, UnlockScreen

pytestmark = pytest.mark.gui


def screen_for(
    qtbot: Any, session: UiSession, remembered: RememberedVault, path: Path | None = None
) -> UnlockScreen:
    screen = UnlockScreen(session, UnlockOptions(path, remembered))
    qtbot.addWidget(screen)
    screen.resize(900, 760)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def unlock_with(qtbot: Any, screen: UnlockScreen, passphrase: str) -> None:
    page = screen.open_page
    page.passphrase.setText(passphrase)
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.unlock_button.isEnabled(), timeout=20_000)


def test_the_vault_last_unlocked_is_offered_next_time_and_only_its_path_is_kept(
    qtbot: Any, ui_session: UiSession, made_vault: Path, tmp_path: Path
) -> None:
    settings_file = tmp_path / "config" / "desktop.ini"
    remembered = RememberedVault(settings_file)
    assert remembered.load() is None
    # first start: nothing remembered, the usual place is offered; the worker picks theirs
    screen = screen_for(qtbot, ui_session, remembered)
    assert screen.create_page.vault.path() == default_vault_path()
    screen.show_open()
    screen.open_page.vault.set_path(made_vault)

    unlock_with(qtbot, screen, "not the passphrase")
    assert "passphrase" in screen.open_page.message.text()
    assert remembered.load() is None  # a vault that did not open is not remembered
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        unlock_with(qtbot, screen, PASSPHRASE)
    assert remembered.load() == made_vault.resolve()

    # the file holds the path and nothing else: no passphrase, key, name or worker
    text = settings_file.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines == ["[vault]", f"last_path={made_vault.resolve()}"]
    assert PASSPHRASE not in text

    # next start (a new window, no --vault): the open page, prefilled, passphrase empty
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        ui_session.lock()
    window = MainWindow(ui_session, UnlockOptions(None, RememberedVault(settings_file)))
    qtbot.addWidget(window)
    again = window.unlock_screen
    assert again.pages.currentWidget() is again.open_page
    assert again.open_page.vault.path() == made_vault.resolve()
    assert again.open_page.passphrase.text() == ""

    # --vault still wins over the remembered one
    other = tmp_path / "elsewhere.vault"
    assert screen_for(qtbot, ui_session, remembered, other).vault_path() == other
    # a remembered vault that has gone (moved, drive not plugged in): the usual place again
    made_vault.rename(tmp_path / "moved.vault")
    assert remembered.load() is None
    gone = screen_for(qtbot, ui_session, remembered)
    assert gone.vault_path() == default_vault_path()


def test_a_vault_created_on_the_screen_is_remembered_once_its_key_is_confirmed(
    qtbot: Any, ui_session: UiSession, vault_file: Path, tmp_path: Path
) -> None:
    remembered = RememberedVault(tmp_path / "desktop.ini")
    screen = screen_for(qtbot, ui_session, remembered, vault_file)
    page = screen.create_page
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.key_page, timeout=20_000)
    assert remembered.load() is None  # not until the recovery key is confirmed stored
    screen.key_page.stored.setChecked(True)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        qtbot.mouseClick(screen.key_page.continue_button, Qt.MouseButton.LeftButton)
    assert remembered.load() == vault_file.resolve()


def test_without_a_remembered_vault_nothing_is_written(
    qtbot: Any, ui_session: UiSession, made_vault: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    # tests and the smoke test build windows without one: nothing reaches the user's config
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert default_settings_file().is_relative_to(tmp_path)
    screen = UnlockScreen(ui_session, UnlockOptions(made_vault))
    qtbot.addWidget(screen)
    assert screen.remembered is None
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        unlock_with(qtbot, screen, PASSPHRASE)
    assert list(tmp_path.rglob("*.ini")) == []
