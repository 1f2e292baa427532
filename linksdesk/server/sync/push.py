"""Push: a batch applied exactly once, in one transaction written with bulk statements.

A push locks only the names it touches (its batch key, its participants, its other rows;
:func:`linksdesk.server.db.lock_names`), reads what the batch needs in a few queries, and
applies every change in memory: the checks, the consent gate, the field merge. Then it
takes the ``server_seq`` counter, numbers its change-log entries, writes each table with
one ``executemany`` (records, change log, answers), notes the verify digests and commits
at once: the counter row is held for the writing only, so a 5,000-participant first sync
does not make every other device's push wait for its whole apply, and seq order is still
commit order. A batch that erases a participant or withdraws team sharing writes what it
has so far and takes the counter at that point (the purge reads and deletes it).
Refused changes are logged with ids and a reason code only, never their content.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.hlc import HLC, MAX_DRIFT_MS
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import Sharing
from linksdesk.server import digests, validate
from linksdesk.server.db import Counter, Database, lock_names, now_ms
from linksdesk.server.digests import DigestNotes
from linksdesk.server.errors import ServerProblem
from linksdesk.server.models import (
    AppliedOp,
    Batch,
    ChangeLog,
    Device,
    Erasure,
    ParticipantAccess,
    Record,
    RefusalLog,
    SupersededValue,
    Worker,
)
from linksdesk.server.sealing import is_sealed, keyring_of, routes_content
from linksdesk.server.sync.changelog import log_entry, record_as_change
from linksdesk.server.sync.consent import (
    consent_rank,
    held_elsewhere,
    kept_owner,
    latest_of,
    purge_participant,
)
from linksdesk.server.sync.context import OWNER, DeviceContext
from linksdesk.server.sync.rules import REFUSAL_TEXT, Refusal, storable
from linksdesk.sync.merge import DELETED, MergeResult, merge_fields
from linksdesk.sync.policy import shareable_columns
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    PARTICIPANT_TABLE,
    RECEIPT_TABLE,
    SYNCABLE_TABLES,
    WORKER_TABLES,
    Change,
    ChangeResult,
    ChangeStatus,
    ConflictRow,
    Op,
    PushRequest,
    PushResponse,
    Role,
    is_participant_routed,
)

log = logging.getLogger(__name__)

_RECORD = cast(Table, Record.__table__)
_LOG = cast(Table, ChangeLog.__table__)
_OPS = cast(Table, AppliedOp.__table__)
_ACCESS = cast(Table, ParticipantAccess.__table__)
_REFUSALS = cast(Table, RefusalLog.__table__)
_SUPERSEDED = cast(Table, SupersededValue.__table__)
_ROW_COLUMNS = (
    Record.table_name,
    Record.row_id,
    Record.team_id,
    Record.owner,
    Record.participant_id,
    Record.sharing,
    Record.deleted,
    Record.hlc,
    Record.origin,
    Record.fields,
    Record.field_hlc,
    Record.server_seq,
)
_UPDATE_RECORD = (
    update(_RECORD)
    .where(_RECORD.c.table_name == bindparam("k_table"), _RECORD.c.row_id == bindparam("k_row"))
    .values(
        deleted=bindparam("v_deleted"),
        hlc=bindparam("v_hlc"),
        origin=bindparam("v_origin"),
        fields=bindparam("v_fields"),
        field_hlc=bindparam("v_field_hlc"),
        server_seq=bindparam("v_seq"),
    )
)
# a concurrent push inserted a row this one meant to insert (the same row id from two
# participants or teams, a hostile device's): run the batch again, it then sees the row
_ATTEMPTS = 3


def push(db: Database, ctx: DeviceContext, req: PushRequest) -> PushResponse:
    """Apply a batch exactly once; the same batch_key always gets the same answer."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            response, shredded = _push_once(db, ctx, req)
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
            log.info("push of batch %s met a concurrent write; applying it again", req.batch_key)
            continue
        if shredded:
            db.truncate_wal()  # outside the transaction: nothing of the erased stays in the WAL
        return response
    raise AssertionError("unreachable")  # pragma: no cover


def _push_once(db: Database, ctx: DeviceContext, req: PushRequest) -> tuple[PushResponse, bool]:
    with db.writing() as s:
        lock_names(s, lock_names_of(req))
        done = s.get(Batch, req.batch_key)
        if done is not None:
            if done.device_id != ctx.device_id:
                raise ServerProblem("This batch key was already used by another device.", 409)
            answer = PushResponse.model_validate(_opened_response(s, done.response))
            return answer.model_copy(update={"replayed": True}), False
        batch = BatchApplier(s, ctx, req.batch_key)
        batch.prefetch(req.changes)
        answers: dict[int, Answer] = {}
        for i in batch.apply_order(req.changes):
            answers[i] = batch.apply(req.changes[i])
        response = batch.finish([answers[i] for i in range(len(req.changes))])
        return response, batch.shredded


