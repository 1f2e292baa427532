"""The SQLCipher engine: every connection keyed with the raw data key and hardened."""

from __future__ import annotations

import errno
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.pool import QueuePool

from linksdesk.core.errors import (
    DiskFullError,
    EnvironmentProblem,
    NotAVaultError,
    ReadOnlyError,
    VaultCorruptError,
)

log = logging.getLogger(__name__)

KEY_BYTES = 32


def _key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    # raw key syntax: SQLCipher uses the bytes as they are, with no passphrase KDF
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_raw(path: Path, key: bytes) -> Any:
    """One keyed DB-API connection (autocommit mode: transactions are begun explicitly)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute(_key_pragma(key))
        conn.execute("PRAGMA cipher_memory_security = ON")
        # reading sqlite_master is the first real page read: a wrong key fails here
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")  # freed pages are overwritten (erasure)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # an acknowledged save survives power loss
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA temp_store = MEMORY")  # no plaintext temp files
    except Exception:
        conn.close()
        raise
    return conn


def make_engine(path: Path, key: bytes) -> Engine:
    """An engine whose every pooled connection is keyed; writes begin IMMEDIATE."""
    path = Path(path)

    def creator() -> Any:
        return connect_raw(path, key)

    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # one writer at a time, taken at BEGIN (Datasette's pattern): no upgrade deadlocks
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def classify_db_error(exc: BaseException, path: Path | str = "") -> Exception:
    """Turn a driver error into the error people should see (or return it unchanged)."""
    orig: BaseException = getattr(exc, "orig", None) or exc
    text = str(orig).lower()
    if isinstance(orig, OSError):
        if orig.errno == errno.ENOSPC:
            return DiskFullError()
        if orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ReadOnlyError()
    if "database or disk is full" in text or "disk full" in text:
        return DiskFullError()
    if "readonly" in text or "read-only" in text or "attempt to write a readonly" in text:
        return ReadOnlyError()
    if "file is not a database" in text or "not a database" in text:
        return NotAVaultError(str(path)) if path else VaultCorruptError()
    if "malformed" in text or "corrupt" in text or "disk i/o error" in text:
        return VaultCorruptError()
    return exc if isinstance(exc, Exception) else Exception(str(exc))


DB_ERRORS: tuple[type[BaseException], ...] = (
    SADatabaseError,
    SAOperationalError,
    sqlcipher3.dbapi2.DatabaseError,
    sqlite3.DatabaseError,
)


@contextmanager
def translated_errors(path: Path | str = "") -> Iterator[None]:
    """Re-raise database errors as the environment errors people understand."""
    try:
        yield
    except EnvironmentProblem:
        raise
    except DB_ERRORS as exc:
        mapped = classify_db_error(exc, path)
        if mapped is exc:
            raise
        log.warning("database error mapped to %s", type(mapped).__name__)
        raise mapped from exc
    except OSError as exc:
        mapped = classify_db_error(exc, path)
        if mapped is exc:
            raise
        raise mapped from exc
