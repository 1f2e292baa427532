"""Where a laptop's sync stands, for the status bar: enrolled or not, online or not, what
waits, what conflicts, what the server refused ("needs attention"), and the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from linksdesk.core.item_words import counted
from linksdesk.storage.tables import (
    Outbox,
    SyncAttention,
    SyncConflict,
    SyncHistory,
)
from linksdesk.sync import state
from linksdesk.sync.target import Target, opened


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
            parts.append(counted("conflict", self.conflicts))
        if self.attention:
            parts.append(f"{self.attention} {'needs' if self.attention == 1 else 'need'} attention")
        return " · ".join(parts)


def sync_status(target: Target) -> SyncStatus:
    _, store = opened(target)
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
    _, store = opened(target)
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
    """Changes the server refused, pulled changes set aside, and words added elsewhere to a
    note marked here (``sync.late_words``): "needs attention", newest first."""
    _, store = opened(target)
    with store.read() as s:
        rows = s.scalars(select(SyncAttention).order_by(SyncAttention.at.desc()))
        return [AttentionItem(r.change_id, r.table_name, r.row_id, r.reason, r.at) for r in rows]


def dismiss_attention(target: Target, change_id: str) -> None:
    _, store = opened(target)
    with store.bookkeeping() as s:
        row = s.get(SyncAttention, change_id)
        if row is not None:
            s.delete(row)
