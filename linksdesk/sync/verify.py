"""Per-table counts and digests of what this device holds in common with the server.

A row counts when it may be on the server: shared with the team, and (for a participant's
rows) the participant consented to sharing, or the case came from a colleague. Its clock is
the latest over its synced fields (``policy.synced_clock``), as on the server.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from linksdesk.sync import state
from linksdesk.sync.apply import SHAPES, shared_participants
from linksdesk.sync.policy import VERSIONED_ENVELOPE
from linksdesk.sync.protocol import RECEIPT_TABLE, SYNCABLE_TABLES, TableDigest, table_digest


def _rows(session: Session, table: str) -> list[tuple[str, str, bool, str, str | None]]:
    shape = SHAPES[table]
    keys = sorted(shape.shareable | VERSIONED_ENVELOPE)
    names = ", ".join(f"'{k}'" for k in keys)  # column names from our own tables, not input
    pid = "t.participant_id" if table != "participant" else "t.id"
    if not shape.participant_routed:
        pid = "NULL"
    sql = (
        f"SELECT t.id, coalesce((SELECT max(j.value) FROM json_each(t.field_hlc) j "
        f"WHERE j.key IN ({names})), t.hlc), t.deleted, t.sharing, {pid} "
        f'FROM "{table}" t'
    )
    return [(str(r[0]), str(r[1]), bool(r[2]), str(r[3]), r[4]) for r in session.execute(text(sql))]


def local_digests(
    session: Session, tables: tuple[str, ...] = SYNCABLE_TABLES
) -> dict[str, TableDigest]:
    """What this device would have to match on the server, table by table."""
    visible = shared_participants(session) | set(state.get(session, state.READ_ONLY, []))
    held: dict[str, list[tuple[str, str, bool]]] = {t: [] for t in tables}
    for key, value in state.partials(session):
        table = str(value.get("table", ""))
        if table in held:
            clocks: dict[str, Any] = value.get("clocks", {})
            held[table].append((str(value["row_id"]), max(clocks.values(), default=""), False))
        del key
    for table in tables:
        routed = SHAPES[table].participant_routed and table != RECEIPT_TABLE
        for row_id, clock, deleted, sharing, pid in _rows(session, table):
            if sharing != "team":
                continue
            if routed and pid not in visible:
                continue
            held[table].append((row_id, clock, deleted))
    return {t: table_digest(rows) for t, rows in held.items()}
