"""The server's side of sync: handshake, push (exactly once), pull, verify, erasure.

Every writing transaction locks the counter row first (:class:`linksdesk.server.db.Counter`)
so ``server_seq`` values commit in order and writers never deadlock on each other.
Refused changes are logged with ids and a reason code only, never their content.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, delete, exists, false, func, not_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from linksdesk.core import registry
from linksdesk.core.hlc import HLC, MAX_DRIFT_MS
from linksdesk.core.ids import uuid7
from linksdesk.core.settings import Settings
from linksdesk.core.vocab import Sharing
from linksdesk.server import keys, validate
from linksdesk.server.db import META_ID, Counter, Database, now_ms
from linksdesk.server.digests import visible_digests
from linksdesk.server.errors import CursorAhead, ServerProblem, VersionMismatch
from linksdesk.server.models import (
    AppliedOp,
    Batch,
    ChangeLog,
    Device,
    Erasure,
    ParticipantAccess,
    ProgrammeSetting,
    Record,
    RefusalLog,
    ServerMeta,
    SupersededValue,
    Worker,
)
from linksdesk.server.sealing import keep_clear, keyring_of, routes_content
from linksdesk.sync.merge import DELETED, MergeResult, merge_fields
from linksdesk.sync.policy import shareable_columns
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    HANDOVER_TABLE,
    MAX_BATCH,
    MAX_PULL_LIMIT,
    PARTICIPANT_TABLE,
    PROTOCOL_VERSION,
    RECEIPT_TABLE,
    SCHEMA_VERSION,
    SYNCABLE_TABLES,
    TEAM_TABLES,
    WORKER_TABLES,
    Change,
    ChangeResult,
    ChangeStatus,
    ConflictRow,
    HandshakeRequest,
    HandshakeResponse,
    Op,
    ProgrammeSettings,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    Role,
    ServerChange,
    VerifyResponse,
    is_participant_routed,
)

log = logging.getLogger(__name__)

OWNER, READ_ONLY = "owner", "read_only"


@dataclass(frozen=True)
class DeviceContext:
    """Who is asking: the authenticated device, its worker and team."""

    device_id: str
    worker_id: str
    team_id: str
    role: str


class Refusal(StrEnum):
    """Why a change was refused: the code goes to the refusal log, the text to the device."""

    PRIVATE = "private_row"
    NOT_SHARED = "participant_not_shared"
    CONSENT_WITHDRAWN = "team_consent_withdrawn"
    CLOCK_AHEAD = "clock_ahead"
    UNKNOWN_TABLE = "unknown_table"
    SERVER_TABLE = "server_table"
    LOCAL_FIELD = "local_field"
    EMPTY = "empty_change"
    BAD_ROUTING = "bad_routing"
    NOT_YOUR_CASE = "not_your_case"
    OTHER_TEAM = "other_team"
    ERASED = "participant_erased"
    NOT_ALLOWED = "not_allowed"
    BAD_VALUE = "unstorable_value"
    INVALID_VALUE = "invalid_value"
    MISSING_PARENT = "missing_parent"
    NOT_YOUR_DEVICE = "not_your_device"


REFUSAL_TEXT: dict[Refusal, str] = {
    Refusal.PRIVATE: "Private records never leave the device, so the server refused this one.",
    Refusal.NOT_SHARED: (
        "This person has not agreed to share their record with the team, so the server refused it."
    ),
    Refusal.CONSENT_WITHDRAWN: (
        "This person withdrew consent to share with the team, so the server refused it."
    ),
    Refusal.CLOCK_AHEAD: (
        "This device's clock is more than 5 minutes ahead of the server's. Correct the "
        "date and time on this computer, then sync again."
    ),
    Refusal.UNKNOWN_TABLE: "The server does not know this kind of record. Update the server.",
    Refusal.SERVER_TABLE: "Only the server makes this kind of record.",
    Refusal.LOCAL_FIELD: "This change carried details that stay on the device; it was refused.",
    Refusal.EMPTY: "This change did not carry anything to save.",
    Refusal.BAD_ROUTING: "This change does not say which person or record it belongs to.",
    Refusal.NOT_YOUR_CASE: (
        "This person is not on your caseload (the case may have been handed to a colleague)."
    ),
    Refusal.OTHER_TEAM: "This record belongs to another team.",
    Refusal.ERASED: "This person's record was erased; the change was not kept.",
    Refusal.NOT_ALLOWED: "Only the person's links worker or a supervisor can do this.",
    Refusal.BAD_VALUE: (
        "This change holds a value the server cannot store (a number that is not a number, "
        "or a broken character). It was not kept."
    ),
    Refusal.INVALID_VALUE: (
        "This change holds a value that does not fit its field, so the server did not keep "
        "it and no other device will receive it. Correct the record and sync again."
    ),
    Refusal.MISSING_PARENT: (
        "This change points at a record the server does not hold (it may be private or not "
        "yet sent), so it was not kept."
    ),
    Refusal.NOT_YOUR_DEVICE: (
        "This change says it was made on another device; a device may send only its own changes."
    ),
}


def storable(value: Any) -> bool:
    """Whether a JSON value survives every database and JSON encoder on the way back out.

    Not-a-number and infinite floats, NUL characters and lone surrogates are refused:
    PostgreSQL rejects them, and JSON answers could not carry them to devices.
    """
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(storable(v) for v in value)
    if isinstance(value, dict):
        return all(storable(k) and storable(v) for k, v in value.items())
    return True


# -- settings -------------------------------------------------------------------------------
SETTING_KEYS = ("appointment_limit", "concern_taxonomy", "not_seen_weeks")


def programme_settings(s: Session, team_id: str) -> tuple[ProgrammeSettings, int]:
    """The team's programme settings (defaults from core.settings) and their version."""
    defaults = Settings()
    values: dict[str, Any] = {
        "appointment_limit": defaults.appointment_limit,
        "concern_taxonomy": list(defaults.concern_taxonomy),
        "not_seen_weeks": defaults.not_seen_weeks,
    }
    version = 0
    for row in s.scalars(select(ProgrammeSetting).where(ProgrammeSetting.team_id == team_id)):
        if row.key in values:
            values[row.key] = row.value
        version = max(version, row.version)
    return ProgrammeSettings.model_validate(values), version


