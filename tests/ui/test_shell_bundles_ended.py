"""In the window: a bundle from a laptop the team's newer roster no longer lists is refused
with the reason and what to do, and the import dialog does not offer to accept the laptop's
fingerprint (a phone call does not outweigh the server's roster)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, roster_file, signed_by_laptop
from shell_kit import window_at_unlock

from linksdesk.sync.bundle import keys, receive
from linksdesk.sync.bundle.signing import SigningKey
from linksdesk.ui.bundle_dialogs import ImportBundleDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_a_laptop_the_roster_left_out_is_refused_without_an_offer_to_accept_it(
    qtbot: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    sup = Supervisor.create(tmp_path)
    lost, colleague = Laptop.create(tmp_path, "lost"), Laptop.create(tmp_path, "colleague")
    server = SigningKey.generate()
    lost.person()
    first = signed_by_laptop(lost, sup, tmp_path / "first.age", team="team-north")
    receive.import_bundle(sup.store, first, trust=keys.signing_key(lost.store).public.fingerprint)
    roster = roster_file(tmp_path / "roster.json", server, None, colleague)
    receive.import_roster(sup.store, roster, trust=server.public.fingerprint)
    lost.person(given_name="Later")
    late = signed_by_laptop(lost, sup, tmp_path / "late.age", team="team-north")
    lost.close()
    colleague.close()
    sup.vault.lock()

    window, page = window_at_unlock(qtbot, ui_session, sup.path)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    importer = ImportBundleDialog.ask(ui_session, window)
    importer.path.setText(str(late))
    importer.ok_button.click()
    qtbot.waitUntil(lambda: "no longer lists" in importer.message.text(), timeout=30_000)
    assert "Nothing was imported" in importer.message.text()
    assert not importer.accept_signer.isVisible()
    assert importer.ok_button.isEnabled()
    importer.close()
    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        window.lock()
