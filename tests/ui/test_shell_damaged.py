"""A damaged vault opens read-only (issue 9), and the window says so at unlock, not at the
worker's first save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shell_kit import PASSPHRASE, on_db_thread, window_at_unlock
from vault_kit import damaged_copies, fill

from linksdesk.casework.casebook import Casebook
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy
from linksdesk.ui.session import UiSession


def _damaged_copy(tmp_path: Path, made: Path) -> Path | None:
    """A copy of ``made`` with one middle page damaged that still unlocks (read-only)."""
    for trial, _page in damaged_copies(tmp_path, made):
        try:
            cb = Casebook.unlock(trial, PASSPHRASE)
        except Exception:
            continue  # unlock itself needed that page: refused plainly (tested in storage)
        read_only = cb.read_only_reason is not None
        cb.lock()
        if read_only:
            return trial
    return None


def test_a_damaged_vault_says_read_only_and_backup_at_unlock(
    qtbot: Any, ui_session: UiSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    made = tmp_path / "made" / "worker.vault"

    def make() -> Path | None:
        vault, _ = Vault.create(made, PASSPHRASE)
        fill(vault.store(SyncPolicy()), participants=8, notes_each=6)
        vault.lock()
        return _damaged_copy(tmp_path, made)

    damaged = on_db_thread(qtbot, ui_session, make)
    assert damaged is not None, "no damaged middle page left the vault openable"

    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _parent, _title, text: warned.append(text))
    )
    window, page = window_at_unlock(qtbot, ui_session, damaged)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    qtbot.waitUntil(lambda: bool(warned), timeout=5_000)
    assert "read-only" in warned[0] and "backup" in warned[0]
    assert "read-only" in window.statusBar().currentMessage()
    ui_session.lock()


def test_a_sound_vault_says_nothing_of_read_only(
    qtbot: Any, unlocked_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "read-only" not in unlocked_window.statusBar().currentMessage()
    assert "clock" not in unlocked_window.statusBar().currentMessage()  # nor of its clock
