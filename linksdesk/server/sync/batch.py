"""A push batch in memory: its rows, what it looked up, and its bulk write.

The applier (:mod:`.push`) reads through these look-ups, which load what a batch needs in a
few queries and keep it current as the batch applies (the one copy of each record), and
queues what it writes; :meth:`BatchState.write` writes it with one statement per table,
taking the ``server_seq`` counter only for the numbering and the writing.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from linksdesk.core import registry, validate
from linksdesk.server import digests
from linksdesk.server.bulk import BulkInsert
from linksdesk.server.db import Counter, now_ms
from linksdesk.server.digests import DigestNotes
from linksdesk.server.models import (
    AppliedOp,
    ChangeLog,
    Erasure,
    ParticipantAccess,
    Record,
    RefusalLog,
    SupersededValue,
    Worker,
)
from linksdesk.server.sealing import is_sealed, keyring_of, routes_content
from linksdesk.server.sync.changelog import log_entry
from linksdesk.server.sync.consent import held_elsewhere, kept_owner, latest_of
from linksdesk.server.sync.context import OWNER, DeviceContext
from linksdesk.sync.merge import DELETED
from linksdesk.sync.protocol import PARTICIPANT_TABLE, RECEIPT_TABLE, Change, ChangeResult, Op

_RECORD = cast(Table, Record.__table__)
_LOG = cast(Table, ChangeLog.__table__)
_INSERT_RECORDS = BulkInsert(_RECORD)
_INSERT_LOG = BulkInsert(_LOG)
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

    def final(self) -> ChangeResult:
        if self.entry is None:
            return self.result
        return self.result.model_copy(update={"server_seq": self.entry.seq})


@cache
def _sendable(table: str) -> frozenset[str]:
    """The field names a change of ``table`` may carry: its shared columns, the tombstone."""
    return frozenset(validate.COLUMNS.get(table, {})) | {DELETED}


def pid_of(change: Change) -> str | None:
    return change.participant_id or (change.row_id if change.table == PARTICIPANT_TABLE else None)


class BatchState:
    """One batch's look-ups and what it will write (the applier in :mod:`.push` adds the rules)."""

    def __init__(self, s: Session, ctx: DeviceContext, batch_key: str) -> None:
        self.s = s
        self.ctx = ctx
        self.batch_key = batch_key
        self.now = now_ms()
        self.counter: Counter | None = None  # taken when the batch is written
        self.notes = DigestNotes()
        digests.noted_here(s)  # this batch notes what it writes (saved by finish())
        self.seen: dict[str, Answer] = {}
        self.erased: set[str] = set()
        self.erasing: set[str] = set()  # participants the batch's erase commands name
        self.gone: set[str] = set()  # erased or withdrawn: no key to seal answers under
        self.shredded = False  # a participant key was destroyed: empty SQLite's WAL after
        self.device_workers: dict[str, str | None] = {}
        # what the batch looked up, loaded by prefetch() and kept current as it applies;
        # a key missing from a cache falls back to a query
        self.rows: dict[tuple[str, str], Row] = {}
        self.absent_records: set[tuple[str, str]] = set()
        self.access: dict[str, Access | None] = {}  # pid -> owner access
        self.consents: dict[str, list[Row]] = {}  # pid -> every consent record held
        # pid -> what its latest team consent says, until one of its consent records changes
        self.shared: dict[str, bool | None] = {}
        self.no_erasure: set[str] = set()
        self.kept_owner: dict[str, str | None] = {}
        self.elsewhere: dict[str, bool] = {}  # pid without owner -> another team holds rows
        self.absent_ops: set[str] = set()
        self.ops: dict[str, AppliedOp] = {}
        self.workers: dict[str, Worker | None] = {}
        # each row's fields the batch brings in changes whose values all fit: a laptop's
        # repair sends a row as one change per field clock, whole only together
        self.brought: dict[tuple[str, str], set[str]] = {}
        self.fitting: set[str] = set()  # ids of those changes (their values are checked)
        # (table, row) -> its writes the change log holds, looked up for a repair's copy
        self.logged: dict[tuple[str, str], set[tuple[str, str]]] = {}
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
        self.erasing = {ch.row_id for ch in changes if ch.op is Op.ERASE}
        self.ops = {
            op.change_id: op
            for op in s.scalars(select(AppliedOp).where(AppliedOp.change_id.in_(ids)))
        }
        self.absent_ops = ids - set(self.ops)
        owners = {ch.owner for ch in changes}
        self.workers = dict.fromkeys(owners)
        for w in s.scalars(select(Worker).where(Worker.id.in_(owners))):
            self.workers[w.id] = w
        pids = {p for p in (pid_of(ch) for ch in changes) if p is not None}
        if pids:
            keyring_of(s).preload(s, pids)
        once = {i for i, n in collections.Counter(ch.change_id for ch in changes).items() if n == 1}
        for ch in changes:
            if (
                ch.change_id in once  # a change id given twice is answered once, as first
                and ch.op is Op.UPSERT
                and ch.fields.keys() <= _sendable(ch.table)
                and not validate.problems(ch.table, ch.fields)
            ):
                self.fitting.add(ch.change_id)
                self.brought.setdefault((ch.table, ch.row_id), set()).update(ch.fields)
        by_table: dict[str, set[str]] = {}
        for ch in changes:
            by_table.setdefault(ch.table, set()).add(ch.row_id)
            # and the rows it points at (the rules check each parent is held)
            for table, row_id in validate.references(ch.table, ch.fields).values():
                by_table.setdefault(table, set()).add(row_id)
        for table, row_ids in by_table.items():
            found = self.load(and_(Record.table_name == table, Record.row_id.in_(row_ids)))
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
        for row in self.load(
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
            self.elsewhere = dict.fromkeys(unowned, False)
            for other_pid in s.scalars(
                select(Record.participant_id)
                .where(
                    Record.participant_id.in_(unowned),
                    Record.team_id != self.ctx.team_id,
                    Record.table_name != RECEIPT_TABLE,
                )
                .distinct()
            ):
                self.elsewhere[str(other_pid)] = True

    def load(self, where: Any) -> list[Row]:
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

    def forget(self) -> None:
        """A purge rewrote rows behind the caches (with nothing pending): look up afresh."""
        self.rows.clear()
        self.absent_records.clear()
        self.access.clear()
        self.consents.clear()
        self.shared.clear()
        self.no_erasure.clear()
        self.kept_owner.clear()
        self.elsewhere.clear()

    def applied(self, change_id: str) -> AppliedOp | None:
        if change_id in self.ops:
            return self.ops[change_id]
        if change_id in self.absent_ops:
            return None
        return self.s.get(AppliedOp, change_id)

    def worker(self, worker_id: str) -> Worker | None:
        if worker_id in self.workers:
            return self.workers[worker_id]
        return self.s.get(Worker, worker_id)

    def record(self, table: str, row_id: str) -> Row | None:
        key = (table, row_id)
        if key in self.rows:
            return self.rows[key]
        if key in self.absent_records:
            return None
        found = self.load(and_(Record.table_name == table, Record.row_id == row_id))
        if not found:
            self.absent_records.add(key)
        return found[0] if found else None

    def owner_access(self, pid: str) -> Access | None:
        if pid not in self.access:
            row = self.s.execute(
                select(ParticipantAccess.worker_id, ParticipantAccess.team_id)
                .where(ParticipantAccess.participant_id == pid, ParticipantAccess.mode == OWNER)
                .limit(1)
            ).first()
            self.access[pid] = Access(pid, row[0], row[1]) if row is not None else None
        return self.access[pid]

    def is_erased(self, pid: str) -> bool:
        if pid in self.no_erasure:
            return False
        return self.s.get(Erasure, (pid, self.ctx.team_id)) is not None

    def kept_owner_of(self, pid: str) -> str | None:
        if pid in self.kept_owner:
            return self.kept_owner[pid]
        return kept_owner(self.s, pid, self.ctx.team_id)

    def held_by_other_team(self, pid: str) -> bool:
        """Whether another team holds rows of ``pid`` (receipts aside)."""
        if pid not in self.elsewhere:
            self.elsewhere[pid] = held_elsewhere(self.s, pid, self.ctx.team_id)
        return self.elsewhere[pid]

    def consents_of(self, pid: str) -> list[Row]:
        """Every consent record of ``pid`` this batch knows, written or not."""
        held = self.consents.get(pid)
        if held is None:
            held = self.load(
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
            self.shared.pop(pid, None)
        return held

    def latest_team_consent(self, pid: str) -> bool | None:
        if pid not in self.shared:
            self.shared[pid] = latest_of(row for row in self.consents_of(pid) if not row.deleted)
        return self.shared[pid]

    def is_team_consent(self, ch: Change) -> bool:
        if ch.table != registry.CONSENT_TABLE:
            return False
        scope = ch.fields.get("scope")
        if scope is None:
            held = self.record(ch.table, ch.row_id)
            scope = held.fields.get("scope") if held is not None else None
        return bool(scope == registry.TEAM_SCOPE)

    def add_entry(
        self, change: Change, *, extra_worker: str | None = None, clear: bool = False
    ) -> Entry:
        entry = Entry(change, extra_worker, clear)
        self.entries.append(entry)
        return entry

    # - writing -
    def write(self) -> None:
        """Write everything pending: what needs no number first, and each row sealed and
        ready; then, holding the counter, number the change log and write it and the
        records (one statement per table), so the counter is held for the writing only."""
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
        logged = [
            log_entry(
                s, e.change, self.ctx.team_id, extra_worker=e.extra_worker, clear=e.clear,
                at_ms=self.now,
            )
            for e in self.entries
        ]  # fmt: skip
        rows = [(row, self._sealed_fields(row)) for row in self.changed.values()]
        if self.counter is None:
            self.counter = Counter(s)  # from here to the commit: numbered in commit order
        for entry, values in zip(self.entries, logged, strict=True):
            entry.seq = values["server_seq"] = self.counter.next()
        _INSERT_LOG.run(s, logged)
        self.entries = []
        self._write_rows(rows)

    def _sealed_fields(self, row: Row) -> Any:
        if routes_content(row.table_name, row.participant_id):
            return keyring_of(self.s).seal(
                self.s, cast(str, row.participant_id), row.team_id, row.fields
            )
        return row.fields

    def _write_rows(self, rows: list[tuple[Row, Any]]) -> None:
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for row, fields in rows:
            if row.numbered_by is not None:
                row.server_seq = cast(int, row.numbered_by.seq)
                row.numbered_by = None
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
        _INSERT_RECORDS.run(self.s, inserts)
        if updates:
            self.s.execute(_UPDATE_RECORD, updates)
