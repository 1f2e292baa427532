"""Pull: the change log in server_seq order, filtered to what the device may see."""

from __future__ import annotations

from sqlalchemy import select

from linksdesk.server.db import Database
from linksdesk.server.errors import CursorAhead
from linksdesk.server.models import ChangeLog
from linksdesk.server.sealing import keyring_of
from linksdesk.server.sync.context import DeviceContext
from linksdesk.server.sync.handshake import programme_settings, server_meta
from linksdesk.server.sync.visibility import log_visible, not_own_echo
from linksdesk.sync.protocol import PullRequest, PullResponse, ServerChange


# -- pull and verify ------------------------------------------------------------------------
def pull(db: Database, ctx: DeviceContext, req: PullRequest) -> PullResponse:
    with db.reading(snapshot=True) as s:
        meta = server_meta(s)
        head = meta.seq  # every change numbered up to here has committed
        if req.cursor > head:
            raise CursorAhead()
        visible = [ChangeLog.server_seq > req.cursor, ChangeLog.server_seq <= head]
        if req.own_through:
            visible.append(not_own_echo(ctx, min(req.own_through, head)))
        rows = list(
            s.scalars(
                select(ChangeLog)
                .where(*visible, log_visible(ctx))
                .order_by(ChangeLog.server_seq)
                .limit(req.limit + 1)
            )
        )
        has_more = len(rows) > req.limit
        rows = rows[: req.limit]
        keyring = keyring_of(s)
        keyring.preload(s, (r.participant_id for r in rows))
        # the payload is the change as logged; its number is the row's (an older server
        # kept it in the payload too, the same value)
        changes = [
            ServerChange.model_validate({**opened, "server_seq": r.server_seq})
            for r, opened in ((r, keyring.open(s, r.payload)) for r in rows)
            if opened is not None  # a shredded participant's entry (gone in the same commit)
        ]
        # with nothing more for this device up to head, skip past others' rows in one go
        next_cursor = rows[-1].server_seq if has_more else head
        _, version = programme_settings(s, ctx.team_id)
        return PullResponse(
            changes=changes,
            next_cursor=next_cursor,
            has_more=has_more,
            data_epoch=meta.data_epoch,
            settings_version=version,
        )
