"""Which change-log entries a device may pull, and whether any wait for it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, not_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from linksdesk.server.models import AppliedOp, ChangeLog, ParticipantAccess
from linksdesk.server.sync.context import DeviceContext
from linksdesk.sync.protocol import TEAM_TABLES, WORKER_TABLES, ChangeStatus


def _visible_participant(column: Any, worker_id: str) -> ColumnElement[bool]:
    """``column`` names a participant ``worker_id`` has access to.

    A correlated EXISTS on the access table's key, one look-up per row read, rather than
    ``IN (SELECT ... WHERE worker_id = ?)``, which builds the worker's whole caseload
    first on every pull: a cost in proportion to the caseload, not to what is pulled.
    """
    return exists().where(
        ParticipantAccess.participant_id == column, ParticipantAccess.worker_id == worker_id
    )


def log_visible(ctx: DeviceContext) -> ColumnElement[bool]:
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


def not_own_echo(ctx: DeviceContext, through: int) -> ColumnElement[bool]:
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


def nothing_for(s: Session, ctx: DeviceContext, cursor: int, head: int, own_through: int) -> bool:
    """Whether the log between ``cursor`` and ``head`` holds nothing this device would
    pull: the same filter as a pull, asked for one row. The log is read by its
    ``server_seq`` key from the cursor, so the cost is what a pull of an empty page costs."""
    if cursor >= head:
        return True
    visible = [ChangeLog.server_seq > cursor, ChangeLog.server_seq <= head, log_visible(ctx)]
    if own_through:
        visible.append(not_own_echo(ctx, min(own_through, head)))
    return s.scalar(select(ChangeLog.server_seq).where(*visible).limit(1)) is None
