"""Units of work on the vault: each write commits with its change-log, search and audit entries."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine, Table, insert, select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.changes import Changes, RowChange
from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import audit, search
from linksdesk.storage.engine import reader, translated_errors
from linksdesk.storage.tables import Base, Consent, Outbox, SyncColumns
from linksdesk.storage.writer import Dispatch, WriterThread, writer_of

log = logging.getLogger(__name__)

SYNC_META = registry.ENVELOPE_COLUMNS

Row = TypeVar("Row", bound=SyncColumns)
T = TypeVar("T")
# participant ids per consent look-up statement (SQLite allows 32,766 variables)
_IN_CHUNK = 500
# a team consent as the registry's decision reads it: (version, clock, given)
_Consent = tuple[int, str, bool]


class OutboxPolicy(Protocol):
    """Decides, when a change is queued, what of it may ever leave the device."""

    def outbound(self, change: RowChange) -> dict[str, Any] | None:
        """The payload to queue, or None when nothing of this change may leave."""


def data_columns(row_or_cls: Any) -> list[str]:
    table = row_or_cls.__table__
    return [c.key for c in table.columns if c.key not in SYNC_META]


_DATA_COLUMNS: dict[Table, tuple[tuple[str, ...], frozenset[str]]] = {}
_DEFAULTS: dict[Table, tuple[tuple[str, Any], ...]] = {}
_FLUSH_RANK: dict[Table, int] = {}


def _data_columns_of(table: Table) -> tuple[tuple[str, ...], frozenset[str]]:
    """``data_columns`` of a table, in order and as a set, worked out once."""
    found = _DATA_COLUMNS.get(table)
    if found is None:
        cols = tuple(c.key for c in table.columns if c.key not in SYNC_META)
        found = _DATA_COLUMNS[table] = (cols, frozenset(cols))
    return found


def _python_defaults(table: Table) -> tuple[tuple[str, Any], ...]:
    """(column, default) of each column whose default the ORM applies in Python."""
    found = _DEFAULTS.get(table)
    if found is None:
        pairs = []
        for col in table.columns:
            default: Any = col.default
            if default is not None and (default.is_scalar or default.is_callable):
                pairs.append((col.key, default))
        found = _DEFAULTS[table] = tuple(pairs)
    return found


def _flush_rank(table: Table) -> int:
    if not _FLUSH_RANK:
        # parents before children: foreign keys are checked as each statement runs
        _FLUSH_RANK.update({t: i for i, t in enumerate(Base.metadata.sorted_tables)})
    return _FLUSH_RANK[table]


_SCALARS = frozenset({str, int, float, bool, type(None)})


def json_value(value: Any) -> Any:
    """A value as the outbox stores it: dates and times as ISO 8601 text, containers walked."""
    if type(value) in _SCALARS:  # most values: checked first, every queued field passes here
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(v) for v in value]
    return value


def row_values(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


def participant_shared(session: Session, participant_id: str | None) -> bool:
    """True when the latest team-sharing consent of this participant is "given"."""
    if participant_id is None:
        return True
    return team_decision(session, participant_id) is True


def team_decision(session: Session, participant_id: str) -> bool | None:
    """What this participant's latest team-sharing consent here says: given, withdrawn
    (False), or None when none is held here (never asked, or asked on another laptop)."""
    consents = session.execute(
        select(Consent.version, Consent.hlc, Consent.given).where(
            Consent.participant_id == participant_id,
            Consent.scope == registry.TEAM_SCOPE,
            Consent.deleted.is_(False),
        )
    )
    return registry.consent_decision(consents)


def shared_participants(session: Session, among: Iterable[str] | None = None) -> set[str]:
    """Participants (all, or ``among`` these) whose latest team consent here is "given"
    (rule 2): ``participant_shared`` for many at once."""
    query = select(Consent.participant_id, Consent.version, Consent.hlc, Consent.given).where(
        Consent.scope == registry.TEAM_SCOPE, Consent.deleted.is_(False)
    )
    if among is not None:
        ids = sorted(set(among))
        if not ids:
            return set()
        query = query.where(Consent.participant_id.in_(ids))
    held: dict[str, list[_Consent]] = {}
    for pid, version, hlc, given in session.execute(query):
        held.setdefault(pid, []).append((version, hlc, given))
    return {pid for pid, consents in held.items() if registry.shared_with_team(consents)}


class WriteTx:
    """One user action's transaction: insert/update/delete stamp, index, queue and audit rows."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store = store
        self.session = session
        self.changes = Changes()
        self._shared_cache: dict[str, bool] = {}

    # -- writes ---------------------------------------------------------------------------
    def _stamp_new(self, row: Row) -> str:
        """The envelope of a new row (id, clock, device, owner, sharing); returns its clock."""
        stamp = self.store.clock.now().encode()
        if not getattr(row, "id", None):
            row.id = uuid7()
        row.hlc = stamp
        row.origin = self.store.device_id
        row.owner = row.owner or self.store.worker_id
        row.sharing = row.sharing or "team"
        row.deleted = False
        return stamp

    def insert(self, row: Row) -> Row:
        stamp = self._stamp_new(row)
        cols = data_columns(row)
        row.field_hlc = {c: stamp for c in cols}
        self.session.add(row)
        self.session.flush()
        self._after(row, "upsert", frozenset(cols), {}, AuditAction.CREATE, new=True)
        self.changes.created.append((row.__tablename__, row.id))  # type: ignore[attr-defined]
        return row

    def insert_many(
        self,
        rows: Sequence[Row],
        *,
        then: Callable[[Row], Iterable[RowChange]] | None = None,
    ) -> list[Row]:
        """Insert new rows as ``insert`` would one after another, in a handful of statements.

        Everything ``insert`` does happens here too, in the rows' order: ids, clock stamps,
        defaults, per-field clocks, outbox entries through the same policy (with the sharing
        a consent earlier in ``rows`` gives or takes away), search entries, one audit event
        per row, and the Changes summary. Only the SQL is batched: one multi-row INSERT per
        table (parents first), one each for the outbox, the audit log and the search index.

        ``then(row)`` is called after each row's own outbox entry is made; the changes it
        returns (return them, don't ``queue`` them) go through the policy right after it: a
        backfill when consent is given, say. While it runs, ``is_shared`` answers as it would
        just after that row was inserted one by one.

        Rows must be new and in an order whose parents come first, as for ``insert``. A
        revision of a note written before the batch is reindexed on its own (a few
        statements each); every other search entry is new.
        """
        batch = list(rows)
        if not batch:
            return batch
        # 1. stamp in order, as insert does (no SQL yet)
        for row in batch:
            table: Table = row.__table__  # type: ignore[attr-defined]
            stamp = self._stamp_new(row)
            row.field_hlc = dict.fromkeys(_data_columns_of(table)[0], stamp)
            # the defaults the ORM would fill in, filled in now: rows of a table then all
            # carry the same columns and go out in one executemany
            for key, default in _python_defaults(table):
                if getattr(row, key) is None:
                    setattr(row, key, default.arg if default.is_scalar else default.arg(None))
        # 2. team sharing as it stood before this batch, for everyone the batch is about
        team = self._team_consents_before(batch)
        # 3. the rows themselves: one flush per table, parents first
        groups: dict[Table, list[Row]] = {}
        for row in batch:
            groups.setdefault(row.__table__, []).append(row)  # type: ignore[attr-defined]
        for table in sorted(groups, key=_flush_rank):
            self.session.add_all(groups[table])
            self.session.flush()
        # 4. in order: sharing, outbox entries, audit events, the summary
        queued: list[dict[str, Any]] = []
        events: list[tuple[str, str, str | None]] = []
        created_at = utc_now()
        action = str(AuditAction.CREATE)
        for row in batch:
            name: str = row.__tablename__  # type: ignore[attr-defined]
            if name == "consent":
                self._fold_consent(team, row)
            participant_id = (
                row.id if name == "participant" else getattr(row, "participant_id", None)
            )
            change = RowChange(
                table=name,
                row_id=row.id,
                op="upsert",
                hlc=row.hlc,
                values=row_values(row),
                changed=_data_columns_of(row.__table__)[1],  # type: ignore[attr-defined]
                base={},
                participant_id=participant_id,
                participant_shared=self.is_shared(participant_id),
            )
            self._outbox_values(change, created_at, queued)
            if then is not None:
                for extra in then(row):
                    self._outbox_values(extra, created_at, queued)
            self.changes.entities.add(name)
            if participant_id:
                self.changes.participants.add(participant_id)
            self.changes.created.append((name, row.id))
            events.append((action, name, row.id))
        # anything ``then`` added must take its sequence numbers before the batch's entries
        self.session.flush()
        search.index_new_rows(self.session, batch)
        if queued:
            self.session.execute(insert(Outbox), queued)
        audit.append_many(self.session, self.store.actor, events)
        return batch

    def update(self, row: Row, **values: Any) -> frozenset[str]:
        """Set fields that differ; returns the names of those that changed."""
        return self._update(row, values, whole=False)

    def update_together(
        self, row: Row, values: dict[str, Any], *, always: bool = False
    ) -> frozenset[str]:
        """Set fields that make one decision (a status, its reason, its closed date): if any
        differs (or ``always``: the decision spans rows, and another row changed), all of
        them are written with one clock, so a merge with a concurrent decision on another
        device takes every one of them from the same side."""
        return self._update(row, values, whole=True, always=always)

    def _update(
        self, row: Row, values: dict[str, Any], *, whole: bool, always: bool = False
    ) -> frozenset[str]:
        cols = set(data_columns(row)) | {"sharing"}
        changed = []
        for key, value in values.items():
            if key not in cols:
                raise AttributeError(f"{type(row).__name__} has no field {key}")
            if getattr(row, key) != value:
                changed.append(key)
        if not changed and not always:
            return frozenset()
        if whole:
            changed = list(values)
        stamp = self.store.clock.now().encode()
        old_versions = dict(row.field_hlc or {})
        base = {k: old_versions.get(k, row.hlc) for k in changed}
        for key in changed:
            setattr(row, key, values[key])
        row.field_hlc = {**old_versions, **{k: stamp for k in changed}}
        row.hlc = stamp
        row.origin = self.store.device_id
        self.session.flush()
        result = frozenset(changed)
        self._after(row, "upsert", result, base, AuditAction.CHANGE)
        return result

    def delete(self, row: Row) -> None:
        """Tombstone: the row stays (deletes must sync) but leaves every list and the index."""
        if row.deleted:
            return
        stamp = self.store.clock.now().encode()
        base = {"deleted": row.hlc}
        row.deleted = True
        row.hlc = stamp
        row.origin = self.store.device_id
        row.field_hlc = {**(row.field_hlc or {}), "deleted": stamp}
        self.session.flush()
        self._after(row, "delete", frozenset({"deleted"}), base, AuditAction.DELETE)

    def audit(self, action: AuditAction | str, entity: str, entity_id: str | None = None) -> None:
        audit.append(self.session, self.store.actor, str(action), entity, entity_id)

    def queue(self, change: RowChange) -> None:
        """Queue a change through the policy (also used for erasure commands and backfills)."""
        values: list[dict[str, Any]] = []
        self._outbox_values(change, utc_now(), values)
        if values:
            self.session.add(Outbox(**values[0]))

    def _outbox_values(
        self, change: RowChange, created_at: dt.datetime, out: list[dict[str, Any]]
    ) -> None:
        """Append the outbox row of ``change`` to ``out``, if the policy lets any of it leave."""
        if self.store.policy is None:
            return
        payload = self.store.policy.outbound(change)
        if payload is None:
            return
        out.append(
            {
                "change_id": uuid7(),
                "table_name": change.table,
                "row_id": change.row_id,
                "op": change.op,
                "hlc": change.hlc,
                "payload": json_value(payload),
                "base": change.base,
                "batch_key": None,
                "created_at": created_at,
            }
        )

    def is_shared(self, participant_id: str | None) -> bool:
        if participant_id is None:
            return True
        if participant_id not in self._shared_cache:
            self._shared_cache[participant_id] = participant_shared(self.session, participant_id)
        return self._shared_cache[participant_id]

    def forget_consent_cache(self) -> None:
        self._shared_cache.clear()

    def _team_consents_before(self, batch: Sequence[Any]) -> dict[str, list[_Consent]]:
        """Team consents (version, clock, given) of each participant the batch has a team
        consent for; also caches the sharing of every participant the batch is about, as it
        stands before the batch is written."""
        consenting: set[str] = {
            r.participant_id
            for r in batch
            if r.__tablename__ == "consent" and r.scope == registry.TEAM_SCOPE
        }
        about: set[str] = set()
        for r in batch:
            pid = r.id if r.__tablename__ == "participant" else getattr(r, "participant_id", None)
            if pid is not None:
                about.add(pid)
        ask = sorted((about - self._shared_cache.keys()) | consenting)
        held: dict[str, list[_Consent]] = {}
        for i in range(0, len(ask), _IN_CHUNK):
            found = self.session.execute(
                select(Consent.participant_id, Consent.version, Consent.hlc, Consent.given).where(
                    Consent.participant_id.in_(ask[i : i + _IN_CHUNK]),
                    Consent.scope == registry.TEAM_SCOPE,
                    Consent.deleted.is_(False),
                )
            )
            for found_pid, version, hlc, given in found:
                held.setdefault(found_pid, []).append((version, hlc, given))
        for pid in ask:
            self._shared_cache[pid] = registry.shared_with_team(held.get(pid, ()))
        return held

    def _fold_consent(self, held: dict[str, list[_Consent]], row: Any) -> None:
        """A consent row of the batch, taken in order: does it now decide team sharing?"""
        if row.scope != registry.TEAM_SCOPE or row.deleted:
            return
        consents = held.setdefault(row.participant_id, [])
        consents.append((row.version, row.hlc, row.given))
        self._shared_cache[row.participant_id] = registry.shared_with_team(consents)

    # -- internals ------------------------------------------------------------------------
    def _after(
        self,
        row: Any,
        op: str,
        changed: frozenset[str],
        base: dict[str, str],
        action: AuditAction,
        *,
        new: bool = False,
    ) -> None:
        table = row.__tablename__
        if table == "consent":
            self._shared_cache.pop(row.participant_id, None)
        participant_id = row.id if table == "participant" else getattr(row, "participant_id", None)
        if table in search.INDEXED_TABLES:
            search.reindex_row(self.session, row, new=new)
        self.queue(
            RowChange(
                table=table,
                row_id=row.id,
                op=op,
                hlc=row.hlc,
                values=row_values(row),
                changed=changed,
                base=base,
                participant_id=participant_id,
                participant_shared=self.is_shared(participant_id),
            )
        )
        self.changes.entities.add(table)
        if participant_id:
            self.changes.participants.add(participant_id)
        self.audit(action, table, row.id)


