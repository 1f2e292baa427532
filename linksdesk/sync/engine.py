"""One sync of one vault with the server: handshake, push, pull, verify (docs/architecture.md).

Every step that changes the vault is one local transaction, so a crash at any point leaves
a state the next sync resumes from exactly:

- a push batch is saved in the vault (with its idempotency key) before it is sent, and
  resent byte for byte until its answer is recorded; acknowledged outbox rows are deleted
  in the transaction that records the answer;
- a pulled page is applied in the transaction that stores the new cursor.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import logging
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.changes import Changes
from linksdesk.core.errors import SyncError, UserError, ValidationError
from linksdesk.core.hlc import HLC
from linksdesk.core.ids import uuid7
from linksdesk.core.settings import Settings
from linksdesk.core.vocab import Sharing
from linksdesk.storage import programme_ids, search
from linksdesk.storage.outbox import (
    PendingBatch,
    drop_pending,
    load_pending,
    rows_touched,
    save_pending,
)
from linksdesk.storage.store import Store, json_value, shared_participants
from linksdesk.storage.tables import AuditEvent, Outbox, SyncAttention, SyncConflict
from linksdesk.sync import state
from linksdesk.sync.apply import (
    MASS_DELETE_MIN_ROWS,
    MASS_DELETE_SHARE,
    PURGED,
    SHAPES,
    WHO_COUNTS,
    ApplyContext,
    LocalOnlyCase,
    MassDeletionError,
    MassWithdrawalError,
    PageApplier,
    PageOutcome,
    is_mass_withdrawal,
    live_participants,
    live_records,
    now_naive,
    pending_fields,
    pid_of,
    removals_in,
    withdrawals_in,
)
from linksdesk.sync.bundle import keys as bundle_keys
from linksdesk.sync.ids import lease_ids
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    HANDOVER_TABLE,
    ID_REFILL_BELOW,
    MAX_BATCH,
    MAX_PULL_LIMIT,
    PARTICIPANT_TABLE,
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
    Change,
    ChangeResult,
    ChangeStatus,
    HandshakeRequest,
    HandshakeResponse,
    Op,
    ProgrammeSettings,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    ServerChange,
    VerifyResponse,
    is_participant_routed,
)
from linksdesk.sync.totals import update_monthly_totals
from linksdesk.sync.transport import RequestRefused, SyncCancelled, Transport
from linksdesk.sync.verify import DigestCache

log = logging.getLogger(__name__)

# the entity a view hears of when a record it may show left this laptop (casework's erasure)
ERASURE_ENTITY = "erasure"

Progress = Callable[[str, int, int | None], None]
Checkpoint = Callable[[str], None]

SETTINGS_KEY = "settings"  # where casework keeps Settings.to_json() (local_setting)
RECHECK_AFTER_S = 3600.0  # compare with the server at least this often, changes or not


# a round of the push loop whose rows were all set aside: nothing to send, go on
_NOTHING_TO_SEND = PendingBatch(batch_key="", request={})


class EpochMoved(SyncError):
    """The server's data epoch changed during this sync: start again from the handshake."""


class HandshakeRefused(SyncError, UserError):
    """The server will not sync with this LinksDesk as it is (an older or newer protocol,
    an enrolment that does not match): only a person can put it right."""


@dataclass
class SyncReport:
    """What one sync did, for the status bar, the CLI and the history list."""

    pushed: int = 0  # changes the server acknowledged
    pulled: int = 0  # changes received
    applied: int = 0  # received changes that changed something here
    conflicts: int = 0  # conflicts open after this sync
    new_conflicts: int = 0
    attention: int = 0  # changes the server refused, waiting for a look
    set_aside: int = 0  # of those, pulled changes this laptop could not store
    verified: bool = False
    message: str = ""
    erased: int = 0
    handed_away: int = 0
    removed: int = 0
    waiting: int = 0  # changes still in the outbox afterwards
    repaired_tables: tuple[str, ...] = ()
    resynced: bool = False  # the server's epoch changed and everything was merged again
    requests: int = 0
    seconds: float = 0.0
    # team consent withdrawn on the worker's other laptop; this laptop's own work about
    # the person kept here, local only (rule 7)
    kept_local: tuple[LocalOnlyCase, ...] = ()
    # what this sync changed here, in the terms views refresh by (entities, participants);
    # not named ``changes``: the UI passes it on only when it names something
    changed: Changes = field(default_factory=Changes)


@dataclass
class EngineOptions:
    batch_size: int = MAX_BATCH
    page_size: int = MAX_PULL_LIMIT
    allow_mass_delete: bool = False
    progress: Progress | None = None
    cancel: Callable[[], bool] | None = None
    checkpoint: Checkpoint | None = None  # test hook: called at named points of the sync
    full_check: bool = False  # compare with the server even if nothing moved since last time
    today: dt.date | None = None


@dataclass
class _Config:
    server_url: str
    token: str
    worker_id: str
    cursor: int
    epoch: str | None
    # the rest of what the sync reads at its start, in the same read: a sync with nothing
    # to do then writes nothing and asks nothing it need not (see ``_load_config``)
    team_id: str | None = None
    role: str | None = None
    programme_key: str | None = None
    settings_version: int | None = None
    resync: bool = False
    ids_left: int = 0
    id_lease_pending: bool = False
    waiting: int = 0  # outbox rows
    pending_batch: bool = False
    last_verified: Any = None


@dataclass
class _Run:
    report: SyncReport = field(default_factory=SyncReport)
    outcome: PageOutcome = field(default_factory=PageOutcome)
    removed_base: int | None = None  # live records when the first removal was seen
    removed_so_far: int = 0
    batch_size: int = MAX_BATCH
    consents_sent: bool = False  # no consent record is left unbatched in the outbox
    withdrawn: set[str] = field(default_factory=set)  # purged by pulled withdrawals
    withdrawn_base: int | None = None  # participants here when the first one was seen
    # the server's change log head as far as this sync knows it (None: moved, unknown);
    # the device's cursor at it means there is nothing to pull
    head: int | None = None
    cursor_passed: int | None = None  # set by ``_record``: the cursor its answer moved to
    # push requests built in this run, by batch key: sent as built, not parsed back
    built: dict[str, PushRequest] = field(default_factory=dict)


