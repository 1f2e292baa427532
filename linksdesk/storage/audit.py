"""Hash-chained audit log: ids and actions only, so tampering with history shows."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.storage.tables import AuditEvent

GENESIS = "0" * 64


def _digest(prev: str, at: dt.datetime, actor: str, action: str, entity: str, eid: str) -> str:
    material = "\x1f".join((prev, at.isoformat(), actor, action, entity, eid))
    return hashlib.sha256(material.encode()).hexdigest()


def append(
    session: Session, actor: str, action: str, entity: str, entity_id: str | None = None
) -> AuditEvent:
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
    prev = last or GENESIS
    # microseconds dropped: the chain must survive the round trip through SQLite text
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        prev_hash=prev,
        hash=_digest(prev, at, actor, action, entity, entity_id or ""),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None  # seq of the first event that does not fit the chain

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> ChainReport:
    prev = GENESIS
    count = 0
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(1000):
        count += 1
        expected = _digest(prev, ev.at, ev.actor, ev.action, ev.entity, ev.entity_id or "")
        if ev.prev_hash != prev or ev.hash != expected:
            return ChainReport(count, ev.seq)
        prev = ev.hash
    return ChainReport(count, None)
