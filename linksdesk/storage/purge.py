"""Removing a participant's record from the vault: erasure, a case handed away, a withdrawal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select, text
from sqlalchemy.orm import Session

from linksdesk.core.registry import PURGE_ORDER
from linksdesk.storage import search
from linksdesk.storage.outbox import chunks, drop_participant_changes, rows_touched
from linksdesk.storage.tables import (
    TABLE_BY_NAME,
    Draft,
    Participant,
    SyncAttention,
    SyncConflict,
    SyncState,
)

# sync_state rows of pulled rows waiting for their required fields (sync.state names it too)
PARTIAL_PREFIX = "partial:"


def purge_participant(session: Session, participant_id: str, *, drafts: bool = True) -> int:
    """Delete a participant and every linked row, index entry, draft and sync leftover.

    The one purge for erasure, a case handed away and a withdrawn consent pulled from the
    server: rows and note revisions, search entries (then an FTS 'rebuild' so no deleted
    term survives in an older index segment), drafts, conflicts, needs-attention entries,
    queued changes (an erase command excepted) and the saved pending batch. Returns how
    many rows were removed. Erasure receipts stay. The caller VACUUMs after the
    transaction commits so freed pages hold nothing (``secure_delete`` is on too).
    ``drafts=False`` (a case handed to a colleague, or its team consent withdrawn on the
    worker's other laptop): the worker's unsaved words stay, to be copied and discarded by
    the worker, as a case kept here read-only keeps them.
    """
    removed = 0
    ids: list[str] = [participant_id]
    for name in PURGE_ORDER:
        cls: Any = TABLE_BY_NAME[name]
        ids += list(session.scalars(select(cls.id).where(cls.participant_id == participant_id)))
        gone = session.execute(delete(cls).where(cls.participant_id == participant_id))
        removed += rows_touched(gone)
    gone = session.execute(delete(Participant).where(Participant.id == participant_id))
    removed += rows_touched(gone)
    search.remove_participant(session, participant_id)
    rebuild_search(session)
    session.execute(delete(SyncConflict).where(SyncConflict.participant_id == participant_id))
    for chunk in chunks(ids):
        session.execute(delete(SyncAttention).where(SyncAttention.row_id.in_(chunk)))
        session.execute(delete(SyncConflict).where(SyncConflict.row_id.in_(chunk)))
    drop_participant_changes(session, participant_id, row_ids=ids)
    if drafts:
        session.execute(
            delete(Draft).where(
                or_(Draft.key.contains(participant_id), Draft.body.contains(participant_id))
            )
        )
    drop_partials(session, participant_id)
    session.flush()
    return int(removed)


def rebuild_search(session: Session) -> None:
    """Rewrite the search index whole, so no removed term survives in an older segment."""
    session.execute(text("INSERT INTO search_index(search_index) VALUES ('rebuild')"))


def drop_partials(session: Session, participant_id: str) -> None:
    """Forget pulled rows about a participant still waiting for their required fields."""
    rows = session.execute(
        select(SyncState.key, SyncState.value).where(SyncState.key.startswith(PARTIAL_PREFIX))
    )
    for key, value in list(rows):
        if dict(value).get("participant_id") == participant_id:
            session.execute(delete(SyncState).where(SyncState.key == key))
