"""Restore from a backup on the unlock screen: a new laptop, a wrong or damaged file, a newer
vault in the way (asked, never silently replaced), the recovery key, progress."""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shell_kit import PASSPHRASE, on_db_thread
from synthetic import NEW_PASSPHRASE

from linksdesk.casework import backup, lists, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.storage import machine
from linksdesk.ui.backup_ui import RestoreDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.unlock import UnlockOptions, UnlockScreen

pytestmark = pytest.mark.gui


# the backup, and a restore started over a copy of its vault (see ``restore_over``)
Restoring = tuple[Path, Callable[..., tuple[Path, tuple[Any, Any], str]]]


@pytest.fixture
def made_backup(qtbot: Any, ui_session: UiSession, tmp_path: Path) -> tuple[Path, str]:
    """A real backup of an old laptop's vault holding one participant; and its recovery key."""
    old = tmp_path / "old-laptop" / "worker.vault"
    old.parent.mkdir()
    out = tmp_path / "usb" / f"worker{backup.SUFFIX}"
    out.parent.mkdir()

    def make() -> str:
        cb, key = Casebook.create(old, PASSPHRASE)
        try:
            participants.create_participant(cb, given_name="Rhona", family_name="Restorefield")
            backup.back_up(cb, out)
        finally:
            cb.lock()
        return key

    return out, on_db_thread(qtbot, ui_session, make)


def screen_for(qtbot: Any, session: UiSession, path: Path) -> UnlockScreen:
    screen = UnlockScreen(session, UnlockOptions(path))
    qtbot.addWidget(screen)
    screen.resize(900, 760)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def open_dialog(screen: UnlockScreen, source: Path, monkeypatch: Any) -> RestoreDialog:
    monkeypatch.setattr(RestoreDialog, "ask_backup_file", classmethod(lambda cls, _s: source))
    page = screen.pages.currentWidget()
    page.restore_link.click()  # type: ignore[union-attr]
    dialog = screen.restore_dialog
    assert dialog.isVisible()
    dialog.backup_row.choose.click()
    dialog.describe_backup()
    return dialog


def restoring_on_a_new_laptop(
    qtbot: Any, session: UiSession, tmp_path: Path, source: Path, monkeypatch: Any
) -> tuple[Path, UnlockScreen, RestoreDialog]:
    """A new laptop's unlock screen (no vault there yet) with its restore dialog open on
    ``source``: where the vault will go, the screen and the dialog."""
    target = tmp_path / "new-laptop" / "worker.vault"
    screen = screen_for(qtbot, session, target)
    return target, screen, open_dialog(screen, source, monkeypatch)


def names_in(qtbot: Any, session: UiSession, vault: Path, passphrase: str) -> list[str]:
    def read() -> list[str]:
        cb = Casebook.unlock(vault, passphrase)
        try:
            ids = lists.caseload_ids(cb, CaseloadQuery())
            return [r.display_name for r in lists.caseload_rows(cb, ids)]
        finally:
            cb.lock()

    return list(on_db_thread(qtbot, session, read))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


@pytest.fixture
def restore_over(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],
    monkeypatch: Any,
) -> Restoring:
    """The backup, and :func:`at_the_restore` over a copy of its vault on this laptop."""
    source, _key = made_backup
    return source, functools.partial(
        at_the_restore, qtbot, ui_session, tmp_path, source, monkeypatch
    )


def test_a_new_laptop_restores_its_vault_from_the_first_screen_with_progress(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],
    monkeypatch: Any,
) -> None:
    source, _key = made_backup
    monkeypatch.setenv(machine.FOLDER_ENV, str(tmp_path / "new-computer"))
    target = tmp_path / "new-laptop" / "worker.vault"
    screen = screen_for(qtbot, ui_session, target)
    assert screen.pages.currentWidget() is screen.create_page  # no vault here yet
    dialog = open_dialog(screen, source, monkeypatch)
    qtbot.waitUntil(lambda: "backup of" in dialog.about_backup.text(), timeout=20_000)
    assert dialog.vault_row.path() == target  # where this laptop looks for its vault
    steps: list[tuple[int, int]] = []
    ui_session.runner.sig_progress.connect(lambda _j, d, t: steps.append((d, t)))

    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.sig_restored, timeout=30_000):
        dialog.restore_button.click()
        assert dialog.progress.isVisible()  # busy at once, the form off
        assert not dialog.restore_button.isEnabled() and not dialog.passphrase.isEnabled()
    assert steps[-1] == (3, 3) and (0, 3) in steps

    assert not dialog.isVisible()
    assert target.exists() and Path(f"{target}.key").exists()
    assert screen.pages.currentWidget() is screen.open_page
    assert screen.open_page.vault.path() == target
    assert "Restored the backup of" in screen.open_page.message.text()
    # made on another computer: a laptop of its own, which the worker is told to enrol
    assert "a new code" in screen.open_page.message.text()
    # and it opens, through the same screen, with the passphrase it had
    screen.open_page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        screen.open_page.unlock_button.click()
    ui_session.lock()
    qtbot.waitUntil(lambda: not ui_session.runner.busy, timeout=20_000)
    assert names_in(qtbot, ui_session, target, PASSPHRASE) == ["Rhona Restorefield"]


