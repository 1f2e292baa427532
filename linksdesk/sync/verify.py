"""Per-table counts and digests of what this device holds in common with the server.

A row counts when it may be on the server: shared with the team, and (for a participant's
rows) the participant consented to sharing, or the case came from a colleague. Its clock is
the latest over its synced fields (``policy.synced_clock``), as on the server.

Reading every row of a 100,000-record vault after each sync would cost seconds, so a
:class:`DigestCache` keeps, per vault file, each counted row's clock in memory and after a
sync re-reads only the rows changed since: local edits (they leave an audit event naming
the row) and rows the sync itself wrote (the engine passes them in). Anything it cannot
account for (another process synced the vault, consent or a handover changed who counts)
rebuilds it from the file, and a repair always compares against a fresh build.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from linksdesk.core.registry import CONSENT_TABLE
from linksdesk.storage.store import shared_participants
from linksdesk.storage.tables import AuditEvent, Consent
from linksdesk.sync import state
from linksdesk.sync.page import CURSOR_MOVED, PURGED, SHARING_ROWS
from linksdesk.sync.policy import synced_clock
from linksdesk.sync.protocol import (
    DIGEST_MODULUS,
    HANDOVER_TABLE,
    PARTICIPANT_TABLE,
    RECEIPT_TABLE,
    SYNCABLE_TABLES,
    TableDigest,
    digest_text,
    row_hash,
    table_digest,
)
from linksdesk.sync.shapes import SHAPES

Entry = tuple[str, bool]  # (synced clock, tombstone)


def _routed(table: str) -> bool:
    return SHAPES[table].participant_routed and table != RECEIPT_TABLE


def _pid_column(table: str) -> str:
    if table == PARTICIPANT_TABLE:
        return "id"
    return "participant_id" if SHAPES[table].participant_routed else "NULL"


def _read(
    session: Session, table: str, visible: set[str], ids: list[str] | None = None
) -> dict[str, Entry]:
    """Counted rows of ``table`` (all, or those of ``ids``) with their synced clocks."""
    sql = f'SELECT id, field_hlc, hlc, deleted, sharing, {_pid_column(table)} FROM "{table}"'
    params: dict[str, Any] = {}
    if ids is not None:
        names = [f":i{n}" for n in range(len(ids))]
        sql += f" WHERE id IN ({', '.join(names)})"
        params = {f"i{n}": v for n, v in enumerate(ids)}
    routed = _routed(table)
    out: dict[str, Entry] = {}
    for row_id, clocks, hlc, deleted, sharing, pid in session.execute(text(sql), params):
        if sharing != "team" or (routed and pid not in visible):
            continue
        parsed = json.loads(clocks) if isinstance(clocks, str) else clocks
        out[str(row_id)] = (synced_clock(table, parsed, str(hlc)), bool(deleted))
    return out


def _digest(rows: dict[str, Entry]) -> TableDigest:
    return table_digest((k, clock, dead) for k, (clock, dead) in rows.items())


def _partials(session: Session) -> dict[str, dict[str, Entry]]:
    held: dict[str, dict[str, Entry]] = {}
    for _key, value in state.partials(session):
        clocks: dict[str, Any] = value.get("clocks", {})
        held.setdefault(str(value.get("table", "")), {})[str(value["row_id"])] = (
            max((str(c) for c in clocks.values()), default=""),
            False,
        )
    return held


def _participants_of(session: Session, changed: dict[str, set[str]]) -> set[str]:
    """The participants whose participant or consent rows are among ``changed``."""
    pids = set(changed.get(PARTICIPANT_TABLE, set()))
    ids = sorted(changed.get(CONSENT_TABLE, set()))
    for i in range(0, len(ids), 500):
        pids.update(
            str(p)
            for p in session.scalars(
                select(Consent.participant_id).where(Consent.id.in_(ids[i : i + 500]))
            )
        )
    return pids


def _visible(session: Session) -> set[str]:
    return shared_participants(session) | set(state.get(session, state.READ_ONLY, []))


def local_digests(
    session: Session, tables: tuple[str, ...] = SYNCABLE_TABLES
) -> dict[str, TableDigest]:
    """What this device would have to match on the server, read afresh from the vault."""
    visible = _visible(session)
    partial = _partials(session)
    out = {}
    for table in tables:
        rows = _read(session, table, visible)
        rows.update(partial.get(table, {}))
        out[table] = _digest(rows)
    return out


def _hash(row_id: str, entry: Entry) -> int:
    return row_hash(row_id, entry[0], entry[1])


@dataclass
class _Kept:
    audit_seq: int
    cursor: int
    visible: set[str]
    rows: dict[str, dict[str, Entry]]
    # per table: [count, sum of row hashes], kept in step with ``rows`` a row at a time so
    # a sync that changed a few rows never re-hashes a whole table
    sums: dict[str, list[int]] = field(default_factory=dict)
    built: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        for table, rows in self.rows.items():
            if table not in self.sums:
                self.sums[table] = [len(rows), sum(_hash(k, e) for k, e in rows.items())]

    def put(self, table: str, row_id: str, entry: Entry | None) -> None:
        """Replace (or, with None, drop) one row, keeping the table's sum in step."""
        rows, sums = self.rows[table], self.sums[table]
        old = rows.pop(row_id, None)
        if old is not None:
            sums[0] -= 1
            sums[1] -= _hash(row_id, old)
        if entry is not None:
            rows[row_id] = entry
            sums[0] += 1
            sums[1] += _hash(row_id, entry)

    def digest(self, table: str, overlay: dict[str, Entry] | None = None) -> TableDigest:
        """The table's digest, with ``overlay`` rows (held partial rows) in place of kept ones."""
        count, total = self.sums[table]
        rows = self.rows[table]
        for row_id, entry in (overlay or {}).items():
            old = rows.get(row_id)
            if old is not None:
                count -= 1
                total -= _hash(row_id, old)
            count += 1
            total += _hash(row_id, entry)
        return TableDigest(count=count, digest=digest_text(total % DIGEST_MODULUS))


