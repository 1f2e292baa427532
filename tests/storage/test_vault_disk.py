"""A full disk or a read-only one: a clear error, nothing half-saved, earlier work intact."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from vault_kit import PASSPHRASE, add_note, add_participant, snapshot

from linksdesk.core.errors import DiskFullError, ReadOnlyError
from linksdesk.storage.tables import AuditEvent, Note, NoteRevision, Outbox
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy

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


# -- real file systems (tmpfs), where the machine allows mounting -----------------------------
def _run(*args: str) -> bool:
    return subprocess.run(args, capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root on Linux to mount a small tmpfs")
    if not _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)):
        pytest.skip("mounting a tmpfs is not allowed here")
    try:
        yield where
    finally:
        if not _run("umount", str(where)):
            _run("umount", "-l", str(where))


def _fill_up(folder: Path) -> Path:
    filler = folder / "filler.bin"
    with contextlib.suppress(OSError), filler.open("wb") as fh:
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
    with contextlib.suppress(OSError), filler.open("ab") as fh:  # the last few bytes too
        while True:
            fh.write(b"\0" * 512)
            fh.flush()
    return filler


def test_a_full_disk_when_saving(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "3m") as disk:
        vault, _ = Vault.create(disk / "worker.vault", PASSPHRASE)
        try:
            pid = _seed(vault)
            before = _counts(vault)
            filler = _fill_up(disk)
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


def test_creating_a_vault_on_a_full_disk_leaves_nothing(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "1m") as disk:
        filler = _fill_up(disk)
        with pytest.raises(DiskFullError):
            Vault.create(disk / "worker.vault", PASSPHRASE)
        assert sorted(p.name for p in disk.iterdir()) == [filler.name]


def test_a_read_only_disk(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", "3m") as disk:
        path = disk / "worker.vault"
        vault, _ = Vault.create(path, PASSPHRASE)
        pid = _seed(vault)
        before = _counts(vault)
        vault.lock()
        assert _run("mount", "-o", "remount,ro", str(disk))
        try:
            state = snapshot(disk)
            with pytest.raises(ReadOnlyError) as info:
                Vault.unlock(path, PASSPHRASE)
            assert "cannot be written" in str(info.value)
            with pytest.raises(ReadOnlyError):
                Vault.create(disk / "another.vault", PASSPHRASE)
            assert snapshot(disk) == state
        finally:
            assert _run("mount", "-o", "remount,rw", str(disk))

        # the disk turns read-only while the vault is open (a memory stick's lock switch)
        vault = Vault.unlock(path, PASSPHRASE)
        try:
            vault.engine.dispose()  # no file may be open for writing while remounting
            assert _run("mount", "-o", "remount,ro", str(disk))
            try:
                with pytest.raises(ReadOnlyError), vault.store(SyncPolicy()).write() as tx:
                    add_note(tx, pid, "Written while the disk was read-only.")
            finally:
                vault.engine.dispose()
                assert _run("mount", "-o", "remount,rw", str(disk))
            assert _counts(vault) == before
            assert vault.integrity_check().ok
        finally:
            vault.lock()
