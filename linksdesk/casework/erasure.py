"""Erasure ("forget this participant"): purge every trace locally, keep a receipt, tell sync."""

from __future__ import annotations

import datetime as dt
import logging

from linksdesk.casework import records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import ErasureReceipt, Outcome
from linksdesk.core.changes import RowChange
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import vacuum
from linksdesk.storage.purge import purge_participant
from linksdesk.storage.store import WriteTx, row_values
from linksdesk.storage.tables import PARTICIPANT_LINKED
from linksdesk.storage.tables import ErasureReceipt as ReceiptRow

log = logging.getLogger(__name__)


def _purge(tx: WriteTx, participant_id: str) -> int:
    """Physically delete the participant and everything about them; returns rows removed.

    The one purge sync uses too (rows, revisions, index and its rebuild, drafts, queued
    changes and the pending batch), so erasure here and on other devices cannot drift apart.
    """
    removed = purge_participant(tx.session, participant_id)
    tx.session.expunge_all()  # nothing of them may be flushed back from the identity map
    return removed


def erase_in(tx: WriteTx, pid: str, erased_at: dt.datetime) -> ReceiptRow:
    """In ``tx``: purge the participant, keep the receipt, and queue the ``erase`` command
    every device and the server act on (protocol Op.ERASE). The receipt row is returned."""
    removed = _purge(tx, pid)
    receipt = tx.insert(ReceiptRow(participant_id=pid, erased_at=erased_at, rows_removed=removed))
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
    return receipt


def erase_participant(cb: Casebook, participant_id: str) -> Outcome[ErasureReceipt]:
    """Forget a participant: every row, revision, index entry, draft and unsent change.

    What stays is an erasure receipt (when, how many rows) and the audit line "erase". An
    ``erase`` change is queued whatever their consent was (the server may hold copies from
    a time they shared), and the file is vacuumed so freed pages hold nothing of them (a
    VACUUM that cannot run now, or that a closed app never ran, stays due: ``storage.vacuum``).
    """
    with cb.store.write() as tx:
        # the person is erased: every record of theirs (two found to be one person), each
        # with its own receipt and erase command, routed by that record as ever
        ids = records.person_ids(tx.session, participant_id)
        at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        removed = 0
        first: ErasureReceipt | None = None
        for pid in ids:
            receipt = erase_in(tx, pid, at)
            tx.audit(AuditAction.ERASE, "participant", pid)
            removed += receipt.rows_removed
            first = first or ErasureReceipt(receipt.id, pid, receipt.erased_at, 0)
        vacuum.mark_due(tx.session)  # with the erasure: an app closed before it leaves it due
        assert first is not None
        result = ErasureReceipt(first.id, first.participant_id, first.erased_at, removed)
        changes = tx.changes
    changes.entities.update({"participant", *PARTICIPANT_LINKED})
    vacuum.vacuum_if_due(
        cb.store
    )  # the vault busy in another window: the next sync or lock does it
    log.info("participant erased: %d rows removed", removed)
    return Outcome(result, changes)
