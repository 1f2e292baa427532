"""File › Import a bundle… when a laptop's bundle brings a participant another worker's
laptop said was erased: the import says so in the window (not only a moment in the status
bar), without a name or id, and the window stays open for the server's team bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shiboken6
from bundle_kit import Laptop, Supervisor, bundle_of, fingerprint_of, signed_by_laptop
from shell_kit import PASSPHRASE

from linksdesk.sync.bundle import export, receive
from linksdesk.sync.bundle.format import erase_record
from linksdesk.ui.bundle_dialogs import ImportBundleDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def _left_out_on_import(tmp_path: Path) -> tuple[Path, Path, str]:
    """A supervisor's vault that took A's laptop's erasure of B's participant first (and
    knows B's laptop), and B's honest bundle not yet imported: the vault, the bundle and
    B's participant. Everything closed."""
    sup = Supervisor.create(tmp_path)
    a, b = Laptop.create(tmp_path, "worker-a"), Laptop.create(tmp_path, "worker-b")
    theirs = b.person()
    a.person()
    with a.store.read() as s:
        mine = export.caseload_changes(s, a.store.worker_id).changes
    gone = erase_record(
        "00000000-0000-4000-8000-0000000000e5",
        theirs,
        a.store.clock.now().encode(),
        origin=a.store.device_id,
        owner=a.store.worker_id,
    )
    said = signed_by_laptop(a, sup, tmp_path / "a.age", [*mine, gone])
    receive.import_bundle(sup.store, said, trust=fingerprint_of(a))
    honest = bundle_of(b, sup, tmp_path / "b.age")
    known = signed_by_laptop(b, sup, tmp_path / "first.age", [])
    receive.import_bundle(sup.store, known, trust=fingerprint_of(b))
    for lap in (a, b):
        lap.close()
    sup.vault.lock()
    return sup.path, honest, theirs


def test_a_participant_left_out_is_said_in_the_import_window(
    qtbot: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    vault, honest, theirs = _left_out_on_import(tmp_path)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(vault, PASSPHRASE)
    try:
        dialog = ImportBundleDialog.ask(ui_session, None)
        dialog.path.setText(str(honest))
        dialog.ok_button.click()
        qtbot.waitUntil(
            lambda: not shiboken6.isValid(dialog) or dialog.job_id is None, timeout=30_000
        )
        assert shiboken6.isValid(dialog), "the window closed on a participant left out"
        text = dialog.message.text()
        assert dialog.message.kind == "warning"
        assert "1 participant in this bundle was left out" in text
        assert theirs not in text
        assert dialog.ok_button.isEnabled()  # the team's bundle next, in this window
        dialog.close()
    finally:
        with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
            ui_session.lock()
