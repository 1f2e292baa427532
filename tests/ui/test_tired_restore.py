"""A tired worker restores a backup over the vault already on the laptop: asked in their
terms (when the backup was made, that the vault there has later work and when, where it is
kept), with Cancel the default; an older copy of the same vault is asked about too."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from shell_kit import PASSPHRASE
from test_shell_restore import (  # noqa: F401
    Restoring,
    digest,
    made_backup,
    names_in,
    restore_over,
)

from linksdesk.casework import backup
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


def test_restoring_over_later_work_asks_in_the_workers_terms_and_enter_cancels(
    qtbot: Any,
    ui_session: UiSession,
    restore_over: Restoring,  # noqa: F811
) -> None:
    source, restore = restore_over
    made = backup.read_backup(source).made_at
    target, (_screen, dialog), before = restore("Niamh Sincebackup")
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
    restore_over: Restoring,  # noqa: F811
    monkeypatch: Any,
) -> None:
    _source, restore = restore_over
    target, (screen, dialog), before = restore()
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