def _meta(s: Session) -> ServerMeta:
    meta = s.get(ServerMeta, META_ID)
    if meta is None:  # check_ready at startup makes this unreachable in a served app
        raise ServerProblem("The server database is not initialised.", 503)
    return meta


# -- handshake ------------------------------------------------------------------------------
def handshake(db: Database, ctx: DeviceContext, req: HandshakeRequest) -> HandshakeResponse:
    if req.protocol_version < PROTOCOL_VERSION:
        raise VersionMismatch(
            "This copy of LinksDesk is too old to sync with the server. Update LinksDesk, "
            "then sync again; your work stays safe on this laptop meanwhile."
        )
    if req.protocol_version > PROTOCOL_VERSION:
        raise VersionMismatch(
            "This LinksDesk is newer than the sync server. Ask your programme administrator "
            "to update the server; your work stays safe on this laptop meanwhile."
        )
    if req.schema_version > SCHEMA_VERSION:
        raise VersionMismatch(
            "This LinksDesk is newer than the sync server. Ask your programme administrator "
            "to update the server; your work stays safe on this device meanwhile."
        )
    if req.device_id != ctx.device_id:
        raise ServerProblem("This device's id does not match its enrolment.", 409)
    if req.signing_key is not None:
        with db.reading() as s:
            held = s.scalar(select(Device.signing_key).where(Device.id == ctx.device_id))
        if held is None:  # once per device: every later handshake only reads
            with db.writing() as s:
                device = s.get(Device, ctx.device_id)
                if device is not None:
                    keys.register_signing_key(s, device, req.signing_key)
    with db.reading(snapshot=True) as s:
        meta = _meta(s)
        settings, version = programme_settings(s, ctx.team_id)
        return HandshakeResponse(
            protocol_version=PROTOCOL_VERSION,
            schema_version=SCHEMA_VERSION,
            data_epoch=meta.data_epoch,
            # a cursor past the head means the database went back in time (a restore
            # without `new-epoch`): the device must resync by merging all the same
            epoch_changed=(req.data_epoch is not None and req.data_epoch != meta.data_epoch)
            or (req.cursor is not None and req.cursor > meta.seq),
            server_time_ms=now_ms(),
            cursor_head=meta.seq,
            worker_id=ctx.worker_id,
            team_id=ctx.team_id,
            role=Role(ctx.role),
            settings=settings,
            settings_version=version,
            max_batch=MAX_BATCH,
            max_pull_limit=MAX_PULL_LIMIT,
            max_drift_ms=MAX_DRIFT_MS,
            programme_key=keys.programme_key(s),
        )


# -- visibility -----------------------------------------------------------------------------
def _visible_participant(column: Any, worker_id: str) -> ColumnElement[bool]:
    """``column`` names a participant ``worker_id`` has access to.

    A correlated EXISTS on the access table's key, one look-up per row read, rather than
    ``IN (SELECT ... WHERE worker_id = ?)``, which builds the worker's whole caseload
    first on every pull: a cost in proportion to the caseload, not to what is pulled.
    """
    return exists().where(
        ParticipantAccess.participant_id == column, ParticipantAccess.worker_id == worker_id
    )


