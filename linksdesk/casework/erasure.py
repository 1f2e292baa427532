"""Erasure ("forget this participant"): purge every trace locally, keep a receipt, tell sync."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, func, or_, select, text

from linksdesk.casework import records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import ErasureReceipt, Outcome
from linksdesk.core.changes import RowChange
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import search as search_index
from linksdesk.storage.store import WriteTx, row_values
from linksdesk.storage.tables import (
    PARTICIPANT_LINKED,
    TABLE_BY_NAME,
    Draft,
    Outbox,
    SyncAttention,
    SyncConflict,
)
from linksdesk.storage.tables import ErasureReceipt as ReceiptRow
from linksdesk.storage.tables import Participant as ParticipantRow

log = logging.getLogger(__name__)

# children before parents, so foreign keys hold at every step of the purge
PURGE_ORDER: tuple[str, ...] = (
    "note_revision",
    "note",
    "goal_step",
    "goal",
    "onward_referral",
    "measure",
    "contact",
    "relationship",
    "concern",
    "referral",
    "consent",
    "status_change",
)
assert set(PURGE_ORDER) == set(PARTICIPANT_LINKED), "a participant table is missing from erasure"


def _purge(tx: WriteTx, participant_id: str) -> int:
    """Physically delete the participant and everything about them; returns rows removed."""
    session = tx.session
    ids: set[str] = {participant_id}
    removed = 0
    for name in PURGE_ORDER:
        table = TABLE_BY_NAME[name]
        key = table.participant_id  # type: ignore[attr-defined]
        ids.update(session.scalars(select(table.id).where(key == participant_id)))
        result = session.execute(delete(table).where(key == participant_id))
        removed += getattr(result, "rowcount", 0) or 0
    result = session.execute(delete(ParticipantRow).where(ParticipantRow.id == participant_id))
    removed += getattr(result, "rowcount", 0) or 0
    session.expunge_all()  # nothing of them may be flushed back from the identity map

    search_index.remove_participant(session, participant_id)
    # FTS5 keeps deleted terms in older index segments until they are merged: rebuild the
    # index so no token of theirs survives anywhere in the file
    session.execute(text("INSERT INTO search_index(search_index) VALUES ('rebuild')"))

    # unsent changes about them; the erase command below supersedes them
    row_ids = list(ids)
    for i in range(0, len(row_ids), 500):
        chunk = row_ids[i : i + 500]
        session.execute(delete(Outbox).where(Outbox.row_id.in_(chunk)))
        session.execute(delete(SyncAttention).where(SyncAttention.row_id.in_(chunk)))
        session.execute(delete(SyncConflict).where(SyncConflict.row_id.in_(chunk)))
    session.execute(delete(SyncConflict).where(SyncConflict.participant_id == participant_id))
    # Outbox rows name the participant in their payload too (e.g. a change already purged)
    session.execute(
        delete(Outbox).where(
            func.json_extract(Outbox.payload, "$.participant_id") == participant_id
        )
    )
    session.execute(
        delete(Draft).where(
            or_(Draft.key.contains(participant_id), Draft.body.contains(participant_id))
        )
    )
    return removed


def erase_participant(cb: Casebook, participant_id: str) -> Outcome[ErasureReceipt]:
    """Forget a participant: every row, revision, index entry, draft and unsent change.

    What stays is an erasure receipt (when, how many rows) and the audit line "erase". An
    ``erase`` change is queued whatever their consent was (the server may hold copies from
    a time they shared), and the file is vacuumed so freed pages hold nothing of them.
    """
    with cb.store.write() as tx:
        person = records.participant(tx.session, participant_id)
        pid = person.id
        removed = _purge(tx, pid)
        receipt = tx.insert(
            ReceiptRow(
                participant_id=pid,
                erased_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                rows_removed=removed,
            )
        )
        # the command every device and the server act on (protocol Op.ERASE)
        tx.queue(
            RowChange(
                table="participant",
                row_id=pid,
                op="erase",
                hlc=receipt.hlc,
                values={**row_values(receipt), "participant_id": pid},
                changed=frozenset(),
                base={},
                participant_id=pid,
                participant_shared=True,
            )
        )
        tx.audit(AuditAction.ERASE, "participant", pid)
        result = ErasureReceipt(receipt.id, pid, receipt.erased_at, removed)
        changes = tx.changes
    changes.entities.update({"participant", *PARTICIPANT_LINKED})
    cb.vault.vacuum()
    log.info("participant erased: %d rows removed", removed)
    return Outcome(result, changes)
