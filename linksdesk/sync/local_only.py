"""A withdrawal of team sharing recorded on the worker's other laptop, when this laptop
holds work of its own about the person (rule 7): that work stays here as a local-only case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    delete,
    select,
)
from sqlalchemy.orm import Session

from linksdesk.core.registry import (
    CONSENT_TABLE,
    PARTICIPANT_TABLE,
    PURGE_ORDER,
    RECORD_TABLES,
)
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import search
from linksdesk.storage.outbox import chunks, drop_participant_changes, queued_row_ids, rows_touched
from linksdesk.storage.purge import drop_partials, rebuild_search
from linksdesk.storage.tables import (
    TABLE_BY_NAME,
    AuditEvent,
    Consent,
    SyncAttention,
    SyncConflict,
)


@dataclass(frozen=True)
class LocalOnlyCase:
    """A participant whose team consent was withdrawn on another laptop while this one held
    work of its own about them: that work stays here, local only, and the worker is told."""

    participant_id: str
    programme_id: str
    kept: int  # rows kept: this laptop's own work, what it hangs on, the consent history
    removed: int  # rows that had come from elsewhere, removed here
    # handed to a colleague (not withdrawn): only work the server had not taken is kept
    handed: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "programme_id": self.programme_id,
            "kept": self.kept,
            "removed": self.removed,
            "handed": self.handed,
        }


# parents a kept row needs to stay readable: (table, column naming it, parent table)
_KEPT_PARENTS: tuple[tuple[str, str, str], ...] = (
    ("note_revision", "note_id", "note"),
    ("goal_step", "goal_id", "goal"),
    ("note", "contact_id", "contact"),
)


def own_work_of(session: Session, participant_id: str, device_id: str) -> dict[str, set[str]]:
    """Rows about a participant that are this laptop's own work (rule 7), by table.

    Own work: a ``private`` row (it only ever lives here), a row this laptop recorded or
    changed itself (its audit log, its origin or a field clock says so), and a row with a
    change the server has not accepted (still queued, or refused and waiting for a look).
    Empty when there is none; otherwise also the rows they hang on (the participant, a
    revision's note, a step's goal, a note's contact) and every consent record, which says
    why the case is local now.
    """
    pid = participant_id
    unsent = queued_row_ids(session, pid)
    refused = set(session.scalars(select(SyncAttention.row_id)))

    suffix = f"-{device_id}"  # how this device's clock values end (core.hlc)
    rows: list[tuple[str, str, str, str, dict[str, Any] | None]] = []
    for name in RECORD_TABLES:
        if name == CONSENT_TABLE:
            continue  # a consent record is the decision, not the worker's casework
        cls: Any = TABLE_BY_NAME[name]
        where = cls.id == pid if name == PARTICIPANT_TABLE else cls.participant_id == pid
        for row_id, sharing, origin, clocks in session.execute(
            select(cls.id, cls.sharing, cls.origin, cls.field_hlc).where(where)
        ):
            rows.append((name, row_id, sharing, origin, clocks))
    # the audit log says what was recorded or changed here, whatever syncs did since (a
    # re-consent on the other laptop re-sends this laptop's rows under its own clocks)
    recorded_here: set[str] = set()
    for chunk in chunks([r[1] for r in rows], 500):
        recorded_here |= set(
            session.scalars(
                select(AuditEvent.entity_id).where(
                    AuditEvent.entity_id.in_(chunk),
                    AuditEvent.action.in_((AuditAction.CREATE.value, AuditAction.CHANGE.value)),
                )
            )
        )

    def own(row_id: str, sharing: str, origin: str, clocks: dict[str, Any] | None) -> bool:
        if sharing == "private" or origin == device_id or row_id in recorded_here:
            return True
        if row_id in unsent or row_id in refused:
            return True
        return any(str(c).endswith(suffix) for c in (clocks or {}).values())

    keep: dict[str, set[str]] = {}
    for name, row_id, sharing, origin, clocks in rows:
        if own(row_id, sharing, origin, clocks):
            keep.setdefault(name, set()).add(row_id)
    if not keep:
        return keep
    keep[CONSENT_TABLE] = set(
        session.scalars(select(Consent.id).where(Consent.participant_id == pid))
    )
    return _with_parents(session, pid, keep)


def unsent_work_of(session: Session, participant_id: str) -> dict[str, set[str]]:
    """Rows about a participant with a change the server has not taken (still queued, or
    refused and waiting for a look), by table, with the participant and the rows they hang
    on; empty when there is none. What a case handed away must not take with it."""
    pid = participant_id
    waiting = queued_row_ids(session, pid) | set(session.scalars(select(SyncAttention.row_id)))
    keep: dict[str, set[str]] = {}
    for name in RECORD_TABLES:
        cls: Any = TABLE_BY_NAME[name]
        where = cls.id == pid if name == PARTICIPANT_TABLE else cls.participant_id == pid
        for chunk in chunks(sorted(waiting), 500):
            ids = session.scalars(select(cls.id).where(where, cls.id.in_(chunk)))
            keep.setdefault(name, set()).update(ids)
    keep = {name: ids for name, ids in keep.items() if ids}
    return _with_parents(session, pid, keep) if keep else keep


def created_here(session: Session, rows: dict[str, set[str]]) -> dict[str, set[str]]:
    """Of ``rows`` (by table), those recorded on this laptop (its audit log says so),
    the participant row left out."""
    out: dict[str, set[str]] = {}
    for name, ids in rows.items():
        if name == PARTICIPANT_TABLE:
            continue
        for chunk in chunks(sorted(ids), 500):
            made = session.scalars(
                select(AuditEvent.entity_id).where(
                    AuditEvent.entity_id.in_(chunk), AuditEvent.action == AuditAction.CREATE.value
                )
            )
            out.setdefault(name, set()).update(str(i) for i in made)
    return {name: ids for name, ids in out.items() if ids}


def _with_parents(session: Session, pid: str, keep: dict[str, set[str]]) -> dict[str, set[str]]:
    """``keep`` with the participant and the rows its rows hang on."""
    keep.setdefault(PARTICIPANT_TABLE, set()).add(pid)
    for table, column, parent in _KEPT_PARENTS:  # children before parents: one pass is enough
        ids = sorted(keep.get(table, ()))
        if not ids:
            continue
        cls = TABLE_BY_NAME[table]
        for chunk in chunks(ids, 500):
            for ref in session.scalars(select(getattr(cls, column)).where(cls.id.in_(chunk))):
                if ref:
                    keep.setdefault(parent, set()).add(ref)
    return keep


def purge_from_elsewhere(
    session: Session, participant_id: str, keep: dict[str, set[str]]
) -> tuple[int, int]:
    """Remove what came to this laptop from elsewhere about a participant whose team
    consent was withdrawn on another laptop, keeping ``keep`` (``own_work_of``) as this
    laptop's local-only case: nothing of it is queued for the server any more, drafts stay.
    Returns (rows removed, rows kept)."""
    pid = participant_id
    removed = kept = 0
    every: list[str] = [pid]
    gone_ids: list[str] = []
    for name in PURGE_ORDER:
        cls: Any = TABLE_BY_NAME[name]
        ids = list(session.scalars(select(cls.id).where(cls.participant_id == pid)))
        every += ids
        mine = keep.get(name, set())
        drop = [i for i in ids if i not in mine]
        kept += len(ids) - len(drop)
        gone_ids += drop
        for chunk in chunks(drop, 500):
            removed += rows_touched(session.execute(delete(cls).where(cls.id.in_(chunk))))
    kept += 1  # the participant row
    # the index again from what stays, then a rebuild so no removed term survives
    search.remove_participant(session, pid)
    session.flush()
    for name in sorted(search.INDEXED_TABLES & set(RECORD_TABLES)):
        cls = TABLE_BY_NAME[name]
        where = cls.id == pid if name == PARTICIPANT_TABLE else cls.participant_id == pid
        for row in session.scalars(select(cls).where(where, cls.deleted.is_(False))):
            search.reindex_row(session, row)
    rebuild_search(session)
    for chunk in chunks(gone_ids, 500):
        session.execute(delete(SyncConflict).where(SyncConflict.row_id.in_(chunk)))
    for chunk in chunks(every, 500):
        # the notice about the local-only case replaces "refused by the server"
        session.execute(delete(SyncAttention).where(SyncAttention.row_id.in_(chunk)))
    drop_participant_changes(session, pid, row_ids=every, keep_team_consent=True)
    drop_partials(session, pid)
    session.flush()
    return int(removed), kept