def lock_names_of(req: PushRequest) -> list[str]:
    """What a batch writes, as lock names: its key, its participants and its other rows."""
    names = [f"batch:{req.batch_key}"]
    for ch in req.changes:
        pid = ch.row_id if ch.table == PARTICIPANT_TABLE else ch.participant_id
        names.append(f"p:{pid}" if pid is not None else f"r:{ch.table}:{ch.row_id}")
    return names


def participant_lock(pid: str) -> str:
    """The lock name of one participant (a handover takes it as a push does)."""
    return f"p:{pid}"


def _opened_result(s: Session, stored: dict[str, Any]) -> dict[str, Any]:
    """A stored answer with its sealed values opened (None once the key is destroyed)."""
    values = stored.get("server_values")
    if values is None:
        return stored
    opened = keyring_of(s).open(s, values)
    if opened is None:
        return {**stored, "server_values": None, "server_field_hlc": None}
    return {**stored, "server_values": opened}


def _opened_response(s: Session, stored: dict[str, Any]) -> dict[str, Any]:
    return {**stored, "results": [_opened_result(s, r) for r in stored.get("results", [])]}


# -- the batch's state in memory ------------------------------------------------------------
@dataclass(eq=False)
class Entry:
    """A change-log entry waiting for its ``server_seq`` (given when the batch is written)."""

    change: Change
    extra_worker: str | None = None
    clear: bool = False
    seq: int | None = None


@dataclass(eq=False)
class Row:
    """A record as this batch sees it: loaded, created or changed, not yet written."""

    table_name: str
    row_id: str
    team_id: str
    owner: str
    participant_id: str | None
    sharing: str
    deleted: bool
    hlc: str
    origin: str
    fields: dict[str, Any]
    field_hlc: dict[str, Any]
    server_seq: int
    stored: tuple[Any, ...] | None = None  # its digest values as stored; None: a new row
    numbered_by: Entry | None = None  # server_seq is this entry's, once numbered

    @property
    def key(self) -> tuple[str, str]:
        return (self.table_name, self.row_id)

    def digest_values(self) -> tuple[Any, ...]:
        return (
            self.table_name,
            self.row_id,
            self.team_id,
            self.owner,
            self.participant_id,
            self.hlc,
            self.deleted,
        )


@dataclass(frozen=True)
class Access:
    """A participant's owner access row: whose case it is."""

    participant_id: str
    worker_id: str
    team_id: str


@dataclass(eq=False)
class Answer:
    """One change's answer; its ``server_seq`` is its entry's, once numbered."""

    change: Change
    result: ChangeResult
    entry: Entry | None = None
    prior: AppliedOp | None = None  # a change refused before, tried again
    remember: bool = True  # False: an answer given before, given again

    def final(self) -> ChangeResult:
        if self.entry is None:
            return self.result
        return self.result.model_copy(update={"server_seq": self.entry.seq})


def _pid_of(change: Change) -> str | None:
    return change.participant_id or (change.row_id if change.table == PARTICIPANT_TABLE else None)


