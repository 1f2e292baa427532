"""The open vault of one links worker: unlock, lock, settings, drafts and checks."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from linksdesk.casework import records
from linksdesk.casework.dto import CheckReport, PassphraseStrength
from linksdesk.core.errors import ValidationError, VaultLockedError
from linksdesk.core.hlc import BUNDLE_LEEWAY_MS, MAX_DRIFT_MS, clock_behind
from linksdesk.core.settings import Settings
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import vacuum
from linksdesk.storage.engine import DAMAGED_READ_ONLY
from linksdesk.storage.passphrase import check_passphrase_strength
from linksdesk.storage.store import Store
from linksdesk.storage.tables import Draft, ErasureReceipt, LocalSetting
from linksdesk.storage.vault import Vault
from linksdesk.storage.vault import default_vault_path as _storage_default_vault_path
from linksdesk.sync.policy import SyncPolicy

log = logging.getLogger(__name__)

SETTINGS_KEY = "settings"
DRAFT_KEY_MAX = 128


def default_vault_path() -> Path:
    """Where a worker's vault lives unless they choose another place."""
    return _storage_default_vault_path()


def draft_key(kind: str, participant_id: str | None, item_id: str | None = None) -> str:
    """The key of a draft; drafts about a participant carry their id so erasure finds them."""
    parts = [kind, participant_id or "-", item_id or "new"]
    key = "/".join(parts)
    if len(key) > DRAFT_KEY_MAX:
        raise ValidationError("The draft key is too long.")
    return key


