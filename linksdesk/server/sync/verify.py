"""Verify: per-table counts and digests of what the device may see, kept by every write."""

from __future__ import annotations

from linksdesk.server.db import Database
from linksdesk.server.digests import visible_digests
from linksdesk.server.sync.context import DeviceContext
from linksdesk.server.sync.handshake import server_meta
from linksdesk.sync.protocol import VerifyResponse


def verify(db: Database, ctx: DeviceContext) -> VerifyResponse:
    # digests kept per visibility scope by every writing transaction (server.digests):
    # the same answer as hashing every visible record, at a cost independent of their number
    with db.reading(snapshot=True) as s:
        meta = server_meta(s)
        return VerifyResponse(
            cursor_head=meta.seq,
            data_epoch=meta.data_epoch,
            tables=visible_digests(s, ctx.team_id, ctx.worker_id),
        )
