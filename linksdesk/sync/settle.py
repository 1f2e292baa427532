"""Settling a sync conflict: both versions of a field edited on two devices, and the worker's
choice between them (or a text of their own for a case note).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.core.changes import Changes, RowChange
from linksdesk.core.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
)
from linksdesk.core.vocab import AuditAction
from linksdesk.storage.store import utc_now
from linksdesk.storage.tables import (
    NoteRevision,
    SyncConflict,
)
from linksdesk.sync import state
from linksdesk.sync.conflicts import note_conflicts_settle
from linksdesk.sync.policy import CONFLICT_TABLE
from linksdesk.sync.shapes import SHAPES
from linksdesk.sync.target import Target, opened


@dataclass(frozen=True)
class ConflictInfo:
    """Both versions of a concurrently edited field; "mine" is this laptop's version."""

    id: str
    table: str
    row_id: str  # for a note: the note's id
    field: str
    participant_id: str | None
    mine: Any
    theirs: Any
    mine_hlc: str
    theirs_hlc: str
    detected_at: dt.datetime
    is_note: bool


def list_conflicts(target: Target, participant_id: str | None = None) -> list[ConflictInfo]:
    """Open conflicts (oldest first), optionally for one participant."""
    _, store = opened(target)
    with store.read() as s:
        query = select(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        if participant_id is not None:
            query = query.where(SyncConflict.participant_id == participant_id)
        rows = s.scalars(query.order_by(SyncConflict.detected_at, SyncConflict.id))
        return [
            ConflictInfo(
                id=r.id,
                table=r.table_name,
                row_id=r.row_id,
                field=r.field,
                participant_id=r.participant_id,
                mine=r.local_value,
                theirs=r.remote_value,
                mine_hlc=r.local_hlc,
                theirs_hlc=r.remote_hlc,
                detected_at=r.detected_at,
                is_note=r.table_name == "note_revision",
            )
            for r in rows
        ]


Choice = Literal["mine", "theirs", "merged"]


def resolve_conflict(
    target: Target, conflict_id: str, choice: Choice, merged_value: Any = None
) -> Changes:
    """Settle a conflict with this laptop's version, the other one, or a merged text.

    The result is an ordinary change (a new note revision, or an edit of the field based
    on the version the row holds), so it syncs like any other and closes the conflict on
    every device.
    """
    if choice not in ("mine", "theirs", "merged"):
        raise ValidationError("Choose 'mine', 'theirs' or 'merged'.")
    if choice == "merged" and merged_value is None:
        raise ValidationError("A merged version needs the merged text.")
    _, store = opened(target)
    with store.write() as tx:
        conflict = tx.session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise NotFoundError("That conflict is no longer there.")
        if conflict.resolved_at is not None:
            raise ConflictError("That conflict has already been settled.")
        if conflict.participant_id:
            read_only = state.get(tx.session, state.READ_ONLY, [])
            if conflict.participant_id in read_only:
                raise ConflictError("This case is now a colleague's; only they can settle it.")
        value = {
            "mine": conflict.local_value,
            "theirs": conflict.remote_value,
            "merged": merged_value,
        }[choice]
        if conflict.table_name == "note_revision":
            _settle_note(tx, conflict, choice, value)
        else:
            _settle_field(tx, conflict, value)
        conflict.resolved_at = utc_now()
        tx.audit(AuditAction.CHANGE, "sync_conflict", conflict.id)
        tx.session.flush()
        return tx.changes


def _settle_note(tx: Any, conflict: SyncConflict, choice: Choice, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("A case note cannot be empty.")
    s: Session = tx.session
    revisions = list(
        s.scalars(
            select(NoteRevision).where(
                NoteRevision.note_id == conflict.row_id, NoteRevision.deleted.is_(False)
            )
        )
    )
    if not revisions:
        raise NotFoundError("That note is no longer there.")
    by_hlc = {r.hlc: r for r in revisions}
    base = by_hlc.get(conflict.remote_hlc if choice == "theirs" else conflict.local_hlc)
    base = base or max(revisions, key=lambda r: (r.revision, r.hlc))
    top = max(r.revision for r in revisions)
    tx.insert(
        NoteRevision(
            note_id=conflict.row_id,
            participant_id=base.participant_id,
            revision=top + 1,
            base_revision_id=base.id,
            body=value,
            written_at=utc_now(),
            sharing=base.sharing,
            owner=base.owner,
        )
    )
    s.flush()
    note_conflicts_settle(s, conflict.row_id, top + 1)


def _settle_field(tx: Any, conflict: SyncConflict, value: Any) -> None:
    shape = SHAPES.get(conflict.table_name)
    if shape is None:
        raise NotFoundError("That record is no longer there.")
    s: Session = tx.session
    row: Any = s.get(shape.cls, conflict.row_id)
    if row is None or row.deleted:
        raise NotFoundError("That record is no longer there.")
    if conflict.field not in shape.convert:
        raise NotFoundError("That detail is no longer kept.")
    tx.update(row, **{conflict.field: shape.to_python(conflict.field, value)})
    # tell the server (and so every device) that this conflict is settled
    tx.queue(
        RowChange(
            table=CONFLICT_TABLE,
            row_id=conflict.id,
            op="delete",
            hlc=tx.store.clock.now().encode(),
            values={
                "owner": state.get(s, state.WORKER_ID) or tx.store.worker_id,
                "sharing": "team",
                "origin": tx.store.device_id,
            },
            changed=frozenset({"deleted"}),
            base={},
            participant_id=conflict.participant_id,
            participant_shared=True,
        )
    )
