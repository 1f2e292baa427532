"""Backups (and the resource directory's export) to a memory stick that is full, turns
read-only or is taken out, and restoring from one onto a full disk: real file systems (the
small_disk fixture), synthetic people only."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from linksdesk.casework import backup, notes, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import EnvironmentProblem, NotWrittenError

if TYPE_CHECKING:
    from conftest import SmallDisk

MakeDisk = Callable[[str], "SmallDisk"]


def _with_work(cb: Casebook, people: int = 8) -> None:
    for i in range(people):
        p = participants.create_participant(cb, given_name=f"Person{i}", family_name="Example")
        notes.write_note(cb, p.value.id, "Synthetic note about the walking group. " * 80)


def _left_on(disk: SmallDisk) -> list[str]:
    return sorted(p.name for p in disk.path.iterdir() if p.name != "filler.bin")


def test_a_full_stick(cb: Casebook, small_disk: MakeDisk) -> None:
    _with_work(cb)
    stick = small_disk("2m")  # a backup of even an empty vault is some 500 KB
    filler = stick.fill(leave=256 * 1024)
    with pytest.raises(NotWrittenError) as info:
        backup.back_up(cb, stick / "worker.ldbackup")
    said = str(info.value)
    assert "The backup was not saved" in said
    assert "no room left on the disk or memory stick" in said and str(stick.path) in said
    assert _left_on(stick) == []  # no copy cut short, no staging folder left behind
    filler.unlink()
    backup.back_up(cb, stick / "worker.ldbackup")  # room again: the same backup is made
    assert backup.read_backup(stick / "worker.ldbackup").size > 0


def test_a_stick_taken_out(cb: Casebook, small_disk: MakeDisk) -> None:
    """The stick was taken out after the folder was chosen: its folder's name is left with
    nothing behind it. The backup used to make that folder on the laptop's own disk and
    report success, so the worker walked away with no backup on the stick."""
    _with_work(cb, people=2)
    stick = small_disk("512k")
    folder = stick / "BACKUPS"
    folder.mkdir()
    out = folder / "worker.ldbackup"
    assert subprocess.run(["umount", str(stick.path)], check=False).returncode == 0
    with pytest.raises(NotWrittenError) as info:
        backup.back_up(cb, out)
    assert "is not there (was the memory stick taken out?)" in str(info.value)
    assert not folder.exists()  # nothing made on the laptop's disk in its place


def test_a_read_only_stick(cb: Casebook, small_disk: MakeDisk) -> None:
    _with_work(cb, people=2)
    stick = small_disk("512k")
    with stick.read_only(), pytest.raises(NotWrittenError) as info:
        backup.back_up(cb, stick / "worker.ldbackup")
    assert "cannot be written to" in str(info.value)
    assert _left_on(stick) == []


def test_restoring_onto_a_full_disk_replaces_nothing(
    cb: Casebook, tmp_path: Path, small_disk: MakeDisk
) -> None:
    _with_work(cb)
    made = tmp_path / "worker.ldbackup"
    backup.back_up(cb, made)
    laptop = small_disk("3m")
    filler = laptop.fill(leave=256 * 1024)
    with pytest.raises(EnvironmentProblem) as info:
        backup.restore_backup(
            made, laptop / "worker.vault", passphrase="correct horse battery staple"
        )
    assert "no room left" in str(info.value) and "Nothing was replaced" in str(info.value)
    assert _left_on(laptop) == []
    filler.unlink()
    result = backup.restore_backup(
        made, laptop / "worker.vault", passphrase="correct horse battery staple"
    )
    assert not result.replaced
    Casebook.unlock(laptop / "worker.vault", "correct horse battery staple").lock()


def test_a_backup_cut_by_a_power_cut_leaves_no_copy_for_ever(cb: Casebook, tmp_path: Path) -> None:
    """The laptop lost power during a backup: the copy of the vault it was building stays in
    a hidden folder beside the vault. The next backup takes such a copy away (a day old:
    a newer one may be another LinksDesk's at work), never anything else there."""
    _with_work(cb, people=1)
    beside = cb.vault.path.parent
    old = beside / ".linksdesk-backup-cutbypower"
    old.mkdir()
    (old / "vault.db").write_bytes(os.urandom(64 * 1024))  # a copy is still encrypted
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    fresh = beside / ".linksdesk-backup-atwork"
    fresh.mkdir()
    own = beside / ".linksdesk-backup-notes.txt"  # a file of that name is not ours to take
    own.write_text("the worker's own file")
    os.utime(own, (two_days_ago, two_days_ago))
    out = tmp_path / "stick"
    out.mkdir()
    backup.back_up(cb, out / "worker.ldbackup")
    assert not old.exists()
    assert fresh.is_dir() and own.read_text() == "the worker's own file"


def test_the_resource_directory_exported_to_a_full_then_a_locked_stick(
    cb: Casebook, small_disk: MakeDisk
) -> None:
    """The export's own temporary file raised the operating system's error on a full or
    locked stick, which the window shows as a crash report."""
    from linksdesk.casework import resources

    for i in range(60):
        resources.add_resource(cb, organisation=f"Community garden {i}", service="Growing " * 20)
    stick = small_disk("512k")
    older = stick / "directory.csv"
    older.write_text("the directory exported last month\n")
    filler = stick.fill(leave=4096)
    with pytest.raises(NotWrittenError) as info:
        resources.export_resources_csv(cb, older)
    assert "no room left" in str(info.value)
    assert older.read_text() == "the directory exported last month\n"
    assert _left_on(stick) == ["directory.csv"]
    filler.unlink()
    with stick.read_only(), pytest.raises(NotWrittenError) as info:
        resources.export_resources_csv(cb, older)
    assert "cannot be written to" in str(info.value)
    assert resources.export_resources_csv(cb, older).value.written == 60
