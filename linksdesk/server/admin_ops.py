"""Programme administration in bulk: move all of a worker's cases, cancel unused enrolment codes."""

from __future__ import annotations

from sqlalchemy import select, update

from linksdesk.server.admin import HandoverDone, find_worker, handover
from linksdesk.server.db import Database, now_ms
from linksdesk.server.errors import AdminError
from linksdesk.server.models import EnrolCode, ParticipantAccess


def move_cases(
    db: Database, from_worker: str, to_worker: str, *, keep_read_only: bool = False
) -> list[HandoverDone]:
    """Hand every case ``from_worker`` holds to ``to_worker`` (same team), one handover each.

    Each case moves whole or not at all; a failure stops before the next case, and those
    already moved stay moved (run the command again to carry on).
    """
    source = find_worker(db, from_worker)
    target = find_worker(db, to_worker)
    if source.id == target.id:
        raise AdminError("Choose two different workers.")
    if source.team_id != target.team_id:
        raise AdminError("Cases can only move to a worker in the same team.")
    with db.reading() as s:
        cases = list(
            s.scalars(
                select(ParticipantAccess.participant_id)
                .where(ParticipantAccess.worker_id == source.id, ParticipantAccess.mode == "owner")
                .order_by(ParticipantAccess.participant_id)
            )
        )
    return [handover(db, pid, target.id, keep_read_only) for pid in cases]


def cancel_codes(db: Database, worker: str) -> int:
    """Make every unused enrolment code of ``worker`` unusable; returns how many there were."""
    who = find_worker(db, worker)
    now = now_ms()
    with db.writing() as s:
        result = s.execute(
            update(EnrolCode)
            .where(
                EnrolCode.worker_id == who.id,
                EnrolCode.used_ms.is_(None),
                EnrolCode.expires_ms >= now,
            )
            .values(expires_ms=now - 1)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