def utc_now() -> dt.datetime:
    """Now, in UTC without a zone: how the vault stores the times it stamps itself."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextmanager
def _all_or_nothing(bind: Engine | Connection) -> Iterator[Session]:
    """A session whose work all commits when the block ends, or all rolls back if it raises
    (objects stay readable after the commit)."""
    with Session(bind, expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise


class Store:
    """The open vault's units of work. One per unlocked vault; sessions never cross threads."""

    def __init__(
        self,
        engine: Engine,
        *,
        device_id: str,
        worker_id: str,
        clock: HybridClock | None = None,
        policy: OutboxPolicy | None = None,
        actor: str | None = None,
        path: str = "",
    ) -> None:
        self.engine = engine
        self.device_id = device_id
        self.worker_id = worker_id
        self.clock = clock or HybridClock(device_id)
        self.policy = policy
        self.actor = actor or worker_id
        self.path = path
        self._local = threading.local()  # this thread's open snapshot, if any

    def take_device_id(self, device_id: str) -> None:
        """The vault is a device of another id from now on (a laptop of its own, see
        ``restored.take_as_copy``): rows and change stamps made from here carry it. The
        clock is the vault's own, so every store of the vault stamps with it too."""
        self.device_id = device_id
        self.clock.device = device_id

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every ``read`` on this thread inside it shares one read transaction, so what is
        read together (a record's dozen parts) is read as of one moment."""
        if getattr(self._local, "session", None) is not None:
            yield  # already inside one
            return
        with self.read() as s:
            self._local.session = s
            try:
                yield
            finally:
                self._local.session = None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session: BEGIN DEFERRED, so readers never wait for each other or take
        the write lock. Rows read stay usable after it closes (detached, not expired);
        closing returns the connection to the pool, which rolls its transaction back.
        Inside ``snapshot`` it is the snapshot's session."""
        shared: Session | None = getattr(self._local, "session", None)
        if shared is not None:
            yield shared
            return
        with (
            translated_errors(self.path),
            Session(reader(self.engine), expire_on_commit=False) as s,
        ):
            yield s

    @contextmanager
    def bookkeeping(self) -> Iterator[Session]:
        """A write transaction of the vault's own bookkeeping (sync state, the pending batch,
        history, conflicts): nothing in it is queued for the server, audited or indexed."""
        with translated_errors(self.path), _all_or_nothing(self.engine) as s:
            yield s

    @contextmanager
    def applying(self) -> Iterator[Session]:
        """A bookkeeping transaction with foreign keys off, for rows pulled from the server:
        they may name rows not here yet (a parent that stayed private on its device, or one
        arriving in a later page)."""
        with translated_errors(self.path), self.engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with _all_or_nothing(conn) as s:
                    yield s
            finally:
                raw.execute("PRAGMA foreign_keys = ON")

    @property
    def writer(self) -> WriterThread:
        """The vault's one writer thread (shared by every store of the same open vault)."""
        return writer_of(self.engine)

    def claim_writer(self, dispatch: Dispatch | None = None) -> None:
        """Make the calling thread the vault's only writer; ``dispatch`` runs work on it."""
        self.writer.claim(dispatch)

    def on_writer(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the vault's writer thread, waited for: the network thread's way to
        have a page or an answer written in one transaction without writing itself."""
        return self.writer.run(fn)

    def keep(self, fn: Callable[[Session], T]) -> T:
        """``fn(session)`` as one ``bookkeeping`` transaction on the vault's writer thread."""

        def in_tx() -> T:
            with self.bookkeeping() as s:
                return fn(s)

        return self.on_writer(in_tx)

    def keep_pulled(self, fn: Callable[[Session], T]) -> T:
        """``fn(session)`` as one ``applying`` transaction on the vault's writer thread."""

        def in_tx() -> T:
            with self.applying() as s:
                return fn(s)

        return self.on_writer(in_tx)

    @contextmanager
    def write(self) -> Iterator[WriteTx]:
        """A write transaction (BEGIN IMMEDIATE): all of it commits, or none of it."""
        with translated_errors(self.path), _all_or_nothing(self.engine) as s:
            yield WriteTx(self, s)
