"""The vault: create, unlock, lock, change the passphrase, recover, and check a vault file.

Opening is read-only until the key is proven. The passphrase (or recovery key) is checked
against the key file first; the data key is then tried on the vault through an immutable,
read-only connection that creates no file. Only a key that reads the vault, on a vault this
LinksDesk understands, opens it for writing. So every refusal (wrong passphrase, wrong
recovery key, missing or damaged key file, a file that is not a vault, a key file of another
vault, a vault from a newer LinksDesk) leaves every file exactly as it was.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
import sqlcipher3
from sqlalchemy import Connection, Engine, func, insert, select, text, union_all

from linksdesk.core.errors import (
    DiskFullError,
    EnvironmentProblem,
    KeyFileMismatchError,
    NotAVaultError,
    ReadOnlyError,
    VaultCorruptError,
    VaultExistsError,
    VaultFolderMissingError,
    VaultLockedError,
    VaultNotFoundError,
    VaultOnFullDiskError,
    VaultOnReadOnlyDiskError,
)
from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.core.item_words import counted
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import audit, keyfile, leftover_wal, machine, migrate, restored, waiting
from linksdesk.storage.engine import (
    DB_ERRORS,
    PageCheck,
    check_pages,
    connect_read_only,
    looks_like_vault_header,
    make_engine,
    opens_without_writing,
    reader,
    translated_errors,
    vault_salt,
)
from linksdesk.storage.page_gate import PageGate
from linksdesk.storage.store import OutboxPolicy, Store
from linksdesk.storage.tables import SYNCABLE_TABLES, LocalSetting, SyncState
from linksdesk.storage.writer import writer_of

log = logging.getLogger(__name__)

# the latest change stamp of any syncable row, in one statement (a compile and a read each
# table's hlc index once, at every unlock)
_LATEST_STAMP = select(
    func.max(
        union_all(
            *(select(func.max(t.hlc).label("hlc")) for t in SYNCABLE_TABLES)  # type: ignore[attr-defined]
        )
        .subquery()
        .c.hlc
    )
)

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
_READ_ERRORS: tuple[type[BaseException], ...] = (EnvironmentProblem, *DB_ERRORS)


def default_vault_dir() -> Path:
    return Path(platformdirs.user_data_dir("LinksDesk", appauthor=False))


def default_vault_path() -> Path:
    return default_vault_dir() / "linksdesk.vault"


@dataclass(frozen=True)
class IntegrityReport:
    """What a full check of an open vault found. Page numbers and ids only, never content."""

    cipher_errors: tuple[str, ...]  # pages whose HMAC failed (damage or tampering)
    sqlite_errors: tuple[str, ...]  # PRAGMA integrity_check findings
    audit_events: int
    audit_broken_at: int | None
    audit_problem: str | None = None

    @property
    def ok(self) -> bool:
        return not self.cipher_errors and not self.sqlite_errors and self.audit_problem is None

    @property
    def damaged(self) -> bool:
        """The file itself is damaged (as opposed to only the audit log not adding up)."""
        return bool(self.cipher_errors or self.sqlite_errors)

    def describe(self) -> str:
        if self.ok:
            return f"The vault is intact; its audit log of {self.audit_events} events checks out."
        parts = []
        if self.cipher_errors:
            parts.append(
                f"{counted('damaged page', len(self.cipher_errors))} in the encrypted file"
            )
        if self.sqlite_errors:
            parts.append("the database structure is damaged")
        if self.audit_problem is not None:
            parts.append(f"the audit log does not add up ({self.audit_problem})")
        advice = (
            " Restore the vault from your latest backup or sync again from the server."
            if self.damaged
            else " Tell your supervisor: the record of who did what may have been edited."
        )
        return "Problems found: " + "; ".join(parts) + "." + advice


class Vault:
    """An unlocked vault. ``lock()`` closes every connection and drops the key."""

    def __init__(
        self, path: Path, key: bytes, *, salt: bytes | None = None, read_only: bool = False
    ) -> None:
        self.path = Path(path)
        self._key: bytes | None = key
        # a damaged vault is opened read-only: see damaged_pages and DAMAGED_READ_ONLY
        self.read_only = read_only
        self.damaged_pages: tuple[int, ...] = ()
        self._engine: Engine | None = make_engine(self.path, key, salt=salt, read_only=read_only)
        self._gate: PageGate | None = None  # the page check, when it runs beside the reads
        self.device_id = ""
        self.worker_id = ""
        self.clock = HybridClock("")
        self.behind_at_unlock_ms = 0
        # this unlock found it copied or restored here from another computer: a device of
        # its own now (``restored.take_as_copy``)
        self.taken_as_copy = False

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def create(
        cls, path: Path, passphrase: str, *, kdf: keyfile.KdfParams | None = None
    ) -> tuple[Vault, str]:
        """A new empty vault; returns it unlocked with the recovery key (shown once)."""
        path = Path(path)
        kpath = keyfile.keyfile_path(path)
        if path.exists() or kpath.exists():
            raise VaultExistsError(str(path))
        _private_folder(path.parent)
        key, recovery = keyfile.create_keyfile(kpath, passphrase, kdf)
        vault: Vault | None = None
        try:
            vault_id = keyfile.read_vault_id(kpath)
            # 0600 before SQLCipher makes it (its WAL and SHM files take the same mode)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
            vault = cls(path, key, salt=vault_salt(vault_id))
            identity = {"vault_id": vault_id, "device_id": uuid7(), "worker_id": uuid7()}
            here = machine.machine_id()
            if here:
                identity[restored.OPENED_ON_KEY] = here

            def write_identity(conn: Connection) -> None:
                for k, v in identity.items():
                    conn.execute(insert(LocalSetting).values(key=k, value=v))
                # nothing pulled, nothing waits: no vault-wide look at its first pull
                conn.execute(insert(SyncState).values(key=waiting.WAITING_KEY, value={}))

            with translated_errors(path):
                migrate.upgrade(vault.engine, then=write_identity)
                vault._ready()
        except BaseException:
            if vault is not None:
                vault.lock()
            _remove_new(path)
            raise
        log.info("vault created")
        return vault, recovery

    def abandon(self) -> None:
        """Lock and take away a vault created a moment ago whose making could not be
        finished (a full disk refused its first records): its recovery key was never shown,
        and nothing in it was written by anyone, so it must not stay to be opened."""
        self.lock()
        _remove_new(self.path)
        log.info("a vault whose making could not be finished was taken away")

    @classmethod
    def unlock(
        cls, path: Path, passphrase: str, *, check_beside: bool = False, restoring: bool = False
    ) -> Vault:
        """Open with the passphrase; on any refusal no file is created or changed.

        Audit events for unlocking are the caller's (casework records who unlocked).
        ``check_beside`` (the desktop): the page check runs beside the first reads and
        every write waits for it (``page_gate``); see ``_open``. ``restoring``: a restore
        opens the copy it makes: a backup last opened on this computer keeps its identity
        (and the restore gives up what it must itself, ``restored``); one from another
        computer, or naming none, becomes a device of its own, as a copy does.
        """
        path = cls._require_vault_file(Path(path))
        kpath = keyfile.keyfile_path(path)
        key = keyfile.unlock_with_passphrase(kpath, passphrase)
        with _opening_for_work():
            return cls._open(
                path,
                key,
                keyfile.read_vault_id(kpath),
                check_beside=check_beside,
                restoring=restoring,
            )

    @classmethod
    def recover(
        cls, path: Path, recovery_key: str, new_passphrase: str, *, restoring: bool = False
    ) -> Vault:
        """Open with the recovery key and set a new passphrase (the data key stays)."""
        path = cls._require_vault_file(Path(path))
        kpath = keyfile.keyfile_path(path)
        key = keyfile.unlock_with_recovery_key(kpath, recovery_key)
        vault_id = keyfile.read_vault_id(kpath)
        cls._prove_key(path, key, vault_id)  # never rewrap a key that does not open the vault
        with _opening_for_work():
            keyfile.change_passphrase(kpath, key, new_passphrase)  # refuses a weak one first
            return cls._open(path, key, vault_id, restoring=restoring)

    @staticmethod
    def _require_vault_file(path: Path) -> Path:
        """Cheap checks before any key derivation: there is a file, and it is not plainly
        something else (empty, a plain SQLite database, text)."""
        try:
            if not path.parent.is_dir():  # a memory stick not put in, say
                raise VaultFolderMissingError(str(path.parent))
            if not path.exists():
                raise VaultNotFoundError(str(path))
            if not path.is_file():
                raise NotAVaultError(str(path))
            with path.open("rb") as fh:
                head = fh.read(512)
        except OSError as exc:
            raise EnvironmentProblem(
                f"The vault file could not be read ({path}: {exc.strerror}). "
                "Check that you can open files in that folder."
            ) from exc
        if not head or head.startswith(SQLITE_PLAIN_HEADER) or _is_text(head):
            raise NotAVaultError(str(path))
        return path

    @classmethod
    def _open(
        cls,
        path: Path,
        key: bytes,
        vault_id: str,
        *,
        check_beside: bool = False,
        restoring: bool = False,
    ) -> Vault:
        revision, opened_on = cls._prove_key(path, key, vault_id)
        here = machine.machine_id()
        # last opened on another computer: copied or restored here from it, or opened here
        # for the first time since this LinksDesk (no computer named yet)
        arrived = bool(here) and opened_on != here
        if (
            check_beside
            and not arrived  # its first unlock here writes: it waits for no page check
            and revision == migrate.head_revision()  # a migration writes: it waits for no one
            and opens_without_writing(path, key)
        ):
            return cls._open_checking(path, key)
        with translated_errors(path):
            # every page's HMAC, without decrypting: a damaged page is found before anything
            # writes into the file (a write would spread the damage or hide it)
            pages = check_pages(path, key)
        if pages.failed:
            return cls._open_damaged(path, key, pages.failed)
        vault = cls(path, key)
        with vault._locked_if_it_fails():
            migrate.upgrade(vault.engine)
            if arrived:
                # a backup naming no computer may be another's: the safe side is a new device
                # (a new enrolment code), never two laptops syncing as one
                vault._arrived(here, copied=bool(opened_on) or restoring)
            vault._ready()
        return vault

    def _arrived(self, here: str, *, copied: bool) -> None:
        """The first unlock on this computer: a vault copied or restored here from another
        is taken as a copy (``restored.take_as_copy``); either way it is marked as opened
        here."""
        with self.store().bookkeeping() as s:
            if copied:
                retired = restored.take_as_copy(s)
                self.taken_as_copy = True
                log.warning(
                    "vault from another computer: it is a device of its own now and "
                    "syncs once enrolled again (%d leased programme ids given up)",
                    retired,
                )
            s.merge(LocalSetting(key=restored.OPENED_ON_KEY, value=here))

    @classmethod
    def _open_checking(cls, path: Path, key: bytes) -> Vault:
        """Open for reading at once, with every page's HMAC checked on a thread beside the
        reads; every write waits until the check has passed, and is refused (the vault
        turns read-only, as ``_open_damaged`` opens it) if it finds a damaged page."""
        vault = cls(path, key)
        gate = PageGate(functools.partial(_checked_pages, path, key), vault._found_damaged)
        vault._gate = gate
        writer_of(vault.engine).hold_writes(gate.hold)  # before anyone has the engine
        gate.start()
        with vault._locked_if_it_fails():
            vault._ready()
        return vault

    def _found_damaged(self, failed: tuple[int, ...]) -> None:
        """The page check beside the reads found damage: read-only from now on."""
        log.warning("vault has %d damaged page(s): read-only from now on", len(failed))
        self.damaged_pages = failed
        self.read_only = True

    @classmethod
    def _open_damaged(cls, path: Path, key: bytes, failed: tuple[int, ...]) -> Vault:
        """Open a vault with damaged pages read-only: nothing is ever written into it."""
        log.warning("vault has %d damaged page(s): opened read-only", len(failed))
        vault = cls(path, key, read_only=True)
        vault.damaged_pages = failed
        with vault._locked_if_it_fails():
            if migrate.current_revision(vault.engine) != migrate.head_revision():
                # an older vault would need a migration, which writes: it cannot open
                raise VaultCorruptError(counted("damaged page", len(failed)))
            vault._ready()
        return vault

    @contextlib.contextmanager
    def _locked_if_it_fails(self) -> Iterator[None]:
        """Opening steps: if one fails, the vault is locked again (its key wiped) before the
        error, in the terms people understand, goes on."""
        try:
            with translated_errors(self.path):
                yield
        except BaseException:
            self.lock()
            raise

    @classmethod
    def _prove_key(cls, path: Path, key: bytes, vault_id: str) -> tuple[str, object]:
        """Read the vault through a connection that cannot write; raise why it won't open.

        A ``-wal`` beside it that is not its file's own is set aside first (``leftover_wal``).
        Returns the vault's schema revision and the computer it was last opened on."""
        with translated_errors(path):
            leftover_wal.set_aside_if_not_its_own(path, key)
            conn = connect_read_only(path, key)
            try:
                try:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlcipher3.dbapi2.DatabaseError as exc:
                    if str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_NOTADB"):
                        raise cls._why_unreadable(path, key, vault_id) from None
                    raise
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                if not {"alembic_version", "local_setting"} <= tables:
                    raise NotAVaultError(str(path))
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if row is None:
                    raise NotAVaultError(str(path))
                migrate.refuse_newer(str(row[0]))
                stored = conn.execute(
                    "SELECT value FROM local_setting WHERE key = 'vault_id'"
                ).fetchone()
                if stored is None:
                    raise KeyFileMismatchError()
                try:
                    stored_id = json.loads(stored[0])
                except (TypeError, ValueError):
                    raise VaultCorruptError("its identity record is unreadable") from None
                if stored_id != vault_id:
                    raise KeyFileMismatchError()
                opened = conn.execute(
                    "SELECT value FROM local_setting WHERE key = ?", (restored.OPENED_ON_KEY,)
                ).fetchone()
                try:
                    opened_on = json.loads(opened[0]) if opened else None
                except (TypeError, ValueError):
                    opened_on = None  # unreadable: as a vault that names no computer yet
                return str(row[0]), opened_on
            finally:
                conn.close()

    @staticmethod
    def _why_unreadable(path: Path, key: bytes, vault_id: str) -> Exception:
        """The first page does not decrypt: damage, another vault's key file, or no vault."""
        with path.open("rb") as fh:
            head = fh.read(16)
        pages = check_pages(path, key)
        if not pages.none_readable:
            log.warning("vault unreadable: %d of %d pages fail", len(pages.failed), pages.pages)
            return VaultCorruptError(f"{len(pages.failed)} of {pages.pages} pages unreadable")
        ours = vault_salt(vault_id)
        if head != ours and not check_pages(path, key, salt=ours).none_readable:
            # the pages verify under this vault's own salt: only the header is damaged
            log.warning("vault unreadable: damaged header")
            return VaultCorruptError("the start of the file is damaged")
        if head == ours:
            log.warning("vault unreadable: no page verifies under its own key")
            return VaultCorruptError("no page can be read")
        if looks_like_vault_header(head):
            log.warning("key file belongs to another vault")
            return KeyFileMismatchError()
        return NotAVaultError(str(path))

    def _ready(self) -> None:
        """Load the device identity and start this vault's clock after its latest change."""
        self.device_id = str(self.setting("device_id"))
        self.worker_id = str(self.setting("worker_id"))
        self.clock = HybridClock(self.device_id)
        with reader(self.engine).connect() as conn:
            latest = conn.execute(_LATEST_STAMP).scalar()
            conn.rollback()
        if latest:
            # a wall clock set back since the last session must not reorder our changes
            with contextlib.suppress(ValueError):
                self.clock.observe(latest)
        # work stamped after this laptop's clock now: the clock went back (a flat battery
        # resets it) or ran ahead when that work was saved; said at unlock (Casebook)
        self.behind_at_unlock_ms = self.clock.behind_ms()

    # -- the page check, when it runs beside the first reads ------------------------------
    def first_write(self, fn: Callable[[], None]) -> None:
        """``fn()``, a write, before any other write into this vault: now when its pages are
        known sound, once the page check has passed when it runs beside the reads, and
        never into a damaged vault."""
        if self._gate is not None:
            self._gate.first_write(fn)
        elif self.read_only:
            log.warning("a first write was not made: the vault is read-only")
        else:
            fn()

    def when_pages_checked(self, fn: Callable[[], None]) -> None:
        """``fn()`` once every page has been checked (at once if it has); ``read_only`` then
        says whether one was damaged. Called on the check's own thread."""
        if self._gate is None:
            fn()
        else:
            self._gate.when_done(fn)

    def write_held(self) -> None:
        """Write what waits to go first (``first_write``) now, not at the next write."""
        if self._gate is not None:
            self._gate.write_first()

    def _record(self, action: AuditAction, entity: str) -> None:
        with self.store().write() as tx:
            tx.audit(action, entity)

    # -- use ------------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VaultLockedError()
        return self._engine

    @property
    def is_locked(self) -> bool:
        return self._engine is None

    def store(self, policy: OutboxPolicy | None = None) -> Store:
        """Units of work on this vault; every store shares the vault's one clock."""
        return Store(
            self.engine,
            device_id=self.device_id,
            worker_id=self.worker_id,
            clock=self.clock,
            policy=policy,
            path=str(self.path),
        )

    def setting(self, key: str, default: object = None) -> object:
        with translated_errors(self.path), reader(self.engine).connect() as conn:
            value = conn.execute(
                select(LocalSetting.value).where(LocalSetting.key == key)
            ).scalar_one_or_none()
            conn.rollback()
        return default if value is None else value

    def set_setting(self, key: str, value: object) -> None:
        if key == audit.HEAD_KEY:
            raise ValueError("the audit head is written only with audit events")
        with translated_errors(self.path), self.engine.begin() as conn:
            conn.execute(text("DELETE FROM local_setting WHERE key = :k"), {"k": key})
            conn.execute(insert(LocalSetting).values(key=key, value=value))
        if key in ("device_id", "worker_id"):
            self._ready()

    def change_passphrase(
        self, new_passphrase: str, *, current_passphrase: str | None = None
    ) -> None:
        """Rewrap the data key under a new passphrase. The database file is not rekeyed.

        Pass ``current_passphrase`` (the UI should ask for it) so an unlocked, unattended
        laptop cannot have its passphrase changed by someone else: a wrong one raises
        WrongPassphraseError and changes nothing. Records a "passphrase" audit event.
        """
        key = self._require_key()
        kpath = keyfile.keyfile_path(self.path)
        if (
            current_passphrase is not None
            and keyfile.unlock_with_passphrase(kpath, current_passphrase) != key
        ):
            raise KeyFileMismatchError()  # the key file was swapped while the vault was open
        # the change is recorded before the new key file takes the old one's place: a full
        # disk refuses both, never only the record (the old passphrase then opened nothing)
        with keyfile.passphrase_changing(kpath, key, new_passphrase):
            self._record(AuditAction.PASSPHRASE, "vault")

    def integrity_check(self) -> IntegrityReport:
        """Check every page's HMAC, the database structure and the audit chain.

        Damage is reported, not raised; a locked vault raises VaultLockedError.
        """
        engine = reader(self.engine)
        cipher: tuple[str, ...]
        sqlite: tuple[str, ...]
        try:
            with engine.connect() as conn:
                cipher = tuple(
                    str(r[0]) for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check")
                )
                conn.rollback()
        except DB_ERRORS as exc:
            cipher = (f"the page check stopped: {_db_error_name(exc)}",)
        try:
            with engine.connect() as conn:
                rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                conn.rollback()
            sqlite = () if rows == ["ok"] else tuple(rows)
        except DB_ERRORS as exc:
            sqlite = (f"the structure check stopped: {_db_error_name(exc)}",)
        try:
            with self.store().read() as s:
                chain = audit.verify(s)
        except _READ_ERRORS:
            chain = audit.ChainReport(0, None, "the audit log could not be read")
        report = IntegrityReport(cipher, sqlite, chain.events, chain.broken_at, chain.problem)
        if not report.ok:
            log.warning(
                "integrity check: %d page error(s), %d structure finding(s), audit %s",
                len(cipher),
                len(sqlite),
                "ok" if chain.ok else "broken",
            )
        return report

    def vacuum(self) -> None:
        """Rewrite the file so freed pages hold nothing recoverable (after erasure)."""
        vacuum_file(self.engine, self.path)

    def lock(self) -> None:
        """Close every connection and drop the key. Never fails."""
        if self._gate is not None:
            self._gate.wait()  # its connection holds the key too (it ends within seconds)
        if self._engine is not None:
            with contextlib.suppress(Exception):
                self._engine.dispose()
        self._engine = None
        self._key = None

    def _require_key(self) -> bytes:
        if self._key is None:
            raise VaultLockedError()
        return self._key

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()


