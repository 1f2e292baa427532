"""Bundles in the window: export from the File menu with progress, import into a supervisor's
vault where an unknown signer is accepted only after a person ticks its fingerprint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor
from shell_kit import PASSPHRASE, window_at_unlock

from linksdesk.storage.vault import Vault
from linksdesk.sync.bundle import keys
from linksdesk.ui.bundle_dialogs import ExportBundleDialog, ImportBundleDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_export_from_the_menu_then_import_accepting_the_signer(
    qtbot: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    sup = Supervisor.create(tmp_path)
    recipient, sup_path = sup.recipient, sup.path
    sup.vault.lock()
    lap = Laptop.create(tmp_path, "laptop")
    lap.person(given_name="Ailsa")
    lap_path = lap.path
    lap.close()

    window, page = window_at_unlock(qtbot, ui_session, lap_path)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    file_menu = window.menuBar().actions()[0].menu()
    assert window.action_export_bundle in file_menu.actions()
    assert window.action_import_bundle in file_menu.actions()

    window.action_export_bundle.trigger()
    dialog = window.findChild(ExportBundleDialog)
    assert dialog is not None
    out = tmp_path / "for-supervisor.age"
    dialog.ok_button.click()  # nothing filled in: a plain message, nothing written
    assert dialog.message.isVisible() and not out.exists()
    dialog.recipients.setPlainText(recipient)
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.ok_button.click()
    assert out.exists() and Path(f"{out}.minisig").exists()
    assert dialog.result_info.counts["participant"] == 1

    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        window.lock()
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(sup_path, PASSPHRASE)
    importer = ImportBundleDialog.ask(ui_session, window)
    importer.path.setText(str(out))
    importer.ok_button.click()
    qtbot.waitUntil(lambda: importer.accept_signer.isVisible(), timeout=30_000)
    assert "does not know" in importer.message.text()
    assert importer.fingerprint.replace(" ", "") in importer.accept_signer.text().replace(" ", "")
    importer.accept_signer.setChecked(True)
    with qtbot.waitSignal(importer.accepted, timeout=30_000):
        importer.ok_button.click()
    assert importer.result_info.applied >= 3 and importer.result_info.trusted_now
    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        window.lock()


def test_a_supervisor_vault_is_created_in_the_app(
    qtbot: Any, ui_session: UiSession, vault_file: Path
) -> None:
    from test_shell_unlock import create_through_screen, make_screen

    screen = make_screen(qtbot, ui_session, vault_file)
    screen.create_page.supervisor.setChecked(True)
    create_through_screen(qtbot, screen)
    screen.key_page.stored.setChecked(True)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        screen.key_page.continue_button.click()
    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        ui_session.lock()
    vault = Vault.unlock(vault_file, PASSPHRASE)
    try:
        assert vault.setting(keys.VAULT_KIND) == keys.SUPERVISOR
        assert vault.setting(keys.SIGNING_KEY) is not None  # made with the vault
    finally:
        vault.lock()