def _log_visible(ctx: DeviceContext) -> ColumnElement[bool]:
    """Change-log rows this device may pull (confidentiality rule 3)."""
    return and_(
        ChangeLog.team_id == ctx.team_id,
        or_(
            ChangeLog.table_name.in_(TEAM_TABLES),
            and_(ChangeLog.table_name.in_(WORKER_TABLES), ChangeLog.owner == ctx.worker_id),
            ChangeLog.extra_worker == ctx.worker_id,
            and_(
                ChangeLog.participant_id.is_not(None),
                _visible_participant(ChangeLog.participant_id, ctx.worker_id),
            ),
        ),
    )


def _record_visible(ctx: DeviceContext) -> ColumnElement[bool]:
    return and_(
        Record.team_id == ctx.team_id,
        or_(
            Record.table_name.in_(TEAM_TABLES),
            and_(Record.table_name.in_(WORKER_TABLES), Record.owner == ctx.worker_id),
            and_(
                Record.participant_id.is_not(None),
                _visible_participant(Record.participant_id, ctx.worker_id),
            ),
        ),
    )


def _not_own_echo(ctx: DeviceContext, through: int) -> ColumnElement[bool]:
    """Not a change this device sent itself and the server took as is (up to ``through``,
    the last such answer the device recorded): it holds the same already. Only the logged
    change itself (same change id) is left out; what the server derived from it (conflict
    rows, notices, re-sent consents) has ids of its own and still goes. A device restored
    from a backup holds an older ``through`` and so gets back what the backup missed."""
    own = (
        select(AppliedOp.change_id)
        .where(
            AppliedOp.change_id == ChangeLog.change_id,
            AppliedOp.device_id == ctx.device_id,
            AppliedOp.status == ChangeStatus.APPLIED.value,
        )
        .exists()
    )
    return not_(and_(ChangeLog.server_seq <= through, own))


# -- pull and verify ------------------------------------------------------------------------
def pull(db: Database, ctx: DeviceContext, req: PullRequest) -> PullResponse:
    with db.reading(snapshot=True) as s:
        meta = _meta(s)
        head = meta.seq  # every change numbered up to here has committed
        if req.cursor > head:
            raise CursorAhead()
        visible = [ChangeLog.server_seq > req.cursor, ChangeLog.server_seq <= head]
        if req.own_through:
            visible.append(_not_own_echo(ctx, min(req.own_through, head)))
        rows = list(
            s.scalars(
                select(ChangeLog)
                .where(*visible, _log_visible(ctx))
                .order_by(ChangeLog.server_seq)
                .limit(req.limit + 1)
            )
        )
        has_more = len(rows) > req.limit
        rows = rows[: req.limit]
        keyring = keyring_of(s)
        keyring.preload(s, (r.participant_id for r in rows))
        changes = [
            ServerChange.model_validate(opened)
            for opened in (keyring.open(s, r.payload) for r in rows)
            if opened is not None  # a shredded participant's entry (gone in the same commit)
        ]
        # with nothing more for this device up to head, skip past others' rows in one go
        next_cursor = rows[-1].server_seq if has_more else head
        _, version = programme_settings(s, ctx.team_id)
        return PullResponse(
            changes=changes,
            next_cursor=next_cursor,
            has_more=has_more,
            data_epoch=meta.data_epoch,
            settings_version=version,
        )


def verify(db: Database, ctx: DeviceContext) -> VerifyResponse:
    # digests kept per visibility scope by every writing transaction (server.digests):
    # the same answer as hashing every visible record, at a cost independent of their number
    with db.reading(snapshot=True) as s:
        meta = _meta(s)
        return VerifyResponse(
            cursor_head=meta.seq,
            data_epoch=meta.data_epoch,
            tables=visible_digests(s, ctx.team_id, ctx.worker_id),
        )


# -- push -----------------------------------------------------------------------------------
def push(db: Database, ctx: DeviceContext, req: PushRequest) -> PushResponse:
    """Apply a batch exactly once; the same batch_key always gets the same answer."""
    with db.writing() as s:
        counter = Counter(s)  # locked first: serialises writers, orders server_seq
        done = s.get(Batch, req.batch_key)
        if done is not None:
            if done.device_id != ctx.device_id:
                raise ServerProblem("This batch key was already used by another device.", 409)
            answer = PushResponse.model_validate(_opened_response(s, done.response))
            return answer.model_copy(update={"replayed": True})
        batch = _BatchApplier(s, ctx, counter, req.batch_key)
        batch.prefetch(req.changes)
        answers: dict[int, ChangeResult] = {}
        for i in batch.apply_order(req.changes):
            answers[i] = batch.apply(req.changes[i])
        results = [answers[i] for i in range(len(req.changes))]
        results = batch.scrub_erased(req.changes, results)
        counter.save()
        response = PushResponse(batch_key=req.batch_key, results=results)
        s.add(
            Batch(
                batch_key=req.batch_key,
                device_id=ctx.device_id,
                response=batch.sealed_response(req.changes, response),
                at_ms=batch.now,
            )
        )
    if batch.shredded:
        db.truncate_wal()  # outside the transaction: nothing of the erased stays in the WAL
    return response


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


