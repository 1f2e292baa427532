"""Pull: the change log in server_seq order, filtered to what the device may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from linksdesk.server.db import Database
from linksdesk.server.errors import CursorAhead
from linksdesk.server.models import AppliedOp, ChangeLog, ParticipantAccess
from linksdesk.server.sealing import keyring_of
from linksdesk.server.sync.context import DeviceContext
from linksdesk.server.sync.handshake import programme_settings, server_meta
from linksdesk.sync.protocol import (
    TEAM_TABLES,
    WORKER_TABLES,
    ChangeStatus,
    PullRequest,
    PullResponse,
    ServerChange,
)


# -- visibility -----------------------------------------------------------------------------
def _visible_participant(column: Any, worker_id: str) -> ColumnElement[bool]:
    """``column`` names a participant ``worker_id`` has access to.

    A correlated EXISTS on the access table's key, one look-up per row read, rather than
    ``IN (SELECT ... WHERE worker_id = ?)``, which builds the worker's whole caseload
    first on every pull: a cost in proportion to the caseload, not to what is pulled.
    """
    return exists().where(
        ParticipantAccess.participant_id == column, ParticipantAccess.worker_id == worker_id
    )


def _log_visible(ctx: DeviceContext) -> ColumnElement[bool]:
    """Change-log rows this device may pull (confidentiality rule 3)."""
    return and_(
        ChangeLog.team_id == ctx.team_id,
        or_(
            ChangeLog.table_name.in_(TEAM_TABLES),
            and_(ChangeLog.table_name.in_(WORKER_TABLES), ChangeLog.owner == ctx.worker_id),
            ChangeLog.extra_worker == ctx.worker_id,
            and_(
                ChangeLog.participant_id.is_not(None),
                _visible_participant(ChangeLog.participant_id, ctx.worker_id),
            ),
        ),
    )


def _not_own_echo(ctx: DeviceContext, through: int) -> ColumnElement[bool]:
    """Not a change this device sent itself and the server took as is (up to ``through``,
    the last such answer the device recorded): it holds the same already. Only the logged
    change itself (same change id) is left out; what the server derived from it (conflict
    rows, notices, re-sent consents) has ids of its own and still goes. A device restored
    from a backup holds an older ``through`` and so gets back what the backup missed."""
    own = (
        select(AppliedOp.change_id)
        .where(
            AppliedOp.change_id == ChangeLog.change_id,
            AppliedOp.device_id == ctx.device_id,
            AppliedOp.status == ChangeStatus.APPLIED.value,
        )
        .exists()
    )
    return not_(and_(ChangeLog.server_seq <= through, own))


# -- pull and verify ------------------------------------------------------------------------
def pull(db: Database, ctx: DeviceContext, req: PullRequest) -> PullResponse:
    with db.reading(snapshot=True) as s:
        meta = server_meta(s)
        head = meta.seq  # every change numbered up to here has committed
        if req.cursor > head:
            raise CursorAhead()
        visible = [ChangeLog.server_seq > req.cursor, ChangeLog.server_seq <= head]
        if req.own_through:
            visible.append(_not_own_echo(ctx, min(req.own_through, head)))
        rows = list(
            s.scalars(
                select(ChangeLog)
                .where(*visible, _log_visible(ctx))
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
