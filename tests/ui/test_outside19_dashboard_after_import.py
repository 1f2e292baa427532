"""A supervisor in a hurry: their vault opens on the Team dashboard, which says no data has
come yet; they import a worker's bundle (File › Import a bundle…) and look at the dashboard
again. It still said "No data yet", with no figures, until they pressed Show: the import
returned no changes for the window to pass on, so the dashboard was never told. Real vaults,
real age and minisign files, synthetic people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor
from screens_kit import settle
from shell_kit import PASSPHRASE, window_at_unlock

from linksdesk.sync.bundle import export, keys
from linksdesk.ui.bundle_dialogs import ImportBundleDialog

pytestmark = pytest.mark.gui


def test_the_dashboard_shows_an_imported_bundle_at_once(
    qtbot: Any, ui_session: Any, tmp_path: Path
) -> None:
    sup = Supervisor.create(tmp_path)
    recipient, sup_path = sup.recipient, sup.path
    sup.vault.lock()
    lap = Laptop.create(tmp_path, "laptop")
    for i in range(3):
        lap.contact(lap.person(given_name=f"Ailsa{i}"))
    bundle = tmp_path / "usb" / "caseload.age"
    bundle.parent.mkdir()
    export.export_to_file(lap.store, bundle, kind="supervision", recipients=[recipient])
    fingerprint = keys.signing_key(lap.store).public.fingerprint
    lap.vault.lock()

    window, page = window_at_unlock(qtbot, ui_session, sup_path)
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, ui_session)
    view = window.supervision_view
    assert view.isVisible()  # a supervisor's vault opens on the Team dashboard
    qtbot.waitUntil(lambda: "No data yet" in view.as_of_label.text(), timeout=20_000)

    dialog = ImportBundleDialog.ask(ui_session, window)
    qtbot.waitExposed(dialog)
    dialog.path.setText(str(bundle))
    dialog.fingerprint = fingerprint  # compared by phone: the box ticked
    dialog.accept_signer.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.ok_button.click()
    told = dialog.result_info.changes  # what the window passed on: the three people, by id
    assert len(told.participants) == 3 and {"participant", "contact"} <= told.entities, told
    settle(qtbot, ui_session)
    assert view.isVisible()
    said = view.as_of_label.text()
    assert "No data yet" not in said and "Data as of" in said, said
    caseload = view.report.section("caseload").table("caseload") if view.report else None
    assert caseload is not None and caseload.rows[-1][1] == 3, caseload