class SyncEngine:
    """Runs the steps of one sync over an unlocked vault's store."""

    def __init__(self, store: Store, transport: Transport, options: EngineOptions) -> None:
        if store.policy is None:
            raise SyncError("This vault was opened without its sync policy; sync cannot run.")
        self.store = store
        self.t = transport
        self.o = options
        self.run = _Run(batch_size=min(options.batch_size, MAX_BATCH))
        self.cfg: _Config | None = None
        self.hello: HandshakeResponse | None = None
        self._repaired: set[str] = set()
        self._unverified: list[str] = []
        # rows this sync wrote behind the audit log's back, for the digest cache
        self._touched: dict[str, set[str]] = {}
        self._digests = DigestCache(store.path or f"engine:{id(store.engine)}")

    # -- helpers ------------------------------------------------------------------------
    def _point(self, name: str) -> None:
        if self.o.checkpoint is not None:
            self.o.checkpoint(name)

    def _progress(self, stage: str, done: int, total: int | None = None) -> None:
        if self.o.progress is not None:
            self.o.progress(stage, done, total)

    def _check_cancel(self) -> None:
        if self.o.cancel is not None and self.o.cancel():
            raise SyncCancelled()

    # -- the whole sync -----------------------------------------------------------------
    def sync(self) -> SyncReport:
        started = time.monotonic()
        self._load_config()
        for attempt in range(2):
            try:
                self._sync_steps()
                break
            except EpochMoved:
                if attempt:
                    raise
                log.info("data epoch changed during sync; starting again")
                self._load_config()
        self._finish()
        self.run.report.seconds = time.monotonic() - started
        self.run.report.requests = self.t.requests
        return self.run.report

    def _sync_steps(self) -> None:
        hello = self._handshake()
        self._lease_ids()
        resync = hello.epoch_changed or self.config.resync
        written = self._update_totals()
        # nothing queued, nothing saved and no totals made: no write transaction to look
        self._push_all(
            known_empty=not (written or self.config.waiting or self.config.pending_batch)
        )
        if self._pull_due(resync):
            self._pull_all()
        else:
            # the server's log has not moved past this device's cursor: one round trip
            self._progress("pull", self.config.cursor, hello.cursor_head)
        if resync:
            self.run.report.resynced = True
        self._verify(after_resync=resync)

    def _pull_due(self, resync: bool) -> bool:
        """Whether the server may hold anything this device has not pulled: a resync is
        due, the server's change log had moved past this device's cursor at the handshake
        (another device's push), or a push answer left the head unknown (the server merged
        or derived rows from what was sent; see ``_passed_own``)."""
        head = self.run.head
        return resync or head is None or self.config.cursor != head

    def _load_config(self) -> None:
        """Everything the sync decides by at its start, in one read."""
        keys = (
            state.SERVER_URL,
            state.TOKEN,
            state.WORKER_ID,
            state.CURSOR,
            state.DATA_EPOCH,
            state.TEAM_ID,
            state.ROLE,
            state.RESYNC,
            state.ID_LEASE,
            state.PENDING_BATCH,
            state.LAST_VERIFIED,
            bundle_keys.PROGRAMME_KEY,
        )
        with self.store.read() as s:
            held = state.get_many(s, keys)
            if not held.get(state.TOKEN) or not held.get(state.SERVER_URL):
                raise SyncError(
                    "This laptop is not enrolled with a sync server yet. Enrol it with the "
                    "code from your programme administrator first."
                )
            settings = state.local_setting(s, SETTINGS_KEY)
            ids_left = programme_ids.remaining(s)
            waiting = s.scalar(select(func.count()).select_from(Outbox)) or 0
        version = settings.get("programme_settings_version", 0) if isinstance(settings, dict) else 0
        self.cfg = _Config(
            server_url=str(held.get(state.SERVER_URL)),
            token=str(held.get(state.TOKEN)),
            worker_id=str(held.get(state.WORKER_ID)),
            cursor=int(held.get(state.CURSOR) or 0),
            epoch=held.get(state.DATA_EPOCH),
            team_id=held.get(state.TEAM_ID),
            role=held.get(state.ROLE),
            programme_key=held.get(bundle_keys.PROGRAMME_KEY),
            settings_version=version if isinstance(version, int) else None,
            resync=bool(held.get(state.RESYNC)),
            ids_left=ids_left,
            id_lease_pending=bool(held.get(state.ID_LEASE)),
            waiting=int(waiting),
            pending_batch=bool(held.get(state.PENDING_BATCH)),
            last_verified=held.get(state.LAST_VERIFIED),
        )

    @property
    def config(self) -> _Config:
        assert self.cfg is not None
        return self.cfg

    # -- handshake ----------------------------------------------------------------------
    def _handshake(self) -> HandshakeResponse:
        self._progress("handshake", 0, None)
        cfg = self.config
        try:
            hello = self.t.post(
                "handshake",
                HandshakeRequest(
                    protocol_version=PROTOCOL_VERSION,
                    schema_version=SCHEMA_VERSION,
                    device_id=self.store.device_id,
                    cursor=cfg.cursor,
                    data_epoch=cfg.epoch,
                    signing_key=_signing_line(self.store),
                ),
                HandshakeResponse,
            )
        except RequestRefused as exc:
            if exc.status == 409:  # the server's plain message says what to do
                raise HandshakeRefused(str(exc)) from None
            raise
        self.hello = hello
        self.run.head = hello.cursor_head
        ahead_ms = time.time_ns() // 1_000_000 - hello.server_time_ms
        if ahead_ms > hello.max_drift_ms:
            raise SyncError(
                "This laptop's clock is more than 5 minutes ahead of the sync server's. "
                "Correct the date and time, then sync again; nothing was sent."
            )
        self.run.batch_size = max(1, min(self.run.batch_size, hello.max_batch))
        if hello.worker_id != cfg.worker_id:
            raise SyncError(
                "The server says this laptop belongs to another worker. Ask your "
                "programme administrator to enrol it again."
            )
        if self._hello_news(hello):
            # every write below is one transaction handed to the vault's writer thread (the
            # desktop's DB thread): this thread only talks to the server
            self.store.keep(lambda s: self._store_hello(s, hello))
        return hello

    def _hello_news(self, hello: HandshakeResponse) -> bool:
        """Whether the handshake says anything the vault does not hold already (most
        syncs: no), so an unchanged handshake costs no write transaction."""
        cfg = self.config
        return (
            hello.epoch_changed
            or cfg.epoch is None
            or hello.team_id != cfg.team_id
            or hello.role.value != cfg.role
            or hello.settings_version != cfg.settings_version
            or bool(hello.programme_key and hello.programme_key != cfg.programme_key)
        )

    def _store_hello(self, s: Session, hello: HandshakeResponse) -> None:
        cfg = self.config
        if hello.epoch_changed or cfg.epoch is None:
            if hello.epoch_changed:
                # restored or new server: merge everything again from the start,
                # never overwriting either side
                log.info("server data epoch changed; resyncing by merging")
                state.put(s, state.RESYNC, True)
                cfg.cursor = 0
                state.put(s, state.CURSOR, 0)
                state.put(s, state.OWN_THROUGH, 0)  # server seqs of another log
            state.put(s, state.DATA_EPOCH, hello.data_epoch)
            cfg.epoch = hello.data_epoch
        state.put(s, state.TEAM_ID, hello.team_id)
        state.put(s, state.ROLE, hello.role.value)
        cfg.team_id, cfg.role = hello.team_id, hello.role.value
        apply_programme_settings(s, hello.settings, hello.settings_version)
        cfg.settings_version = hello.settings_version
        if hello.programme_key and state.get(s, bundle_keys.PROGRAMME_KEY) != (hello.programme_key):
            state.put(s, bundle_keys.PROGRAMME_KEY, hello.programme_key)
            cfg.programme_key = hello.programme_key

    # -- programme ids ------------------------------------------------------------------
    def _lease_ids(self) -> None:
        cfg = self.config
        if cfg.ids_left >= ID_REFILL_BELOW and not cfg.id_lease_pending:
            return  # enough held and no request waiting for its answer: nothing to ask
        cfg.ids_left = lease_ids(self.store, self.t, self.o.checkpoint)  # writes on the writer
        cfg.id_lease_pending = False

    # -- monthly totals -----------------------------------------------------------------
    def _update_totals(self) -> int:
        written = self.store.on_writer(
            lambda: update_monthly_totals(self.store, self.config.worker_id, self.o.today)
        )
        if written:
            log.info("monthly totals: %d rows updated", written)
        return written

    # -- push ---------------------------------------------------------------------------
    def _push_all(self, *, known_empty: bool = False) -> None:
        if known_empty:
            # the start of this sync read an empty outbox and no saved batch, and nothing
            # has queued since in this sync: a change saved meanwhile goes next time
            self._progress("push", 0, 0)
            return
        with self.store.read() as s:
            saved = load_pending(s)
            total = s.scalar(select(func.count()).select_from(Outbox)) or 0
        self._progress("push", 0, total)
        self.run.consents_sent = False  # a repair may have queued consents since
        if saved:
            # a batch sent before a crash or a failure: resend it exactly as it was
            self._send(saved)
        while True:
            self._check_cancel()
            saved = self._next_batch()
            if saved is None:
                break
            self._send(saved)
            self._progress("push", self.run.report.pushed, total)

    def _next_batch(self) -> PendingBatch | None:
        """Take the next changes from the outbox and save them as the pending batch."""
        saved = self.store.keep(self._take_batch)
        if saved is None:
            return None
        if saved.changes:
            self._point("push:saved")
        return saved

    def _take_batch(self, s: Session) -> PendingBatch | None:
        """The next batch, saved; an empty one (not saved) when every row taken had to be
        set aside; None when the outbox holds nothing unbatched."""
        rows = self._queued(s, self.run.batch_size)
        if not rows:
            return None
        key = uuid7()
        changes: list[Change] = []
        taken: list[int] = []
        for row in rows:
            self._repair_clock(s, row)
            try:
                changes.append(self._as_change(row))
            except (PydanticValidationError, ValueError, TypeError):
                # it could never be sent: show it rather than block the queue
                _attention(s, row, "This change could not be prepared for the server.")
                s.delete(row)
                continue
            taken.append(row.seq)
        s.flush()
        if not changes:
            return _NOTHING_TO_SEND
        for chunk in _chunks(taken, 500):
            # the rows loaded above are not used again: no need to find and update them
            s.execute(
                update(Outbox).where(Outbox.seq.in_(chunk)).values(batch_key=key),
                execution_options={"synchronize_session": False},
            )
        request = PushRequest(batch_key=key, changes=changes)
        saved = PendingBatch(batch_key=key, request=request.model_dump(mode="json"))
        save_pending(s, saved)
        self.run.built[key] = request
        return saved

    def _queued(self, s: Session, limit: int) -> list[Outbox]:
        """The next unbatched outbox rows: consent records first, then the rest in order.

        The server takes a participant's content only under a team consent it already
        holds (or that comes in the same batch), so consents go ahead of everything else
        whatever batch boundaries fall between them and the rows they allow.
        """
        unsent = Outbox.batch_key.is_(None)
        rows: list[Outbox] = []
        if not self.run.consents_sent:
            rows = list(
                s.scalars(
                    select(Outbox)
                    .where(unsent, Outbox.table_name == registry.CONSENT_TABLE)
                    .order_by(Outbox.seq)
                    .limit(limit)
                )
            )
            if len(rows) < limit:
                # none left: a consent recorded while this sync runs is queued before the
                # rows it allows, so plain order keeps it ahead of them from here on
                self.run.consents_sent = True
        if len(rows) < limit:
            taken = [r.seq for r in rows]
            rows += s.scalars(
                select(Outbox)
                .where(unsent, Outbox.seq.not_in(taken))
                .order_by(Outbox.seq)
                .limit(limit - len(rows))
            )
        return rows

    def _as_change(self, row: Outbox) -> Change:
        payload: dict[str, Any] = dict(row.payload or {})
        table = row.table_name
        pid = payload.get("participant_id")
        if table == PARTICIPANT_TABLE and pid is None:
            pid = row.row_id
        routed = is_participant_routed(table)
        fields: dict[str, Any] = dict(payload.get("fields") or {})
        if row.op != Op.UPSERT:
            fields = {}
        base = {k: v for k, v in (row.base or {}).items() if k in fields or k == "deleted"}
        if row.op == Op.ERASE:
            base = {}
        return Change(
            change_id=row.change_id,
            table=table,
            row_id=row.row_id,
            op=Op(row.op),
            hlc=row.hlc,
            origin=str(payload.get("origin") or HLC.decode(row.hlc).device),
            owner=str(payload.get("owner") or self.config.worker_id),
            participant_id=pid if routed else None,
            sharing=payload.get("sharing") or Sharing.TEAM.value,
            # only rows that follow a consent are queued while it stands (policy at queue time)
            participant_shared=True if pid and registry.follows_consent(table) else None,
            fields=fields,
            base=base,
        )

    def _repair_clock(self, s: Session, row: Outbox) -> None:
        """An edit stamped no later than the value it replaced (this laptop's clock was
        behind a clock it had seen) would read as stale on the server: restamp it."""
        top = max((str(v) for v in (row.base or {}).values()), default="")
        if not top or top < row.hlc:
            return
        old = row.hlc
        new = self.store.clock.observe(top).encode()
        row.hlc = new
        shape = SHAPES.get(row.table_name)
        if shape is None:
            return
        local: Any = s.get(shape.cls, row.row_id)
        if local is None:
            return
        clocks = dict(local.field_hlc or {})
        for name, value in clocks.items():
            if value == old:
                clocks[name] = new
        local.field_hlc = clocks
        if (local.hlc or "") <= new:
            local.hlc = new
        self._touch(row.table_name, row.row_id)
        log.info("restamped queued change %s: its clock was behind its base", row.change_id)

    def _send(self, saved: PendingBatch) -> None:
        if not saved.changes:
            return
        request = self.run.built.pop(saved.batch_key, None)
        if request is None:  # saved by an earlier sync: read back as it was saved
            request = PushRequest.model_validate(dict(saved.request))
        self._point("push:before-send")
        try:
            answer = self.t.post("push", request, PushResponse)
        except RequestRefused as exc:
            if exc.status == 409:
                # resending the same batch would be refused forever: let its changes go out
                # under a new key next time (the server applies each change_id only once)
                self._release_batch(request)
                raise SyncError(str(exc)) from None
            self._refused_batch(request, str(exc))
            return
        self._point("push:answered")

        def record(s: Session) -> int:
            answered = self._record(s, request, answer)
            self._point("push:before-commit")
            return answered

        self.run.cursor_passed = None
        answered = self.store.keep(record)
        passed = self.run.cursor_passed
        if passed is not None:
            self.config.cursor = self.run.head = passed
            self._touch("__cursor__", "pushed")
        else:
            self.run.head = None  # the log moved by what was sent: pull to learn what
        if not answered:
            # resending at once would get the same silence: stop here, keep them queued
            raise SyncError(
                "The server did not confirm the changes sent; they will be sent again next time."
            )

    def _release_batch(self, request: PushRequest) -> None:
        """Forget the pending batch; its rows go back to the queue, to be batched again."""

        def release(s: Session) -> None:
            drop_pending(s)
            s.execute(
                update(Outbox).where(Outbox.batch_key == request.batch_key).values(batch_key=None)
            )

        self.store.keep(release)
        self.run.consents_sent = False  # back in the queue: consents among them go first again
        log.info("server refused batch %s (409); its changes will be sent again", request.batch_key)

    def _refused_batch(self, request: PushRequest, reason: str) -> None:
        """The server could not take the batch as a whole: split it, down to one change."""
        self.store.keep(lambda s: self._split_batch(s, request, reason))

    def _split_batch(self, s: Session, request: PushRequest, reason: str) -> None:
        ids = [c.change_id for c in request.changes]
        rows = list(s.scalars(select(Outbox).where(Outbox.change_id.in_(ids))))
        drop_pending(s)
        if len(request.changes) == 1:
            for row in rows:
                _attention(s, row, reason)
                s.delete(row)
            log.info("server refused change %s as unreadable", ids[0])
        else:
            for row in rows:
                row.batch_key = None
            self.run.consents_sent = False
            self.run.batch_size = max(1, len(request.changes) // 2)
            log.info("server refused a batch of %d; retrying smaller", len(ids))

    def _record(self, s: Session, request: PushRequest, answer: PushResponse) -> int:
        """Record the server's answers and drop the acknowledged outbox rows, together.

        Returns how many changes were answered; the rest go back to the queue."""
        sent = {c.change_id: c for c in request.changes}
        done: list[str] = []
        own_through = 0
        for result in answer.results:
            change = sent.get(result.change_id)
            if change is None:
                continue
            if result.status is ChangeStatus.APPLIED and result.server_seq:
                own_through = max(own_through, result.server_seq)
            if result.status is ChangeStatus.REJECTED:
                reason = result.reason or "The server refused this change."
                s.merge(
                    SyncAttention(
                        change_id=change.change_id,
                        table_name=change.table,
                        row_id=change.row_id,
                        reason=reason,
                        at=now_naive(),
                    )
                )
                log.info("change %s (%s) refused by the server", change.change_id, change.table)
            elif result.status is ChangeStatus.CONFLICT:
                self._adopt_conflict(s, change, result)
            elif result.status is ChangeStatus.MERGED and result.server_values:
                self._adopt_values(s, change, result)
            done.append(change.change_id)
            self.run.report.pushed += 1
        # acknowledged: gone from the outbox in the transaction that records the answers
        if set(done) == sent.keys():  # the whole batch: by its key, one statement
            s.execute(delete(Outbox).where(Outbox.batch_key == request.batch_key))
        else:
            for chunk in _chunks(done, 500):
                s.execute(delete(Outbox).where(Outbox.change_id.in_(chunk)))
        if own_through > int(state.get(s, state.OWN_THROUGH, 0) or 0):
            # the pull leaves these out (they are held here): recorded with the outbox
            state.put(s, state.OWN_THROUGH, own_through)
        passed = self._passed_own(request, answer)
        if passed is not None:
            state.put(s, state.CURSOR, passed)  # with the outbox, as a pulled page's cursor
            self.run.cursor_passed = passed
        # sent but not answered: back in the queue, or no later batch would ever take them
        back = s.execute(
            update(Outbox).where(Outbox.batch_key == request.batch_key).values(batch_key=None)
        )
        if rows_touched(back):
            self.run.consents_sent = False
        drop_pending(s)
        s.flush()
        return len(done)

    def _passed_own(self, request: PushRequest, answer: PushResponse) -> int | None:
        """The cursor past this batch, when its changes filled the server's log right
        after this device's cursor (nothing else in between) and all were taken as sent.

        Pulling them would bring nothing (the pull leaves out a device's own changes taken
        as is) and apply nothing (they are held here): passing the cursor over them is the
        same, without the round trip. Anything else (a merge, a conflict, a refusal, another
        device's change in between) leaves the head unknown, and the pull runs."""
        head = self.run.head
        if head is None or head != self.config.cursor:
            return None
        sent = {c.change_id for c in request.changes}
        results = [r for r in answer.results if r.change_id in sent]
        if len(results) != len(sent) or len({r.change_id for r in results}) != len(sent):
            return None
        if any(r.status is not ChangeStatus.APPLIED or not r.server_seq for r in results):
            return None
        seqs = sorted(int(r.server_seq or 0) for r in results)
        if seqs != list(range(head + 1, head + len(seqs) + 1)):
            return None
        return head + len(seqs)

    def _local_row(self, s: Session, change: Change) -> Any:
        shape = SHAPES.get(change.table)
        return None if shape is None else s.get(shape.cls, change.row_id)

    def _adopt_values(self, s: Session, change: Change, result: ChangeResult) -> None:
        """Take the server's value for fields where ours lost, unless edited again since."""
        row = self._local_row(s, change)
        if row is None:
            return
        shape = SHAPES[change.table]
        clocks = dict(row.field_hlc or {})
        server_clocks = result.server_field_hlc or {}
        for name, value in (result.server_values or {}).items():
            if name not in shape.convert or clocks.get(name) != change.clock_of(name):
                continue
            setattr(row, name, shape.to_python(name, value))
            if server_clocks.get(name):
                clocks[name] = server_clocks[name]
        row.field_hlc = clocks
        self._touch(change.table, change.row_id)
        self._note_answered(change)
        if change.table in search.INDEXED_TABLES:
            s.flush()
            search.reindex_row(s, row)

    def _adopt_conflict(self, s: Session, change: Change, result: ChangeResult) -> None:
        """The server kept its value and both versions as a conflict: hold the same here."""
        self._adopt_values(s, change, result)
        ids = list(result.conflict_ids or [])
        kept_clocks = result.server_field_hlc or {}
        for name, conflict_id in zip(result.server_values or {}, ids, strict=False):
            if s.get(SyncConflict, conflict_id) is not None:
                continue
            s.add(
                SyncConflict(
                    id=conflict_id,
                    table_name=change.table,
                    row_id=change.row_id,
                    field=name,
                    participant_id=change.participant_id,
                    local_value=change.fields.get(name),
                    remote_value=(result.server_values or {}).get(name),
                    local_hlc=change.clock_of(name),
                    remote_hlc=kept_clocks.get(name, ""),
                    detected_at=now_naive(),
                    resolved_at=None,
                )
            )
            self.run.report.new_conflicts += 1
            self.run.report.changed.entities.add(CONFLICT_TABLE)
            log.info("conflict %s kept on %s %s", conflict_id, change.table, change.row_id)

    # -- pull ---------------------------------------------------------------------------
    def _pull_all(self, *, only_tables: frozenset[str] | None = None) -> None:
        """Pull pages from the cursor (or, to re-download tables, from 0 without moving it)."""
        cfg = self.config
        cursor = 0 if only_tables is not None else cfg.cursor
        head = self.hello.cursor_head if self.hello else None
        own_through = 0  # a repair downloads everything again, this device's own changes too
        if only_tables is None:
            with self.store.read() as s:
                own_through = int(state.get(s, state.OWN_THROUGH, 0) or 0)
        while True:
            self._check_cancel()
            try:
                request = PullRequest(
                    cursor=cursor, limit=self.o.page_size, own_through=own_through
                )
                page = self.t.post("pull", request, PullResponse)
            except RequestRefused as exc:
                if exc.status == 409:
                    # our cursor is past the server's head: it went back in time (restored
                    # from a backup) while we synced; the next handshake says resync
                    raise EpochMoved("the server's change log went back in time") from None
                raise
            if page.data_epoch != cfg.epoch:
                raise EpochMoved("the server's data epoch changed")
            changes = page.changes
            if only_tables is not None:
                changes = [c for c in changes if c.table in only_tables]
            self.run.report.pulled += len(changes)
            self._guard(changes)
            self._point("pull:received")
            new_cursor = page.next_cursor if only_tables is None else None
            outcome = self.store.keep_pulled(
                functools.partial(self._apply_page, changes=changes, cursor=new_cursor)
            )
            cursor = page.next_cursor
            if only_tables is None:
                cfg.cursor = cursor
            self.run.outcome.merge(outcome)
            self._touch_all(outcome.touched)
            if only_tables is None:
                self._touch("__cursor__", "pulled")
            # withdrawals count by person in their own guard, not here
            self.run.removed_so_far += outcome.removed - outcome.withdrawn_rows
            self._progress("pull", cursor, head)
            if not page.has_more:
                break

    def _apply_page(
        self, s: Session, changes: list[ServerChange], cursor: int | None
    ) -> PageOutcome:
        """One pulled page and (unless re-downloading tables) the new cursor, together."""
        ctx = self._apply_context(s)
        outcome = PageApplier(s, ctx).apply(changes)
        if outcome.touched.keys() & WHO_COUNTS:
            state.put(s, state.TOTALS_DIRTY, True)  # who counts may have changed
        if cursor is not None:
            state.put(s, state.CURSOR, cursor)
        self._observe(s, ctx.highest_hlc)
        self._point("pull:before-commit")
        self._note_pulled(changes, outcome)
        return outcome

    def _note_pulled(self, changes: list[ServerChange], outcome: PageOutcome) -> None:
        """Add what a page changed here to the sync's ``Changes``: each table a change was
        written to and whose record it is; a record erased or handed away as an erasure."""
        seen = self.run.report.changed
        touched = outcome.touched
        for ch in changes:
            if ch.row_id not in touched.get(ch.table, ()):
                continue
            seen.entities.add(ch.table)
            pid = ch.participant_id or (ch.row_id if ch.table == PARTICIPANT_TABLE else None)
            if pid:
                seen.participants.add(pid)
        gone = set(outcome.erased) | set(outcome.handed_away)
        if gone:
            seen.entities.add(ERASURE_ENTITY)
        for pid in touched.get(PURGED, set()) | touched.get(HANDOVER_TABLE, set()) | gone:
            seen.entities.add(PARTICIPANT_TABLE)  # removed here, or kept as a local-only case
            seen.participants.add(pid)
        if outcome.conflicts:
            seen.entities.add(CONFLICT_TABLE)

    def _note_answered(self, change: Change) -> None:
        """A push answer changed a row here (the server's value won, or a conflict kept)."""
        seen = self.run.report.changed
        seen.entities.add(change.table)
        if change.participant_id:
            seen.participants.add(change.participant_id)

    def _touch(self, table: str, row_id: str) -> None:
        self._touched.setdefault(table, set()).add(row_id)

    def _touch_all(self, touched: dict[str, set[str]]) -> None:
        for table, ids in touched.items():
            self._touched.setdefault(table, set()).update(ids)

    def _apply_context(self, s: Session) -> ApplyContext:
        return ApplyContext(
            device_id=self.store.device_id,
            worker_id=self.config.worker_id,
            stamp=lambda: self.store.clock.now().encode(),
            pending=pending_fields(s),
        )

    def _observe(self, s: Session, highest: str) -> None:
        if not highest:
            return
        with contextlib.suppress(ValueError):
            self.store.clock.observe(highest)
        known = str(state.local_setting(s, state.HLC_HIGH, ""))
        if highest > known:
            state.put_local_setting(s, state.HLC_HIGH, highest)

    def _guard(self, changes: list[ServerChange]) -> None:
        """Stop before a page that would take removals past 30 % of this device's records,
        or whose withdrawals of team sharing would purge a flood of people (see apply)."""
        if self.o.allow_mass_delete or not changes:
            return
        with self.store.read() as s:
            self._guard_withdrawals(s, changes)
            removing = removals_in(s, changes, self.config.worker_id)
            if not removing:
                return
            if self.run.removed_base is None:
                self.run.removed_base = live_records(s) + self.run.removed_so_far
        base = self.run.removed_base
        total = self.run.removed_so_far + removing
        if total > MASS_DELETE_SHARE * base and total >= MASS_DELETE_MIN_ROWS:
            log.warning("pull would remove %d of %d records; stopped to ask", total, base)
            raise MassDeletionError(total, base)

    def _guard_withdrawals(self, s: Session, changes: list[ServerChange]) -> None:
        coming = withdrawals_in(s, changes, self.store.device_id) - self.run.withdrawn
        if not coming:
            return
        if self.run.withdrawn_base is None:
            self.run.withdrawn_base = live_participants(s) + len(self.run.withdrawn)
        total = len(self.run.withdrawn | coming)
        if is_mass_withdrawal(total, self.run.withdrawn_base):
            log.warning(
                "pull would purge %d of %d participants (withdrawals); stopped to ask",
                total,
                self.run.withdrawn_base,
            )
            raise MassWithdrawalError(total, self.run.withdrawn_base)
        self.run.withdrawn |= coming

    # -- verify -------------------------------------------------------------------------
    def _unchanged_since_verified(self, after_resync: bool) -> bool:
        """Nothing moved on either side since a check that passed, and not long ago: the
        comparison would compare the same things again."""
        report = self.run.report
        if self.o.full_check or after_resync or report.pushed or report.pulled:
            return False
        last = self.config.last_verified  # only a check writes it, at its end
        if not isinstance(last, dict) or last.get("epoch") != self.config.epoch:
            return False
        if time.time() - float(last.get("at", 0)) > RECHECK_AFTER_S:
            return False
        with self.store.read() as s:
            edits = s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.seq > int(last.get("audit_seq", 0)), AuditEvent.action != "view")
            )
            return not edits and not s.scalar(select(func.count()).select_from(Outbox))

    def _verify(self, *, after_resync: bool) -> None:
        self._progress("verify", 0, None)
        if self._unchanged_since_verified(after_resync):
            self.run.report.verified = True
            return
        with self.store.read() as s:
            seq_before = int(s.scalar(select(func.max(AuditEvent.seq))) or 0)
        mismatched, pairs = self._compare(fresh=self.o.full_check)
        with self.store.read() as s:
            known_bad: dict[str, Any] = dict(state.get(s, state.VERIFY_SKIP, {}) or {})
        # a difference a repair could not mend last time is reported, not repaired again
        # on every sync (that would download everything each time)
        to_repair = [t for t in mismatched if known_bad.get(t) != pairs[t]]
        if mismatched:
            # never repair on the strength of remembered digests: read the vault afresh
            mismatched, pairs = self._compare(fresh=True)
            to_repair = [t for t in mismatched if known_bad.get(t) != pairs[t]]
        if to_repair and not after_resync:
            log.info("verify: %d tables differ; downloading them again", len(to_repair))
            self._pull_all(only_tables=frozenset(to_repair))
            mismatched, pairs = self._compare()
            to_repair = [t for t in mismatched if known_bad.get(t) != pairs[t]]
        if to_repair:
            # this device holds what the server lacks (a restored server, a lost answer):
            # send those tables again; the server merges, never overwrites
            log.info("verify: %d tables differ; sending this device's copies", len(to_repair))
            if self._queue_snapshots(to_repair):
                self._push_all()
                self._pull_all()
            mismatched, pairs = self._compare()
        self.store.keep(
            lambda s: self._store_verified(s, after_resync, mismatched, pairs, seq_before)
        )
        self.run.report.repaired_tables = tuple(sorted(self._repaired))
        self.run.report.verified = not mismatched
        self._unverified = mismatched

    def _store_verified(
        self,
        s: Session,
        after_resync: bool,
        mismatched: list[str],
        pairs: dict[str, list[str]],
        seq_before: int,
    ) -> None:
        if after_resync:
            state.drop(s, state.RESYNC)
        state.put(s, state.VERIFY_SKIP, {t: pairs[t] for t in mismatched})
        if mismatched:
            state.drop(s, state.LAST_VERIFIED)
        else:
            state.put(
                s,
                state.LAST_VERIFIED,
                {"epoch": self.config.epoch, "audit_seq": seq_before, "at": time.time()},
            )

    def _compare(self, *, fresh: bool = False) -> tuple[list[str], dict[str, list[str]]]:
        """Tables whose count or digest differ from the server's, and both sides' digests."""
        server = self.t.post("verify", None, VerifyResponse)
        if server.data_epoch != self.config.epoch:
            raise EpochMoved("the server's data epoch changed")
        with self.store.read() as s:
            mine = self._digests.digests(s, self._touched, fresh=fresh)
            self._touched = {}
            # changes made while this sync ran are not on the server yet: next time
            waiting = set(s.scalars(select(Outbox.table_name).distinct()))
        differ: list[str] = []
        pairs: dict[str, list[str]] = {}
        for table, digest in server.tables.items():
            if table not in mine or table in waiting or mine[table] == digest:
                continue
            differ.append(table)
            pairs[table] = [
                f"{mine[table].count}:{mine[table].digest}",
                f"{digest.count}:{digest.digest}",
            ]
        self._repaired |= set(differ)
        return differ, pairs

    def _queue_snapshots(self, tables: list[str]) -> int:
        """Queue every shareable row of ``tables`` as it stands here, field by field."""
        queued = self.store.keep(lambda s: self._snapshots(s, tables))
        log.info("queued %d snapshot changes for %d tables", queued, len(tables))
        return queued

    def _snapshots(self, s: Session, tables: list[str]) -> int:
        queued = 0
        shared = shared_participants(s)
        for table in tables:
            shape = SHAPES[table]
            cls: Any = shape.cls
            for row in s.scalars(select(cls).where(cls.sharing == Sharing.TEAM.value)):
                pid = pid_of(row)
                routed = shape.participant_routed
                if registry.follows_consent(table) and pid not in shared:
                    continue
                if routed and row.owner != self.config.worker_id:
                    continue  # a colleague's case: only they may send it
                queued += _snapshot(s, shape.name, row, pid if routed else None)
        return queued

    # -- finish -------------------------------------------------------------------------
    def _untold_local_only(self) -> tuple[LocalOnlyCase, ...]:
        """Local-only cases the worker has not been told about yet (also those a sync that
        was cut short applied), marked told now that this report tells them."""

        def take(s: Session) -> list[dict[str, Any]]:
            notices = list(state.get(s, state.LOCAL_ONLY, []))
            untold = [n for n in notices if not n.get("told")]
            if untold:
                state.put(s, state.LOCAL_ONLY, [{**n, "told": True} for n in notices])
            return untold

        with self.store.read() as s:
            notices = state.get(s, state.LOCAL_ONLY, [])
        # a write transaction only when there is something to mark told (seldom)
        untold = self.store.keep(take) if any(not n.get("told") for n in notices) else []
        return tuple(
            LocalOnlyCase(
                str(n.get("participant_id", "")),
                str(n.get("programme_id", "")),
                int(n.get("kept", 0)),
                int(n.get("removed", 0)),
            )
            for n in untold
        )

    def _finish(self) -> None:
        report = self.run.report
        outcome = self.run.outcome
        report.applied = outcome.applied
        report.erased = len(outcome.erased)
        report.handed_away = len(outcome.handed_away)
        report.removed = outcome.removed
        report.kept_local = self._untold_local_only()
        report.set_aside = outcome.unappliable
        report.new_conflicts += outcome.conflicts
        with self.store.read() as s:
            report.conflicts = int(
                s.scalar(
                    select(func.count())
                    .select_from(SyncConflict)
                    .where(SyncConflict.resolved_at.is_(None))
                )
                or 0
            )
            report.attention = int(s.scalar(select(func.count()).select_from(SyncAttention)) or 0)
            report.waiting = int(s.scalar(select(func.count()).select_from(Outbox)) or 0)
        report.message = describe(report, self._unverified)


