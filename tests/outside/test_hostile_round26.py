"""Round 26 of the outside testing: the laptop's own files, as a crash and a careless hand
leave them.

Real vault files throughout, the ``linksdesk`` command in a process of its own, and a real
``linksdesk-server serve`` on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sync_kit import Dev, new_server
from test_cli import linksdesk
from vault_kit import PASSPHRASE, fill, raw_connection

from linksdesk.core.errors import SyncError
from linksdesk.storage import machine
from linksdesk.storage.vault import Vault
from linksdesk.sync import state
from linksdesk.sync.policy import SyncPolicy

SIDES = ("-wal", "-shm")


def _crashed(vault: Vault, into: Path) -> None:
    """Copy the open vault's side files into ``into``, named for a vault there, as a power
    cut would leave them: the saves since the last checkpoint, not yet in the vault file."""
    into.mkdir(exist_ok=True)
    for side in SIDES:
        assert Path(f"{vault.path}{side}").exists()
        shutil.copyfile(f"{vault.path}{side}", into / f"linksdesk.vault{side}")


def _placed(vault_file: Path, folder: Path) -> Path:
    """Copy a closed vault and its key file into ``folder`` by hand; the copy's path."""
    shutil.copyfile(vault_file, folder / "linksdesk.vault")
    shutil.copyfile(f"{vault_file}.key", folder / "linksdesk.vault.key")
    return folder / "linksdesk.vault"


def _participants(path: Path) -> int:
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        with vault.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM participant").scalar_one())
    finally:
        vault.lock()


def _checked(home: Path, path: Path) -> None:
    """``linksdesk check`` of ``path`` in a process of its own finds the vault sound."""
    result = linksdesk(home, "check", "--vault", str(path), passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_another_vaults_leftover_wal_does_not_make_a_sound_vault_look_damaged(
    tmp_path: Path,
) -> None:
    """LinksDesk stopped by a power cut on this laptop leaves its -wal and -shm beside the
    vault; the worker then copies their own vault (and key file) from their old laptop over
    it, by hand, as the administrator guide allows. The vault copied in is sound: it opens
    whole, and what the power cut left is kept beside it, not mixed in."""
    (tmp_path / "here").mkdir()
    (tmp_path / "old").mkdir()
    here, _ = Vault.create(tmp_path / "here" / "linksdesk.vault", PASSPHRASE)
    fill(here.store(SyncPolicy()), participants=4, notes_each=3)
    folder = tmp_path / "laptop"
    _crashed(here, folder)
    here.lock()
    theirs, _ = Vault.create(tmp_path / "old" / "linksdesk.vault", PASSPHRASE)
    fill(theirs.store(SyncPolicy()), participants=3, notes_each=2)
    theirs.lock()
    copied = _placed(theirs.path, folder)

    _checked(tmp_path / "home", copied)
    assert _participants(copied) == 3
    kept = [p for p in folder.iterdir() if p.name.startswith("linksdesk.vault-wal.not-this")]
    assert len(kept) == 1 and kept[0].stat().st_size > 0


def test_an_older_copy_put_back_after_a_crash_is_not_torn_by_the_crashs_wal(
    tmp_path: Path,
) -> None:
    """After a power cut, the vault file is put back by hand from an older copy (an IT
    department's file backup, a copy on a stick) while the -wal the power cut left stays
    beside it. Opening must not read the older file through the later saves' pages (a torn
    mix of two copies, written into the file at the next close): the copy opens as it was."""
    work = tmp_path / "work" / "linksdesk.vault"
    work.parent.mkdir()
    vault, _ = Vault.create(work, PASSPHRASE)
    fill(vault.store(SyncPolicy()), participants=5, notes_each=3)
    vault.lock()
    folder = tmp_path / "laptop"
    folder.mkdir()
    older = _placed(work, folder)
    vault = Vault.unlock(work, PASSPHRASE)
    fill(vault.store(SyncPolicy()), participants=20, notes_each=3)
    with raw_connection(work) as raw:  # some saves reach the file, as SQLite's own do
        raw.execute("PRAGMA wal_checkpoint(PASSIVE)")
    fill(vault.store(SyncPolicy()), participants=20, notes_each=3)
    _crashed(vault, folder)
    vault.lock()

    assert _participants(older) == 5
    _checked(tmp_path / "home", older)  # and so after a close that checkpointed
    assert any(p.name.startswith("linksdesk.vault-wal.not-this-file-") for p in folder.iterdir())


def test_a_server_address_with_a_wrong_path_is_said_in_the_workers_words(tmp_path: Path) -> None:
    """The administrator sends the address with a path the server is not at (the proxy's
    folder, or the ``/v1`` of the API pasted from the documents). The server answers every
    request there "not found" in its own JSON; the worker must read what to check, not a
    web framework's two words, at enrolment and at a sync, and keep all their work."""
    server = new_server(tmp_path)
    laptop = Dev.create(tmp_path, "laptop")
    try:
        worker = server.worker(server.team())
        for wrong in (f"{server.url}/linksdesk", f"{server.url}/v1"):
            with pytest.raises(SyncError) as enrolling:
                laptop.enrol(server, worker, url=wrong)
            assert "Not Found" not in str(enrolling.value)
            assert "address" in str(enrolling.value)
        laptop.enrol(server, worker)
        laptop.reopen()
        pid = laptop.participant()
        queued = laptop.outbox()
        with laptop.store.write() as tx:
            state.put(tx.session, state.SERVER_URL, f"{server.url}/linksdesk")
        with pytest.raises(SyncError) as syncing:
            laptop.sync()
        assert "Not Found" not in str(syncing.value) and "address" in str(syncing.value)
        assert laptop.outbox() == queued
        with laptop.store.write() as tx:
            state.put(tx.session, state.SERVER_URL, server.url)
        laptop.sync()
        assert pid in server.records(laptop.worker_id)["participant"]
    finally:
        laptop.close()
        server.close()


def test_the_linksdesk_folder_copied_whole_to_a_new_computer_is_a_laptop_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Moving to a new laptop, the worker (or a profile migration tool) copies the whole
    LinksDesk data folder, where the vault lives beside the file that names this computer.
    On the new computer, the copied vault must still be a laptop of its own (a new device
    id; it syncs once enrolled with a new code), never the old laptop's twin: two laptops
    syncing as one device would hide each other's changes and give programme ids twice."""
    old = tmp_path / "old-computer" / "LinksDesk"
    old.mkdir(parents=True)
    monkeypatch.setenv(machine.FOLDER_ENV, str(old))
    monkeypatch.setenv(machine.SYSTEM_ENV, "old computer's system")
    vault, _ = Vault.create(old / "linksdesk.vault", PASSPHRASE)
    device = vault.device_id
    vault.lock()
    _participants(old / "linksdesk.vault")  # opened on the old computer: named as its own

    new = tmp_path / "new-computer" / "LinksDesk"
    shutil.copytree(old, new)
    monkeypatch.setenv(machine.FOLDER_ENV, str(new))
    monkeypatch.setenv(machine.SYSTEM_ENV, "new computer's system")
    copy = Vault.unlock(new / "linksdesk.vault", PASSPHRASE)
    try:
        assert copy.taken_as_copy and copy.device_id != device
    finally:
        copy.lock()
    # the old laptop, on its own computer, is as it was
    monkeypatch.setenv(machine.FOLDER_ENV, str(old))
    monkeypatch.setenv(machine.SYSTEM_ENV, "old computer's system")
    again = Vault.unlock(old / "linksdesk.vault", PASSPHRASE)
    try:
        assert not again.taken_as_copy and again.device_id == device
    finally:
        again.lock()
