"""Create, unlock, lock, change the passphrase, recover, and check a real vault file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from vault_kit import (
    PASSPHRASE,
    add_participant,
    data_key,
    fill,
    side_files,
    snapshot,
    split_pages,
)

from linksdesk.core.errors import (
    VaultExistsError,
    VaultLockedError,
    WeakPassphraseError,
    WrongPassphraseError,
)
from linksdesk.storage import keyfile, migrate
from linksdesk.storage.engine import vault_salt
from linksdesk.storage.tables import AuditEvent, Participant
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy

NEW_PASSPHRASE = "a different long passphrase"


def test_create_gives_a_keyed_vault_at_head_with_its_identity(vault_path: Path) -> None:
    vault, recovery = Vault.create(vault_path, PASSPHRASE)
    try:
        assert len(recovery.replace("-", "")) == 32
        assert migrate.current_revision(vault.engine) == migrate.head_revision()
        assert vault.device_id and vault.worker_id and vault.device_id != vault.worker_id
        vault_id = keyfile.read_vault_id(keyfile.keyfile_path(vault_path))
        assert vault.setting("vault_id") == vault_id
    finally:
        vault.lock()
    head = vault_path.read_bytes()[:16]
    assert head == vault_salt(vault_id)  # the header names the key file it belongs to
    assert not vault_path.read_bytes().startswith(b"SQLite format 3")
    assert sorted(p.name for p in vault_path.parent.iterdir()) == [
        vault_path.name,
        vault_path.name + ".key",
    ]


def test_create_refuses_an_existing_vault_and_a_weak_passphrase(vault_path: Path) -> None:
    Vault.create(vault_path, PASSPHRASE)[0].lock()
    before = snapshot(vault_path.parent)
    with pytest.raises(VaultExistsError):
        Vault.create(vault_path, PASSPHRASE)
    assert snapshot(vault_path.parent) == before

    other = vault_path.with_name("other.vault")
    with pytest.raises(WeakPassphraseError):
        Vault.create(other, "short")
    assert not other.exists() and not keyfile.keyfile_path(other).exists()


def test_lock_drops_the_key_and_unlock_finds_the_data_again(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    with vault.store(SyncPolicy()).write() as tx:
        pid = add_participant(tx, given_name="Robin").id
    device = vault.device_id
    vault.lock()

    assert vault.is_locked
    with pytest.raises(VaultLockedError):
        vault.store()
    with pytest.raises(VaultLockedError):
        vault.integrity_check()
    with pytest.raises(VaultLockedError):
        vault.change_passphrase(NEW_PASSPHRASE)
    assert side_files(vault_path) == []  # closed cleanly: the WAL went back into the file

    again = Vault.unlock(vault_path, PASSPHRASE)
    try:
        assert again.device_id == device
        with again.store().read() as s:
            assert s.get(Participant, pid) is not None
            assert s.get(Participant, pid).given_name == "Robin"  # type: ignore[union-attr]
    finally:
        again.lock()


def test_unlock_and_lock_without_saving_leave_the_file_as_it_was(vault_path: Path) -> None:
    Vault.create(vault_path, PASSPHRASE)[0].lock()
    before = snapshot(vault_path.parent)[1]
    vault = Vault.unlock(vault_path, PASSPHRASE)
    vault.integrity_check()
    vault.lock()
    assert snapshot(vault_path.parent)[1] == before


def test_change_passphrase_rewraps_the_key_and_leaves_the_database_bytes(
    vault_path: Path,
) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    fill(vault.store(SyncPolicy()), participants=10, notes_each=10)
    vault.lock()
    key_before = data_key(vault_path)
    file_before = vault_path.read_bytes()
    keyfile_before = keyfile.keyfile_path(vault_path).read_bytes()

    vault = Vault.unlock(vault_path, PASSPHRASE)
    vault.change_passphrase(NEW_PASSPHRASE, current_passphrase=PASSPHRASE)
    # the rewrap touched only the key file; the event recording it sits in the WAL
    assert vault_path.read_bytes() == file_before
    assert keyfile.keyfile_path(vault_path).read_bytes() != keyfile_before
    vault.lock()

    assert data_key(vault_path, NEW_PASSPHRASE) == key_before  # same data key: no rekey
    with pytest.raises(WrongPassphraseError):
        Vault.unlock(vault_path, PASSPHRASE)
    # after the WAL is folded back in, only the pages of the audit event differ
    old_pages, new_pages = split_pages(file_before), split_pages(vault_path.read_bytes())
    changed = [i for i, (a, b) in enumerate(zip(old_pages, new_pages, strict=False)) if a != b]
    assert len(old_pages) > 40
    assert len(changed) <= 6, f"{len(changed)} of {len(old_pages)} pages rewritten"
    assert new_pages[0][:16] == old_pages[0][:16]

    vault = Vault.unlock(vault_path, NEW_PASSPHRASE)
    try:
        with vault.store().read() as s:
            assert s.scalar(select(func.count()).select_from(Participant)) == 10
            actions = s.scalars(select(AuditEvent.action)).all()
        assert actions.count("passphrase") == 1
        assert vault.integrity_check().ok
    finally:
        vault.lock()


def test_change_passphrase_with_a_wrong_current_one_changes_nothing(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    try:
        before = keyfile.keyfile_path(vault_path).read_bytes()
        with pytest.raises(WrongPassphraseError):
            vault.change_passphrase(NEW_PASSPHRASE, current_passphrase="not the passphrase")
        with pytest.raises(WeakPassphraseError):
            vault.change_passphrase("short", current_passphrase=PASSPHRASE)
        assert keyfile.keyfile_path(vault_path).read_bytes() == before
    finally:
        vault.lock()
    Vault.unlock(vault_path, PASSPHRASE).lock()


def test_recover_with_the_recovery_key_sets_a_new_passphrase(vault_path: Path) -> None:
    vault, recovery = Vault.create(vault_path, PASSPHRASE)
    with vault.store(SyncPolicy()).write() as tx:
        pid = add_participant(tx).id
    vault.lock()
    key = data_key(vault_path)

    # a forgotten passphrase: the recovery key opens the vault and sets a new one
    recovered = Vault.recover(vault_path, recovery.lower().replace("-", " "), NEW_PASSPHRASE)
    try:
        with recovered.store().read() as s:
            assert s.get(Participant, pid) is not None
    finally:
        recovered.lock()
    with pytest.raises(WrongPassphraseError):
        Vault.unlock(vault_path, PASSPHRASE)
    assert data_key(vault_path, NEW_PASSPHRASE) == key
    # the recovery slot is kept: the same recovery key still works later
    Vault.recover(vault_path, recovery, "yet another long passphrase").lock()


def test_recover_refuses_a_weak_new_passphrase_before_changing_anything(
    vault_path: Path,
) -> None:
    vault, recovery = Vault.create(vault_path, PASSPHRASE)
    vault.lock()
    before = snapshot(vault_path.parent)
    with pytest.raises(WeakPassphraseError):
        Vault.recover(vault_path, recovery, "short")
    assert snapshot(vault_path.parent) == before
    Vault.unlock(vault_path, PASSPHRASE).lock()


def test_integrity_check_of_a_sound_vault(vault: Vault) -> None:
    fill(vault.store(SyncPolicy()), participants=3, notes_each=3)
    report = vault.integrity_check()
    assert report.ok and not report.damaged
    assert report.cipher_errors == () and report.sqlite_errors == ()
    assert report.audit_events == 3 * (2 + 3 * 2)  # participant, consent, 3 notes + revisions
    assert report.audit_problem is None
    assert "intact" in report.describe()
