"""The SQLCipher engine: every connection keyed with the raw data key and hardened."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
    ReadOnlyError,
    VaultCorruptError,
)
from linksdesk.storage import names
from linksdesk.storage.writer import writer_of

log = logging.getLogger(__name__)

KEY_BYTES = 32
SALT_BYTES = 16
PAGE_SIZE = 4096  # SQLCipher 4 default; pinned through cipher_compatibility below
CACHE_KIB = 64 * 1024

# Hardening applied to every connection, read back by the tests.
CONNECTION_PRAGMAS: tuple[str, ...] = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",  # freed pages are overwritten (erasure)
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",  # an acknowledged save survives power loss
    "PRAGMA busy_timeout = 5000",
    "PRAGMA temp_store = MEMORY",  # sorts and temp tables never reach disk in plaintext
    # 64 MiB of decrypted pages per connection (allocated only as used): a 5,000-person
    # caseload list then reads from memory instead of decrypting ~15k pages every time
    f"PRAGMA cache_size = -{CACHE_KIB}",
)


# -- the file header ------------------------------------------------------------------------
# SQLCipher keeps a 16-byte salt in clear at the start of the file. With a raw key the salt
# only feeds the per-page HMAC key, so it need not be secret or random; we derive it from the
# vault id so the header says which key file a vault belongs to, before any key is tried.
def vault_salt(vault_id: str) -> bytes:
    """The header salt of the vault with this id: 12 bytes from the id, 4 bytes of tag."""
    body = hashlib.sha256(b"linksdesk vault salt v1\x00" + vault_id.encode()).digest()[:12]
    return body + _header_tag(body)


def _header_tag(body: bytes) -> bytes:
    return hashlib.sha256(b"linksdesk vault header v1\x00" + body).digest()[:4]


def looks_like_vault_header(head: bytes) -> bool:
    """Whether 16 bytes look like the start of a LinksDesk vault (any vault, any key)."""
    return len(head) == SALT_BYTES and _header_tag(head[:12]) == head[12:]


def _key_pragma(key: bytes, salt: bytes | None = None) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")
    if salt is not None and len(salt) != SALT_BYTES:
        raise ValueError("the salt must be 16 bytes")
    # raw key syntax: SQLCipher uses the bytes as they are, with no passphrase KDF; a salt
    # given here is written to a new file's header (an existing file's own salt is read
    # from it when none is given)
    return f"PRAGMA key = \"x'{key.hex()}{salt.hex() if salt else ''}'\""


def _keyed(conn: Any, key: bytes, salt: bytes | None) -> None:
    # SQLCipher's own logger writes to stderr; we report through exceptions and logging
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(_key_pragma(key, salt))
    # pinned so a future SQLCipher with other defaults still reads today's files
    conn.execute("PRAGMA cipher_compatibility = 4")
    conn.execute("PRAGMA cipher_memory_security = ON")


def connect_raw(path: Path, key: bytes, *, salt: bytes | None = None) -> Any:
    """One keyed, read-write DB-API connection (autocommit: transactions begun explicitly)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        _keyed(conn, key, salt)
        # reading sqlite_master is the first real page read: a wrong key fails here
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in CONNECTION_PRAGMAS:
            conn.execute(pragma)
    except Exception:
        conn.close()
        raise
    return conn


def connect_read_only(
    path: Path, key: bytes, *, salt: bytes | None = None, alone: bool = False
) -> Any:
    """A keyed connection that cannot create or change any file (to prove a key first).

    With no ``-wal``/``-shm`` beside the vault the file is opened immutable: SQLite then
    takes no locks and creates nothing. When they exist (another LinksDesk has the vault
    open, or one was stopped mid-write) a plain read-only open sees their committed content;
    ``alone``: the file by itself all the same (immutable, SQLite reads no -wal).
    """
    path = Path(path).absolute()
    side = not alone and any(Path(f"{path}{s}").exists() for s in ("-wal", "-shm"))
    uri = path.as_uri() + ("?mode=ro" if side else "?mode=ro&immutable=1")
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        _keyed(conn, key, salt)
        conn.execute("PRAGMA temp_store = MEMORY")
    except Exception:
        conn.close()
        raise
    return conn


