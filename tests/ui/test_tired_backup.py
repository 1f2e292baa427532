"""A tired worker's backups and restores: a name typed without its ending, Back up pressed
twice, Cancel half-way, a backup cut short, Cancel during a restore. Nothing written is lost
or written over without the worker's say, and every refusal says what is true."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from screens_kit import person, settle
from shell_kit import PASSPHRASE
from test_shell_restore import made_backup, restoring_on_a_new_laptop  # noqa: F401 (fixture)

from linksdesk.storage import backup as storage_backup
from linksdesk.ui.backup_ui import BackupController
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def saving_as(monkeypatch: Any, typed: Path) -> list[str]:
    """The save dialog answers with ``typed``; the list counts how often it was shown."""
    shown: list[str] = []

    def answer(*_a: Any, **_k: Any) -> tuple[str, str]:
        shown.append(str(typed))
        return str(typed), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return shown


def backed_up(qtbot: Any, window: Any, out: Path) -> None:
    window.action_backup.trigger()
    qtbot.waitUntil(lambda: window.backups.last_file == out, timeout=20_000)
    window.backups.last_file = None


class HeldCopy:
    """The real backup, held at its first step until the test lets it go on."""

    def __init__(self, monkeypatch: Any) -> None:
        self.reached = threading.Event()
        self.go_on = threading.Event()
        real = storage_backup.back_up
        monkeypatch.setattr(storage_backup, "PAGES_PER_STEP", 4)  # many steps, not one

        def held(vault: Any, out: Path, *, progress: Any = None, overwrite: bool = False) -> Any:
            def step(done: int, total: int) -> None:
                progress(done, total)
                if not self.reached.is_set():
                    self.reached.set()
                    self.go_on.wait(20)

            return real(vault, out, progress=step, overwrite=overwrite)

        monkeypatch.setattr(storage_backup, "back_up", held)


@pytest.fixture
def usb(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "usb"
    folder.mkdir()
    yield folder


@pytest.fixture
def friday(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, usb: Path, monkeypatch: Any
) -> Path:
    """A backup on the USB stick, made through File › Back up of a vault with one person."""
    person(qtbot, ui_session)
    made = usb / "friday.ldbackup"
    saving_as(monkeypatch, made)
    backed_up(qtbot, unlocked_window, made)
    return made


def test_a_name_typed_without_its_ending_never_silently_replaces_the_older_backup(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, friday: Path, monkeypatch: Any
) -> None:
    window = unlocked_window
    before = digest(friday)

    person(qtbot, ui_session, "Brodie", "Samplewood")
    asked: list[str] = []
    answer = {"yes": False}

    def confirm(cls: Any, parent: Any, path: Path) -> bool:
        asked.append(path.name)
        return answer["yes"]

    monkeypatch.setattr(
        BackupController, "confirm_replace_file", classmethod(confirm), raising=False
    )
    # typed without ".ldbackup": the dialog saw no file of that name
    saving_as(monkeypatch, friday.with_suffix(""))
    window.action_backup.trigger()
    settle(qtbot, ui_session)
    assert asked == ["friday.ldbackup"]
    assert digest(friday) == before
    assert "No backup was made; friday.ldbackup is as it was." in (
        window.statusBar().currentMessage()
    )

    answer["yes"] = True
    backed_up(qtbot, window, friday)
    assert digest(friday) != before


def test_back_up_pressed_twice_makes_one_backup_and_cancel_half_way_keeps_the_older_file(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, friday: Path, monkeypatch: Any
) -> None:
    window, usb = unlocked_window, friday.parent
    before = digest(friday)

    copy = HeldCopy(monkeypatch)
    shown = saving_as(monkeypatch, friday)  # the file dialog asked, and they said replace
    window.action_backup.trigger()
    qtbot.waitUntil(copy.reached.is_set, timeout=20_000)
    window.action_backup.trigger()  # pressed again: no second file dialog, no second copy
    assert len(shown) == 1
    assert "A backup is being made already" in window.statusBar().currentMessage()

    qtbot.waitUntil(window.cancel_button.isVisible, timeout=20_000)
    window.cancel_button.click()
    copy.go_on.set()
    qtbot.waitUntil(
        lambda: "Backup cancelled" in window.statusBar().currentMessage(), timeout=20_000
    )
    said = window.statusBar().currentMessage()
    assert str(friday) in said and "is as it was" in said
    settle(qtbot, ui_session)
    assert digest(friday) == before  # the older backup is whole
    assert sorted(p.name for p in usb.iterdir()) == ["friday.ldbackup"]  # no half file left

    # and the next press works again
    monkeypatch.undo()
    saving_as(monkeypatch, usb / "monday.ldbackup")
    backed_up(qtbot, window, usb / "monday.ldbackup")


def test_a_backup_cut_short_is_called_that_with_what_to_do_before_anything_is_typed(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],  # noqa: F811 (the fixture)
    monkeypatch: Any,
) -> None:
    source, _key = made_backup
    cut = source.with_name("copied-too-soon.ldbackup")
    cut.write_bytes(source.read_bytes()[: source.stat().st_size * 2 // 3])
    target, _screen, dialog = restoring_on_a_new_laptop(
        qtbot, ui_session, tmp_path, cut, monkeypatch
    )
    qtbot.waitUntil(dialog.message.isVisible, timeout=20_000)
    said = dialog.message.text()
    assert "is a LinksDesk backup, but it is cut short" in said
    assert "Copy it again" in said and "not a LinksDesk backup" not in said
    assert not target.exists()


def test_cancel_while_a_restore_moves_files_says_why_it_goes_on_and_then_what_came_back(
    qtbot: Any,
    ui_session: UiSession,
    tmp_path: Path,
    made_backup: tuple[Path, str],  # noqa: F811 (the fixture)
    monkeypatch: Any,
) -> None:
    source, _key = made_backup
    _target, screen, dialog = restoring_on_a_new_laptop(
        qtbot, ui_session, tmp_path, source, monkeypatch
    )
    reached, go_on = threading.Event(), threading.Event()
    real = storage_backup.restore

    def held(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def step(done: int, total: int) -> None:
            progress(done, total)
            if done == 2:  # the passphrase is proven; the files are about to move
                reached.set()
                go_on.wait(20)

        return real(*args, progress=step, **kwargs)

    monkeypatch.setattr("linksdesk.casework.backup.restore_backup", held)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.restore_button.click()
    qtbot.waitUntil(reached.is_set, timeout=20_000)
    dialog.cancel_button.click()
    assert dialog.isVisible()
    assert "cannot be stopped half-way" in dialog.message.text()
    with qtbot.waitSignal(dialog.sig_restored, timeout=30_000):
        go_on.set()
    assert not dialog.isVisible()
    assert "Restored the backup of" in screen.open_page.message.text()
