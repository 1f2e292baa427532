"""The device side of sync, as the CLI and the UI call it.

``enrol`` once with a code from the programme administrator, then ``sync_once`` whenever
there is a network (the UI on a timer through :class:`SyncScheduler`). ``sync_status``,
``list_conflicts``, ``resolve_conflict``, ``list_attention`` and ``sync_history`` feed the
status bar and the conflict and "needs attention" lists. Every function takes the unlocked
vault (a ``Vault``, a ``Store`` opened with the sync policy, or anything with ``.vault`` and
``.store`` such as the casework ``Casebook``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from linksdesk.core.changes import Changes, RowChange
from linksdesk.core.errors import (
    ConflictError,
    LinksDeskError,
    NotFoundError,
    ServerUnreachableError,
    SyncAuthError,
    SyncError,
    UserError,
    ValidationError,
)
from linksdesk.core.logsafe import safe_traceback as _safe_traceback
from linksdesk.core.vocab import AuditAction
from linksdesk.storage.outbox import drop_unsent_changes, rows_touched
from linksdesk.storage.purge import purge_participant
from linksdesk.storage.store import Store, utc_now
from linksdesk.storage.tables import (
    TABLE_BY_NAME,
    NoteRevision,
    Outbox,
    SyncAttention,
    SyncConflict,
    SyncHistory,
)
from linksdesk.storage.vault import Vault
from linksdesk.sync import state
from linksdesk.sync.bundle import keys as bundle_keys
from linksdesk.sync.conflicts import note_conflicts_settle
from linksdesk.sync.engine import (
    EngineOptions,
    HandshakeRefused,
    Progress,
    SyncEngine,
    SyncReport,
)
from linksdesk.sync.ids import lease_ids
from linksdesk.sync.policy import CONFLICT_TABLE, SyncPolicy
from linksdesk.sync.protocol import MAX_BATCH, MAX_PULL_LIMIT, EnrolRequest, EnrolResponse
from linksdesk.sync.removals import MassDeletionError, MassWithdrawalError
from linksdesk.sync.shapes import SHAPES
from linksdesk.sync.transport import Backoff, SyncCancelled, Transport, is_loopback

__all__ = [
    "ConflictInfo",
    "EnrolResult",
    "HandshakeRefused",
    "MassDeletionError",
    "MassWithdrawalError",
    "SyncClient",
    "SyncHistoryEntry",
    "SyncReport",
    "SyncScheduler",
    "SyncStatus",
    "drop_unsent_changes",
    "enrol",
    "list_attention",
    "list_conflicts",
    "purge_participant",
    "resolve_conflict",
    "sync_history",
    "sync_once",
    "sync_status",
]

log = logging.getLogger(__name__)


class _HasVault(Protocol):
    @property
    def vault(self) -> Vault: ...

    @property
    def store(self) -> Store: ...


Target = Vault | Store | _HasVault


def _open(target: Target) -> tuple[Vault | None, Store]:
    if isinstance(target, Vault):
        return target, target.store(SyncPolicy())
    if isinstance(target, Store):
        return None, target
    vault, store = target.vault, target.store
    return vault, store


# only one sync at a time per vault file in this process (the UI timer and a button)
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextlib.contextmanager
def _one_at_a_time(store: Store) -> Iterator[None]:
    with _locks_guard:
        lock = _locks.setdefault(store.path or str(id(store.engine)), threading.Lock())
    if not lock.acquire(blocking=False):
        raise SyncError("A sync of this vault is already running. Wait for it to finish.")
    try:
        yield
    finally:
        lock.release()


# -- enrolment ------------------------------------------------------------------------------
@dataclass(frozen=True)
class EnrolResult:
    device_id: str
    worker_id: str
    team_id: str
    role: str
    server_url: str
    reowned_rows: int  # rows made before enrolment, now owned by the enrolled worker


def _address_allowed(url: str) -> bool:
    """https anywhere; plain http only to this machine (a local test or demo server)."""
    if url.lower().startswith("https://"):
        return len(url) > len("https://")
    if not url.lower().startswith("http://"):
        return False
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host is not None and is_loopback(host)


def enrol(target: Target, server_url: str, code: str, *, label: str | None = None) -> EnrolResult:
    """Enrol this vault's device with the server using a one-time code.

    Stores the device token, the server address and the worker id in the vault. Rows
    written before enrolment (owned by the vault's provisional worker id) pass to the
    enrolled worker. The token is never logged or shown.
    """
    vault, store = _open(target)
    code = code.strip()
    if not 4 <= len(code) <= 64:
        raise ValidationError("The enrolment code should look like ABCD-EFGH-JKLM-NPQR.")
    url = server_url.strip().rstrip("/")
    if not _address_allowed(url):
        raise ValidationError("The server address must start with https://")
    signing = store.on_writer(
        lambda: bundle_keys.signing_key(store)
    ).public.line  # rosters name this laptop by it
    request = EnrolRequest(code=code, device_id=store.device_id, label=label, signing_key=signing)
    with Transport(url, backoff=Backoff(attempts=3)) as t:
        try:
            answer = t.post("enrol", request, EnrolResponse)
        except SyncAuthError:
            raise SyncAuthError(
                "That enrolment code was not accepted. It may have expired or been used "
                "already; ask your programme administrator for a new one."
            ) from None
    if answer.device_id != store.device_id:
        raise SyncError("The server gave this laptop a different device id; enrolment stopped.")

    def store_enrolment(s: Session) -> tuple[str, int]:
        enrolled_for = state.get(s, state.WORKER_ID)
        if enrolled_for and enrolled_for != answer.worker_id and state.get(s, state.CURSOR, 0):
            raise UserError(
                "This vault already syncs for another worker. Use a separate vault for each worker."
            )
        old_worker = str(state.local_setting(s, "worker_id", store.worker_id))
        reowned = 0
        if old_worker != answer.worker_id:
            reowned = _reown_all(s, old_worker, answer.worker_id)
        state.put(s, state.SERVER_URL, url)
        state.put(s, state.TOKEN, answer.token)
        state.put(s, state.WORKER_ID, answer.worker_id)
        state.put(s, state.TEAM_ID, answer.team_id)
        state.put(s, state.ROLE, answer.role.value)
        state.put(s, state.DEVICE_ID, answer.device_id)
        state.drop(s, state.COPIED)  # a device of its own now
        state.put_local_setting(s, "worker_id", answer.worker_id)
        if answer.programme_key:
            state.put(s, bundle_keys.PROGRAMME_KEY, answer.programme_key)
        return old_worker, reowned

    # the answer is written on the vault's writer thread: enrolment talks from the network's
    old_worker, reowned = store.keep(store_enrolment)
    if vault is not None:
        vault.worker_id = answer.worker_id
    store.worker_id = answer.worker_id
    store.actor = answer.worker_id if store.actor == old_worker else store.actor
    log.info("device %s enrolled for worker %s", answer.device_id, answer.worker_id)
    try:  # programme ids of its own before the first new participant; sync retries
        with Transport(url, answer.token, backoff=Backoff(attempts=3)) as t:
            lease_ids(store, t)
    except SyncError as exc:
        log.info(
            "no programme ids leased at enrolment (%s); the next sync asks", type(exc).__name__
        )
    return EnrolResult(
        device_id=answer.device_id,
        worker_id=answer.worker_id,
        team_id=answer.team_id,
        role=answer.role.value,
        server_url=url,
        reowned_rows=reowned,
    )


def _reown_all(s: Session, old: str, new: str) -> int:
    total = 0
    for cls in TABLE_BY_NAME.values():
        total += rows_touched(
            s.execute(update(cls).where(cls.owner == old).values(owner=new))  # type: ignore[attr-defined]
        )
    s.execute(
        text(
            "UPDATE outbox SET payload = json_set(payload, '$.owner', :new) "
            "WHERE json_extract(payload, '$.owner') = :old"
        ),
        {"new": new, "old": old},
    )
    return int(total)


# -- syncing --------------------------------------------------------------------------------
class SyncClient:
    """Syncs one unlocked vault with its server (see :func:`sync_once`)."""

    def __init__(
        self,
        target: Target,
        *,
        backoff: Backoff | None = None,
        timeout_s: float = 30.0,
        batch_size: int = MAX_BATCH,
        page_size: int = MAX_PULL_LIMIT,
        checkpoint: Callable[[str], None] | None = None,
    ) -> None:
        self.vault, self.store = _open(target)
        self.backoff = backoff or Backoff()
        self.timeout_s = timeout_s
        self.batch_size = batch_size
        self.page_size = page_size
        self.checkpoint = checkpoint

    def sync(
        self,
        *,
        progress: Progress | None = None,
        cancel: Callable[[], bool] | threading.Event | None = None,
        allow_mass_delete: bool = False,
        full_check: bool = False,
    ) -> SyncReport:
        cancelled: Callable[[], bool] | None
        cancelled = cancel.is_set if isinstance(cancel, threading.Event) else cancel
        started = utc_now()
        with self.store.read() as s:
            url = str(state.get(s, state.SERVER_URL, ""))
            token = str(state.get(s, state.TOKEN, ""))
            vacuum_due = bool(state.get(s, state.VACUUM_DUE, False))
        outcome, detail = "error", ""
        report = SyncReport()
        recorded = False  # the history entry went in with the sync's last transaction

        def history(s: Session, done: SyncReport) -> None:
            s.add(
                _history_entry(started, "ok" if done.verified else "unverified", done, done.message)
            )

        try:
            with (
                _one_at_a_time(self.store),
                Transport(
                    url or "http://invalid.invalid",
                    token,
                    backoff=self.backoff,
                    timeout_s=self.timeout_s,
                    cancelled=cancelled,
                ) as transport,
            ):
                engine = SyncEngine(
                    self.store,
                    transport,
                    EngineOptions(
                        batch_size=self.batch_size,
                        page_size=self.page_size,
                        allow_mass_delete=allow_mass_delete,
                        progress=progress,
                        cancel=cancelled,
                        checkpoint=self.checkpoint,
                        full_check=full_check,
                        last_write=history,
                    ),
                )
                report = engine.sync()
                recorded = engine.last_written
            outcome = "ok" if report.verified else "unverified"
            detail = report.message
            if (report.erased or report.handed_away or vacuum_due) and self.vault is not None:
                # erased content must not linger in free pages of the file (secure_delete
                # already overwrote them; VACUUM also compacts); busy now means next time
                try:
                    self.store.on_writer(self.vault.vacuum)
                except Exception:
                    log.warning("could not VACUUM the vault after an erasure; will retry")
                    _vacuum_later(self.store)
                else:
                    if vacuum_due:
                        self.store.keep(lambda s: state.drop(s, state.VACUUM_DUE))
            return report
        except LinksDeskError as exc:
            outcome, detail = _outcome_of(exc), str(exc)
            raise
        except Exception:
            outcome, detail = "error", "The sync stopped on an unexpected problem."
            raise
        finally:
            if not recorded:
                _record_history(self.store, started, outcome, report, detail)


# what the sync history calls a sync that stopped on each kind of error (the first that fits)
_OUTCOMES: tuple[tuple[type[LinksDeskError], str], ...] = (
    (ServerUnreachableError, "offline"),
    (SyncAuthError, "auth"),
    (SyncCancelled, "cancelled"),
    (MassDeletionError, "stopped"),
)


def _outcome_of(exc: LinksDeskError) -> str:
    return next((outcome for kind, outcome in _OUTCOMES if isinstance(exc, kind)), "error")


def _vacuum_later(store: Store) -> None:
    with contextlib.suppress(Exception):
        store.keep(lambda s: state.put(s, state.VACUUM_DUE, True))


def sync_once(
    target: Target,
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | threading.Event | None = None,
    allow_mass_delete: bool = False,
    full_check: bool = False,
) -> SyncReport:
    """Push, pull and verify once. Raises ``ServerUnreachableError`` (offline),
    ``SyncAuthError`` (revoked), ``MassDeletionError`` (asks first) or ``SyncError``.

    The comparison with the server is skipped when nothing moved on either side since one
    that passed less than an hour ago; ``full_check`` compares anyway, reading the vault
    afresh (for a "check now" button).
    """
    return SyncClient(target).sync(
        progress=progress,
        cancel=cancel,
        allow_mass_delete=allow_mass_delete,
        full_check=full_check,
    )


def _record_history(
    store: Store, started: dt.datetime, outcome: str, report: SyncReport, detail: str
) -> None:
    try:
        entry = _history_entry(started, outcome, report, detail)
        store.keep(lambda s: s.add(entry))
    except Exception as exc:  # the history is a convenience; never hide the sync's own outcome
        log.warning("could not record the sync in the history:\n%s", _safe_traceback(exc))


def _history_entry(
    started: dt.datetime, outcome: str, report: SyncReport, detail: str
) -> SyncHistory:
    return SyncHistory(
        started_at=started,
        finished_at=utc_now(),
        outcome=outcome,
        pushed=report.pushed,
        pulled=report.pulled,
        detail=detail[:2000],
    )


# -- status and history ---------------------------------------------------------------------
@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str | None
    offline: bool  # the last attempt could not reach the server
    last_synced_at: dt.datetime | None  # UTC, naive
    last_outcome: str | None
    last_message: str | None
    waiting: int  # changes queued to send
    conflicts: int
    attention: int

    def describe(self) -> str:
        if not self.enrolled:
            return "Not set up to sync."
        when = (
            "never synced"
            if self.last_synced_at is None
            else f"last synced {self.last_synced_at:%d %b %H:%M} UTC"
        )
        parts = ["Offline" if self.offline else "Online", when, f"{self.waiting} waiting"]
        if self.conflicts:
            parts.append(f"{self.conflicts} conflicts")
        if self.attention:
            parts.append(f"{self.attention} need attention")
        return " · ".join(parts)


def sync_status(target: Target) -> SyncStatus:
    _, store = _open(target)
    with store.read() as s:
        enrolled = state.is_enrolled(s)
        url = state.get(s, state.SERVER_URL)
        last = s.scalar(select(SyncHistory).order_by(SyncHistory.seq.desc()).limit(1))
        last_ok = s.scalar(
            select(func.max(SyncHistory.finished_at)).where(
                SyncHistory.outcome.in_(("ok", "unverified"))
            )
        )
        waiting = s.scalar(select(func.count()).select_from(Outbox)) or 0
        conflicts = (
            s.scalar(
                select(func.count())
                .select_from(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
            )
            or 0
        )
        attention = s.scalar(select(func.count()).select_from(SyncAttention)) or 0
    return SyncStatus(
        enrolled=enrolled,
        server_url=str(url) if url else None,
        offline=last is not None and last.outcome == "offline",
        last_synced_at=last_ok,
        last_outcome=last.outcome if last else None,
        last_message=last.detail if last else None,
        waiting=int(waiting),
        conflicts=int(conflicts),
        attention=int(attention),
    )


@dataclass(frozen=True)
class SyncHistoryEntry:
    started_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str  # ok | unverified | offline | auth | stopped | cancelled | error
    pushed: int
    pulled: int
    message: str


def sync_history(target: Target, limit: int = 50) -> list[SyncHistoryEntry]:
    _, store = _open(target)
    with store.read() as s:
        rows = s.scalars(select(SyncHistory).order_by(SyncHistory.seq.desc()).limit(limit))
        return [
            SyncHistoryEntry(
                r.started_at, r.finished_at, r.outcome, r.pushed, r.pulled, r.detail or ""
            )
            for r in rows
        ]


@dataclass(frozen=True)
class AttentionItem:
    change_id: str
    table: str
    row_id: str
    reason: str
    at: dt.datetime


def list_attention(target: Target) -> list[AttentionItem]:
    """Changes the server refused ("needs attention"), newest first."""
    _, store = _open(target)
    with store.read() as s:
        rows = s.scalars(select(SyncAttention).order_by(SyncAttention.at.desc()))
        return [AttentionItem(r.change_id, r.table_name, r.row_id, r.reason, r.at) for r in rows]


def dismiss_attention(target: Target, change_id: str) -> None:
    _, store = _open(target)
    with store.bookkeeping() as s:
        row = s.get(SyncAttention, change_id)
        if row is not None:
            s.delete(row)


# -- conflicts ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConflictInfo:
    """Both versions of a concurrently edited field; "mine" is this laptop's version."""

    id: str
    table: str
    row_id: str  # for a note: the note's id
    field: str
    participant_id: str | None
    mine: Any
    theirs: Any
    mine_hlc: str
    theirs_hlc: str
    detected_at: dt.datetime
    is_note: bool


def list_conflicts(target: Target, participant_id: str | None = None) -> list[ConflictInfo]:
    """Open conflicts (oldest first), optionally for one participant."""
    _, store = _open(target)
    with store.read() as s:
        query = select(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        if participant_id is not None:
            query = query.where(SyncConflict.participant_id == participant_id)
        rows = s.scalars(query.order_by(SyncConflict.detected_at, SyncConflict.id))
        return [
            ConflictInfo(
                id=r.id,
                table=r.table_name,
                row_id=r.row_id,
                field=r.field,
                participant_id=r.participant_id,
                mine=r.local_value,
                theirs=r.remote_value,
                mine_hlc=r.local_hlc,
                theirs_hlc=r.remote_hlc,
                detected_at=r.detected_at,
                is_note=r.table_name == "note_revision",
            )
            for r in rows
        ]


Choice = Literal["mine", "theirs", "merged"]


def resolve_conflict(
    target: Target, conflict_id: str, choice: Choice, merged_value: Any = None
) -> Changes:
    """Settle a conflict with this laptop's version, the other one, or a merged text.

    The result is an ordinary change (a new note revision, or an edit of the field based
    on the version the row holds), so it syncs like any other and closes the conflict on
    every device.
    """
    if choice not in ("mine", "theirs", "merged"):
        raise ValidationError("Choose 'mine', 'theirs' or 'merged'.")
    if choice == "merged" and merged_value is None:
        raise ValidationError("A merged version needs the merged text.")
    _, store = _open(target)
    with store.write() as tx:
        conflict = tx.session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise NotFoundError("That conflict is no longer there.")
        if conflict.resolved_at is not None:
            raise ConflictError("That conflict has already been settled.")
        if conflict.participant_id:
            read_only = state.get(tx.session, state.READ_ONLY, [])
            if conflict.participant_id in read_only:
                raise ConflictError("This case is now a colleague's; only they can settle it.")
        value = {
            "mine": conflict.local_value,
            "theirs": conflict.remote_value,
            "merged": merged_value,
        }[choice]
        if conflict.table_name == "note_revision":
            _settle_note(tx, conflict, choice, value)
        else:
            _settle_field(tx, conflict, value)
        conflict.resolved_at = utc_now()
        tx.audit(AuditAction.CHANGE, "sync_conflict", conflict.id)
        tx.session.flush()
        return tx.changes


def _settle_note(tx: Any, conflict: SyncConflict, choice: Choice, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("A case note cannot be empty.")
    s: Session = tx.session
    revisions = list(
        s.scalars(
            select(NoteRevision).where(
                NoteRevision.note_id == conflict.row_id, NoteRevision.deleted.is_(False)
            )
        )
    )
    if not revisions:
        raise NotFoundError("That note is no longer there.")
    by_hlc = {r.hlc: r for r in revisions}
    base = by_hlc.get(conflict.remote_hlc if choice == "theirs" else conflict.local_hlc)
    base = base or max(revisions, key=lambda r: (r.revision, r.hlc))
    top = max(r.revision for r in revisions)
    tx.insert(
        NoteRevision(
            note_id=conflict.row_id,
            participant_id=base.participant_id,
            revision=top + 1,
            base_revision_id=base.id,
            body=value,
            written_at=utc_now(),
            sharing=base.sharing,
            owner=base.owner,
        )
    )
    s.flush()
    note_conflicts_settle(s, conflict.row_id, top + 1)


def _settle_field(tx: Any, conflict: SyncConflict, value: Any) -> None:
    shape = SHAPES.get(conflict.table_name)
    if shape is None:
        raise NotFoundError("That record is no longer there.")
    s: Session = tx.session
    row: Any = s.get(shape.cls, conflict.row_id)
    if row is None or row.deleted:
        raise NotFoundError("That record is no longer there.")
    if conflict.field not in shape.convert:
        raise NotFoundError("That detail is no longer kept.")
    tx.update(row, **{conflict.field: shape.to_python(conflict.field, value)})
    # tell the server (and so every device) that this conflict is settled
    tx.queue(
        RowChange(
            table=CONFLICT_TABLE,
            row_id=conflict.id,
            op="delete",
            hlc=tx.store.clock.now().encode(),
            values={
                "owner": state.get(s, state.WORKER_ID) or tx.store.worker_id,
                "sharing": "team",
                "origin": tx.store.device_id,
            },
            changed=frozenset({"deleted"}),
            base={},
            participant_id=conflict.participant_id,
            participant_shared=True,
        )
    )


# -- scheduling -----------------------------------------------------------------------------
class SyncScheduler:
    """When the next automatic sync is due: a fixed interval, backing off after failures.

    Pure bookkeeping (no threads or timers): the UI's timer asks ``due()`` every so often,
    runs the sync on its network pool, and reports back with ``succeeded()``/``failed()``.
    """

    def __init__(
        self,
        interval_s: float = 300.0,
        *,
        first_retry_s: float = 30.0,
        max_backoff_s: float = 3600.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.interval_s = interval_s
        self.first_retry_s = first_retry_s
        self.max_backoff_s = max_backoff_s
        self._clock = clock or time.monotonic
        self.failures = 0
        self.next_at = self._clock()
        self.paused_reason: str | None = None  # set when only the worker can fix it

    def due(self) -> bool:
        return self.paused_reason is None and self._clock() >= self.next_at

    def seconds_until_due(self) -> float:
        return max(0.0, self.next_at - self._clock())

    def succeeded(self) -> None:
        self.failures = 0
        self.next_at = self._clock() + self.interval_s

    def failed(self, error: BaseException | None = None) -> None:
        """After a failure, wait 30 s, 60 s, 120 s … up to the cap; errors only the worker
        can put right (revoked device, a mass deletion to confirm, a LinksDesk too old or
        too new for the server) pause until ``resume``."""
        if isinstance(error, SyncAuthError | MassDeletionError | HandshakeRefused):
            self.paused_reason = str(error)
            return
        self.failures += 1
        delay = min(self.max_backoff_s, self.first_retry_s * 2 ** (self.failures - 1))
        self.next_at = self._clock() + delay

    def resume(self) -> None:
        self.paused_reason = None
        self.next_at = self._clock()
