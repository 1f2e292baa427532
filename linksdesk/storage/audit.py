"""Hash-chained audit log: ids and actions only, so tampering with history shows.

Each event's hash covers the previous event's hash, so changing or removing an event breaks
every later link. Removing the *latest* events leaves a shorter chain that is still valid,
so the chain head (event count and last hash) is also kept in ``local_setting`` and updated
in the same transaction as each event; verification checks the chain ends at that head.

The limit: all of this lives inside the vault. Someone who holds the data key (who knows the
passphrase or recovery key) can rewrite the whole chain and its head consistently. The chain
shows accidental damage and naive edits made with database tools; it is not a defence
against the vault's own key holder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linksdesk.core.item_words import counted
from linksdesk.storage.tables import AuditEvent, LocalSetting

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def _digest(prev: str, at: dt.datetime, actor: str, action: str, entity: str, eid: str) -> str:
    material = "\x1f".join((prev, at.isoformat(), actor, action, entity, eid))
    return hashlib.sha256(material.encode()).hexdigest()


def _event_digest(ev: AuditEvent) -> str:
    """The hash an event carries: over the one before it, and every field it says."""
    return _digest(ev.prev_hash, ev.at, ev.actor, ev.action, ev.entity, ev.entity_id or "")


_PENDING = "linksdesk.audit.pending_head"  # session.info: the head after this transaction
_ARMED = "linksdesk.audit.armed"


def _stored_head(session: Session) -> tuple[int, str] | None:
    value: Any = session.execute(
        select(LocalSetting.value).where(LocalSetting.key == HEAD_KEY)
    ).scalar_one_or_none()
    if not isinstance(value, dict):
        return None
    count, digest = value.get("count"), value.get("hash")
    if not isinstance(count, int) or isinstance(count, bool) or not isinstance(digest, str):
        return None
    return count, digest


def _write_head(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    count, digest = pending
    stmt = sqlite_insert(LocalSetting).values(key=HEAD_KEY, value={"count": count, "hash": digest})
    session.execute(
        stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value})
    )


def _forget_head(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING, None)


def _arm(session: Session) -> None:
    # the head is written once, just before the transaction commits: a save that records
    # several events moves it once, and a rolled-back save never moves it
    if not session.info.get(_ARMED):
        event.listen(session, "before_commit", _write_head)
        event.listen(session, "after_rollback", _forget_head)
        session.info[_ARMED] = True


def append_many(
    session: Session, actor: str, events: Sequence[tuple[str, str, str | None]]
) -> None:
    """Chain ``(action, entity, entity_id)`` events onto the log with one INSERT, in order;
    the head moves when the caller's transaction commits."""
    if not events:
        return
    head = session.info.get(_PENDING) or _stored_head(session)
    if head is None:
        # first event of a vault (or one from before the head existed): start from the chain
        last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
        count = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        head = (count, last or GENESIS)
    count, prev = head
    # microseconds dropped: the chain must survive the round trip through SQLite text
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    rows: list[dict[str, Any]] = []
    for action, entity, entity_id in events:
        digest = _digest(prev, at, actor, action, entity, entity_id or "")
        rows.append(
            {
                "at": at,
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    session.execute(insert(AuditEvent), rows)
    session.info[_PENDING] = (count + len(rows), prev)
    _arm(session)


def append(
    session: Session, actor: str, action: str, entity: str, entity_id: str | None = None
) -> None:
    """Add one event to the chain; the head moves when the caller's transaction commits."""
    append_many(session, actor, [(action, entity, entity_id)])


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None  # seq of the first event that does not fit the chain
    problem: str | None = None  # what is wrong, in plain words (ids only, never content)

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(session: Session) -> ChainReport:
    """Walk the whole chain, then check it ends where the recorded head says it does."""
    prev = GENESIS
    count = 0
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(1000):
        count += 1
        if ev.prev_hash != prev:
            return ChainReport(
                count, ev.seq, f"audit event {ev.seq} does not follow the one before it"
            )
        if ev.hash != _event_digest(ev):
            return ChainReport(count, ev.seq, f"audit event {ev.seq} was altered")
        prev = ev.hash
    head = session.info.get(_PENDING) or _stored_head(session)
    if head is None:
        if count == 0:
            return ChainReport(0, None)
        return ChainReport(count, None, "the record of the audit log's latest event is missing")
    head_count, head_hash = head
    if count < head_count:
        return ChainReport(
            count, None, f"the latest {counted('audit event', head_count - count)} removed"
        )
    if count != head_count or prev != head_hash:
        return ChainReport(count, None, "the audit log does not end at its recorded latest event")
    return ChainReport(count, None)
