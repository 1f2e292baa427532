"""Conflicts the device holds: the server's conflict rows, and case-note conflicts worked out
from the revisions held (the same on every device that holds the same revisions)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from linksdesk.core.ids import stable_id
from linksdesk.storage.outbox import chunks
from linksdesk.storage.store import utc_now
from linksdesk.storage.tables import (
    NoteRevision,
    SyncConflict,
)
from linksdesk.sync.protocol import (
    ConflictRow,
)

log = logging.getLogger(__name__)


def conflict_from_server(conflict_id: str, row: ConflictRow, device_id: str) -> SyncConflict:
    """The local record of a conflict the server kept; "local" is this device's version."""
    other_is_mine = row.other_origin == device_id
    return SyncConflict(
        id=conflict_id,
        table_name=row.table_name,
        row_id=row.row_id,
        field=row.field,
        participant_id=row.participant_id,
        local_value=row.other_value if other_is_mine else row.kept_value,
        remote_value=row.kept_value if other_is_mine else row.other_value,
        local_hlc=row.other_hlc if other_is_mine else row.kept_hlc,
        remote_hlc=row.kept_hlc if other_is_mine else row.other_hlc,
        detected_at=utc_now(),
        resolved_at=None,
    )


class _Head(NamedTuple):
    """What decides a note's heads, of one revision."""

    id: str
    revision: int
    hlc: str
    origin: str
    participant_id: str


def reconcile_note_conflicts(session: Session, note_ids: Iterable[str], device_id: str) -> int:
    """Bring the case-note conflicts of ``note_ids`` and of every note with a conflict open
    here in line with the revisions held; returns how many new conflicts were recorded.

    A note is in conflict while two or more revisions share its top revision number (written
    on top of the same version on different devices): one conflict per pair of them, with an
    id every device derives the same way. A conflict whose pair is no longer on top (a later
    revision settled it) is resolved. The state depends only on the revisions held, so a
    worker's laptops holding the same revisions show the same open conflicts, whatever
    order the revisions and conflict rows came in.
    """
    open_notes = set(
        session.scalars(
            select(SyncConflict.row_id).where(
                SyncConflict.table_name == "note_revision", SyncConflict.resolved_at.is_(None)
            )
        )
    )
    made = 0
    notes = sorted(set(note_ids) | open_notes)
    # read for every note at once (a first pull brings thousands), in the order kept per
    # note; only what decides the heads (a body is read for a new conflict only)
    by_note: dict[str, list[_Head]] = {}
    held_by_note: dict[str, dict[str, SyncConflict]] = {}
    for chunk in chunks(notes, 500):
        for r in session.execute(
            select(
                NoteRevision.note_id,
                NoteRevision.id,
                NoteRevision.revision,
                NoteRevision.hlc,
                NoteRevision.origin,
                NoteRevision.participant_id,
            )
            .where(NoteRevision.note_id.in_(chunk), NoteRevision.deleted.is_(False))
            .order_by(NoteRevision.hlc, NoteRevision.id)
        ):
            by_note.setdefault(r.note_id, []).append(_Head(*r[1:]))
        for c in session.scalars(
            select(SyncConflict).where(
                SyncConflict.table_name == "note_revision", SyncConflict.row_id.in_(chunk)
            )
        ):
            held_by_note.setdefault(c.row_id, {})[c.id] = c
    for note_id in notes:
        revisions = by_note.get(note_id, [])
        top = max((r.revision for r in revisions), default=None)
        heads = [r for r in revisions if r.revision == top]
        if len(heads) < 2 and note_id not in open_notes:
            continue  # one version on top and no conflict open: nothing to hold or settle
        wanted: dict[str, tuple[_Head, _Head]] = {}
        for i, first in enumerate(heads):
            for second in heads[i + 1 :]:
                wanted[stable_id("note", *sorted((first.id, second.id)))] = (first, second)
        held = held_by_note.get(note_id, {})
        for cid, c in held.items():
            if cid in wanted:
                if c.resolved_at is not None:
                    c.resolved_at = None  # both still on top: nothing settled it
                    log.info("note %s conflict %s open again: both versions on top", note_id, cid)
            elif c.resolved_at is None:
                c.resolved_at = utc_now()
        for cid, (first, second) in wanted.items():
            if cid in held:
                continue
            mine, other = (second, first) if second.origin == device_id else (first, second)
            bodies = dict(
                session.execute(
                    select(NoteRevision.id, NoteRevision.body).where(
                        NoteRevision.id.in_((mine.id, other.id))
                    )
                ).all()
            )
            session.add(
                SyncConflict(
                    id=cid,
                    table_name="note_revision",
                    row_id=note_id,
                    field="body",
                    participant_id=first.participant_id,
                    local_value=bodies.get(mine.id),
                    remote_value=bodies.get(other.id),
                    local_hlc=mine.hlc,
                    remote_hlc=other.hlc,
                    detected_at=utc_now(),
                    resolved_at=None,
                )
            )
            made += 1
            log.info("note %s has concurrent revisions: kept both as conflict %s", note_id, cid)
    session.flush()
    return made


def note_conflicts_settle(session: Session, note_id: str, top_revision: int) -> None:
    """A revision written on top of a fork resolves the fork's conflicts on every device."""
    open_ = list(
        session.scalars(
            select(SyncConflict).where(
                SyncConflict.table_name == "note_revision",
                SyncConflict.row_id == note_id,
                SyncConflict.resolved_at.is_(None),
            )
        )
    )
    for c in open_:
        rev = session.scalar(
            select(NoteRevision.revision).where(
                NoteRevision.note_id == note_id, NoteRevision.hlc == c.local_hlc
            )
        )
        if rev is None or rev < top_revision:
            c.resolved_at = utc_now()
