"""A full disk or a read-only one: a clear error, nothing half-saved, earlier work intact."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, func, select
from vault_kit import PASSPHRASE, add_note, add_participant, snapshot

from linksdesk.core.errors import (
    DiskFullError,
    ReadOnlyError,
    VaultFolderMissingError,
    VaultOnFullDiskError,
    VaultOnReadOnlyDiskError,
    WrongPassphraseError,
)
from linksdesk.storage.keyfile import keyfile_path
from linksdesk.storage.tables import AuditEvent, Note, NoteRevision, Outbox
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy

if TYPE_CHECKING:
    from conftest import SmallDisk

MakeDisk = Callable[[str], "SmallDisk"]

BIG_NOTE = "Long account of the visit, every detail of the housing situation. " * 3000


def _counts(vault: Vault) -> tuple[int, int, int, int]:
    with vault.store().read() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (Note, NoteRevision, Outbox, AuditEvent)
        )


def _seed(vault: Vault) -> str:
    with vault.store(SyncPolicy()).write() as tx:
        person = add_participant(tx)
        add_note(tx, person.id, "First visit at the library.")
    return person.id


def test_disk_full_inside_sqlite_saves_nothing_and_keeps_earlier_work(vault: Vault) -> None:
    """The database reaches its page limit ("database or disk is full")."""
    pid = _seed(vault)
    before = _counts(vault)
    vault.engine.dispose()

    def limit(dbapi_conn: Any, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(vault.engine, "connect", limit)
    try:
        with pytest.raises(DiskFullError) as info, vault.store(SyncPolicy()).write() as tx:
            add_note(tx, pid, BIG_NOTE)
        assert "nothing was saved" in str(info.value)
        assert _counts(vault) == before  # no note, no revision, no outbox or audit half-written
    finally:
        event.remove(vault.engine, "connect", limit)
        vault.engine.dispose()
    with vault.store(SyncPolicy()).write() as tx:  # room again: the same save goes through
        add_note(tx, pid, BIG_NOTE)
    assert _counts(vault)[:2] == (before[0] + 1, before[1] + 1)
    assert vault.integrity_check().ok


# -- real file systems (tmpfs: the small_disk fixture) ---------------------------------------
def test_a_full_disk_when_saving(small_disk: MakeDisk) -> None:
    disk = small_disk("3m")
    vault, _ = Vault.create(disk / "worker.vault", PASSPHRASE)
    try:
        pid = _seed(vault)
        before = _counts(vault)
        filler = disk.fill()
        with pytest.raises(DiskFullError), vault.store(SyncPolicy()).write() as tx:
            add_note(tx, pid, BIG_NOTE)
        assert _counts(vault) == before
        filler.unlink()
        with vault.store(SyncPolicy()).write() as tx:
            add_note(tx, pid, "After freeing space: saved.")
        assert _counts(vault)[0] == before[0] + 1
        assert vault.integrity_check().ok
    finally:
        vault.lock()
    again = Vault.unlock(disk / "worker.vault", PASSPHRASE)
    try:
        assert _counts(again)[0] == before[0] + 1
    finally:
        again.lock()


def test_creating_a_vault_on_a_full_disk_leaves_nothing(small_disk: MakeDisk) -> None:
    disk = small_disk("1m")
    filler = disk.fill()
    with pytest.raises(DiskFullError):
        Vault.create(disk / "worker.vault", PASSPHRASE)
    assert sorted(p.name for p in disk.path.iterdir()) == [filler.name]


def test_a_read_only_disk(small_disk: MakeDisk) -> None:
    disk = small_disk("3m")
    path = disk / "worker.vault"
    vault, _ = Vault.create(path, PASSPHRASE)
    pid = _seed(vault)
    before = _counts(vault)
    vault.lock()
    with disk.read_only():
        state = snapshot(disk.path)
        with pytest.raises(VaultOnReadOnlyDiskError) as info:
            Vault.unlock(path, PASSPHRASE)
        # said as a vault that cannot be opened for work, not as a save that failed
        assert "cannot be written to" in str(info.value)
        assert "nothing was saved" not in str(info.value)
        with pytest.raises(ReadOnlyError):
            Vault.create(disk / "another.vault", PASSPHRASE)
        assert snapshot(disk.path) == state

    # the disk turns read-only while the vault is open (a memory stick's lock switch)
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        vault.engine.dispose()  # no file may be open for writing while remounting
        try:
            with disk.read_only():
                with pytest.raises(ReadOnlyError), vault.store(SyncPolicy()).write() as tx:
                    add_note(tx, pid, "Written while the disk was read-only.")
                vault.engine.dispose()
        finally:
            vault.engine.dispose()
        assert _counts(vault) == before
        assert vault.integrity_check().ok
    finally:
        vault.lock()


@pytest.mark.parametrize("room", [0, 4096], ids=["no room", "room for the key file only"])
def test_changing_the_passphrase_on_a_full_disk_keeps_the_old_one(
    small_disk: MakeDisk, room: int
) -> None:
    """The disk fills while the worker changes their passphrase: with room for the new key
    file but not for the vault's record of the change, the key file used to change anyway
    while the window said nothing was saved, and the old passphrase opened nothing."""
    disk = small_disk("3m")
    path = disk / "worker.vault"
    vault, _ = Vault.create(path, PASSPHRASE)
    _seed(vault)
    key_before = keyfile_path(path).read_bytes()
    new = "a new passphrase for the full disk"
    try:
        filler = disk.fill(leave=room)
        with pytest.raises(DiskFullError) as info:
            vault.change_passphrase(new, current_passphrase=PASSPHRASE)
        assert "nothing was saved" in str(info.value)
        filler.unlink()
    finally:
        vault.lock()
    assert keyfile_path(path).read_bytes() == key_before
    assert not [p.name for p in disk.path.iterdir() if p.name.endswith(".tmp")]
    with pytest.raises(WrongPassphraseError):
        Vault.unlock(path, new)
    again = Vault.unlock(path, PASSPHRASE)  # the old passphrase still opens the vault
    try:
        again.change_passphrase(new, current_passphrase=PASSPHRASE)  # room again: it goes
    finally:
        again.lock()
    Vault.unlock(path, new).lock()


def test_a_vault_on_a_memory_stick_not_put_in(small_disk: MakeDisk) -> None:
    """The stick holding the vault is not in the laptop: its folder is gone with it. The
    window said "There is no vault ... create a new one", which sends a worker to make an
    empty vault while theirs is safe on the stick in their bag."""
    disk = small_disk("3m")
    (disk / "LinksDesk").mkdir()
    path = disk / "LinksDesk" / "worker.vault"
    vault, _ = Vault.create(path, PASSPHRASE)
    vault.lock()
    assert subprocess.run(["umount", str(disk.path)], check=False).returncode == 0
    with pytest.raises(VaultFolderMissingError) as info:
        Vault.unlock(path, PASSPHRASE)
    said = str(info.value)
    assert "memory stick" in said and "put it in" in said and "create" not in said


def test_opening_a_vault_on_a_full_disk(small_disk: MakeDisk) -> None:
    """The laptop's disk filled up overnight: SQLite cannot make its shared-memory file, and
    says "disk I/O error". The window said to check the memory stick was still connected;
    it is the disk's room the worker must see to."""
    disk = small_disk("3m")
    path = disk / "worker.vault"
    vault, _ = Vault.create(path, PASSPHRASE)
    _seed(vault)
    before = _counts(vault)
    vault.lock()
    filler = disk.fill()
    for beside in (True, False):  # the window's unlock, and the command line
        with pytest.raises(VaultOnFullDiskError) as info:
            Vault.unlock(path, PASSPHRASE, check_beside=beside)
        said = str(info.value)
        assert "disk holding the vault is full" in said and "Free some space" in said, said
        assert "connected" not in said
    filler.unlink()
    again = Vault.unlock(path, PASSPHRASE)
    try:
        assert _counts(again) == before
        assert again.integrity_check().ok
    finally:
        again.lock()


@pytest.mark.parametrize("supervisor", [False, True], ids=["worker", "supervisor"])
def test_a_new_vault_whose_first_records_do_not_fit(small_disk: MakeDisk, supervisor: bool) -> None:
    """Room for the vault's files but not for its first records (the audit line, the signing
    key): the window said nothing was saved, yet left a vault whose recovery key was never
    shown, and the next try said "There is already a vault" there."""
    from linksdesk.casework.bundles import create_vault

    disk = small_disk("3m")
    room = shutil.disk_usage(disk.path).free
    probe, _ = Vault.create(disk / "probe.vault", PASSPHRASE)
    needed = room - shutil.disk_usage(disk.path).free  # what making the files alone takes
    probe.lock()
    for made in list(disk.path.iterdir()):
        made.unlink()
    filler = disk.fill(leave=needed)
    with pytest.raises(DiskFullError):
        create_vault(disk / "worker.vault", PASSPHRASE, supervisor=supervisor)
    assert sorted(p.name for p in disk.path.iterdir()) == ["filler.bin"]
    filler.unlink()
    cb, recovery = create_vault(disk / "worker.vault", PASSPHRASE, supervisor=supervisor)
    cb.lock()
    assert recovery
