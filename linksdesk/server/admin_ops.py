"""Programme administration in bulk: move all of a worker's cases, cancel unused enrolment
codes; and revoking a laptop only once it is plainly not the one in use."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import ColumnElement, exists, select, update

from linksdesk.server.admin import (
    CaseMovedOn,
    DeviceInfo,
    HandoverDone,
    caseload_persons,
    find_worker,
    handover,
    list_devices,
    revoke_device,
)
from linksdesk.server.db import Database, now_ms
from linksdesk.server.errors import AdminError
from linksdesk.server.models import EnrolCode, Erasure, ParticipantAccess


def move_cases(
    db: Database, from_worker: str, to_worker: str, *, keep_read_only: bool = False
) -> list[HandoverDone]:
    """Hand every case ``from_worker`` holds to ``to_worker`` (same team), one handover each.

    Each case moves whole or not at all; a failure stops before the next case, and those
    already moved stay moved (run the command again to carry on). A participant the team
    erased is no case to move: their access row stays, so the erase command still reaches
    the worker's laptops. A case another command handed on while this one ran (a long
    caseload moves for minutes) stays where it was handed.
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
                .where(
                    ParticipantAccess.worker_id == source.id,
                    ParticipantAccess.mode == "owner",
                    ~exists().where(
                        Erasure.participant_id == ParticipantAccess.participant_id,
                        Erasure.team_id == ParticipantAccess.team_id,
                    ),
                )
                .order_by(ParticipantAccess.participant_id)
            )
        )
        persons = caseload_persons(s, source.id, source.team_id)
    done: list[HandoverDone] = []
    moved: set[str] = set()
    for pid in cases:
        if pid in moved:  # another record of a person handed over already, with it
            continue
        try:
            done.append(
                handover(
                    db,
                    pid,
                    target.id,
                    keep_read_only,
                    person=persons.get(pid, (pid,)),
                    from_worker=source.id,
                )
            )
        except CaseMovedOn:  # handed on (or withdrawn) by another command while this ran
            continue
        moved.update(done[-1].also_moved)
    return done


def cancel_codes(db: Database, worker: str) -> int:
    """Make every unused enrolment code of ``worker`` unusable; returns how many there were."""
    return _cancel_unused(db, EnrolCode.worker_id == find_worker(db, worker).id)


def cancel_every_code(db: Database) -> int:
    """Make every unused enrolment code unusable (``new-epoch``: a restored database holds
    as unused the codes cancelled since its backup); returns how many there were."""
    return _cancel_unused(db)


def _cancel_unused(db: Database, *where: ColumnElement[bool]) -> int:
    now = now_ms()
    with db.writing() as s:
        result = s.execute(
            update(EnrolCode)
            .where(*where, EnrolCode.used_ms.is_(None), EnrolCode.expires_ms >= now)
            .values(expires_ms=now - 1)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


class InUseError(AdminError):
    """The device to revoke is the laptop its worker synced from most recently."""


@dataclass(frozen=True)
class Revoked(DeviceInfo):
    """A device as it was before this revocation, and why the revocation could not be
    noted beside the server key (``admin.revoke_device``), if it could not."""

    unnoted: str | None = None


def revoke_unless_in_use(db: Database, device_id: str, *, in_use: bool = False) -> Revoked:
    """Revoke ``device_id``, refusing (unless ``in_use``) the laptop its worker last synced
    from while they have another: after a move that is the new laptop, and the old one is
    the one to revoke. A worker's only laptop (lost or stolen) is revoked at once. Returns
    the device as it was."""
    devices = list_devices(db)
    device = next((d for d in devices if d.device_id == device_id), None)
    if device is not None and device.revoked_ms is None and not in_use:
        others = [
            d
            for d in devices
            if d.worker_id == device.worker_id and d is not device and d.revoked_ms is None
        ]
        if others and all(_seen(device) >= _seen(d) for d in others):
            raise InUseError(
                f"Device {device_id} ({device.label or 'no name'}) is the laptop "
                f"{device.worker} synced from most recently: it looks in use. When a worker "
                f"moves to a new laptop, revoke the old one: its device id is shown on it, in "
                f"File › Moving to a new laptop…. Nothing was revoked. If this laptop was "
                f"lost or stolen, add --in-use to revoke it anyway."
            )
    unnoted = revoke_device(db, device_id)  # refuses a device id it does not know
    assert device is not None
    return Revoked(**asdict(device), unnoted=unnoted)


def _seen(device: DeviceInfo) -> int:
    return device.last_seen_ms or device.enrolled_ms