def _checked_pages(path: Path, key: bytes) -> PageCheck:
    with translated_errors(path):
        return check_pages(path, key)


def _remove_new(path: Path) -> None:
    """The files of a vault just made (never of one a worker has written in)."""
    for p in (path, keyfile.keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            p.unlink()


@contextlib.contextmanager
def _opening_for_work() -> Iterator[None]:
    """A full or read-only disk found while opening is said as such, not as a save that
    failed."""
    try:
        yield
    except (VaultOnReadOnlyDiskError, VaultOnFullDiskError):
        raise
    except ReadOnlyError as exc:
        raise VaultOnReadOnlyDiskError() from exc
    except DiskFullError as exc:
        raise VaultOnFullDiskError() from exc


def _private_folder(folder: Path) -> None:
    """The vault's folder, made for this user only (0700) when it is new."""
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)  # mkdir's mode is cut by the umask


def _is_text(head: bytes) -> bool:
    """Whether the start of a file reads as text (a vault's first bytes are random)."""
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError:
        # a multi-byte character cut at the end of the sample is still text
        try:
            decoded = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(c.isprintable() or c in "\r\n\t\f" for c in decoded)


def _db_error_name(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(getattr(orig, "sqlite_errorname", "") or type(orig).__name__)


def vacuum_file(engine: Engine, path: Path) -> None:
    """Rewrite a vault file so an erased person's freed pages hold nothing recoverable.

    A write outside any transaction, so the writer-thread check is made here (the one path
    for sync's erasures and a bundle's alike).
    """
    writer_of(engine).check()
    with translated_errors(path):
        raw = engine.raw_connection()
        try:
            driver: Any = raw.driver_connection
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            driver.execute("VACUUM")
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
