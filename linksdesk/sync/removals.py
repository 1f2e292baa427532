"""What a pull would take away here, counted before it is applied: the facts behind the
mass-removal guard, and the reading of the pulled changes that remove (erasures, handovers,
withdrawals of team sharing)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from linksdesk.core.errors import SyncError, UserError
from linksdesk.core.registry import (
    CONSENT_TABLE,
    PURGE_ORDER,
    TEAM_SCOPE,
)
from linksdesk.storage.tables import (
    TABLE_BY_NAME,
    Consent,
    Participant,
)
from linksdesk.sync.protocol import (
    HANDOVER_TABLE,
    HandoverRow,
    Op,
    ServerChange,
    is_erasure,
)
from linksdesk.sync.shapes import SHAPES

log = logging.getLogger(__name__)

MASS_DELETE_SHARE = 0.30
MASS_DELETE_MIN_ROWS = 25  # below this, a small vault's ordinary deletes never ask
# Withdrawals of team sharing count by person, not by row: one is a deliberate purge of
# one participant and never asks, however long their record; more than this many at once,
# or more than MASS_DELETE_SHARE of the people on the laptop, is a flood and asks first.
MASS_WITHDRAWAL_MAX = 5

_ASK = (
    "Nothing more was changed. If you expected this, sync again and choose to allow the "
    "removals; otherwise ask your programme administrator."
)


class MassDeletionError(SyncError, UserError):
    """A pull would remove a large share of this device's records: stop and ask first."""

    def __init__(self, would_delete: int, records: int, *, message: str | None = None) -> None:
        share = round(100 * would_delete / max(records, 1))
        super().__init__(
            message
            or f"This sync would remove {would_delete} of the {records} records on this laptop "
            f"({share} %). {_ASK}"
        )
        self.would_delete = would_delete
        self.records = records


class MassWithdrawalError(MassDeletionError):
    """Pulled withdrawals of team sharing would purge many people here at once: ask first."""

    def __init__(self, withdrawn: int, participants: int) -> None:
        super().__init__(
            withdrawn,
            participants,
            message=(
                f"This sync would remove {withdrawn} of the {participants} people on this "
                "laptop, because consent to share their record with the team was withdrawn "
                f"for each of them at once. {_ASK}"
            ),
        )


def is_mass_withdrawal(withdrawn: int, participants: int) -> bool:
    """Whether purging ``withdrawn`` of ``participants`` people in one sync must ask first."""
    if withdrawn <= 1:
        return False
    return withdrawn > MASS_WITHDRAWAL_MAX or withdrawn > MASS_DELETE_SHARE * participants


# -- counting -------------------------------------------------------------------------------
def live_records(session: Session) -> int:
    """Rows this device holds that are not tombstones (the mass-deletion guard's base)."""
    total = 0
    for cls in TABLE_BY_NAME.values():
        total += (
            session.scalar(select(func.count()).select_from(cls).where(cls.deleted.is_(False))) or 0
        )
    return total


def live_rows_of(session: Session, participant_id: str) -> int:
    total = (
        session.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.id == participant_id, Participant.deleted.is_(False))
        )
        or 0
    )
    for name in PURGE_ORDER:
        cls: Any = TABLE_BY_NAME[name]
        total += (
            session.scalar(
                select(func.count())
                .select_from(cls)
                .where(cls.participant_id == participant_id, cls.deleted.is_(False))
            )
            or 0
        )
    return int(total)


def removals_in(session: Session, changes: Iterable[ServerChange], worker_id: str) -> int:
    """How many live rows here applying ``changes`` would remove (delete, erase, hand away).

    Withdrawals of team sharing are not counted here but by person (``withdrawals_in``).
    """
    deletes: dict[str, set[str]] = {}
    total = 0
    for ch in changes:
        if ch.op is Op.DELETE and ch.table in SHAPES:
            deletes.setdefault(ch.table, set()).add(ch.row_id)
        elif is_erasure(ch):
            total += live_rows_of(session, ch.row_id)
        elif ch.table == HANDOVER_TABLE and ch.op is Op.UPSERT:
            notice = read_handover(ch)
            if notice and notice.from_worker == worker_id and not notice.keep_read_only:
                total += live_rows_of(session, notice.participant_id)
    for table, ids in deletes.items():
        cls: Any = SHAPES[table].cls
        total += (
            session.scalar(
                select(func.count())
                .select_from(cls)
                .where(cls.id.in_(list(ids)), cls.deleted.is_(False))
            )
            or 0
        )
    return int(total)


def live_participants(session: Session) -> int:
    """Participants this device holds (the base of the withdrawal guard)."""
    return int(
        session.scalar(
            select(func.count()).select_from(Participant).where(Participant.deleted.is_(False))
        )
        or 0
    )


def withdrawals_in(session: Session, changes: Iterable[ServerChange], device_id: str) -> set[str]:
    """Participants held here that team withdrawals among ``changes`` would purge."""
    out: set[str] = set()
    for ch in changes:
        pid = ch.participant_id
        if pid is None or pid in out or not withdrawal_from_elsewhere(ch, device_id):
            continue
        if not superseded_here(session, ch) and live_rows_of(session, pid):
            out.add(pid)
    return out


def withdrawal_from_elsewhere(ch: ServerChange, device_id: str) -> bool:
    """A team consent saying no, recorded on another device (the worker's other laptop)."""
    return bool(says_no_to_team(ch) and ch.origin != device_id and ch.participant_id)


def superseded_here(session: Session, ch: ServerChange) -> bool:
    """A later team consent version is held here: the withdrawal is history, not news."""
    version = ch.fields.get("version")
    newest = session.scalar(
        select(func.max(Consent.version)).where(
            Consent.participant_id == ch.participant_id,
            Consent.scope == TEAM_SCOPE,
            Consent.deleted.is_(False),
            Consent.id != ch.row_id,
        )
    )
    return newest is not None and isinstance(version, int) and newest > version


def read_handover(ch: ServerChange) -> HandoverRow | None:
    try:
        return HandoverRow.model_validate(ch.fields)
    except ValueError:
        log.warning("handover notice %s could not be read; ignored", ch.row_id)
        return None


def says_no_to_team(ch: ServerChange) -> bool:
    return (
        ch.table == CONSENT_TABLE
        and ch.op is Op.UPSERT
        and ch.fields.get("scope") == TEAM_SCOPE
        and ch.fields.get("given") is False
    )
