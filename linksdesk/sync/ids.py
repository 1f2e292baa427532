"""Asking the sync server for a block of programme ids (see linksdesk.server.ids).

Done at enrolment and in every sync while fewer than ``ID_REFILL_BELOW`` leased numbers are
left, so an offline laptop keeps enough for weeks of new participants. The request is saved
in the vault before it is sent: a retry after a lost answer or a crash asks with the same id
and gets the same block, never a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from linksdesk.core.ids import uuid7
from linksdesk.storage import programme_ids
from linksdesk.storage.store import Store
from linksdesk.sync import state
from linksdesk.sync.protocol import ID_REFILL_BELOW, IdLeaseRequest, IdLeaseResponse
from linksdesk.sync.transport import RequestRefused, Transport

log = logging.getLogger(__name__)


def _save_request(s: Session) -> dict[str, object]:
    pending = {"request_id": uuid7(), "floor": programme_ids.lease_floor(s)}
    state.put(s, state.ID_LEASE, pending)
    return pending


def lease_ids(
    store: Store, transport: Transport, checkpoint: Callable[[str], None] | None = None
) -> int:
    """Ask for another block if this laptop is running low; returns the ids it holds after.

    A refusal (an older server, too many requests today) leaves the ids held here to serve;
    casework falls back to the vault's own counter only once every leased number is used.
    """
    with store.read() as s:
        left = programme_ids.remaining(s)
        pending = state.get(s, state.ID_LEASE)
    if left >= ID_REFILL_BELOW and not pending:
        return left
    if not pending:
        pending = store.keep(_save_request)
    if checkpoint is not None:
        checkpoint("ids:saved")
    try:
        block = transport.post("ids/lease", IdLeaseRequest(**pending), IdLeaseResponse)
    except RequestRefused as exc:
        log.warning("programme id lease refused (%d); %d ids left here", exc.status, left)
        if exc.status == 409:  # that request can never be served: ask afresh next time
            store.keep(lambda s: state.drop(s, state.ID_LEASE))
        return left

    def store_block(s: Session) -> int:
        if block.request_id == pending["request_id"] and block.first <= block.last:
            programme_ids.add_block(s, block.first, block.last)
            log.info("programme ids %d-%d leased to this laptop", block.first, block.last)
        state.drop(s, state.ID_LEASE)
        return programme_ids.remaining(s)

    left = store.keep(store_block)
    if checkpoint is not None:
        checkpoint("ids:stored")
    return left
