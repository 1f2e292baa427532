"""A supervisor imports the team's roster from the server (File › Import a bundle…, the
roster file) to see every worker of the team on the Team dashboard, bundles or not. The
dashboard's caseload went on listing only the workers it had read before, until Show was
pressed: a roster import told no view anything had changed. Real vaults and signed files;
synthetic people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, roster_file
from screens_kit import settle
from shell_kit import PASSPHRASE, window_at_unlock

from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle.signing import SigningKey
from linksdesk.ui.bundle_dialogs import ImportBundleDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def caseload_rows(view: Any) -> list[str]:
    caseload = view.report.section("caseload").table("caseload") if view.report else None
    return [str(row[0]) for row in caseload.rows] if caseload is not None else []


def test_the_dashboard_lists_the_rosters_workers_once_it_is_imported(
    qtbot: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    sup = Supervisor.create(tmp_path)
    lap, colleague = Laptop.create(tmp_path, "laptop"), Laptop.create(tmp_path, "colleague")
    lap.contact(lap.person())
    bundle = tmp_path / "caseload.age"
    export.export_to_file(lap.store, bundle, kind="supervision", recipients=[sup.recipient])
    receive.import_bundle(sup.store, bundle, trust=keys.signing_key(lap.store).public.fingerprint)
    server = SigningKey.generate()
    roster = roster_file(tmp_path / "roster.json", server, None, lap, colleague)
    newcomer = colleague.store.worker_id  # no bundle of theirs yet
    lap.close()
    colleague.close()
    sup.vault.lock()

    window, page = window_at_unlock(qtbot, ui_session, sup.path)
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, ui_session)
    view = window.supervision_view
    qtbot.waitUntil(lambda: "Data as of" in view.as_of_label.text(), timeout=20_000)
    label = f"Worker {newcomer[-6:]}"  # no name given yet: known by the end of their id
    assert label not in caseload_rows(view)

    dialog = ImportBundleDialog.ask(ui_session, window)
    dialog.path.setText(str(roster))
    dialog.fingerprint = server.public.fingerprint  # compared by phone: the box ticked
    dialog.accept_signer.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.ok_button.click()
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: label in caseload_rows(view), timeout=20_000)