# the public half of each open vault's signing key (it is never replaced), so a handshake
# reads and derives it once per unlock rather than on every sync
_SIGNING_LINES: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _signing_line(store: Store) -> str:
    line = _SIGNING_LINES.get(store.engine)
    if line is None:
        line = store.on_writer(lambda: bundle_keys.signing_key(store)).public.line
        _SIGNING_LINES[store.engine] = line
    return line


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _attention(s: Session, row: Outbox, reason: str) -> None:
    s.merge(
        SyncAttention(
            change_id=row.change_id,
            table_name=row.table_name,
            row_id=row.row_id,
            reason=reason,
            at=now_naive(),
        )
    )


def _snapshot(s: Session, table: str, row: Any, participant_id: str | None) -> int:
    """Queue ``row`` as changes grouped by field clock (the server sets no per-field clocks
    from a device), each based on its own clock so the server fast-forwards what it lacks."""
    shape = SHAPES[table]
    clocks: dict[str, str] = dict(row.field_hlc or {})
    groups: dict[str, dict[str, Any]] = {}
    for name in sorted(shape.shareable):
        clock = clocks.get(name) or row.hlc
        groups.setdefault(clock, {})[name] = json_value(getattr(row, name))
    made = 0
    envelope = {
        "participant_id": participant_id,
        "owner": row.owner,
        "sharing": Sharing.TEAM.value,
    }
    for clock in sorted(groups):
        s.add(
            Outbox(
                change_id=uuid7(),
                table_name=table,
                row_id=row.id,
                op=Op.UPSERT.value,
                hlc=clock,
                payload={
                    "fields": groups[clock],
                    **envelope,
                    "origin": HLC.decode(clock).device,
                },
                base=dict.fromkeys(groups[clock], clock),
                created_at=now_naive(),
            )
        )
        made += 1
    if row.deleted:
        clock = clocks.get("deleted") or row.hlc
        s.add(
            Outbox(
                change_id=uuid7(),
                table_name=table,
                row_id=row.id,
                op=Op.DELETE.value,
                hlc=clock,
                payload={"fields": {}, **envelope, "origin": HLC.decode(clock).device},
                base={"deleted": clock},
                created_at=now_naive(),
            )
        )
        made += 1
    return made