def opens_without_writing(path: Path, key: bytes) -> bool:
    """Whether opening the vault for writing writes nothing into it until something is
    written: it is in WAL mode (else the connection's pragmas switch it) and nothing is
    beside it (a -journal left by a crash would be rolled back, a -wal's pages checkpointed).

    A read-only connection cannot tell the journal mode (it says "delete" either way); a
    read-write one that only asks changes nothing, and takes its empty side files away again.
    """
    path = Path(path)
    if any(Path(f"{path}{s}").exists() for s in ("-wal", "-shm", "-journal")):
        return False
    with translated_errors(path):  # a full disk refuses even the question
        conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            _keyed(conn, key, None)
            mode = conn.execute("PRAGMA journal_mode").fetchone()
        finally:
            conn.close()
    return mode is not None and str(mode[0]).lower() == "wal"


@dataclass(frozen=True)
class PageCheck:
    """What SQLCipher's per-page HMAC check says of a file under one key."""

    pages: int
    failed: tuple[int, ...]  # page numbers whose HMAC does not verify
    other: tuple[str, ...]  # anything else reported (a torn last page, for example)

    @property
    def none_readable(self) -> bool:
        return self.pages > 0 and len(self.failed) >= self.pages


def check_pages(path: Path, key: bytes, *, salt: bytes | None = None) -> PageCheck:
    """Check the HMAC of every page of the file under ``key``, changing nothing on disk.

    Works when page 1 cannot be read, which is what tells a damaged first page (the other
    pages verify) from a key that is not this file's (no page verifies). ``salt`` replaces
    the one in the file's header (to see whether only the header is damaged).
    """
    size = Path(path).stat().st_size
    pages = -(-size // PAGE_SIZE)
    conn = connect_read_only(path, key, salt=salt)
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
    finally:
        conn.close()
    failed, other = [], []
    for line in rows:
        words = line.split()
        if line.startswith("HMAC verification failed for page") and words[-1].isdigit():
            failed.append(int(words[-1]))
        elif line.startswith("page ") and "invalid size" in line and words[1].isdigit():
            failed.append(int(words[1]))  # a torn last page cannot be read either
        else:
            other.append(line)
    return PageCheck(pages, tuple(sorted(set(failed))), tuple(other))


def make_engine(
    path: Path, key: bytes, *, salt: bytes | None = None, read_only: bool = False
) -> Engine:
    """An engine whose every pooled connection is keyed; writes begin IMMEDIATE.

    ``read_only`` (a damaged vault): connections SQLite itself will not let write, and
    every write transaction is refused at BEGIN with :class:`VaultDamagedError`.
    """
    path = Path(path)

    def creator() -> Any:
        if read_only:
            conn = connect_read_only(path, key, salt=salt)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        else:
            conn = connect_raw(path, key, salt=salt)
        names.register(conn)  # names compared as a person reads them (ld_fold)
        return conn

    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        # SQL parameters are names and note text: never quote them in exception messages
        hide_parameters=True,
    )

    writer = writer_of(engine)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            # a reader needs no lock: in WAL mode it sees one snapshot while others write
            conn.exec_driver_sql("BEGIN")
        elif read_only:
            raise VaultDamagedError()
        else:
            writer.check()  # the vault's one writer thread, once one has claimed it
            # one writer at a time, taken at BEGIN (Datasette's pattern): no upgrade deadlocks
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


READ_ONLY_OPTION = "linksdesk_read_only"


def reader(engine: Engine) -> Engine:
    """The same engine for transactions that only read: they begin DEFERRED, not IMMEDIATE.

    A writer must not use it: a deferred transaction that later writes can fail with
    "database is locked" when another connection wrote in between.
    """
    return engine.execution_options(**{READ_ONLY_OPTION: True})


# -- errors ---------------------------------------------------------------------------------
DAMAGED_READ_ONLY = (
    "This vault has a damaged page, so it is open read-only: you can read and copy what is "
    "there, but nothing new can be saved in it. Restore the vault from your latest backup, "
    "or ask your programme administrator to help you sync it again from the server."
)


