"""Outside check 17: a supervisor in a hurry clicks Export report… and locks the vault
(Ctrl+L, or the idle lock) before the report is written. Nothing is written, which is right;
but the dashboard kept its "Export report…" button greyed out after the next unlock, so the
supervisor could write no report until LinksDesk was restarted. A real supervisor's vault,
offscreen."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from screens_kit import settle, unlock_again
from shell_kit import PASSPHRASE, on_db_thread, window_at_unlock

from linksdesk.casework import bundles
from linksdesk.ui.views.supervision import ExportChoice, ExportDialog

pytestmark = pytest.mark.gui


def test_locking_while_a_report_is_written_leaves_export_usable_after_unlock(
    qtbot: Any, ui_session: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    path = tmp_path / "sup.vault"

    def make() -> None:
        cb, _key = bundles.create_vault(path, PASSPHRASE, supervisor=True)
        cb.lock()

    on_db_thread(qtbot, ui_session, make)
    window, page = window_at_unlock(qtbot, ui_session, path)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: window.current_view_key() == "supervision", timeout=20_000)
    view = window.supervision_view
    settle(qtbot, ui_session)
    out = tmp_path / "board.xlsx"
    monkeypatch.setattr(ExportDialog, "asked", lambda _d: ExportChoice("xlsx", "external", out))

    # the DB thread is busy (a dashboard refresh, an import) when Export is clicked
    busy = threading.Event()
    ui_session.runner.submit(lambda: busy.wait(20))
    view.export_button.click()
    assert not view.export_button.isEnabled()  # while the report is being written
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        ui_session.lock()  # before the report was written
        busy.set()
    assert not out.exists()  # nothing written: the lock came first

    unlock_again(qtbot, window, ui_session)
    qtbot.waitUntil(lambda: window.current_view_key() == "supervision", timeout=20_000)
    assert view.export_button.isEnabled()  # the supervisor can write the report now
    assert not view.progress.isVisible()
