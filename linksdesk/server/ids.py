"""Programme id blocks: each enrolled device gets numbers of its own; no two give one id.

A device asks for a block (``POST /v1/ids/lease``) while it still has enough numbers for
weeks offline; the server hands out the next free numbers under the change counter's lock,
so two devices never get overlapping blocks, whichever server process answers. A request
carries an id the device saved before sending: asked again (the answer was lost), the
server answers with the same block, never a second one.

Numbers a vault gave out from its own counter before it was enrolled are reported as the
request's ``floor``; leases start above every floor reported, so later leased ids never
meet those.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from linksdesk.core.ids import PROGRAMME_FLOOR_CAP
from linksdesk.server.db import Counter, Database, now_ms
from linksdesk.server.errors import ServerProblem
from linksdesk.server.models import IdBlock
from linksdesk.server.sync.context import DeviceContext
from linksdesk.sync.protocol import (
    ID_BLOCK_SIZE,
    ID_FIRST_NUMBER,
    ID_MAX_NUMBER,
    IdLeaseRequest,
    IdLeaseResponse,
)

log = logging.getLogger(__name__)

# a floor above this is a mistake or an attack, and would waste the programme's numbers
FLOOR_CAP = PROGRAMME_FLOOR_CAP
# Blocks one device may take in a day: a laptop needs one every few months.
MAX_BLOCKS_PER_DAY = 10
DAY_MS = 24 * 3600 * 1000


def lease(db: Database, device: DeviceContext, body: IdLeaseRequest) -> IdLeaseResponse:
    """The block for this request: the one already given for its id, or the next free one."""
    with db.writing() as s:
        Counter(s)  # one lease (and one writer) at a time: blocks never overlap
        known = s.scalar(select(IdBlock).where(IdBlock.request_id == body.request_id))
        if known is not None:
            if known.device_id != device.device_id:
                raise ServerProblem("That lease request id belongs to another device.", 409)
            return _answer(known)
        now = now_ms()
        recent = s.scalar(
            select(func.count())
            .select_from(IdBlock)
            .where(IdBlock.device_id == device.device_id, IdBlock.leased_ms > now - DAY_MS)
        )
        if (recent or 0) >= MAX_BLOCKS_PER_DAY:
            raise ServerProblem(
                "This laptop has asked for programme ids too often today; it keeps the ones "
                "it has. Ask your programme administrator if this goes on.",
                403,
            )
        top = s.scalar(select(func.max(IdBlock.last))) or 0
        floor = body.floor if body.floor <= FLOOR_CAP else 0
        first = max(ID_FIRST_NUMBER, top + 1, floor + 1)
        last = first + ID_BLOCK_SIZE - 1
        if last > ID_MAX_NUMBER:
            raise ServerProblem("This programme has used every programme id there is.", 409)
        block = IdBlock(
            first=first,
            last=last,
            device_id=device.device_id,
            request_id=body.request_id,
            leased_ms=now,
        )
        s.add(block)
        s.flush()
        log.info("programme ids %d-%d leased to device %s", first, last, device.device_id)
        return _answer(block)


def _answer(block: IdBlock) -> IdLeaseResponse:
    return IdLeaseResponse(request_id=block.request_id, first=block.first, last=block.last)
