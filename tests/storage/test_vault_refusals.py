"""Every way a vault can refuse to open: a clear error of ours, and not one byte changed."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from vault_kit import (
    PASSPHRASE,
    add_note,
    add_participant,
    fill,
    flip_bit,
    page_count,
    raw_connection,
    side_files,
    snapshot,
)

from linksdesk.core.errors import (
    KeyFileDamagedError,
    KeyFileMismatchError,
    KeyFileMissingError,
    LinksDeskError,
    NotAVaultError,
    ValidationError,
    VaultCorruptError,
    VaultFromNewerVersionError,
    VaultNotFoundError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from linksdesk.storage import keyfile
from linksdesk.storage.engine import PAGE_SIZE
from linksdesk.storage.tables import SYNCABLE_TABLES
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy


@pytest.fixture
def closed_vault(vault_path: Path) -> tuple[Path, str]:
    """A locked vault with some case notes in it, and its recovery key."""
    vault, recovery = Vault.create(vault_path, PASSPHRASE)
    fill(vault.store(SyncPolicy()), participants=8, notes_each=6)
    vault.lock()
    return vault_path, recovery


def refused(folder: Path, error: type[Exception], attempt: Callable[[], object]) -> LinksDeskError:
    """Run ``attempt``; it must raise ``error`` (one of ours) and leave every file as it was."""
    before = snapshot(folder)
    with pytest.raises(error) as info:
        opened = attempt()
        if isinstance(opened, Vault):  # pragma: no cover - only when the test fails
            opened.lock()
    assert isinstance(info.value, LinksDeskError), type(info.value)
    assert snapshot(folder) == before, "a refused open changed or created files"
    message = str(info.value)
    assert message and "Traceback" not in message and PASSPHRASE not in message
    return info.value


def test_wrong_passphrase(closed_vault: tuple[Path, str]) -> None:
    path, _ = closed_vault
    error = refused(path.parent, WrongPassphraseError, lambda: Vault.unlock(path, "wrong words"))
    assert "passphrase" in str(error)
    assert side_files(path) == []  # no -wal or -shm was created by the attempt


def test_wrong_recovery_key(closed_vault: tuple[Path, str], tmp_path: Path) -> None:
    path, recovery = closed_vault
    other, other_recovery = Vault.create(tmp_path / "elsewhere" / "x.vault", PASSPHRASE)
    other.lock()
    refused(
        path.parent,
        WrongRecoveryKeyError,
        lambda: Vault.recover(path, other_recovery, "a new long passphrase"),
    )
    # a typo is caught by the recovery key's checksum: a hint to re-check, not "wrong key"
    typo = recovery[:-1] + ("0" if recovery[-1] != "0" else "1")
    refused(
        path.parent, ValidationError, lambda: Vault.recover(path, typo, "a new long passphrase")
    )


def test_missing_key_file(closed_vault: tuple[Path, str]) -> None:
    path, _ = closed_vault
    keyfile.keyfile_path(path).unlink()
    error = refused(path.parent, KeyFileMissingError, lambda: Vault.unlock(path, PASSPHRASE))
    assert "key file" in str(error)


@pytest.mark.parametrize("damage", ["truncated", "edited", "not json", "empty"])
def test_damaged_key_file(closed_vault: tuple[Path, str], damage: str) -> None:
    path, _ = closed_vault
    kpath = keyfile.keyfile_path(path)
    raw = kpath.read_bytes()
    if damage == "truncated":
        kpath.write_bytes(raw[: len(raw) // 2])
    elif damage == "edited":
        doc = json.loads(raw)
        doc["slots"][0]["nonce"] = doc["slots"][1]["nonce"]
        kpath.write_text(json.dumps(doc))
    elif damage == "not json":
        kpath.write_bytes(os.urandom(300))
    else:
        kpath.write_bytes(b"")
    error = refused(path.parent, KeyFileDamagedError, lambda: Vault.unlock(path, PASSPHRASE))
    assert "damaged" in str(error)


def test_missing_vault_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.vault"
    refused(tmp_path, VaultNotFoundError, lambda: Vault.unlock(path, PASSPHRASE))


def _plain_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE participant (name TEXT)")
    conn.execute("INSERT INTO participant VALUES ('someone')")
    conn.commit()
    conn.close()


NOT_VAULTS: dict[str, Callable[[Path], None]] = {
    "plain sqlite": _plain_sqlite,
    "random bytes": lambda p: p.write_bytes(random.Random(7).randbytes(8 * PAGE_SIZE)),
    "random odd size": lambda p: p.write_bytes(random.Random(8).randbytes(10_001)),
    "empty": lambda p: p.write_bytes(b""),
    "text": lambda p: p.write_text("Shopping list\nmilk\nbread\n" * 400, encoding="utf-8"),
    "a folder": lambda p: p.mkdir(),
}


@pytest.mark.parametrize("kind", sorted(NOT_VAULTS))
def test_a_file_that_is_not_a_vault(closed_vault: tuple[Path, str], kind: str) -> None:
    # the worst case: a genuine key file sits beside it, so the passphrase is right
    path, _ = closed_vault
    path.unlink()
    NOT_VAULTS[kind](path)
    error = refused(path.parent, NotAVaultError, lambda: Vault.unlock(path, PASSPHRASE))
    assert "not a LinksDesk vault" in str(error)


@pytest.mark.parametrize("kind", ["plain sqlite", "empty", "text"])
def test_obviously_not_a_vault_even_without_a_key_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "something.vault"
    NOT_VAULTS[kind](path)
    refused(tmp_path, NotAVaultError, lambda: Vault.unlock(path, PASSPHRASE))


def test_a_key_file_that_belongs_to_another_vault(
    closed_vault: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = closed_vault
    other_path = tmp_path / "other" / "other.vault"
    other, other_recovery = Vault.create(other_path, "the other vault's passphrase")
    other.lock()
    shutil.copy(keyfile.keyfile_path(other_path), keyfile.keyfile_path(path))

    error = refused(
        path.parent,
        KeyFileMismatchError,
        lambda: Vault.unlock(path, "the other vault's passphrase"),
    )
    assert "different vault" in str(error)
    refused(
        path.parent,
        KeyFileMismatchError,
        lambda: Vault.recover(path, other_recovery, "a brand new passphrase"),
    )
    # and this vault's own passphrase does not fit the other vault's key file
    refused(path.parent, WrongPassphraseError, lambda: Vault.unlock(path, PASSPHRASE))


def test_a_vault_from_a_newer_linksdesk(closed_vault: tuple[Path, str]) -> None:
    path, _ = closed_vault
    with raw_connection(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9001_from_the_future'")
    assert side_files(path) == []
    error = refused(path.parent, VaultFromNewerVersionError, lambda: Vault.unlock(path, PASSPHRASE))
    assert "newer LinksDesk" in str(error)
    assert side_files(path) == []


def test_a_vault_from_a_newer_linksdesk_left_open_mid_write(
    closed_vault: tuple[Path, str],
) -> None:
    # with a -wal beside it (another LinksDesk has it open) the check still refuses
    path, _ = closed_vault
    holder = raw_connection(path)
    conn = holder.__enter__()
    try:
        conn.execute("UPDATE alembic_version SET version_num = '9001_from_the_future'")
        assert side_files(path) == ["-wal", "-shm"]
        with pytest.raises(VaultFromNewerVersionError):
            Vault.unlock(path, PASSPHRASE)
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        assert row[0] == "9001_from_the_future"
    finally:
        holder.__exit__(None, None, None)


def test_damaged_first_page_is_reported_as_damage_not_as_a_wrong_key(
    closed_vault: tuple[Path, str],
) -> None:
    path, _ = closed_vault
    flip_bit(path, 2000)  # inside page 1, past the clear header
    error = refused(path.parent, VaultCorruptError, lambda: Vault.unlock(path, PASSPHRASE))
    message = str(error)
    assert "damaged" in message and "1 of" in message
    assert "passphrase" not in message and "key file" not in message


def test_damaged_header_is_reported_as_damage(closed_vault: tuple[Path, str]) -> None:
    path, _ = closed_vault
    flip_bit(path, 5)  # inside the 16-byte salt at the start of the file
    error = refused(path.parent, VaultCorruptError, lambda: Vault.unlock(path, PASSPHRASE))
    assert "start of the file" in str(error)


def test_a_flipped_bit_in_a_middle_page_is_found_and_named(
    closed_vault: tuple[Path, str], tmp_path: Path
) -> None:
    """Unlock refuses if it needs the page; otherwise the integrity check names it."""
    path, _ = closed_vault
    middle = page_count(path) // 2
    opened = 0
    for page in (middle, middle + 1, middle - 1, middle + 2, middle - 2, middle + 3):
        trial = tmp_path / f"trial{page}" / path.name
        trial.parent.mkdir()
        shutil.copy(path, trial)
        shutil.copy(keyfile.keyfile_path(path), keyfile.keyfile_path(trial))
        flip_bit(trial, (page - 1) * PAGE_SIZE + 1500)
        try:
            vault = Vault.unlock(trial, PASSPHRASE)
        except VaultCorruptError:
            continue  # unlock read the damaged page: refused clearly (checked above too)
        opened += 1
        try:
            report = vault.integrity_check()
            assert not report.ok and report.damaged
            assert report.cipher_errors == (f"HMAC verification failed for page {page}",)
            described = report.describe()
            assert "1 damaged page" in described and "backup" in described
            # reading the damaged rows is a clear VaultCorruptError, never a driver error
            with pytest.raises(VaultCorruptError), vault.store().read() as s:
                for table in TABLES_TO_READ:
                    s.execute(text(f"SELECT * FROM {table}")).all()
                s.execute(text("PRAGMA quick_check")).all()  # and every index page
        finally:
            vault.lock()
    assert opened >= 2, "every damaged middle page stopped unlock: the test proves little"


TABLES_TO_READ = [
    *(t.__tablename__ for t in SYNCABLE_TABLES),  # type: ignore[attr-defined]
    "search_index",
    "search_index_data",
    "outbox",
    "audit_event",
    "local_setting",
]


def test_wrong_key_and_damage_say_different_things(
    closed_vault: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = closed_vault
    wrong = refused(path.parent, WrongPassphraseError, lambda: Vault.unlock(path, "not it at all"))
    copy = tmp_path / "copy" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    shutil.copy(keyfile.keyfile_path(path), keyfile.keyfile_path(copy))
    flip_bit(copy, 3000)
    damaged = refused(copy.parent, VaultCorruptError, lambda: Vault.unlock(copy, PASSPHRASE))
    assert type(wrong) is not type(damaged) and str(wrong) != str(damaged)


def test_an_unsaved_write_is_not_left_behind_by_a_refusal(vault_path: Path) -> None:
    # a refused open after real use: the previous session's data is all still there
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    store = vault.store(SyncPolicy())
    with store.write() as tx:
        p = add_participant(tx)
        add_note(tx, p.id, "Met at the library; talked about the men's shed.")
    vault.lock()
    refused(vault_path.parent, WrongPassphraseError, lambda: Vault.unlock(vault_path, "nope nope"))
    vault = Vault.unlock(vault_path, PASSPHRASE)
    try:
        assert vault.integrity_check().ok
    finally:
        vault.lock()
