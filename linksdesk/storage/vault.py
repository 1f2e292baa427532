"""The vault: create, unlock, lock, rekey the passphrase slot, recover, and check a vault file."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, select, text

from linksdesk.core.errors import (
    KeyFileMismatchError,
    NotAVaultError,
    VaultCorruptError,
    VaultExistsError,
    VaultLockedError,
    VaultNotFoundError,
)
from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.storage import audit, keyfile, migrate
from linksdesk.storage.engine import make_engine, translated_errors
from linksdesk.storage.store import OutboxPolicy, Store
from linksdesk.storage.tables import LocalSetting

log = logging.getLogger(__name__)

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


def default_vault_dir() -> Path:
    return Path(platformdirs.user_data_dir("LinksDesk", appauthor=False))


def default_vault_path() -> Path:
    return default_vault_dir() / "linksdesk.vault"


@dataclass(frozen=True)
class IntegrityReport:
    cipher_errors: list[str]
    sqlite_errors: list[str]
    audit_events: int
    audit_broken_at: int | None

    @property
    def ok(self) -> bool:
        return not self.cipher_errors and not self.sqlite_errors and self.audit_broken_at is None

    def describe(self) -> str:
        if self.ok:
            return f"Vault is intact; audit log of {self.audit_events} events verified."
        parts = []
        if self.cipher_errors:
            parts.append(f"{len(self.cipher_errors)} damaged page(s) in the encrypted file")
        if self.sqlite_errors:
            parts.append("the database structure is damaged")
        if self.audit_broken_at is not None:
            parts.append(f"the audit log was altered at event {self.audit_broken_at}")
        return "Problems found: " + "; ".join(parts) + "."


class Vault:
    """An unlocked vault. ``lock()`` closes every connection and drops the key."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = Path(path)
        self._key: bytes | None = key
        self._engine: Engine | None = make_engine(self.path, key)
        self.device_id = ""
        self.worker_id = ""

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
        path.parent.mkdir(parents=True, exist_ok=True)
        key, recovery = keyfile.create_keyfile(kpath, passphrase, kdf)
        try:
            vault = cls(path, key)
            with translated_errors(path):
                migrate.upgrade(vault.engine)
                with vault.engine.begin() as conn:
                    ids = {
                        "vault_id": keyfile.read_vault_id(kpath),
                        "device_id": uuid7(),
                        "worker_id": uuid7(),
                    }
                    for k, v in ids.items():
                        conn.execute(LocalSetting.__table__.insert().values(key=k, value=v))
            vault._load_identity()
        except BaseException:
            for p in (path, kpath, Path(f"{path}-wal"), Path(f"{path}-shm")):
                with contextlib.suppress(OSError):
                    p.unlink()
            raise
        log.info("vault created")
        return vault, recovery

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> Vault:
        path = cls._require_files(Path(path))
        key = keyfile.unlock_with_passphrase(keyfile.keyfile_path(path), passphrase)
        return cls._open(path, key)

    @classmethod
    def recover(cls, path: Path, recovery_key: str, new_passphrase: str) -> Vault:
        """Unlock with the recovery key and set a new passphrase."""
        path = cls._require_files(Path(path))
        kpath = keyfile.keyfile_path(path)
        key = keyfile.unlock_with_recovery_key(kpath, recovery_key)
        vault = cls._open(path, key)
        keyfile.change_passphrase(kpath, key, new_passphrase)
        return vault

    @staticmethod
    def _require_files(path: Path) -> Path:
        if not path.exists():
            raise VaultNotFoundError(str(path))
        with path.open("rb") as fh:
            head = fh.read(16)
        if head == SQLITE_PLAIN_HEADER or (0 < len(head) < 16):
            raise NotAVaultError(str(path))
        return path

    @classmethod
    def _open(cls, path: Path, key: bytes) -> Vault:
        vault = cls(path, key)
        try:
            with translated_errors(path):
                current = migrate.current_revision(vault.engine)
                if current is None:
                    raise NotAVaultError(str(path))
                migrate.upgrade(vault.engine)  # refuses a newer vault before changing anything
                vault._load_identity()
                stored_id = vault.setting("vault_id")
                if stored_id != keyfile.read_vault_id(keyfile.keyfile_path(path)):
                    raise KeyFileMismatchError()
        except BaseException:
            vault.lock()
            raise
        return vault

    def _load_identity(self) -> None:
        self.device_id = str(self.setting("device_id"))
        self.worker_id = str(self.setting("worker_id"))

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
        return Store(
            self.engine,
            device_id=self.device_id,
            worker_id=self.worker_id,
            clock=HybridClock(self.device_id),
            policy=policy,
            path=str(self.path),
        )

    def setting(self, key: str, default: object = None) -> object:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(LocalSetting.value).where(LocalSetting.key == key)
            ).scalar_one_or_none()
            conn.rollback()
        return default if value is None else value

    def set_setting(self, key: str, value: object) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM local_setting WHERE key = :k"), {"k": key})
            conn.execute(LocalSetting.__table__.insert().values(key=key, value=value))
        if key in ("device_id", "worker_id"):
            self._load_identity()

    def change_passphrase(self, new_passphrase: str) -> None:
        """Rewrap the data key under a new passphrase; the database file is not rekeyed."""
        if self._key is None:
            raise VaultLockedError()
        keyfile.change_passphrase(keyfile.keyfile_path(self.path), self._key, new_passphrase)
        with self.store().write() as tx:
            tx.audit("passphrase", "vault")

    def integrity_check(self) -> IntegrityReport:
        with translated_errors(self.path), self.engine.connect() as conn:
            cipher = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check")]
            sqlite = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            conn.rollback()
        sqlite_errors = [] if sqlite == ["ok"] else sqlite
        with self.store().read() as s:
            chain = audit.verify(s)
        return IntegrityReport(cipher, sqlite_errors, chain.events, chain.broken_at)

    def vacuum(self) -> None:
        """Rewrite the file so freed pages hold nothing recoverable (after erasure)."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()

    def lock(self) -> None:
        """Close every connection and drop the key."""
        if self._engine is not None:
            with contextlib.suppress(Exception):
                self._engine.dispose()
        self._engine = None
        self._key = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()


def raise_if_corrupt(report: IntegrityReport) -> None:
    if report.cipher_errors or report.sqlite_errors:
        raise VaultCorruptError()
