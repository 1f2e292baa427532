"""A laptop whose clock went back (a flat battery resets it to a date long past) is told so
at unlock: every date LinksDesk fills in follows the clock, and work stamped early gives way
to older work when it syncs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shell_kit import PASSPHRASE, on_db_thread, window_at_unlock

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.participants import create_participant
from linksdesk.ui.session import UiSession

THREE_YEARS_MS = 3 * 365 * 24 * 3600 * 1000


def test_a_clock_behind_the_vaults_newest_work_is_said_at_unlock_and_stays_in_view(
    qtbot: Any, ui_session: UiSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    made = tmp_path / "worker.vault"

    def make() -> None:
        # the work was saved when the clock was right; the clock now reads three years
        # earlier (as seen from the vault: its newest work lies three years ahead)
        cb, _key = Casebook.create(made, PASSPHRASE)
        real = cb.vault.clock._now_ms
        cb.vault.clock._now_ms = lambda: real() + THREE_YEARS_MS
        create_participant(cb, given_name="Alex", family_name="Example")
        cb.lock()

    on_db_thread(qtbot, ui_session, make)
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        staticmethod(lambda _parent, title, text: warned.append((title, text))),
    )
    window, page = window_at_unlock(qtbot, ui_session, made)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    qtbot.waitUntil(lambda: bool(warned), timeout=5_000)
    title, text = warned[0]
    assert title == "This laptop's clock is behind"
    assert "about 3 years behind the newest work saved in this vault" in text
    assert "dates filled in for you are wrong" in text
    assert "Set its date and time right" in text
    assert window.statusBar().currentMessage() == text  # kept in view, not a passing line
    assert len(warned) == 1
    ui_session.lock()
