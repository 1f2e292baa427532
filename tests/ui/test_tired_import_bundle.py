"""File › Import a bundle… on a links worker's own laptop (not a supervisor's vault): a bundle
from another laptop, a file that is not a bundle. A plain message, and nothing changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, signed_by_laptop
from screens_kit import settle
from shell_kit import PASSPHRASE, window_at_unlock
from sqlalchemy import select

from linksdesk.storage.tables import SYNCABLE_TABLES
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy
from linksdesk.ui.bundle_dialogs import ImportBundleDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def held(path: Path) -> dict[str, list[Any]]:
    """Every synced row of the vault at ``path`` (id and change stamp), table by table."""
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        with vault.store(SyncPolicy()).read() as s:
            return {
                t.__tablename__: sorted(s.execute(select(t.id, t.hlc)).all())  # type: ignore[attr-defined]
                for t in SYNCABLE_TABLES
            }
    finally:
        vault.lock()


def test_a_worker_is_told_before_choosing_a_file_and_no_bundle_or_stray_file_changes_anything(
    qtbot: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    sup = Supervisor.create(tmp_path)
    other = Laptop.create(tmp_path, "colleague")
    other.person(given_name="Ailsa")
    (tmp_path / "usb").mkdir()
    out = signed_by_laptop(other, sup, tmp_path / "usb" / "colleague.age", team="team-north")
    other.close()
    sup.vault.lock()
    stray = tmp_path / "usb" / "holiday.jpg"
    stray.write_bytes(b"\xff\xd8\xff\xe0 not a bundle" * 40)
    mine = Laptop.create(tmp_path, "mine")
    mine.person(given_name="Brodie")
    mine_path = mine.path
    mine.close()
    before = held(mine_path)

    window, page = window_at_unlock(qtbot, ui_session, mine_path)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    window.action_import_bundle.trigger()
    dialog = window.findChild(ImportBundleDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.message.isVisible, timeout=20_000)
    said = dialog.message.text()
    assert "a links worker's, not a supervisor's" in said
    assert "File › Export for a supervisor…" in said and "linksdesk new" not in said
    assert not dialog.ok_button.isEnabled()
    for chosen in (out, stray):
        dialog.path.setText(str(chosen))
        dialog.ok_button.click()  # off: nothing starts
        settle(qtbot, ui_session)
        assert dialog.isVisible() and not dialog.progress.isVisible()
    dialog.reject()
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.lock()
    assert held(mine_path) == before  # not a row of the worker's vault changed


def test_the_refusal_on_the_command_line_says_it_in_the_persons_terms_too(
    tmp_path: Path,
) -> None:
    from linksdesk.core.errors import UserError
    from linksdesk.sync.bundle import receive

    mine = Laptop.create(tmp_path, "mine")
    stray = tmp_path / "holiday.jpg"
    stray.write_bytes(b"not a bundle")
    with pytest.raises(UserError) as refused:
        receive.check(mine.store, stray)
    assert "links worker's" in str(refused.value) and "Nothing was imported" in str(refused.value)
    mine.close()
