"""Units of work on the vault: each write commits with its change-log, search and audit entries."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from linksdesk.core.changes import Changes, RowChange
from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import AuditAction, ConsentScope
from linksdesk.storage import audit, search
from linksdesk.storage.engine import reader, translated_errors
from linksdesk.storage.tables import Consent, Outbox, SyncColumns

log = logging.getLogger(__name__)

SYNC_META = frozenset({"id", "hlc", "origin", "deleted", "sharing", "owner", "field_hlc"})

Row = TypeVar("Row", bound=SyncColumns)


class OutboxPolicy(Protocol):
    """Decides, when a change is queued, what of it may ever leave the device."""

    def outbound(self, change: RowChange) -> dict[str, Any] | None:
        """The payload to queue, or None when nothing of this change may leave."""


def data_columns(row_or_cls: Any) -> list[str]:
    table = row_or_cls.__table__
    return [c.key for c in table.columns if c.key not in SYNC_META]


def json_value(value: Any) -> Any:
    """A value as the outbox stores it: dates and times as ISO 8601 text, containers walked."""
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
    latest = session.scalar(
        select(Consent.given)
        .where(
            Consent.participant_id == participant_id,
            Consent.scope == ConsentScope.TEAM.value,
            Consent.deleted.is_(False),
        )
        .order_by(Consent.version.desc(), Consent.hlc.desc())
        .limit(1)
    )
    return bool(latest)


class WriteTx:
    """One user action's transaction: insert/update/delete stamp, index, queue and audit rows."""

    def __init__(self, store: Store, session: Session) -> None:
        self.store = store
        self.session = session
        self.changes = Changes()
        self._shared_cache: dict[str, bool] = {}

    # -- writes ---------------------------------------------------------------------------
    def insert(self, row: Row) -> Row:
        stamp = self.store.clock.now().encode()
        if not getattr(row, "id", None):
            row.id = uuid7()
        row.hlc = stamp
        row.origin = self.store.device_id
        row.owner = row.owner or self.store.worker_id
        row.sharing = row.sharing or "team"
        row.deleted = False
        cols = data_columns(row)
        row.field_hlc = {c: stamp for c in cols}
        self.session.add(row)
        self.session.flush()
        self._after(row, "upsert", frozenset(cols), {}, AuditAction.CREATE)
        self.changes.created.append((row.__tablename__, row.id))  # type: ignore[attr-defined]
        return row

    def update(self, row: Row, **values: Any) -> frozenset[str]:
        """Set fields that differ; returns the names of those that changed."""
        cols = set(data_columns(row)) | {"sharing"}
        changed = []
        for key, value in values.items():
            if key not in cols:
                raise AttributeError(f"{type(row).__name__} has no field {key}")
            if getattr(row, key) != value:
                changed.append(key)
        if not changed:
            return frozenset()
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
        if self.store.policy is None:
            return
        payload = self.store.policy.outbound(change)
        if payload is None:
            return
        self.session.add(
            Outbox(
                change_id=uuid7(),
                table_name=change.table,
                row_id=change.row_id,
                op=change.op,
                hlc=change.hlc,
                payload=json_value(payload),
                base=change.base,
                created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
        )

    def is_shared(self, participant_id: str | None) -> bool:
        if participant_id is None:
            return True
        if participant_id not in self._shared_cache:
            self._shared_cache[participant_id] = participant_shared(self.session, participant_id)
        return self._shared_cache[participant_id]

    def forget_consent_cache(self) -> None:
        self._shared_cache.clear()

    # -- internals ------------------------------------------------------------------------
    def _after(
        self,
        row: Any,
        op: str,
        changed: frozenset[str],
        base: dict[str, str],
        action: AuditAction,
    ) -> None:
        table = row.__tablename__
        if table == "consent":
            self._shared_cache.pop(row.participant_id, None)
        participant_id = row.id if table == "participant" else getattr(row, "participant_id", None)
        if table in search.INDEXED_TABLES:
            search.reindex_row(self.session, row)
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

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session: BEGIN DEFERRED, so readers never wait for each other or take
        the write lock. Rows read stay usable after it closes (detached, not expired);
        closing returns the connection to the pool, which rolls its transaction back."""
        with (
            translated_errors(self.path),
            Session(reader(self.engine), expire_on_commit=False) as s,
        ):
            yield s

    @contextmanager
    def write(self) -> Iterator[WriteTx]:
        """A write transaction (BEGIN IMMEDIATE): all of it commits, or none of it."""
        with translated_errors(self.path), Session(self.engine, expire_on_commit=False) as s:
            tx = WriteTx(self, s)
            try:
                yield tx
                s.commit()
            except BaseException:
                s.rollback()
                raise