class DiskError(EnvironmentProblem):
    """The disk reported an input/output error (failing disk, memory stick pulled out)."""

    message = (
        "The disk holding the vault reported an error, so nothing was saved. Check that "
        "the disk or memory stick is still connected, then try again."
    )


class VaultDamagedError(EnvironmentProblem):
    """The vault has a damaged page: it is open read-only and nothing is written into it."""

    message = DAMAGED_READ_ONLY


class VaultBusyError(EnvironmentProblem):
    message = (
        "The vault is busy in another LinksDesk window. Close the other window, or wait "
        "a moment, and try again."
    )


class VaultUnavailableError(EnvironmentProblem):
    message = (
        "The vault file could not be opened. Check that its folder still exists and that "
        "you can open files there, then try again."
    )


def folder_is_read_only(path: Path | str) -> bool:
    """Whether the folder holding ``path`` is on a read-only file system or not writable."""
    folder = Path(path).absolute().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    return not os.access(folder, os.W_OK)


NO_ROOM_BYTES = 1024 * 1024  # less free than this beside a vault: a disk full for SQLite


def no_room_beside(path: Path | str) -> bool:
    """Whether the disk holding ``path`` has (next to) no free space left."""
    try:
        stat = os.statvfs(Path(path).absolute().parent)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    return stat.f_bavail * stat.f_frsize < NO_ROOM_BYTES


def classify_db_error(exc: BaseException, path: Path | str = "") -> Exception:
    """Turn a driver error into the error people should see (or return it unchanged).

    Only for a vault whose key is proven: "not a database" then means a damaged page.
    """
    orig: BaseException = getattr(exc, "orig", None) or exc
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    text = str(orig).lower()
    if "no such savepoint" in text and exc.__context__ is not None:
        # SQLite rolled the whole transaction back on the first error (a full disk, say), so
        # rolling back to a savepoint then failed and hid it: that first error is the one
        return classify_db_error(exc.__context__, path)
    if isinstance(orig, OSError):
        if orig.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFullError()
        if orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ReadOnlyError()
        return exc if isinstance(exc, Exception) else Exception(str(exc))
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return DiskFullError()
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return ReadOnlyError()
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database file" in text:
        return ReadOnlyError() if path and folder_is_read_only(path) else VaultUnavailableError()
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or (
        "not a database" in text or "malformed" in text
    ):
        return VaultCorruptError()
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        # SQLite says "I/O error" when it cannot make room for its shared-memory file: on a
        # full disk, that is what the person must hear (not "is the stick connected?")
        return DiskFullError() if path and no_room_beside(path) else DiskError()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return VaultBusyError()
    return exc if isinstance(exc, Exception) else Exception(str(exc))


def db_errno(exc: BaseException) -> int | None:
    """The file system's error a database error stands for (a full, read-only or vanished
    disk), for a file other than the vault (a backup's copy); None for any other error."""
    mapped = classify_db_error(exc)
    for kind, code in (
        (DiskFullError, errno.ENOSPC),
        (ReadOnlyError, errno.EROFS),
        (DiskError, errno.EIO),
        (VaultUnavailableError, errno.ENOENT),
    ):
        if isinstance(mapped, kind):
            return code
    return None


DB_ERRORS: tuple[type[BaseException], ...] = (
    SADatabaseError,
    SAOperationalError,
    sqlcipher3.dbapi2.DatabaseError,
    sqlite3.DatabaseError,
)


# what translated_errors maps: the database's errors and the file system's
_TRANSLATED: tuple[type[BaseException], ...] = (*DB_ERRORS, OSError)


@contextmanager
def translated_errors(path: Path | str = "") -> Iterator[None]:
    """Re-raise database and file errors as the environment errors people understand."""
    try:
        yield
    except EnvironmentProblem:
        raise
    except _TRANSLATED as exc:
        mapped = classify_db_error(exc, path)
        if mapped is exc:
            raise
        source = "database" if isinstance(exc, DB_ERRORS) else "file"
        log.warning("%s error mapped to %s", source, type(mapped).__name__)
        raise mapped from exc