def latest_team_consent(s: Session, participant_id: str) -> bool | None:
    """What the latest team-sharing consent the server holds says (None: none held)."""
    return _latest_of(
        s.scalars(
            select(Record).where(
                Record.table_name == registry.CONSENT_TABLE,
                Record.participant_id == participant_id,
                Record.deleted == false(),
            )
        )
    )


def _latest_of(consents: Iterable[Record]) -> bool | None:
    """What the latest team-sharing consent among ``consents`` (not deleted) says: the
    registry's decision, the one the device makes too."""
    return registry.team_consent_decision(
        (rec.fields.get("version"), rec.hlc, rec.fields.get("given"))
        for rec in consents
        if rec.fields.get("scope") == registry.TEAM_SCOPE
    )


def _rank(rec: Record) -> tuple[int, str]:
    """Which of a participant's consent records is the later (registry.consent_rank)."""
    return registry.consent_rank(rec.fields.get("version"), rec.hlc)


def _kept_owner(s: Session, participant_id: str, team_id: str) -> str | None:
    """Whose case a participant is when only their kept consent records remain.

    Within the team, and not from receipts: another team's receipt for the same id (an
    erasure of an id that team never held) says nothing about this team's case.
    """
    return s.scalars(
        select(Record.owner)
        .where(
            Record.participant_id == participant_id,
            Record.team_id == team_id,
            Record.table_name != RECEIPT_TABLE,
        )
        .limit(1)
    ).first()


def _held_elsewhere(s: Session, participant_id: str, team_id: str) -> bool:
    """Whether another team holds rows of this participant (receipts aside)."""
    return (
        s.scalars(
            select(Record.team_id)
            .where(
                Record.participant_id == participant_id,
                Record.team_id != team_id,
                Record.table_name != RECEIPT_TABLE,
            )
            .limit(1)
        ).first()
        is not None
    )


def owner_access(s: Session, participant_id: str) -> ParticipantAccess | None:
    return s.scalars(
        select(ParticipantAccess).where(
            ParticipantAccess.participant_id == participant_id,
            ParticipantAccess.mode == OWNER,
        )
    ).first()


def log_change(
    s: Session,
    counter: Counter,
    change: Change,
    team_id: str,
    *,
    extra_worker: str | None = None,
    clear: bool = False,
) -> int:
    """Number ``change`` and append it to the change log devices pull.

    A participant's content is sealed under their key (``clear``: a notice kept on purpose
    after the key is destroyed, such as a withdrawal's consent decision).
    """
    seq = counter.next()
    payload: dict[str, Any] = ServerChange(**change.model_dump(), server_seq=seq).model_dump(
        mode="json"
    )
    pid = change.participant_id
    if (
        pid is not None
        and not clear
        and change.op is not Op.ERASE
        and routes_content(change.table, pid)
    ):
        payload = keyring_of(s).seal(s, pid, team_id, payload)
    s.add(
        ChangeLog(
            server_seq=seq,
            change_id=change.change_id,
            table_name=change.table,
            row_id=change.row_id,
            team_id=team_id,
            owner=change.owner,
            participant_id=change.participant_id,
            extra_worker=extra_worker,
            payload=payload,
            created_ms=now_ms(),
        )
    )
    return seq


def record_as_change(rec: Record, change_id: str) -> Change:
    """A stored row as one change carrying every field at its own clock (a snapshot)."""
    fields = dict(rec.fields)
    deleted = bool(fields.pop(DELETED, False))
    field_hlc = {k: v for k, v in rec.field_hlc.items() if k in fields and v != rec.hlc}
    return Change(
        change_id=change_id,
        table=rec.table_name,
        row_id=rec.row_id,
        op=Op.DELETE if deleted else Op.UPSERT,
        hlc=rec.hlc,
        origin=rec.origin,
        owner=rec.owner,
        participant_id=rec.participant_id,
        sharing=Sharing.TEAM.value,
        participant_shared=True if rec.participant_id and rec.table_name != RECEIPT_TABLE else None,
        fields={} if deleted else fields,
        field_hlc=field_hlc,
    )


