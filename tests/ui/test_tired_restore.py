"""A tired worker restores a backup over the vault already on the laptop: asked in their
terms (when the backup was made, that the vault there has later work and when, where it is
kept), with Cancel the default; an older copy of the same vault is asked about too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from shell_kit import PASSPHRASE, on_db_thread
from test_shell_restore import digest, made_backup, names_in, open_dialog, screen_for  # noqa: F401

from linksdesk.casework import backup, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.ui.backup_ui import in_words
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def asked_and_cancelled_with_enter(qtbot: Any, dialog: Any) -> dict[str, Any]:
    """Restore pressed; the real question comes up; the worker presses Enter."""

    def read_then_enter(box: QMessageBox) -> None:
        seen["text"] = box.text()
        seen["default"] = box.defaultButton().text()
        seen["buttons"] = sorted(b.text().replace("&", "") for b in box.buttons())
        QTest.keyClick(box, Qt.Key.Key_Return)

    seen: dict[str, Any] = {}
    state = on_modal(read_then_enter, kind=QMessageBox)
    dialog.restore_button.click()
    finished(qtbot, state)
    qtbot.waitUntil(lambda: "Nothing was restored" in dialog.message.text(), timeout=30_000)
    return seen


def at_the_restore(
    qtbot: Any, session: UiSession, tmp_path: Path, source: Path, monkeypatch: Any, *later: str
) -> tuple[Path, tuple[Any, Any], str]:
    """A copy of the backup's vault on this laptop, with ``later`` people added since; the
    restore dialog open on the backup, its passphrase typed. The vault, the unlock screen
    and the dialog, and the vault file's digest before anything was asked."""
    target = tmp_path / "laptop" / "worker.vault"
    target.parent.mkdir()
    backup.restore_backup(source, target, passphrase=PASSPHRASE)

    def add_later() -> None:
        cb = Casebook.unlock(target, PASSPHRASE)
        try:
            for given, family in (name.split() for name in later):
                participants.create_participant(cb, given_name=given, family_name=family)
        finally:
            cb.lock()

    on_db_thread(qtbot, session, add_later)
    before = digest(target)
    screen = screen_for(qtbot, session, target)
    dialog = open_dialog(screen, source, monkeypatch)
    dialog.passphrase.setText(PASSPHRASE)
    return target, (screen, dialog), before


def test_restoring_over_later_work_asks_in_the_workers_terms_and_enter_cancels(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],  # noqa: F811
    monkeypatch: Any,
) -> None:
    source, _key = made_backup
    made = backup.read_backup(source).made_at
    target, (_screen, dialog), before = at_the_restore(
        qtbot, ui_session, tmp_path, source, monkeypatch, "Niamh Sincebackup"
    )
    qtbot.waitUntil(lambda: in_words(made) in dialog.about_backup.text(), timeout=20_000)
    assert "UTC" not in dialog.about_backup.text()
    seen = asked_and_cancelled_with_enter(qtbot, dialog)
    text = seen["text"]
    assert f"The backup was made on {in_words(made)}" in text, text
    assert "changes newer than this backup" in text and "latest work in the vault there" in text
    assert f"kept in the same folder ({target.parent})" in text and "worker.vault.before-" in text
    assert "UTC" not in text and "--replace" not in text
    assert seen["default"] == "Cancel"
    assert seen["buttons"] == ["Cancel", "Replace it with the backup"]
    assert digest(target) == before  # Enter kept everything as it was
    assert sorted(names_in(qtbot, ui_session, target, PASSPHRASE)) == [
        "Niamh Sincebackup",
        "Rhona Restorefield",
    ]


def test_an_older_copy_of_the_same_vault_is_not_replaced_without_asking(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],  # noqa: F811
    monkeypatch: Any,
) -> None:
    source, _key = made_backup
    target, (screen, dialog), before = at_the_restore(
        qtbot, ui_session, tmp_path, source, monkeypatch
    )
    seen = asked_and_cancelled_with_enter(qtbot, dialog)
    assert "older copy of this same vault" in seen["text"] and seen["default"] == "Cancel"
    assert digest(target) == before
    assert not [p for p in target.parent.iterdir() if ".before-restore-" in p.name]

    # said yes: replaced, and the one that was there kept beside it
    monkeypatch.setattr(
        type(dialog), "confirm_replace", classmethod(lambda cls, parent, reason, newer: True)
    )
    with qtbot.waitSignal(dialog.sig_restored, timeout=30_000):
        dialog.restore_button.click()
    assert "kept beside it" in screen.open_page.message.text()
    assert any(p.name.startswith("worker.vault.before-restore-") for p in target.parent.iterdir())