class Casebook:
    """One worker's unlocked vault; every casework use case takes it as first argument."""

    def __init__(self, vault: Vault) -> None:
        self._vault: Vault | None = vault
        self._store: Store | None = vault.store(SyncPolicy())

    # -- opening and closing -----------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, passphrase: str) -> tuple[Casebook, str]:
        """A new vault, unlocked, and its recovery key (show it once; it is not kept)."""
        vault, recovery = Vault.create(Path(path), passphrase)
        cb = cls(vault)
        try:
            cb._audit(AuditAction.CREATE, "vault")
        except BaseException:
            vault.abandon()  # a full disk: no vault stays whose recovery key was never shown
            raise
        return cb, recovery

    @classmethod
    def unlock(cls, path: Path | str, passphrase: str, *, check_beside: bool = False) -> Casebook:
        """``check_beside`` (the desktop): readable at once while every page is checked on
        a thread beside; the unlock is audited as the vault's first write once the check
        has passed, and never if it finds damage (``when_pages_checked``)."""
        cb = cls(Vault.unlock(Path(path), passphrase, check_beside=check_beside))
        with cb._locked_if_it_fails():
            cb._audit_first(AuditAction.UNLOCK, "vault")
        return cb

    @classmethod
    def recover(cls, path: Path | str, recovery_key: str, new_passphrase: str) -> Casebook:
        cb = cls(Vault.recover(Path(path), recovery_key, new_passphrase))
        with cb._locked_if_it_fails():
            cb._audit(AuditAction.UNLOCK, "vault")
            cb._audit(AuditAction.PASSPHRASE, "vault")
        return cb

    @contextlib.contextmanager
    def _locked_if_it_fails(self) -> Iterator[None]:
        """An opening step that fails (a full disk refusing the audit line) locks the vault
        again before the error goes on: no key is left in memory for a vault never handed
        over."""
        try:
            yield
        except BaseException:
            self.vault.lock()
            raise

    def change_passphrase(
        self, new_passphrase: str, *, current_passphrase: str | None = None
    ) -> None:
        """Rewrap the key; the UI passes the current passphrase so it is checked first."""
        self.vault.change_passphrase(  # audits "passphrase" itself
            new_passphrase, current_passphrase=current_passphrase
        )

    def lock(self) -> None:
        """Close the database and drop the key; every later call raises VaultLockedError.
        A VACUUM an erasure left due runs first (``vacuum.at_lock``)."""
        vault, store, self._vault, self._store = self._vault, self._store, None, None
        if vault is None:
            return
        try:
            with vault.store().write() as tx:
                tx.audit(AuditAction.LOCK, "vault")
        except Exception:
            # locking must never fail: the key is dropped whatever happened to the audit line
            log.warning("could not record the lock in the audit log")
        finally:
            if store is not None and not vault.is_locked:
                vacuum.at_lock(store)
            vault.lock()

    def when_pages_checked(self, fn: Callable[[], None]) -> None:
        """``fn()`` once the unlock's page check has finished (on its thread; at once if it
        has); ``read_only_reason`` then says whether it found damage."""
        self.vault.when_pages_checked(fn)

    def write_held(self) -> None:
        """Write what waited for the page check (the unlock audit) now; nothing if damaged."""
        self.vault.write_held()

    @property
    def is_locked(self) -> bool:
        return self._vault is None or self._vault.is_locked

    def __enter__(self) -> Casebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()

    # -- parts (for use cases and the sync engine) -------------------------------------------
    @property
    def vault(self) -> Vault:
        if self._vault is None or self._vault.is_locked:
            raise VaultLockedError()
        return self._vault

    @property
    def store(self) -> Store:
        if self._store is None or self.is_locked:
            raise VaultLockedError()
        return self._store

    @property
    def path(self) -> Path:
        return self.vault.path

    @property
    def device_id(self) -> str:
        return self.vault.device_id

    @property
    def worker_id(self) -> str:
        return self.vault.worker_id

    @property
    def read_only_reason(self) -> str | None:
        """Why this vault opened read-only (a damaged page found at unlock), or None."""
        return DAMAGED_READ_ONLY if self.vault.read_only else None

    @property
    def clock_warning(self) -> str | None:
        """What to tell the worker when this laptop's clock was behind the newest work in
        the vault at unlock (``core.hlc.clock_behind``), or None. Work from a bundle may lie
        up to a day ahead of a right clock, so less than that is not said here (a sync
        says it against the server's time)."""
        return clock_behind(
            self.vault.behind_at_unlock_ms,
            "the newest work saved in this vault",
            MAX_DRIFT_MS + BUNDLE_LEEWAY_MS,
        )

    def audit_view(self, entity: str, entity_id: str) -> None:
        """Record that the worker looked at a record, without making the look wait or fail:
        queued behind the unlock's page check while it runs, and not made at all in a
        damaged (read-only) vault, which stays readable."""
        self._audit_first(AuditAction.VIEW, entity, entity_id)

    def _audit_first(self, action: AuditAction, entity: str, entity_id: str | None = None) -> None:
        """Audit ``action`` as one of the vault's first writes (``Vault.first_write``): at
        once into a vault known sound, once the page check has passed while it runs beside
        the reads, never into a damaged one."""
        store = self.store  # not self's: a lock before the check ends still writes it

        def write() -> None:
            with store.write() as tx:
                tx.audit(action, entity, entity_id)

        self.vault.first_write(write)

    def _audit(self, action: AuditAction, entity: str, entity_id: str | None = None) -> None:
        if self.vault.read_only:
            # a damaged vault is never written to, not even the audit log
            log.warning("audit event %s not recorded: the vault is read-only", action)
            return
        with self.store.write() as tx:
            tx.audit(action, entity, entity_id)

    # -- handed-over cases ---------------------------------------------------------------------
    def read_only_participants(self) -> frozenset[str]:
        """Participants handed to a colleague and kept here read-only (sync marks them).

        Casework refuses changes to them; the desktop uses this to say so before anyone tries.
        """
        with self.store.read() as s:
            return records.read_only_participants(s)

    # -- settings ------------------------------------------------------------------------------
    def settings(self) -> Settings:
        with self.store.read() as s:
            stored = s.scalar(select(LocalSetting.value).where(LocalSetting.key == SETTINGS_KEY))
        if not isinstance(stored, dict):
            return Settings()
        try:
            return Settings.from_json(stored)
        except (TypeError, ValueError):
            log.warning("stored settings unreadable; using defaults")
            return Settings()

    def update_settings(self, **changes: Any) -> Settings:
        """Change some settings (validated as a whole) and return them all."""
        known = {f.name for f in dataclasses.fields(Settings)}
        for name in changes:
            if name not in known:
                raise ValidationError(f"There is no setting called '{name}'.")
        if "concern_taxonomy" in changes:
            changes["concern_taxonomy"] = tuple(changes["concern_taxonomy"])
        updated = dataclasses.replace(self.settings(), **changes).validate()
        with self.store.write() as tx:
            tx.session.merge(LocalSetting(key=SETTINGS_KEY, value=updated.to_json()))
            tx.audit(AuditAction.CHANGE, "settings")
        return updated

    # -- checks --------------------------------------------------------------------------------
    def check(self) -> CheckReport:
        """Check the encrypted pages, the database structure and the audit chain."""
        report = self.vault.integrity_check()
        return CheckReport(
            ok=report.ok,
            message=report.describe(),
            damaged_pages=len(report.cipher_errors),
            structure_problems=len(report.sqlite_errors),
            audit_events=report.audit_events,
            audit_broken_at=report.audit_broken_at,
        )

    @staticmethod
    def passphrase_strength(text: str) -> PassphraseStrength:
        score, hint = check_passphrase_strength(text)
        return PassphraseStrength(score=score, acceptable=score >= 2, message=hint)

    # -- drafts (only ever in the vault's draft table) ------------------------------------------
    def save_draft(self, key: str, text: str) -> None:
        if not key or len(key) > DRAFT_KEY_MAX:
            raise ValidationError("The draft key must be 1 to 128 characters.")
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with self.store.write() as tx:
            tx.session.merge(Draft(key=key, body=text, updated_at=now))

    def keep_words_of_gone_case(self, participant_id: str, words: dict[str, str]) -> bool:
        """Words typed about a participant whose record just left this laptop, kept as
        drafts (to copy and discard) unless the participant was erased: False then, and
        nothing is kept. A case handed to a colleague leaves the worker's words theirs."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with self.store.write() as tx:
            erased = tx.session.scalar(
                select(ErasureReceipt.id).where(ErasureReceipt.participant_id == participant_id)
            )
            if erased is not None:
                return False
            for key, text in words.items():
                if key and len(key) <= DRAFT_KEY_MAX:
                    tx.session.merge(Draft(key=key, body=text, updated_at=now))
        return True

    def load_draft(self, key: str) -> str | None:
        with self.store.read() as s:
            return s.scalar(select(Draft.body).where(Draft.key == key))

    def discard_draft(self, key: str) -> None:
        with self.store.write() as tx:
            tx.session.execute(delete(Draft).where(Draft.key == key))

    def drafts(self, prefix: str = "") -> list[str]:
        with self.store.read() as s:
            keys = s.scalars(select(Draft.key).order_by(Draft.key)).all()
        return [k for k in keys if k.startswith(prefix)]
