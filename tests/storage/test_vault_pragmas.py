"""Every vault connection is keyed and hardened; read back from SQLCipher itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vault_kit import PASSPHRASE, data_key

from linksdesk.storage import keyfile
from linksdesk.storage.engine import (
    CACHE_KIB,
    connect_read_only,
    looks_like_vault_header,
    reader,
    vault_salt,
)
from linksdesk.storage.vault import Vault


def _pragmas(conn: Any) -> dict[str, str]:
    names = [
        "cipher_memory_security",
        "secure_delete",
        "temp_store",
        "journal_mode",
        "synchronous",
        "foreign_keys",
        "cipher_page_size",
        "cipher_hmac_algorithm",
        "cipher_use_hmac",
        "cipher_provider",
        "cache_size",
    ]
    return {n: str(conn.execute(f"PRAGMA {n}").fetchone()[0]) for n in names}


def test_every_pooled_connection_is_hardened(vault: Vault) -> None:
    # hold three at once, so the pool has to make more than one connection
    held = [vault.engine.raw_connection() for _ in range(3)]
    try:
        seen = [_pragmas(c.driver_connection) for c in held]
    finally:
        for c in held:
            c.close()
    for pragmas in seen:
        assert pragmas["cipher_memory_security"] == "1"  # keys and pages wiped from memory
        assert pragmas["secure_delete"] == "1"  # freed pages overwritten
        assert pragmas["temp_store"] == "2"  # temp tables and sorts in memory, never on disk
        assert pragmas["journal_mode"] == "wal"
        assert pragmas["synchronous"] == "2"  # FULL: a commit survives power loss
        assert pragmas["foreign_keys"] == "1"
        assert pragmas["cipher_page_size"] == "4096"
        assert pragmas["cipher_hmac_algorithm"] == "HMAC_SHA512"
        assert pragmas["cipher_use_hmac"] == "1"  # every page authenticated
        assert pragmas["cipher_provider"]  # a real crypto provider is linked
        assert pragmas["cache_size"] == f"-{CACHE_KIB}"  # decrypted pages kept in memory


def test_readers_do_not_take_the_write_lock(vault: Vault) -> None:
    with reader(vault.engine).connect() as r1, reader(vault.engine).connect() as r2:
        assert r1.exec_driver_sql("SELECT count(*) FROM local_setting").scalar()
        assert r2.exec_driver_sql("SELECT count(*) FROM local_setting").scalar()
        # and a writer can commit while both read
        vault.set_setting("test_marker", 1)
        # each reader keeps its snapshot until it ends its transaction
        assert (
            r1.exec_driver_sql(
                "SELECT count(*) FROM local_setting WHERE key = 'test_marker'"
            ).scalar()
            == 0
        )
        r1.rollback()
        r2.rollback()
    assert vault.setting("test_marker") == 1


def test_the_header_names_the_vault_and_nothing_else(vault_path: Path) -> None:
    Vault.create(vault_path, PASSPHRASE)[0].lock()
    head = vault_path.read_bytes()[:16]
    vault_id = keyfile.read_vault_id(keyfile.keyfile_path(vault_path))
    assert head == vault_salt(vault_id)
    assert looks_like_vault_header(head)
    assert not looks_like_vault_header(b"SQLite format 3\x00")
    assert not looks_like_vault_header(vault_salt(vault_id)[:15] + b"\x00")
    assert vault_id.encode() not in vault_path.read_bytes()[:4096]


def test_the_read_only_probe_creates_no_file(vault_path: Path) -> None:
    Vault.create(vault_path, PASSPHRASE)[0].lock()
    before = sorted(p.name for p in vault_path.parent.iterdir())
    conn = connect_read_only(vault_path, data_key(vault_path))
    try:
        assert conn.execute("SELECT count(*) FROM local_setting").fetchone()[0] >= 3
        assert str(conn.execute("PRAGMA cipher_memory_security").fetchone()[0]) == "1"
    finally:
        conn.close()
    assert sorted(p.name for p in vault_path.parent.iterdir()) == before