def test_a_wrong_passphrase_or_a_damaged_file_gets_a_plain_message_and_restores_nothing(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],
    monkeypatch: Any,
) -> None:
    source, _key = made_backup
    target, _screen, dialog = restoring_on_a_new_laptop(
        qtbot, ui_session, tmp_path, source, monkeypatch
    )
    dialog.passphrase.setText("not the passphrase at all")
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=30_000)
    assert "That passphrase does not open this backup" in dialog.message.text()
    assert dialog.passphrase.selectedText() == "not the passphrase at all"
    assert dialog.restore_button.isEnabled() and dialog.isVisible()
    assert not target.exists() and not Path(f"{target}.key").exists()

    damaged = tmp_path / "usb" / f"damaged{backup.SUFFIX}"
    damaged.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    dialog.backup_row.set_path(damaged)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: "cut short or damaged" in dialog.message.text(), timeout=30_000)
    assert not target.exists()

    garbage = tmp_path / "usb" / "holiday.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\xe0 not a backup at all" * 10)
    dialog.backup_row.set_path(garbage)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: "holiday.jpg is not a LinksDesk backup" in dialog.message.text())
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []  # no staging left behind


def test_a_newer_vault_is_replaced_only_after_the_worker_confirms(
    qtbot: Any,
    ui_session: UiSession,
    restore_over: Restoring,
    monkeypatch: Any,
) -> None:
    _source, restore = restore_over
    target, (screen, dialog), before = restore("Niamh Sincebackup")
    asked: list[tuple[str, bool]] = []
    answer = {"yes": False}

    def confirm(cls: Any, parent: Any, reason: str, newer: bool) -> bool:
        asked.append((reason, newer))
        return answer["yes"]

    monkeypatch.setattr(RestoreDialog, "confirm_replace", classmethod(confirm))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=30_000)
    assert len(asked) == 1
    reason, newer = asked[0]
    assert newer and "changes newer than this backup" in reason
    assert "--replace" not in reason  # the command-line hint is not for the window
    assert "Nothing was restored" in dialog.message.text()
    assert digest(target) == before  # refused: the newer vault is untouched
    assert sorted(names_in(qtbot, ui_session, target, PASSPHRASE)) == [
        "Niamh Sincebackup",
        "Rhona Restorefield",
    ]

    answer["yes"] = True
    with qtbot.waitSignal(dialog.sig_restored, timeout=30_000):
        dialog.restore_button.click()
    assert len(asked) == 2
    assert "kept beside it" in screen.open_page.message.text()
    assert names_in(qtbot, ui_session, target, PASSPHRASE) == ["Rhona Restorefield"]
    kept = [p for p in target.parent.iterdir() if ".before-restore-" in p.name]
    assert any(p.name.startswith("worker.vault.before-restore-") for p in kept)
    assert any(p.name.startswith("worker.vault.key.before-restore-") for p in kept)


def test_restoring_with_the_recovery_key_sets_a_new_passphrase(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],
    monkeypatch: Any,
) -> None:
    source, key = made_backup
    target, _screen, dialog = restoring_on_a_new_laptop(
        qtbot, ui_session, tmp_path, source, monkeypatch
    )
    dialog.with_key.setChecked(True)
    assert dialog.recovery_key.isVisible() and not dialog.passphrase.isVisible()
    dialog.recovery_key.setText(key)
    dialog.new_passphrase.setText(NEW_PASSPHRASE)
    dialog.repeat.setText(NEW_PASSPHRASE + "x")
    dialog.restore_button.click()
    assert "not the same" in dialog.message.text()
    assert not target.exists()
    dialog.repeat.setText(NEW_PASSPHRASE)
    with qtbot.waitSignal(dialog.sig_restored, timeout=30_000):
        dialog.restore_button.click()
    assert names_in(qtbot, ui_session, target, NEW_PASSPHRASE) == ["Rhona Restorefield"]


def test_closing_the_dialog_before_the_backup_is_read_loses_nothing_and_raises_nothing(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],
    monkeypatch: Any,
) -> None:
    # a tired worker chooses the file and closes the dialog at once: the answer about the
    # file comes back to a dialog already gone (it deletes itself on close)
    source, _key = made_backup
    screen = screen_for(qtbot, ui_session, tmp_path / "new-laptop" / "worker.vault")
    held = threading.Event()
    ui_session.runner.submit(held.wait, 10)  # the DB thread busy: the file is read later
    dialog = open_dialog(screen, source, monkeypatch)
    with qtbot.waitSignal(dialog.destroyed, timeout=10_000):
        dialog.close()
    held.set()
    qtbot.waitUntil(lambda: not ui_session.runner.busy, timeout=10_000)
    assert screen.isVisible() and screen.pages.currentWidget().isEnabled()
    assert source.exists() and not (tmp_path / "new-laptop" / "worker.vault").exists()
