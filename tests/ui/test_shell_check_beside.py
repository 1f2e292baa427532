"""The window unlocks with the page check beside its first screen (issue 15).

The first screen does not wait for the check; the unlock audit is written once it passes.
A damaged page found after the first screen is shown turns the window read-only as a
damaged vault at unlock does (the same warning, once, and the status line); a save made
while the check ran is refused with the damaged vault's message, and not a byte of the
file changes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from shell_kit import PASSPHRASE, on_db_thread, window_at_unlock
from test_shell_damaged import _damaged_copy
from vault_kit import WAIT_S, fill, hold_page_check, raw_connection, side_files

from linksdesk.casework import participants as P
from linksdesk.storage import keyfile
from linksdesk.storage.engine import VaultDamagedError
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def _bytes_of(path: Path) -> tuple[bytes, int, bytes, int]:
    kpath = keyfile.keyfile_path(path)
    return path.read_bytes(), path.stat().st_mtime_ns, kpath.read_bytes(), kpath.stat().st_mtime_ns


def test_damage_found_after_the_first_screen_turns_the_window_read_only_and_writes_nothing(
    qtbot: Any, ui_session: UiSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    made = tmp_path / "made" / "worker.vault"

    def make() -> tuple[list[str], Path | None]:
        vault, _ = Vault.create(made, PASSPHRASE)
        ids = fill(vault.store(SyncPolicy()), participants=8, notes_each=6)
        vault.lock()
        return ids, _damaged_copy(tmp_path, made)

    _ids, damaged = on_db_thread(qtbot, ui_session, make)
    assert damaged is not None, "no damaged middle page left the vault openable"
    before = _bytes_of(damaged)
    held = hold_page_check(monkeypatch)
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _parent, _title, text: warned.append(text))
    )
    window, page = window_at_unlock(qtbot, ui_session, damaged)
    try:
        with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
            page.unlock_button.click()
        # the first screen is up while every page is still being checked
        assert not held.ended.is_set() and not warned
        assert "read-only" not in window.statusBar().currentMessage()

        # a save made now waits for the check (on the DB thread, the vault's one writer)
        errors: list[BaseException] = []
        ui_session.call(
            P.create_participant,
            given_name="Robin",
            family_name="Example",
            referred_on=dt.date(2026, 1, 6),
            on_error=errors.append,
        )
        qtbot.waitUntil(held.arrived.is_set, timeout=int(WAIT_S * 1000))
        assert not held.ended.is_set() and not errors
        held.release.set()

        qtbot.waitUntil(lambda: bool(errors), timeout=20_000)
        assert isinstance(errors[0], VaultDamagedError)
        qtbot.waitUntil(lambda: bool(warned), timeout=20_000)
        assert len(warned) == 1 and "read-only" in warned[0] and "backup" in warned[0]
        assert "read-only" in window.statusBar().currentMessage()
        assert ui_session.read_only_reason is not None
    finally:
        held.release.set()
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        ui_session.lock()
    assert len(warned) == 1  # said once, not again at the lock
    assert _bytes_of(damaged) == before  # not the note, the draft or the unlock audit
    assert side_files(damaged) == []


def test_the_first_screen_shows_before_the_check_ends_and_the_unlock_is_audited_after(
    qtbot: Any, ui_session: UiSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    made_vault = tmp_path / "worker.vault"

    def make() -> list[tuple[str, int]]:
        vault, _ = Vault.create(made_vault, PASSPHRASE)
        fill(vault.store(SyncPolicy()), participants=8, notes_each=2)
        vault.lock()
        return _audit_events(made_vault)

    before = on_db_thread(qtbot, ui_session, make)
    held = hold_page_check(monkeypatch)
    window, page = window_at_unlock(qtbot, ui_session, made_vault)
    try:
        with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
            page.unlock_button.click()
        with qtbot.waitSignal(window.caseload_view.sig_rows_loaded, timeout=20_000):
            window.show_view("caseload")
        assert not held.ended.is_set()  # Today and the caseload are shown; still checking
        held.release.set()
        qtbot.waitUntil(lambda: _audit_events(made_vault)[-1][0] == "unlock", timeout=20_000)
    finally:
        held.release.set()
    after = _audit_events(made_vault)[len(before) :]
    assert [action for action, _ in after] == ["unlock"]
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        ui_session.lock()
    assert "read-only" not in window.statusBar().currentMessage()


def _audit_events(path: Path) -> list[tuple[str, int]]:
    """The vault's audit actions, read through a connection that writes nothing."""
    with raw_connection(path) as conn:
        return [
            (str(a), int(n))
            for a, n in conn.execute("SELECT action, seq FROM audit_event ORDER BY seq")
        ]
