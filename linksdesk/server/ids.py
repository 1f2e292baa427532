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
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core.ids import PROGRAMME_FLOOR_CAP
from linksdesk.server.db import Counter, Database, now_ms
from linksdesk.server.errors import ServerProblem
from linksdesk.server.models import Device, EnrolCode, IdBlock, ServerMeta
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
        first = max(ID_FIRST_NUMBER, top + 1 + _forgotten(s, top), floor + 1)
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


def _forgotten(s: Session, top: int) -> int:
    """Numbers to leave unleased above ``top`` at the first lease of a data epoch started
    over blocks leased before it (``new-epoch`` after a restore), else 0.

    The restored database has forgotten the blocks it leased after the backup, and the
    laptops holding them give their numbers offline before they sync and report them (the
    request's floor). So the first lease after a restore leaves room for every block
    those could be: each device (and each unused enrolment code) this database knows, at
    most ``MAX_BLOCKS_PER_DAY`` blocks a day, for every day between the latest moment it
    recorded (no later than the backup) and the new epoch (the restore). Later leases of
    the epoch follow that first block. Kept below the floors devices report
    (``FLOOR_CAP``), which stop working above it. Not covered: a laptop enrolled after the
    backup (this database does not know it; it is enrolled again) and enrolment codes made
    after it."""
    if top == 0:
        return 0
    epoch = s.scalar(select(ServerMeta.data_epoch))
    if epoch is None or uuid.UUID(epoch).version != 7:
        return 0
    started = uuid.UUID(epoch).int >> 80  # a UUIDv7 begins with its milliseconds
    if (s.scalar(select(func.max(IdBlock.leased_ms))) or 0) >= started:
        return 0  # this epoch has leased already: its first lease left the room
    latest = latest_recorded(s)
    days = max(1, -(-(started - latest) // DAY_MS))
    devices = (
        s.scalar(select(func.count()).select_from(Device).where(Device.revoked_ms.is_(None))) or 0
    )
    codes = (
        s.scalar(
            select(func.count())
            .select_from(EnrolCode)
            .where(EnrolCode.used_ms.is_(None), EnrolCode.expires_ms > latest)
        )
        or 0
    )
    room = (devices + codes) * days * MAX_BLOCKS_PER_DAY * ID_BLOCK_SIZE
    return max(0, min(room, FLOOR_CAP - ID_BLOCK_SIZE - top))


def latest_recorded(s: Session) -> int:
    """The latest moment this database recorded (a lease, a sync, an enrolment, a code),
    in ms; restored from a backup, no later than the backup was made (0: none)."""
    moments = (
        select(func.max(IdBlock.leased_ms)),
        select(func.max(Device.last_seen_ms)),
        select(func.max(Device.enrolled_ms)),
        select(func.max(EnrolCode.created_ms)),
    )
    return max(s.scalar(q) or 0 for q in moments)


def _answer(block: IdBlock) -> IdLeaseResponse:
    return IdLeaseResponse(request_id=block.request_id, first=block.first, last=block.last)
