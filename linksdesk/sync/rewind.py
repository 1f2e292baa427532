"""Clock stamps made while this laptop's clock ran ahead of the real time, moved back.

The server refuses a change stamped more than a few minutes ahead of its own clock. A laptop
whose clock ran hours ahead while it was offline (a flat battery, a wrong time zone) has its
clock put right before it syncs, but what it recorded meanwhile is stamped hours ahead, and
the vault's clock, which never goes back, stamps new work after it. Before such a laptop
sends anything, every stamp of its vault beyond what the server takes is moved back to just
after the newest stamp it held from before, keeping their order (none of them ever reached
the server: it refused them all), and the clock is set back to the real time.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core.hlc import HLC, HybridClock
from linksdesk.storage.tables import TABLE_BY_NAME, Outbox, SyncConflict
from linksdesk.sync.protocol import SYNCABLE_TABLES

log = logging.getLogger(__name__)


def ahead_of(clock: HybridClock, limit_ms: int) -> bool:
    """Whether the vault's clock has stamped beyond ``limit_ms`` (what the server takes)."""
    return clock.wall_ms > limit_ms


def rewind(session: Session, clock: HybridClock, limit_ms: int) -> list[tuple[str, str]]:
    """Move every stamp beyond ``limit_ms`` back to just after the newest stamp the vault
    held within it, in order; returns the rows whose stamps moved, as (table, id)."""
    limit = f"{limit_ms:015d}~"  # after every stamp of that millisecond
    tables: list[Any] = [TABLE_BY_NAME[t] for t in SYNCABLE_TABLES]
    ahead: set[str] = set()
    rows: list[Any] = []
    floor = ""
    for cls in tables:
        floor = max(floor, session.scalar(select(func.max(cls.hlc)).where(cls.hlc <= limit)) or "")
        for row in session.scalars(select(cls).where(cls.hlc > limit)):
            rows.append(row)
            ahead.add(row.hlc)
            ahead.update(v for v in (row.field_hlc or {}).values() if str(v) > limit)
    queued = list(session.scalars(select(Outbox)))
    for q in queued:
        ahead.update(v for v in [q.hlc, *(q.base or {}).values()] if str(v) > limit)
    clock.rewind(floor or None)
    if not ahead:
        return []
    moved = dict(zip(sorted(ahead), _stamps_after(clock, floor, len(ahead)), strict=True))

    def back(value: Any) -> Any:
        return moved.get(value, value) if isinstance(value, str) else value

    for row in rows:
        row.hlc = back(row.hlc)
        row.field_hlc = {k: back(v) for k, v in (row.field_hlc or {}).items()}
    for q in queued:
        q.hlc = back(q.hlc)
        q.base = {k: back(v) for k, v in (q.base or {}).items()}
    for c in session.scalars(select(SyncConflict)):
        c.local_hlc, c.remote_hlc = back(c.local_hlc), back(c.remote_hlc)
    session.flush()
    log.warning("this laptop's clock had run ahead: %d stamps moved back to now", len(moved))
    return [(row.__tablename__, row.id) for row in rows]


def _stamps_after(clock: HybridClock, floor: str, count: int) -> list[str]:
    """``count`` stamps of this device, in order, one millisecond apart from just after
    ``floor`` (the newest stamp the vault held from before its clock ran ahead: its own
    last work and the last it pulled).

    When each was really made is not known: somewhere between that stamp and now. Placed at
    now, they outranked every edit made meanwhile on the worker's other laptop with the
    right time (a phone number typed at the office after the visit was replaced by the one
    typed on the visit); placed just after ``floor`` they still outrank everything this
    laptop had seen, and an edit whose time is known stands. With no stamp from before, or
    no room before now, they go at now as before."""
    now = clock.wall_ms
    start = HLC.decode(floor).wall_ms + 1 if floor else now
    if start + count > now:
        return [clock.now().encode() for _ in range(count)]
    return [HLC(start + i, 0, clock.device).encode() for i in range(count)]
