"""Unlocking with the shipped key derivation: "Checking passphrase…", inputs off, no freeze."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from shell_kit import PASSPHRASE, on_db_thread

from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import WrongPassphraseError
from linksdesk.storage.keyfile import KDF_PROFILE_ENV, kdf_profile
from linksdesk.ui.session import UiSession
from linksdesk.ui.unlock import UnlockOptions, UnlockScreen

pytestmark = pytest.mark.gui


@pytest.fixture
def real_cost_vault(
    qtbot: Any, ui_session: UiSession, vault_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A vault whose passphrase slot has the shipped Argon2id cost (not the tests' fast one)."""
    monkeypatch.delenv(KDF_PROFILE_ENV)
    assert kdf_profile().memory_kib >= 256 * 1024

    def make() -> None:
        cb, _key = Casebook.create(vault_file, PASSPHRASE)
        cb.lock()

    on_db_thread(qtbot, ui_session, make)
    return vault_file


class Ticker:
    """Counts GUI-thread timer ticks and the longest gap between two: a frozen window
    (the key derivation on the GUI thread) would tick once, after a gap of a second."""

    def __init__(self) -> None:
        self.ticks = 0
        self.longest_gap = 0.0
        self._last = time.monotonic()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest_gap = max(self.longest_gap, now - self._last)
        self._last = now
        self.ticks += 1

    def stop(self) -> None:
        self.timer.stop()


def _screen(qtbot: Any, session: UiSession, path: Path) -> UnlockScreen:
    screen = UnlockScreen(session, UnlockOptions(path))
    qtbot.addWidget(screen)
    screen.resize(900, 700)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_unlock_shows_checking_passphrase_with_inputs_off_and_the_window_alive(
    qtbot: Any, ui_session: UiSession, real_cost_vault: Path
) -> None:
    screen = _screen(qtbot, ui_session, real_cost_vault)
    page = screen.open_page
    page.passphrase.setText(PASSPHRASE)
    started = time.monotonic()
    page.unlock_button.click()

    # at once, before the derivation ends: what the wait is for, and nothing to press twice
    assert page.busy_label.isVisible()
    assert page.busy_label.text() == "Checking passphrase…"
    assert page.busy.isVisible()
    assert not page.passphrase.isEnabled()
    assert not page.unlock_button.isEnabled()
    assert not page.vault.isEnabled()
    page.unlock_button.click()  # a second click while busy starts nothing

    ticker = Ticker()
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=60_000):
        pass
    ticker.stop()
    took = time.monotonic() - started
    assert took > 0.25, "the shipped Argon2id cost was not used"
    # the GUI thread kept running while the DB thread derived the key
    assert ticker.ticks >= 10
    assert ticker.longest_gap < took / 2
    assert not page.busy_label.isVisible()
    assert page.passphrase.text() == ""  # wiped once unlocked


def test_a_wrong_passphrase_still_gets_its_plain_message_after_the_wait(
    qtbot: Any, ui_session: UiSession, real_cost_vault: Path
) -> None:
    screen = _screen(qtbot, ui_session, real_cost_vault)
    page = screen.open_page
    page.passphrase.setText("not the passphrase at all")
    page.unlock_button.click()
    assert page.busy_label.text() == "Checking passphrase…"
    assert not page.passphrase.isEnabled()

    ticker = Ticker()
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=60_000)
    ticker.stop()
    assert ticker.ticks >= 10  # not frozen while checking a wrong one either
    assert page.message.text() == str(WrongPassphraseError())
    assert not page.busy_label.isVisible()
    assert not page.busy.isVisible()
    assert page.passphrase.isEnabled() and page.unlock_button.isEnabled()
    assert page.passphrase.selectedText() == "not the passphrase at all"  # ready to retype
    assert not ui_session.is_unlocked