class _BatchApplier:
    """Applies the changes of one batch inside one writing transaction."""

    def __init__(self, s: Session, ctx: DeviceContext, counter: Counter, batch_key: str) -> None:
        self.s = s
        self.ctx = ctx
        self.counter = counter
        self.batch_key = batch_key
        self.now = now_ms()
        self.seen: dict[str, ChangeResult] = {}
        self.erased: set[str] = set()
        self.shredded = False  # a participant key was destroyed: empty SQLite's WAL after
        self.device_workers: dict[str, str | None] = {}
        # per-batch look-ups, loaded for the whole batch by prefetch() and kept current as
        # the batch writes; a key missing from a cache falls back to a query
        self.absent_ops: set[str] = set()
        self.absent_workers: set[str] = set()
        self.absent_records: set[tuple[str, str]] = set()
        self.created: dict[tuple[str, str], Record] = {}
        self.access: dict[str, ParticipantAccess | None] = {}  # pid -> owner access row
        self.no_erasure: set[str] = set()
        self.kept_owner: dict[str, str | None] = {}
        self.consents: dict[str, list[Record]] = {}  # pid -> every consent record held
        # the session's identity map holds unchanged rows weakly: keep the loaded ones
        self.held: list[object] = []

    # - the batch's look-ups in a few queries -
    def prefetch(self, changes: list[Change]) -> None:
        """Load what the batch's changes will look up, a query per kind (not per change).

        Rows land in the session's identity map, so ``Session.get`` answers from memory;
        what is not there is remembered as absent until the batch itself writes it.
        """
        s = self.s
        if not changes:
            return
        ids = {ch.change_id for ch in changes}
        ops = list(s.scalars(select(AppliedOp).where(AppliedOp.change_id.in_(ids))))
        self.absent_ops = ids - {op.change_id for op in ops}
        self.held.extend(ops)
        owners = {ch.owner for ch in changes}
        workers = list(s.scalars(select(Worker).where(Worker.id.in_(owners))))
        self.absent_workers = owners - {w.id for w in workers}
        self.held.extend(workers)
        by_table: dict[str, set[str]] = {}
        for ch in changes:
            by_table.setdefault(ch.table, set()).add(ch.row_id)
        for table, rows in by_table.items():
            recs = list(
                s.scalars(select(Record).where(Record.table_name == table, Record.row_id.in_(rows)))
            )
            self.absent_records |= {(table, r) for r in rows - {rec.row_id for rec in recs}}
            self.held.extend(recs)
        pids: set[str] = set()
        for ch in changes:
            if ch.participant_id is not None:
                pids.add(ch.participant_id)
            if ch.op is Op.ERASE:
                pids.add(ch.row_id)
        if not pids:
            return
        keyring_of(s).preload(s, pids)
        self.access = dict.fromkeys(pids)
        for acc in s.scalars(
            select(ParticipantAccess).where(
                ParticipantAccess.participant_id.in_(pids), ParticipantAccess.mode == OWNER
            )
        ):
            if self.access[acc.participant_id] is None:  # the first, as owner_access()
                self.access[acc.participant_id] = acc
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
        for rec in s.scalars(
            select(Record).where(
                Record.participant_id.in_(pids),
                Record.table_name.concat("") == registry.CONSENT_TABLE,
            )
        ):
            self.consents[str(rec.participant_id)].append(rec)
        unowned = [pid for pid, acc in self.access.items() if acc is None]
        if unowned:
            self.kept_owner = dict.fromkeys(unowned)
            for pid, owner in s.execute(
                select(Record.participant_id, func.min(Record.owner))
                .where(
                    Record.participant_id.in_(unowned),
                    Record.team_id == self.ctx.team_id,
                    Record.table_name != RECEIPT_TABLE,
                )
                .group_by(Record.participant_id)
            ):
                self.kept_owner[str(pid)] = owner

    def _forget(self, pid: str) -> None:
        """Erasure or withdrawal rewrote this participant's rows: look them up afresh."""
        self.access.pop(pid, None)
        self.no_erasure.discard(pid)
        self.kept_owner.pop(pid, None)
        self.consents.pop(pid, None)
        self.created.clear()

    def _applied(self, change_id: str) -> AppliedOp | None:
        if change_id in self.absent_ops:
            return None
        return self.s.get(AppliedOp, change_id)

    def _worker(self, worker_id: str) -> Worker | None:
        if worker_id in self.absent_workers:
            return None
        return self.s.get(Worker, worker_id)

    def _record(self, table: str, row_id: str) -> Record | None:
        key = (table, row_id)
        if key in self.created:
            return self.created[key]
        if key in self.absent_records:
            return None
        return self.s.get(Record, key)

    def _owner_access(self, pid: str) -> ParticipantAccess | None:
        if pid in self.access:
            return self.access[pid]
        return owner_access(self.s, pid)

    def _erased(self, pid: str) -> bool:
        if pid in self.no_erasure:
            return False
        return self.s.get(Erasure, (pid, self.ctx.team_id)) is not None

    def _kept(self, pid: str) -> str | None:
        if pid in self.kept_owner:
            return self.kept_owner[pid]
        return _kept_owner(self.s, pid, self.ctx.team_id)

    def _latest_team_consent(self, pid: str) -> bool | None:
        held = self.consents.get(pid)
        if held is None:
            return latest_team_consent(self.s, pid)
        return _latest_of(rec for rec in held if not rec.deleted)

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
    def apply(self, change: Change) -> ChangeResult:
        if change.change_id in self.seen:
            return self.seen[change.change_id]
        prior = self._applied(change.change_id)
        if prior is not None and prior.status != ChangeStatus.REJECTED:
            # never applied twice
            result = ChangeResult.model_validate(_opened_result(self.s, prior.result))
        else:
            refusal = self._check(change)
            if refusal is not None:
                result = self._refuse(change, refusal)
            elif change.op is Op.ERASE:
                result = self._erase(change)
            else:
                result = self._merge(change)
            self._remember(change, result, prior)
        self.seen[change.change_id] = result
        return result

    def _sealed_result(self, change: Change, result: ChangeResult) -> dict[str, Any]:
        """An answer as stored: the server's values in it sealed under the participant's key."""
        data = result.model_dump(mode="json")
        pid = change.participant_id or (
            change.row_id if change.table == PARTICIPANT_TABLE else None
        )
        values = data.get("server_values")
        if values is None or pid is None or pid in self.erased:
            return data
        if routes_content(change.table, pid):
            ring = keyring_of(self.s)
            data["server_values"] = ring.seal(self.s, pid, self.ctx.team_id, values)
        return data

    def sealed_response(self, changes: list[Change], response: PushResponse) -> dict[str, Any]:
        data = response.model_dump(mode="json")
        data["results"] = [
            self._sealed_result(ch, res) for ch, res in zip(changes, response.results, strict=True)
        ]
        return data

    def _remember(self, change: Change, result: ChangeResult, prior: AppliedOp | None) -> None:
        data = self._sealed_result(change, result)
        if prior is not None:  # a change refused before, tried again in a new batch
            prior.batch_key, prior.status, prior.result = self.batch_key, result.status, data
            prior.at_ms = self.now
            return
        self.s.add(
            AppliedOp(
                change_id=change.change_id,
                batch_key=self.batch_key,
                device_id=self.ctx.device_id,
                participant_id=change.participant_id
                or (change.row_id if change.table == PARTICIPANT_TABLE else None),
                status=result.status,
                result=data,
                at_ms=self.now,
            )
        )

    def _refuse(self, change: Change, refusal: Refusal) -> ChangeResult:
        # ids and a code only: the content of a refused change is never kept or logged
        self.s.add(
            RefusalLog(
                at_ms=self.now,
                device_id=self.ctx.device_id,
                change_id=change.change_id,
                table_name=change.table[:32],
                reason=refusal.value,
            )
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

    def _check_participant(self, ch: Change, existing: Record | None) -> Refusal | None:
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
            if access is None and _held_elsewhere(self.s, pid, ctx.team_id):
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
    def _merge(self, ch: Change) -> ChangeResult:
        s, ctx = self.s, self.ctx
        pid = ch.participant_id
        had_access = pid is not None and self._owner_access(pid) is not None
        team_consent = pid is not None and self._is_team_consent(ch)
        shared_before = self._latest_team_consent(pid) if pid is not None and team_consent else None
        if pid is not None and not had_access:
            # first sight of this participant: the pushing worker's case
            access = ParticipantAccess(
                participant_id=pid,
                worker_id=ctx.worker_id,
                team_id=ctx.team_id,
                mode=OWNER,
                since_ms=self.now,
            )
            s.add(access)
            s.flush()
            if pid in self.access:
                self.access[pid] = access
        rec = self._record(ch.table, ch.row_id)
        merged = merge_fields(rec.fields if rec else None, rec.field_hlc if rec else None, ch)
        seq: int | None = None
        if merged.changed:
            if rec is None:
                rec = Record(
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
                s.add(rec)
                self.created[(ch.table, ch.row_id)] = rec
                self.absent_records.discard((ch.table, ch.row_id))
                if ch.table == registry.CONSENT_TABLE and pid is not None and pid in self.consents:
                    self.consents[pid].append(rec)
            seq = self._write(rec, ch, merged)
        for lost in merged.superseded:
            s.add(
                SupersededValue(
                    table_name=ch.table,
                    row_id=ch.row_id,
                    participant_id=pid,
                    field=lost.field,
                    value=(
                        keyring_of(s).seal(s, pid, ctx.team_id, lost.value)
                        if pid is not None and routes_content(ch.table, pid)
                        else lost.value
                    ),
                    hlc=lost.hlc,
                    origin=ch.origin if lost.incoming else (rec.origin if rec else ""),
                    at_ms=self.now,
                )
            )
        conflict_ids = [self._keep_conflict(ch, rec, c) for c in merged.conflicts]
        if pid is not None and team_consent:
            s.flush()
            shared_now = self._latest_team_consent(pid)
            if shared_now is False:
                self._withdraw(pid, notify=had_access)
            elif shared_now is True and shared_before is False:
                self._resend_kept(pid, ch.row_id)
        return self._result(ch, merged, seq, rec, conflict_ids)

    def _resend_kept(self, pid: str, given_id: str) -> None:
        """Team sharing given again after a withdrawal: hand on the consent records kept.

        The withdrawal took them out of the change log, and the worker's other devices
        purged them, so they would hold only the new record and differ from the server's
        history. Each kept record goes out again whole, after the new one: a device takes
        the old withdrawal as history, not as a withdrawal, once it holds the later consent.
        """
        kept = self.s.scalars(
            select(Record).where(
                Record.table_name == registry.CONSENT_TABLE,
                Record.participant_id == pid,
                Record.row_id != given_id,
            )
        )
        again = sorted(kept, key=_rank)
        for rec in again:
            change = record_as_change(rec, uuid7())
            rec.server_seq = log_change(self.s, self.counter, change, self.ctx.team_id)
        log.info(
            "team sharing given again for participant %s: %d consent records re-sent",
            pid,
            len(again),
        )

    # - withdrawal of team sharing -
    def _withdraw(self, pid: str, *, notify: bool) -> None:
        """Team sharing withdrawn (or never given): the participant is private to the device.

        The server keeps only the participant's team consent records, without their note:
        they decide what it accepts next and whose case it is. Every other row, the change
        log and stored answers about them go, and no device sees them any more (no access
        rows; the verify digests follow, as for erasure). Each worker who could see the case
        is sent the withdrawing consent so their devices purge their copies too.
        """
        s = self.s
        self._forget(pid)
        workers = sorted(
            set(
                s.scalars(
                    select(ParticipantAccess.worker_id).where(
                        ParticipantAccess.participant_id == pid
                    )
                )
            )
        )
        kept: list[Record] = []
        for rec in s.scalars(select(Record).where(Record.participant_id == pid)):
            if (
                rec.table_name == registry.CONSENT_TABLE
                and rec.fields.get("scope") == registry.TEAM_SCOPE
            ):
                if "note" in rec.fields:
                    rec.fields = {k: v for k, v in rec.fields.items() if k != "note"}
                    rec.field_hlc = {k: v for k, v in rec.field_hlc.items() if k != "note"}
                keep_clear(rec)  # the decision outlives the key destroyed below
                kept.append(rec)
            elif rec.table_name != RECEIPT_TABLE:
                s.delete(rec)
        s.execute(
            delete(Record).where(Record.table_name == PARTICIPANT_TABLE, Record.row_id == pid)
        )
        # pulled history carries content too; handover notices and receipts carry only ids
        s.execute(
            delete(ChangeLog).where(
                ChangeLog.participant_id == pid,
                ChangeLog.table_name.not_in((RECEIPT_TABLE, HANDOVER_TABLE)),
            )
        )
        s.execute(delete(SupersededValue).where(SupersededValue.participant_id == pid))
        s.execute(delete(ParticipantAccess).where(ParticipantAccess.participant_id == pid))
        self._scrub_answers(pid)
        s.flush()
        keyring_of(s).destroy(s, pid, self.ctx.team_id)  # every sealed copy is unreadable
        self.shredded = True
        if not (notify and workers and kept):
            return
        latest = max(kept, key=_rank)
        notice = record_as_change(latest, uuid7()).model_copy(update={"participant_shared": False})
        for worker in workers:
            log_change(s, self.counter, notice, self.ctx.team_id, extra_worker=worker, clear=True)
        log.info("team sharing withdrawn for participant %s: server copy dropped", pid)

    def _write(self, rec: Record, ch: Change, merged: MergeResult) -> int:
        fields = {**rec.fields, **merged.fields}
        field_hlc = {**rec.field_hlc, **merged.field_hlc}
        rec.fields, rec.field_hlc = fields, field_hlc  # new dicts: JSON columns see the change
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
        seq = log_change(self.s, self.counter, out, self.ctx.team_id)
        rec.server_seq = seq
        return seq

    def _keep_conflict(self, ch: Change, rec: Record | None, c: Any) -> str:
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
        seq = log_change(
            self.s,
            self.counter,
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
            ),
            self.ctx.team_id,
        )
        self.s.add(
            Record(
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
                server_seq=seq,
            )
        )
        return conflict_id

    def _result(
        self,
        ch: Change,
        merged: MergeResult,
        seq: int | None,
        rec: Record | None,
        conflict_ids: list[str],
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
                server_seq=seq,
            )
        lost = [x for x in merged.superseded if x.incoming]
        if lost and rec is not None:
            return ChangeResult(
                change_id=ch.change_id,
                status=ChangeStatus.MERGED,
                reason="A later change made elsewhere was kept for some details.",
                server_values={x.field: rec.fields.get(x.field) for x in lost},
                server_field_hlc={x.field: rec.field_hlc.get(x.field, "") for x in lost},
                server_seq=seq,
            )
        return ChangeResult(change_id=ch.change_id, status=merged.status, server_seq=seq)

    # - erasure -
    def _erase(self, ch: Change) -> ChangeResult:
        s, ctx = self.s, self.ctx
        pid = ch.row_id
        if self._erased(pid):
            return ChangeResult(change_id=ch.change_id, status=ChangeStatus.APPLIED)
        s.flush()
        access = self._owner_access(pid)
        self._forget(pid)
        linked = and_(
            Record.participant_id == pid,
            Record.table_name != RECEIPT_TABLE,
            Record.team_id == ctx.team_id,
        )
        removed = s.scalar(select(func.count()).select_from(Record).where(linked)) or 0
        s.execute(delete(Record).where(linked))
        s.execute(
            delete(Record).where(
                Record.table_name == PARTICIPANT_TABLE,
                Record.row_id == pid,
                Record.team_id == ctx.team_id,
            )
        )
        # pulled history carries content too; handover notices and receipts carry only ids
        s.execute(
            delete(ChangeLog).where(
                ChangeLog.participant_id == pid,
                ChangeLog.team_id == ctx.team_id,
                ChangeLog.table_name.not_in((RECEIPT_TABLE, HANDOVER_TABLE)),
            )
        )
        s.execute(delete(SupersededValue).where(SupersededValue.participant_id == pid))
        self._scrub_answers(pid)
        keyring_of(s).destroy(s, pid, ctx.team_id)  # every sealed copy is unreadable
        self.shredded = True
        s.add(
            Erasure(
                participant_id=pid,
                team_id=ctx.team_id,
                device_id=ctx.device_id,
                change_id=ch.change_id,
                at_ms=self.now,
                rows_removed=removed,
            )
        )
        self.erased.add(pid)
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
        seq = log_change(s, self.counter, out, ctx.team_id)
        log.info("erased participant record %s: %d rows removed", pid, removed)
        return ChangeResult(change_id=ch.change_id, status=ChangeStatus.APPLIED, server_seq=seq)

    def _scrub_answers(self, pid: str) -> None:
        """Drop server values of an erased participant from stored push answers."""
        s = self.s
        ops = list(s.scalars(select(AppliedOp).where(AppliedOp.participant_id == pid)))
        by_batch: dict[str, set[str]] = {}
        for op in ops:
            if op.result.get("server_values") is not None:
                op.result = {**op.result, "server_values": None, "server_field_hlc": None}
                by_batch.setdefault(op.batch_key, set()).add(op.change_id)
        for key, ids in by_batch.items():
            batch = s.get(Batch, key)
            if batch is None:
                continue
            results = [
                {**r, "server_values": None, "server_field_hlc": None}
                if r.get("change_id") in ids
                else r
                for r in batch.response.get("results", [])
            ]
            batch.response = {**batch.response, "results": results}

    def scrub_erased(
        self, changes: list[Change], results: list[ChangeResult]
    ) -> list[ChangeResult]:
        """Answers in this batch about a participant it erased carry no values."""
        if not self.erased:
            return results
        out = []
        for ch, res in zip(changes, results, strict=True):
            pid = ch.participant_id or (ch.row_id if ch.table == PARTICIPANT_TABLE else None)
            if pid in self.erased and res.server_values is not None:
                res = res.model_copy(update={"server_values": None, "server_field_hlc": None})
                op = self.s.get(AppliedOp, ch.change_id)
                if op is not None:
                    op.result = res.model_dump(mode="json")
            out.append(res)
        return out