class DigestCache:
    """Digests of one vault kept up to date from what changed (see the module docstring)."""

    _kept: dict[str, _Kept] = {}
    _lock = threading.Lock()
    # read everything afresh now and then anyway: a change made behind the app's back
    # (not through it, so neither audited nor synced) must not pass verify for long
    max_age_s = 1800.0

    def __init__(self, key: str) -> None:
        self.key = key

    @classmethod
    def forget(cls, key: str) -> None:
        with cls._lock:
            cls._kept.pop(key, None)

    def digests(
        self, session: Session, touched: dict[str, set[str]], *, fresh: bool = False
    ) -> dict[str, TableDigest]:
        """Current digests; ``touched`` names rows this process's sync wrote since last time."""
        seq = int(session.scalar(select(func.max(AuditEvent.seq))) or 0)
        cursor = state.seq(session, state.CURSOR)
        with self._lock:
            kept = None if fresh else self._kept.get(self.key)
        if kept is not None and time.monotonic() - kept.built > self.max_age_s:
            kept = None
        if kept is not None:
            kept = self._update(session, kept, seq, cursor, touched)
        if kept is None:
            kept = self._build(session, seq, cursor)
        partial = _partials(session)
        out = {table: kept.digest(table, partial.get(table)) for table in SYNCABLE_TABLES}
        with self._lock:
            self._kept[self.key] = kept
        return out

    def _build(self, session: Session, seq: int, cursor: int) -> _Kept:
        visible = _visible(session)
        rows = {t: _read(session, t, visible) for t in SYNCABLE_TABLES}
        return _Kept(audit_seq=seq, cursor=cursor, visible=visible, rows=rows)

    def _update(
        self,
        session: Session,
        kept: _Kept,
        seq: int,
        cursor: int,
        touched: dict[str, set[str]],
    ) -> _Kept | None:
        """Bring ``kept`` up to date, or None when only a rebuild can."""
        changed: dict[str, set[str]] = {t: set(ids) for t, ids in touched.items() if ids}
        if cursor != kept.cursor and not touched.get(CURSOR_MOVED):
            return None  # pulled by another process: we do not know what it wrote
        if touched.get(PURGED):
            return None  # a whole case went at once
        for marker in (CURSOR_MOVED, HANDOVER_TABLE):
            changed.pop(marker, None)
        if seq < kept.audit_seq:
            return None
        if seq > kept.audit_seq:
            events = session.execute(
                select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.action).where(
                    AuditEvent.seq > kept.audit_seq, AuditEvent.seq <= seq
                )
            )
            for entity, entity_id, action in events:
                if action == "view":
                    continue
                if action == "erase":
                    return None
                if entity in SHAPES and entity_id:
                    changed.setdefault(entity, set()).add(str(entity_id))
        if touched.get(HANDOVER_TABLE):
            if _visible(session) != kept.visible:  # cases moved: read who counts afresh
                return None
        elif changed.keys() & SHARING_ROWS:
            # only the participants these rows belong to can have started or stopped
            # counting: check them, not every consent in the vault
            pids = _participants_of(session, changed)
            read_only = set(state.get(session, state.READ_ONLY, []))
            now = shared_participants(session, pids) | (read_only & pids)
            if any((pid in now) != (pid in kept.visible) for pid in pids):
                return None
        for table, ids in changed.items():
            if table not in SHAPES:
                continue
            id_list = sorted(ids)
            fresh: dict[str, Entry] = {}
            for i in range(0, len(id_list), 500):
                fresh.update(_read(session, table, kept.visible, id_list[i : i + 500]))
            for row_id in id_list:
                kept.put(table, row_id, fresh.get(row_id))
        kept.audit_seq, kept.cursor = seq, cursor
        return kept
