"""A tired worker's unlock: Caps Lock on, wrong several times, files that are not vaults."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from shell_kit import PASSPHRASE

from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def try_unlock(qtbot: Any, window: Any, path: Path, passphrase: str) -> str:
    """Type the passphrase, press Enter, wait for the answer: the message shown."""
    page = window.unlock_screen.open_page
    page.vault.set_path(path)
    page.passphrase.setText("")
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            page.unlock_button.isEnabled()
            and (page.message.isVisible() or window.session.is_unlocked)
        ),
        timeout=30_000,
    )
    return str(page.message.text())


def test_caps_lock_is_suggested_only_when_every_letter_was_a_capital(
    qtbot: Any, window: Any, ui_session: UiSession, made_vault: Path
) -> None:
    caps = try_unlock(qtbot, window, made_vault, PASSPHRASE.upper())
    assert caps.startswith("That passphrase does not open this vault.")
    assert "Caps Lock" in caps
    page = window.unlock_screen.open_page
    assert page.passphrase.selectedText() == PASSPHRASE.upper()  # ready to be typed again
    for wrong in ("correct horse battery stable", "Correct horse battery staple", "1234"):
        said = try_unlock(qtbot, window, made_vault, wrong)
        assert said == "That passphrase does not open this vault. Check it and try again."
    assert not ui_session.is_unlocked
    # wrong four times: nothing locked out, the right one still opens it
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        try_unlock(qtbot, window, made_vault, PASSPHRASE)


def test_files_that_are_not_vaults_get_plain_words_and_no_crash(
    qtbot: Any, window: Any, ui_session: UiSession, made_vault: Path, tmp_path: Path
) -> None:
    shopping = tmp_path / "shopping.vault"
    shopping.write_text("eggs\nmilk\n")
    folder = tmp_path / "folder.vault"
    folder.mkdir()
    cut = tmp_path / "cut" / "worker.vault"  # half a vault beside its own key file
    cut.parent.mkdir()
    cut.write_bytes(made_vault.read_bytes()[:4096])
    shutil.copy(f"{made_vault}.key", f"{cut}.key")
    for path, words in (
        (shopping, "is not a LinksDesk vault"),
        (folder, "is not a LinksDesk vault"),
        (cut, "damaged"),
    ):
        said = try_unlock(qtbot, window, path, PASSPHRASE)
        assert words in said, said
        assert window.crash_dialog is None
        assert not ui_session.is_unlocked
    assert made_vault.read_bytes()[:16] != b"SQLite format 3\x00"  # still encrypted, untouched