def apply_programme_settings(s: Session, settings: ProgrammeSettings, version: int) -> bool:
    """Replace the programme's settings in the vault's settings when the server's changed."""
    stored = state.local_setting(s, SETTINGS_KEY)
    try:
        current = Settings.from_json(stored) if isinstance(stored, dict) else Settings()
    except (TypeError, ValueError):
        current = Settings()
    if version == current.programme_settings_version:
        return False
    updated = dataclasses.replace(
        current,
        appointment_limit=settings.appointment_limit,
        not_seen_weeks=settings.not_seen_weeks,
        concern_taxonomy=tuple(settings.concern_taxonomy) or current.concern_taxonomy,
        programme_settings_version=version,
    )
    try:
        updated = updated.validate()
    except ValidationError:
        log.warning("programme settings version %d from the server not usable; kept", version)
        return False
    state.put_local_setting(s, SETTINGS_KEY, updated.to_json())
    log.info("programme settings version %d applied", version)
    return True


def describe(report: SyncReport, unverified: list[str]) -> str:
    """One plain sentence or two about what a sync did."""
    parts = [f"Sent {report.pushed} and received {report.pulled} changes."]
    if report.resynced:
        parts.append("The server was restored or replaced, so everything was merged again.")
    if report.erased:
        parts.append(f"{report.erased} erased record(s) were removed from this laptop.")
    if report.handed_away:
        parts.append(f"{report.handed_away} case(s) handed to colleagues were removed.")
    for case in report.kept_local:
        parts.append(describe_local_only(case))
    if report.conflicts:
        parts.append(f"{report.conflicts} conflict(s) need you to choose a version.")
    if report.set_aside:
        parts.append(
            f"{report.set_aside} change(s) from the server could not be stored on this laptop "
            "and were set aside; everything else synced."
        )
    if report.attention:
        parts.append(f"{report.attention} change(s) need attention.")
    if report.verified and report.kept_local:
        # the server matches what this laptop shares; its own kept-back work is not on it
        parts.append("Checked against the server: everything this laptop shares matches.")
    elif report.verified:
        parts.append("Checked against the server: everything matches.")
    elif unverified:
        parts.append(
            "Some records still differ from the server ("
            + ", ".join(unverified)
            + "); they will be checked again next sync."
        )
    else:
        parts.append("Not yet checked against the server.")
    return " ".join(parts)


def describe_local_only(case: LocalOnlyCase) -> str:
    """What a withdrawal recorded on the worker's other laptop did here, in plain words."""
    who = case.programme_id or "one participant"
    removed = (
        f" {case.removed} record(s) about {who} that came from elsewhere were removed here."
        if case.removed
        else ""
    )
    return (
        f"Consent to share {who} with the team was withdrawn on your other laptop. "
        f"Your own work about {who} on this laptop stays here only ({case.kept} record(s), "
        f"not sent to the server or your other laptop).{removed} If consent is given again, "
        f"record it on this laptop and they will be shared."
    )