class BatchApplier:
    """Applies the changes of one batch in memory, then writes them in bulk."""

    def __init__(self, s: Session, ctx: DeviceContext, batch_key: str) -> None:
        self.s = s
        self.ctx = ctx
        self.batch_key = batch_key
        self.now = now_ms()
        self.counter: Counter | None = None  # taken when the batch is written
        self.notes = DigestNotes()
        self.seen: dict[str, Answer] = {}
        self.erased: set[str] = set()
        self.gone: set[str] = set()  # erased or withdrawn: no key to seal answers under
        self.shredded = False  # a participant key was destroyed: empty SQLite's WAL after
        self.device_workers: dict[str, str | None] = {}
        # what the batch looked up, loaded by prefetch() and kept current as it applies;
        # a key missing from a cache falls back to a query
        self.rows: dict[tuple[str, str], Row] = {}
        self.absent_records: set[tuple[str, str]] = set()
        self.access: dict[str, Access | None] = {}  # pid -> owner access
        self.consents: dict[str, list[Row]] = {}  # pid -> every consent record held
        self.no_erasure: set[str] = set()
        self.kept_owner: dict[str, str | None] = {}
        self.absent_ops: set[str] = set()
        self.ops: dict[str, AppliedOp] = {}
        self.workers: dict[str, Worker | None] = {}
        # what waits to be written
        self.entries: list[Entry] = []
        self.changed: dict[tuple[str, str], Row] = {}
        self.new_access: list[dict[str, Any]] = []
        self.refusals: list[dict[str, Any]] = []
        self.superseded: list[dict[str, Any]] = []
        self.answers: list[Answer] = []

    # - the batch's look-ups in a few queries -
    def prefetch(self, changes: list[Change]) -> None:
        """Load what the batch's changes will look up, a query per kind (not per change)."""
        s = self.s
        ids = {ch.change_id for ch in changes}
        self.ops = {
            op.change_id: op
            for op in s.scalars(select(AppliedOp).where(AppliedOp.change_id.in_(ids)))
        }
        self.absent_ops = ids - set(self.ops)
        owners = {ch.owner for ch in changes}
        self.workers = dict.fromkeys(owners)
        for w in s.scalars(select(Worker).where(Worker.id.in_(owners))):
            self.workers[w.id] = w
        pids = {p for p in (_pid_of(ch) for ch in changes) if p is not None}
        if pids:
            keyring_of(s).preload(s, pids)
        by_table: dict[str, set[str]] = {}
        for ch in changes:
            by_table.setdefault(ch.table, set()).add(ch.row_id)
        for table, row_ids in by_table.items():
            found = self._load(and_(Record.table_name == table, Record.row_id.in_(row_ids)))
            self.absent_records |= {(table, r) for r in row_ids - {row.row_id for row in found}}
        if not pids:
            return
        self.access = dict.fromkeys(pids)
        for pid, worker, team in s.execute(
            select(
                ParticipantAccess.participant_id,
                ParticipantAccess.worker_id,
                ParticipantAccess.team_id,
            ).where(ParticipantAccess.participant_id.in_(pids), ParticipantAccess.mode == OWNER)
        ):
            if self.access[pid] is None:  # the first, as consent.owner_access()
                self.access[pid] = Access(pid, worker, team)
        erased = set(
            s.scalars(
                select(Erasure.participant_id).where(
                    Erasure.participant_id.in_(pids), Erasure.team_id == self.ctx.team_id
                )
            )
        )
        self.no_erasure = pids - erased
        self.consents = {pid: [] for pid in pids}
        # table_name through an expression: with a long IN list SQLite otherwise plans by the
        # primary key's table_name prefix and reads every consent record on the server
        for row in self._load(
            and_(
                Record.participant_id.in_(pids),
                Record.table_name.concat("") == registry.CONSENT_TABLE,
            )
        ):
            self.consents[str(row.participant_id)].append(row)
        unowned = [pid for pid, acc in self.access.items() if acc is None]
        if unowned:
            self.kept_owner = dict.fromkeys(unowned)
            for unowned_pid, owner in s.execute(
                select(Record.participant_id, func.min(Record.owner))
                .where(
                    Record.participant_id.in_(unowned),
                    Record.team_id == self.ctx.team_id,
                    Record.table_name != RECEIPT_TABLE,
                )
                .group_by(Record.participant_id)
            ):
                self.kept_owner[str(unowned_pid)] = owner

    def _load(self, where: Any) -> list[Row]:
        """Records matching ``where``, opened, as this batch's rows (the one copy of each)."""
        s, ring = self.s, keyring_of(self.s)
        out: list[Row] = []
        for r in s.execute(select(*_ROW_COLUMNS).where(where)):
            key = (r.table_name, r.row_id)
            held = self.rows.get(key)
            if held is None:
                fields = r.fields
                if is_sealed(fields):
                    fields = ring.open(s, fields)
                    if fields is None:  # the key was destroyed: nothing readable is left
                        fields = {}
                held = Row(
                    r.table_name,
                    r.row_id,
                    r.team_id,
                    r.owner,
                    r.participant_id,
                    r.sharing,
                    bool(r.deleted),
                    r.hlc,
                    r.origin,
                    fields,
                    r.field_hlc,
                    r.server_seq,
                )
                held.stored = held.digest_values()
                self.rows[key] = held
            out.append(held)
        return out

    def _forget(self) -> None:
        """A purge rewrote rows behind the caches (with nothing pending): look up afresh."""
        self.rows.clear()
        self.absent_records.clear()
        self.access.clear()
        self.consents.clear()
        self.no_erasure.clear()
        self.kept_owner.clear()

    def _applied(self, change_id: str) -> AppliedOp | None:
        if change_id in self.ops:
            return self.ops[change_id]
        if change_id in self.absent_ops:
            return None
        return self.s.get(AppliedOp, change_id)

    def _worker(self, worker_id: str) -> Worker | None:
        if worker_id in self.workers:
            return self.workers[worker_id]
        return self.s.get(Worker, worker_id)

    def _record(self, table: str, row_id: str) -> Row | None:
        key = (table, row_id)
        if key in self.rows:
            return self.rows[key]
        if key in self.absent_records:
            return None
        found = self._load(and_(Record.table_name == table, Record.row_id == row_id))
        if not found:
            self.absent_records.add(key)
        return found[0] if found else None

    def _owner_access(self, pid: str) -> Access | None:
        if pid not in self.access:
            row = self.s.execute(
                select(ParticipantAccess.worker_id, ParticipantAccess.team_id)
                .where(ParticipantAccess.participant_id == pid, ParticipantAccess.mode == OWNER)
                .limit(1)
            ).first()
            self.access[pid] = Access(pid, row[0], row[1]) if row is not None else None
        return self.access[pid]

    def _erased(self, pid: str) -> bool:
        if pid in self.no_erasure:
            return False
        return self.s.get(Erasure, (pid, self.ctx.team_id)) is not None

    def _kept(self, pid: str) -> str | None:
        if pid in self.kept_owner:
            return self.kept_owner[pid]
        return kept_owner(self.s, pid, self.ctx.team_id)

    def _consents(self, pid: str) -> list[Row]:
        """Every consent record of ``pid`` this batch knows, written or not."""
        held = self.consents.get(pid)
        if held is None:
            held = self._load(
                and_(Record.participant_id == pid, Record.table_name == registry.CONSENT_TABLE)
            )
            held += [
                row
                for row in self.changed.values()
                if row.stored is None
                and row.participant_id == pid
                and row.table_name == registry.CONSENT_TABLE
                and row not in held
            ]
            self.consents[pid] = held
        return held

    def _latest_team_consent(self, pid: str) -> bool | None:
        return latest_of(row for row in self._consents(pid) if not row.deleted)

    def _is_team_consent(self, ch: Change) -> bool:
        if ch.table != registry.CONSENT_TABLE:
            return False
        scope = ch.fields.get("scope")
        if scope is None:
            held = self._record(ch.table, ch.row_id)
            scope = held.fields.get("scope") if held is not None else None
        return bool(scope == registry.TEAM_SCOPE)

    def apply_order(self, changes: list[Change]) -> list[int]:
        """The order to apply a batch in: its team consent records first, then the rest.

        Participant content comes in only under a team consent the server holds (rule 2);
        one held from anywhere in the same batch counts, wherever the device's batching put
        it. Each part keeps the batch's order, and answers keep the request's order.
        """
        consents = [i for i, ch in enumerate(changes) if self._is_team_consent(ch)]
        if not consents:
            return list(range(len(changes)))
        first = set(consents)
        return consents + [i for i in range(len(changes)) if i not in first]

    # - one change -
    def apply(self, change: Change) -> Answer:
        if change.change_id in self.seen:
            return self.seen[change.change_id]
        prior = self._applied(change.change_id)
        if prior is not None and prior.status != ChangeStatus.REJECTED:
            # never applied twice
            result = ChangeResult.model_validate(_opened_result(self.s, prior.result))
            answer = Answer(change, result, remember=False)
        else:
            refusal = self._check(change)
            if refusal is not None:
                answer = Answer(change, self._refuse(change, refusal))
            elif change.op is Op.ERASE:
                answer = self._erase(change)
            else:
                answer = self._merge(change)
            answer.prior = prior
            self.answers.append(answer)
        self.seen[change.change_id] = answer
        return answer

    def _refuse(self, change: Change, refusal: Refusal) -> ChangeResult:
        # ids and a code only: the content of a refused change is never kept or logged
        self.refusals.append(
            {
                "at_ms": self.now,
                "device_id": self.ctx.device_id,
                "change_id": change.change_id,
                "table_name": change.table[:32],
                "reason": refusal.value,
            }
        )
        log.info(
            "refused change %s (%s) from device %s: %s",
            change.change_id,
            change.table,
            self.ctx.device_id,
            refusal.value,
        )
        reason = REFUSAL_TEXT[refusal]
        if refusal is Refusal.INVALID_VALUE:  # which rule, never the value
            reason = f"{reason} ({'; '.join(validate.problems(change.table, change.fields))})"
        return ChangeResult(change_id=change.change_id, status=ChangeStatus.REJECTED, reason=reason)

    # - the rules -
    def _check(self, ch: Change) -> Refusal | None:
        ctx = self.ctx
        known = ch.table in SYNCABLE_TABLES or ch.table == CONFLICT_TABLE
        if not known:
            return Refusal.UNKNOWN_TABLE
        if ch.sharing != Sharing.TEAM.value:
            return Refusal.PRIVATE
        if ch.table == CONFLICT_TABLE and ch.op is not Op.DELETE:
            return Refusal.SERVER_TABLE
        if ch.op is Op.ERASE and ch.table != PARTICIPANT_TABLE:
            return Refusal.BAD_ROUTING
        clock = HLC.decode(ch.hlc)
        if not self._may_relay(clock.device) or not self._may_relay(ch.origin):
            return Refusal.NOT_YOUR_DEVICE
        if clock.wall_ms > self.now + MAX_DRIFT_MS:
            return Refusal.CLOCK_AHEAD
        if ch.field_hlc:
            return Refusal.BAD_ROUTING  # per-field clocks are the server's to set
        if not storable(ch.fields):
            return Refusal.BAD_VALUE
        if ch.op is Op.UPSERT:
            if not ch.fields:
                return Refusal.EMPTY
            allowed = shareable_columns(ch.table)
            for name, value in ch.fields.items():
                if name == DELETED:
                    if not isinstance(value, bool):
                        return Refusal.BAD_ROUTING
                elif name not in allowed:
                    return Refusal.LOCAL_FIELD
            if validate.problems(ch.table, ch.fields):
                return Refusal.INVALID_VALUE
            if not self._parents_held(ch):
                return Refusal.MISSING_PARENT
        owner = self._worker(ch.owner)
        if owner is None or owner.team_id != ctx.team_id:
            return Refusal.OTHER_TEAM
        existing = self._record(ch.table, ch.row_id)
        if existing is not None and existing.team_id != ctx.team_id:
            return Refusal.OTHER_TEAM
        if not is_participant_routed(ch.table):
            if ch.participant_id is not None or "participant_id" in ch.fields:
                return Refusal.BAD_ROUTING
            if ch.table in WORKER_TABLES and ch.owner != ctx.worker_id:
                return Refusal.NOT_YOUR_CASE
            return None
        return self._check_participant(ch, existing)

    def _may_relay(self, origin: str) -> bool:
        """Provenance comes from the token. A change's clock and its ``origin`` must be this
        device's own or those of another device of the same worker: a laptop re-sends what
        the worker's other laptop wrote when team consent is given again (a backfill keeps
        each row's own clock, so a later merge sees the true age of every field) or after a
        server restore. "Same writer" in the merge then still means the one worker's
        devices. A colleague's device, or one the server never enrolled, is refused.
        """
        if origin == self.ctx.device_id:
            return True
        if origin not in self.device_workers:
            dev = self.s.get(Device, origin)
            self.device_workers[origin] = dev.worker_id if dev is not None else None
        return self.device_workers[origin] == self.ctx.worker_id

    def _parents_held(self, ch: Change) -> bool:
        """Every row the change points at is held here, in this team (and case)."""
        for table, row_id in validate.references(ch.table, ch.fields).values():
            parent = self._record(table, row_id)
            if parent is None or parent.team_id != self.ctx.team_id:
                return False
            if parent.participant_id is not None and parent.participant_id != ch.participant_id:
                return False
        return True

    def _check_participant(self, ch: Change, existing: Row | None) -> Refusal | None:
        ctx = self.ctx
        pid = ch.participant_id
        if pid is None:
            return Refusal.BAD_ROUTING
        if ch.table == PARTICIPANT_TABLE and pid != ch.row_id:
            return Refusal.BAD_ROUTING
        if ch.fields.get("participant_id", pid) != pid:
            return Refusal.BAD_ROUTING
        if existing is not None and existing.participant_id != pid:
            return Refusal.BAD_ROUTING
        if ch.table == CONFLICT_TABLE and existing is None:
            return Refusal.BAD_ROUTING
        access = self._owner_access(pid)
        if access is not None and access.team_id != ctx.team_id:
            return Refusal.OTHER_TEAM
        if ch.op is Op.ERASE:
            # only the case's worker or a supervisor, within the team; an id the team never
            # held may be erased by its own workers (the receipt is kept for this team only)
            supervisor = ctx.role == Role.SUPERVISOR
            if access is None and held_elsewhere(self.s, pid, ctx.team_id):
                return Refusal.OTHER_TEAM
            owner = access.worker_id if access is not None else self._kept(pid)
            if owner not in (None, ctx.worker_id) and not supervisor:
                return Refusal.NOT_ALLOWED
            return None
        if self._erased(pid) and ch.table != RECEIPT_TABLE:
            return Refusal.ERASED
        if ch.owner != ctx.worker_id:
            return Refusal.NOT_YOUR_CASE
        if access is not None and access.worker_id != ctx.worker_id:
            return Refusal.NOT_YOUR_CASE
        if access is None and self._kept(pid) not in (None, ctx.worker_id):
            return Refusal.NOT_YOUR_CASE  # withdrawn: the kept consent records say whose
        needs_consent = registry.follows_consent(ch.table)
        # a team consent always comes in, given or withdrawn (without its note when withdrawn)
        if not needs_consent or self._is_team_consent(ch):
            return None
        if ch.participant_shared is not True:
            return Refusal.NOT_SHARED
        # defence in depth: the device's flag is not enough, the server's own copy of the
        # team consent records must say yes (deletes too: a tombstone would put a withdrawn
        # case back on the caseload). Devices push team consents before other rows.
        latest = self._latest_team_consent(pid)
        if latest is False:
            return Refusal.CONSENT_WITHDRAWN
        if latest is None:
            return Refusal.NOT_SHARED
        return None

    # - applying -
    def _log(
        self, change: Change, *, extra_worker: str | None = None, clear: bool = False
    ) -> Entry:
        entry = Entry(change, extra_worker, clear)
        self.entries.append(entry)
        return entry

    def _merge(self, ch: Change) -> Answer:
        ctx = self.ctx
        pid = ch.participant_id
        had_access = pid is not None and self._owner_access(pid) is not None
        team_consent = pid is not None and self._is_team_consent(ch)
        shared_before = self._latest_team_consent(pid) if pid is not None and team_consent else None
        if pid is not None and not had_access:
            # first sight of this participant: the pushing worker's case
            self.new_access.append(
                {
                    "participant_id": pid,
                    "worker_id": ctx.worker_id,
                    "team_id": ctx.team_id,
                    "mode": OWNER,
                    "since_ms": self.now,
                }
            )
            self.notes.grant((pid, ctx.worker_id, ctx.team_id))
            self.access[pid] = Access(pid, ctx.worker_id, ctx.team_id)
        rec = self._record(ch.table, ch.row_id)
        merged = merge_fields(rec.fields if rec else None, rec.field_hlc if rec else None, ch)
        entry: Entry | None = None
        if merged.changed:
            if rec is None:
                rec = Row(
                    table_name=ch.table,
                    row_id=ch.row_id,
                    team_id=ctx.team_id,
                    # the token says who: a team row's creator cannot be claimed to be a
                    # colleague (participant and worker rows were checked to be this worker's)
                    owner=ctx.worker_id,
                    participant_id=pid,
                    sharing=Sharing.TEAM.value,
                    deleted=False,
                    hlc=ch.hlc,
                    origin=ch.origin,
                    fields={},
                    field_hlc={},
                    server_seq=0,
                )
                self.rows[rec.key] = rec
                self.absent_records.discard(rec.key)
                if ch.table == registry.CONSENT_TABLE and pid is not None:
                    self._consents(pid).append(rec)
            entry = self._write(rec, ch, merged)
        for lost in merged.superseded:
            self.superseded.append(
                {
                    "table_name": ch.table,
                    "row_id": ch.row_id,
                    "participant_id": pid,
                    "field": lost.field,
                    "value": (
                        keyring_of(self.s).seal(self.s, pid, ctx.team_id, lost.value)
                        if pid is not None and routes_content(ch.table, pid)
                        else lost.value
                    ),
                    "hlc": lost.hlc,
                    "origin": ch.origin if lost.incoming else (rec.origin if rec else ""),
                    "at_ms": self.now,
                }
            )
        conflict_ids = [self._keep_conflict(ch, rec, c) for c in merged.conflicts]
        if pid is not None and team_consent:
            shared_now = self._latest_team_consent(pid)
            if shared_now is False:
                self._withdraw(pid, notify=had_access)
            elif shared_now is True and shared_before is False:
                self._resend_kept(pid, ch.row_id)
        return Answer(ch, self._result(ch, merged, rec, conflict_ids), entry)

    def _write(self, rec: Row, ch: Change, merged: MergeResult) -> Entry:
        fields = {**rec.fields, **merged.fields}
        field_hlc = {**rec.field_hlc, **merged.field_hlc}
        rec.fields, rec.field_hlc = fields, field_hlc
        rec.deleted = bool(fields.get(DELETED, False))
        rec.hlc = max(field_hlc.values())
        rec.origin = ch.origin
        applied = dict(merged.fields)
        deleted = applied.get(DELETED) is True
        if deleted:
            applied.pop(DELETED)
        hlc = max(merged.field_hlc.values())
        out = Change(
            change_id=ch.change_id,
            table=ch.table,
            row_id=ch.row_id,
            op=Op.DELETE if deleted else Op.UPSERT,
            hlc=hlc,
            origin=ch.origin,
            owner=rec.owner,
            participant_id=rec.participant_id,
            sharing=Sharing.TEAM.value,
            participant_shared=ch.participant_shared,
            fields=applied,
            field_hlc={k: v for k, v in merged.field_hlc.items() if k in applied and v != hlc},
        )
        entry = self._log(out)
        rec.numbered_by = entry
        self.changed[rec.key] = rec
        return entry

    def _keep_conflict(self, ch: Change, rec: Row | None, c: Any) -> str:
        conflict_id = uuid7()
        row = ConflictRow(
            table_name=ch.table,
            row_id=ch.row_id,
            field=c.field,
            participant_id=ch.participant_id,
            kept_value=c.kept_value,
            kept_hlc=c.kept_hlc,
            other_value=c.other_value,
            other_hlc=c.other_hlc,
            other_origin=ch.origin,
            other_change_id=ch.change_id,
            detected_at_ms=self.now,
        )
        fields = row.model_dump(mode="json")
        owner = rec.owner if rec is not None else ch.owner
        entry = self._log(
            Change(
                change_id=uuid7(),
                table=CONFLICT_TABLE,
                row_id=conflict_id,
                op=Op.UPSERT,
                hlc=ch.hlc,
                origin=ch.origin,
                owner=owner,
                participant_id=ch.participant_id,
                sharing=Sharing.TEAM.value,
                participant_shared=True,
                fields=fields,
            )
        )
        kept = Row(
            table_name=CONFLICT_TABLE,
            row_id=conflict_id,
            team_id=self.ctx.team_id,
            owner=owner,
            participant_id=ch.participant_id,
            sharing=Sharing.TEAM.value,
            deleted=False,
            hlc=ch.hlc,
            origin=ch.origin,
            fields=dict(fields),
            field_hlc=dict.fromkeys(fields, ch.hlc),
            server_seq=0,
            numbered_by=entry,
        )
        self.rows[kept.key] = kept
        self.changed[kept.key] = kept
        return conflict_id

    def _result(
        self, ch: Change, merged: MergeResult, rec: Row | None, conflict_ids: list[str]
    ) -> ChangeResult:
        if merged.status is ChangeStatus.CONFLICT:
            kept = {c.field: c.kept_value for c in merged.conflicts}
            return ChangeResult(
                change_id=ch.change_id,
                status=ChangeStatus.CONFLICT,
                reason=(
                    "Someone else changed this at the same time. Both versions are kept "
                    "until you choose."
                ),
                server_values=kept,
                server_field_hlc={c.field: c.kept_hlc for c in merged.conflicts},
                conflict_ids=conflict_ids,
            )
        lost = [x for x in merged.superseded if x.incoming]
        if lost and rec is not None:
            return ChangeResult(
                change_id=ch.change_id,
                status=ChangeStatus.MERGED,
                reason="A later change made elsewhere was kept for some details.",
                server_values={x.field: rec.fields.get(x.field) for x in lost},
                server_field_hlc={x.field: rec.field_hlc.get(x.field, "") for x in lost},
            )
        return ChangeResult(change_id=ch.change_id, status=merged.status)

    def _resend_kept(self, pid: str, given_id: str) -> None:
        """Team sharing given again after a withdrawal: hand on the consent records kept.

        The withdrawal took them out of the change log, and the worker's other devices
        purged them, so they would hold only the new record and differ from the server's
        history. Each kept record goes out again whole, after the new one: a device takes
        the old withdrawal as history, not as a withdrawal, once it holds the later consent.
        """
        again = sorted(
            (row for row in self._consents(pid) if row.row_id != given_id), key=consent_rank
        )
        for row in again:
            row.numbered_by = self._log(record_as_change(row, uuid7()))
            self.changed[row.key] = row
        log.info(
            "team sharing given again for participant %s: %d consent records re-sent",
            pid,
            len(again),
        )

    # - erasure and withdrawal: write what the batch has so far, then purge -
    def _withdraw(self, pid: str, *, notify: bool) -> None:
        """Team sharing withdrawn (or never given): the participant is private to the device.

        The server keeps only the participant's team consent records, without their note:
        they decide what it accepts next and whose case it is. Every other row, the change
        log and stored answers about them go, and no device sees them any more (no access
        rows; the verify digests follow, as for erasure). Each worker who could see the case
        is sent the withdrawing consent so their devices purge their copies too.
        """
        for row in self._consents(pid):  # the answers given from them hold no note either
            if row.fields.get("scope") == registry.TEAM_SCOPE and "note" in row.fields:
                row.fields = {k: v for k, v in row.fields.items() if k != "note"}
                row.field_hlc = {k: v for k, v in row.field_hlc.items() if k != "note"}
        self.write()
        purged = purge_participant(self.s, self.notes, pid, self.ctx.team_id, withdrawal=True)
        self.shredded = True
        self.gone.add(pid)
        self._forget()
        if not (notify and purged.workers and purged.kept):
            return
        latest = max(purged.kept, key=consent_rank)
        notice = record_as_change(latest, uuid7()).model_copy(update={"participant_shared": False})
        for worker in purged.workers:
            self._log(notice, extra_worker=worker, clear=True)
        log.info("team sharing withdrawn for participant %s: server copy dropped", pid)

    def _erase(self, ch: Change) -> Answer:
        ctx = self.ctx
        pid = ch.row_id
        if self._erased(pid):
            return Answer(ch, ChangeResult(change_id=ch.change_id, status=ChangeStatus.APPLIED))
        self.write()
        access = self._owner_access(pid)
        purged = purge_participant(self.s, self.notes, pid, ctx.team_id, withdrawal=False)
        self.shredded = True
        self.s.add(
            Erasure(
                participant_id=pid,
                team_id=ctx.team_id,
                device_id=ctx.device_id,
                change_id=ch.change_id,
                at_ms=self.now,
                rows_removed=purged.removed,
            )
        )
        self.erased.add(pid)
        self.gone.add(pid)
        self._forget()
        out = Change(
            change_id=ch.change_id,
            table=PARTICIPANT_TABLE,
            row_id=pid,
            op=Op.ERASE,
            hlc=ch.hlc,
            origin=ch.origin,
            owner=access.worker_id if access is not None else ch.owner,
            participant_id=pid,
            sharing=Sharing.TEAM.value,
        )
        entry = self._log(out)
        log.info("erased participant record %s: %d rows removed", pid, purged.removed)
        return Answer(ch, ChangeResult(change_id=ch.change_id, status=ChangeStatus.APPLIED), entry)

    # - writing -
    def write(self) -> None:
        """Write everything pending: what needs no number first, then, holding the counter,
        the numbered change log and the records it numbers (one statement per table)."""
        s = self.s
        if self.new_access:
            s.execute(insert(_ACCESS), self.new_access)
            self.new_access = []
        if self.refusals:
            s.execute(insert(_REFUSALS), self.refusals)
            self.refusals = []
        if self.superseded:
            s.execute(insert(_SUPERSEDED), self.superseded)
            self.superseded = []
        if not (self.entries or self.changed or self.notes):
            return
        if self.counter is None:
            self.counter = Counter(s)  # from here to the commit: numbered in commit order
        counter = self.counter
        for entry in self.entries:
            entry.seq = counter.next()
        if self.entries:
            team = self.ctx.team_id
            s.execute(
                insert(_LOG),
                [
                    log_entry(
                        s,
                        cast(int, e.seq),
                        e.change,
                        team,
                        extra_worker=e.extra_worker,
                        clear=e.clear,
                        at_ms=self.now,
                    )
                    for e in self.entries
                ],
            )
            self.entries = []
        self._write_rows()

    def _write_rows(self) -> None:
        s, ring = self.s, keyring_of(self.s)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for row in self.changed.values():
            if row.numbered_by is not None:
                row.server_seq = cast(int, row.numbered_by.seq)
                row.numbered_by = None
            fields: Any = row.fields
            if routes_content(row.table_name, row.participant_id):
                fields = ring.seal(s, cast(str, row.participant_id), row.team_id, fields)
            if row.stored is None:
                inserts.append(
                    {
                        "table_name": row.table_name,
                        "row_id": row.row_id,
                        "team_id": row.team_id,
                        "owner": row.owner,
                        "participant_id": row.participant_id,
                        "sharing": row.sharing,
                        "deleted": row.deleted,
                        "hlc": row.hlc,
                        "origin": row.origin,
                        "fields": fields,
                        "field_hlc": row.field_hlc,
                        "server_seq": row.server_seq,
                    }
                )
                self.notes.record(row.digest_values(), 1)
            else:
                updates.append(
                    {
                        "k_table": row.table_name,
                        "k_row": row.row_id,
                        "v_deleted": row.deleted,
                        "v_hlc": row.hlc,
                        "v_origin": row.origin,
                        "v_fields": fields,
                        "v_field_hlc": row.field_hlc,
                        "v_seq": row.server_seq,
                    }
                )
                self.notes.record_changed(row.stored, row.digest_values())
            row.stored = row.digest_values()
        self.changed = {}
        if inserts:
            s.execute(insert(_RECORD), inserts)
        if updates:
            s.execute(_UPDATE_RECORD, updates)

    def finish(self, answers: list[Answer]) -> PushResponse:
        """Write the batch, its answers (for exactly once) and the digests; commit follows."""
        self.write()
        results = [a.final() for a in answers]
        if self.erased:  # answers about a participant this batch erased carry no values
            results = [
                r.model_copy(update={"server_values": None, "server_field_hlc": None})
                if _pid_of(a.change) in self.erased and r.server_values is not None
                else r
                for a, r in zip(answers, results, strict=True)
            ]
        response = PushResponse(batch_key=self.batch_key, results=results)
        sealed = [self._sealed_result(a.change, r) for a, r in zip(answers, results, strict=True)]
        stored: dict[int, dict[str, Any]] = {}
        for answer, data in zip(answers, sealed, strict=True):
            stored.setdefault(id(answer), data)
        ops: list[dict[str, Any]] = []
        for answer in self.answers:
            data = stored[id(answer)]
            if answer.prior is not None:  # a change refused before, tried again in a new batch
                prior = answer.prior
                prior.batch_key, prior.status, prior.result = self.batch_key, data["status"], data
                prior.at_ms = self.now
                continue
            ops.append(
                {
                    "change_id": answer.change.change_id,
                    "batch_key": self.batch_key,
                    "device_id": self.ctx.device_id,
                    "participant_id": _pid_of(answer.change),
                    "status": data["status"],
                    "result": data,
                    "at_ms": self.now,
                }
            )
        s = self.s
        if ops:
            s.execute(insert(_OPS), ops)
        s.add(
            Batch(
                batch_key=self.batch_key,
                device_id=self.ctx.device_id,
                response={**response.model_dump(mode="json"), "results": sealed},
                at_ms=self.now,
            )
        )
        if self.notes:
            digests.save(s, self.notes)
            self.notes = DigestNotes()
        if self.counter is not None:
            self.counter.save()
        return response

    def _sealed_result(self, change: Change, result: ChangeResult) -> dict[str, Any]:
        """An answer as stored: the server's values in it sealed under the participant's key
        (none kept about a participant whose key this batch destroyed)."""
        data = result.model_dump(mode="json")
        pid = _pid_of(change)
        values = data.get("server_values")
        if values is None or pid is None:
            return data
        if pid in self.gone:
            return {**data, "server_values": None, "server_field_hlc": None}
        if routes_content(change.table, pid):
            ring = keyring_of(self.s)
            data["server_values"] = ring.seal(self.s, pid, self.ctx.team_id, values)
        return data
