"""What the programme administrator does: teams, workers, enrolment, revocation, handover.

Used by the ``linksdesk-server`` command line and by the enrol endpoint. Tokens and
enrolment codes are stored only as sha256 hashes.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from linksdesk.core.ids import uuid7
from linksdesk.core.persons import resolve
from linksdesk.core.registry import CONSENT_TABLE, PARTICIPANT_TABLE
from linksdesk.server import keys
from linksdesk.server.config import note_line, revoked_file
from linksdesk.server.db import Counter, Database, lock_names, now_ms
from linksdesk.server.digests import RECORD_COLS, DigestNotes, noted_here
from linksdesk.server.digests import save as save_digests
from linksdesk.server.errors import (
    AdminError,
    BadEnrolCode,
    DeviceRevoked,
    NotEnrolled,
    ServerProblem,
)
from linksdesk.server.models import (
    ChangeLog,
    Device,
    EnrolCode,
    Erasure,
    Handover,
    ParticipantAccess,
    ProgrammeSetting,
    Record,
    RefusalLog,
    ServerMeta,
    Team,
    Worker,
)
from linksdesk.server.sealing import keyring_of
from linksdesk.server.sync.changelog import log_change, record_as_change
from linksdesk.server.sync.consent import owner_access
from linksdesk.server.sync.context import OWNER, READ_ONLY, DeviceContext
from linksdesk.server.sync.handshake import SETTING_KEYS, programme_settings
from linksdesk.server.sync.push import participant_lock
from linksdesk.server.sync.rules import MERGED_INTO
from linksdesk.sync.protocol import (
    HANDOVER_TABLE,
    Change,
    EnrolPreviewRequest,
    EnrolPreviewResponse,
    EnrolRequest,
    EnrolResponse,
    HandoverRow,
    Op,
    ProgrammeSettings,
    Role,
)

log = logging.getLogger(__name__)

# no 0/O, 1/I/L: codes are read out over the phone
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # ~79 bits
LAST_SEEN_EVERY_MS = 60_000
MIN_CODE_HOURS, MAX_CODE_HOURS = 0.1, 24 * 30.0


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())


# -- teams and workers ----------------------------------------------------------------------
def add_team(db: Database, name: str, team_id: str | None = None) -> str:
    """A new team's id: ``team_id`` when given (the id it had before a restore), else new."""
    name = name.strip()
    if not name:
        raise AdminError("A team needs a name.")
    given = _given_id(team_id)
    try:
        with db.writing() as s:
            if given is not None and s.get(Team, given) is not None:
                raise AdminError(f"There is already a team with id {given}.")
            team = Team(id=given or uuid7(), name=name, created_ms=now_ms())
            s.add(team)
            return team.id
    except IntegrityError:
        raise AdminError(f"There is already a team called {name!r}.") from None


def _given_id(ref: str | None) -> str | None:
    """An id given to ``add-team`` or ``add-worker`` (``--id``), written as ids are (lower
    case, with hyphens); None when none was given."""
    if ref is None:
        return None
    try:
        return str(uuid.UUID(ref.strip()))
    except ValueError:
        raise AdminError(
            f"{ref.strip()!r} is not an id: give it as `new-epoch` listed it "
            "(like 01938c5e-0000-7000-8000-00000000abcd)."
        ) from None


def find_team(db: Database, ref: str) -> Team:
    """A team by id or name (spaces around it do not count, as ``add-team`` stores it)."""
    ref = ref.strip()
    with db.reading() as s:
        team = s.get(Team, ref) or s.scalars(select(Team).where(Team.name == ref)).first()
        if team is None:
            raise AdminError(f"There is no team {ref!r}. See `linksdesk-server status`.")
        return team


def add_worker(
    db: Database, team: str, name: str, role: str = "worker", worker_id: str | None = None
) -> str:
    """A new worker's id: ``worker_id`` when given (the id it had before a restore, which
    a laptop enrolled for the worker holds), else new."""
    given = _given_id(worker_id)
    if role not in (Role.WORKER, Role.SUPERVISOR):
        raise AdminError("The role must be 'worker' or 'supervisor'.")
    name = name.strip()
    if not name:
        raise AdminError("A worker needs a name.")
    team_id = find_team(db, team).id
    with db.writing() as s:
        clash = s.scalars(
            select(Worker).where(Worker.team_id == team_id, Worker.name == name)
        ).first()
        if clash is not None:
            raise AdminError(f"Team {team!r} already has a worker called {name!r}.")
        if given is not None and s.get(Worker, given) is not None:
            raise AdminError(f"There is already a worker with id {given}.")
        worker = Worker(
            id=given or uuid7(), team_id=team_id, name=name, role=role, created_ms=now_ms()
        )
        s.add(worker)
        return worker.id


def find_worker(db: Database, ref: str) -> Worker:
    """A worker by id, or by name when the name is unique across teams (as ``add-worker``
    stored it: spaces around it do not count, capitals do)."""
    ref = ref.strip()
    with db.reading() as s:
        worker = s.get(Worker, ref)
        if worker is None:
            found = list(s.scalars(select(Worker).where(Worker.name == ref)))
            if len(found) > 1:
                raise AdminError(
                    f"More than one worker is called {ref!r}: {_named(s, found)}. "
                    "Give the worker id instead."
                )
            worker = found[0] if found else None
        if worker is None:
            raise AdminError(f"There is no worker {ref!r}. {_near(s, ref)}")
        return worker


def _named(s: Session, workers: list[Worker]) -> str:
    """Workers as an administrator tells them apart: name, team and id."""
    teams = {t.id: t.name for t in s.scalars(select(Team))}
    return "; ".join(f"{w.name!r} of team {teams.get(w.team_id)!r} ({w.id})" for w in workers)


def _near(s: Session, ref: str) -> str:
    """What to do about a worker name that matches none: the names close to it (capitals
    aside), to check and give; never taken in its place (a code must reach its worker)."""
    workers = list(s.scalars(select(Worker).order_by(Worker.name)))
    by_name: dict[str, list[Worker]] = {}
    for w in workers:
        by_name.setdefault(w.name.casefold(), []).append(w)
    close = difflib.get_close_matches(ref.casefold(), list(by_name), n=3, cutoff=0.75)
    if close:
        return f"Did you mean {_named(s, [w for c in close for w in by_name[c]])}?"
    return (
        "Check the spelling (capitals count), or give the worker id `add-worker` printed; "
        "`list-devices --json` shows the workers with laptops and their ids."
    )


# -- enrolment ------------------------------------------------------------------------------
@dataclass(frozen=True)
class EnrolCodeIssued:
    code: str
    worker_id: str
    expires_ms: int


def make_enrol_code(db: Database, worker: str, ttl_hours: float = 24) -> EnrolCodeIssued:
    if not MIN_CODE_HOURS <= ttl_hours <= MAX_CODE_HOURS:  # NaN too
        raise AdminError(
            f"--ttl-hours must be from {MIN_CODE_HOURS} ({int(MIN_CODE_HOURS * 60)} minutes) "
            f"to {MAX_CODE_HOURS:g} (30 days): a code must last long enough to be typed in."
        )
    worker_id = find_worker(db, worker).id
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    now = now_ms()
    expires = now + int(ttl_hours * 3_600_000)
    with db.writing() as s:
        s.add(
            EnrolCode(
                code_hash=sha256_hex(raw),
                worker_id=worker_id,
                created_ms=now,
                expires_ms=expires,
            )
        )
    return EnrolCodeIssued(code=code, worker_id=worker_id, expires_ms=expires)


def enrol(db: Database, req: EnrolRequest) -> EnrolResponse:
    """Trade a one-time code for a device token (shown once; only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    now = now_ms()
    with db.writing() as s:
        # locked: two devices racing with one code must not both see it unused (PostgreSQL)
        code, worker = _usable_code(s, req.code, now, lock=True)
        device_id = req.device_id or uuid7()
        lock_names(s, [f"device:{device_id}"])  # two enrolments of one id: one at a time
        device = s.get(Device, device_id)
        if device is not None and device.worker_id != worker.id:
            raise ServerProblem(
                "This device is already enrolled for another worker. Ask your programme "
                "administrator to help.",
                409,
            )
        if device is not None and device.revoked_ms is not None:
            raise DeviceRevoked()  # the code stays unused: the transaction is rolled back
        if device is None:
            device = Device(id=device_id, worker_id=worker.id, enrolled_ms=now, token_hash="")
            s.add(device)
        # re-enrolling a device (a vault enrolled again with a new code) replaces its token
        device.token_hash = sha256_hex(token)
        device.label = req.label
        device.enrolled_ms = now
        device.last_seen_ms = now
        code.used_ms = now
        code.device_id = device_id
        keys.register_signing_key(s, device, req.signing_key)
        meta = ServerMeta.the_row(s)
        epoch = meta.data_epoch if meta is not None else ""
        log.info("enrolled device %s for worker %s", device_id, worker.id)
        return EnrolResponse(
            device_id=device_id,
            token=token,
            worker_id=worker.id,
            team_id=worker.team_id,
            role=Role(worker.role),
            data_epoch=epoch,
            programme_key=keys.programme_key(s),
        )


def _usable_code(s: Session, typed: str, now: int, *, lock: bool) -> tuple[EnrolCode, Worker]:
    """The code typed and its worker; an unknown, used or expired code is refused."""
    code = s.get(EnrolCode, sha256_hex(normalise_code(typed)), with_for_update=lock)
    if code is None or code.used_ms is not None or code.expires_ms < now:
        raise BadEnrolCode()
    worker = s.get(Worker, code.worker_id)
    if worker is None:  # pragma: no cover - foreign key keeps it
        raise BadEnrolCode()
    return code, worker


def preview_enrol(db: Database, req: EnrolPreviewRequest) -> EnrolPreviewResponse:
    """Whose a code is, for the laptop to ask before it uses it; the code stays unused.
    Refused as ``enrol`` refuses it. The log says a code was looked at, never whose."""
    with db.reading() as s:
        _code, worker = _usable_code(s, req.code, now_ms(), lock=False)
        team = s.get(Team, worker.team_id)
        if team is None:  # pragma: no cover - foreign key keeps it
            raise BadEnrolCode()
        log.info("an enrolment code was previewed")
        return EnrolPreviewResponse(worker=worker.name, team=team.name, role=Role(worker.role))


def authenticate(db: Database, token: str) -> DeviceContext:
    """The device a bearer token belongs to; unknown or revoked tokens are refused."""
    if not token or len(token) > 200:
        raise NotEnrolled()
    token_hash = sha256_hex(token)
    now = now_ms()
    with db.reading() as s:
        sibling = aliased(Device)
        # the latest any other laptop of the worker was seen: kept behind it, this one
        # would look the laptop not in use to ``revoke-device`` (admin_ops)
        others_seen = (
            select(func.max(func.coalesce(sibling.last_seen_ms, sibling.enrolled_ms)))
            .where(
                sibling.worker_id == Device.worker_id,
                sibling.id != Device.id,
                sibling.revoked_ms.is_(None),
            )
            .scalar_subquery()
        )
        row = s.execute(
            select(Device, Worker, others_seen)
            .join(Worker, Worker.id == Device.worker_id)
            .where(Device.token_hash == token_hash)
        ).first()
        if row is None:
            raise NotEnrolled()
        device, worker, others = row
        if device.revoked_ms is not None:
            raise NotEnrolled()
        ctx = DeviceContext(device.id, worker.id, worker.team_id, worker.role, device.synced_ms)
        seen = device.last_seen_ms
        # written at most once a minute, unless another laptop of the worker was seen since
        # this one last was: the order of their last syncs stays exact
        stale = (
            seen is None
            or now - seen > LAST_SEEN_EVERY_MS
            or (others is not None and others >= seen)
        )
    if stale:
        with db.writing() as s:
            dev = s.get(Device, ctx.device_id)
            if dev is not None:
                dev.last_seen_ms = now
    return ctx


def note_synced(db: Database, ctx: DeviceContext) -> None:
    """Note that the device finished a sync: the server answered its pull with the last
    page, or its digests, which a laptop asks for only once its push has sent everything it
    had queued, so all it had recorded is here (``Device.synced_ms``; a record saved in the
    seconds the sync took goes with its next). Written at most once a minute, as
    ``last_seen_ms``: the time kept is then a little early, never late."""
    now = now_ms()
    if ctx.synced_ms is not None and now - ctx.synced_ms <= LAST_SEEN_EVERY_MS:
        return
    with db.writing() as s:
        device = s.get(Device, ctx.device_id)
        if device is not None and device.revoked_ms is None:
            device.synced_ms = now


def revoke_device(db: Database, device_id: str) -> str | None:
    """Revoke ``device_id`` and note it beside the server key (``config.revoked_file``);
    returns why the note could not be written (the revocation stands), else None."""
    with db.writing() as s:
        device = s.get(Device, device_id)
        if device is None:
            raise AdminError(f"There is no device {device_id!r}. See `list-devices`.")
        if device.revoked_ms is None:
            device.revoked_ms = now_ms()
        revoked_ms = device.revoked_ms
    log.info("revoked device %s", device_id)
    return note_line(revoked_file(db.url), f"{device_id} {revoked_ms}", "the revocation")


def revoke_again(db: Database) -> int:
    """After a restore: revoke again every device the note beside the server key names
    that the restored database holds unrevoked (it was revoked after the backup); how
    many. A line that is not a device id and a time is passed over."""
    try:
        lines = revoked_file(db.url).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return 0
    noted: dict[str, int] = {}
    for line in lines:
        device_id, _, when = line.strip().partition(" ")
        if when.isdigit():
            noted.setdefault(device_id, int(when))
    again = 0
    with db.writing() as s:
        for device in s.scalars(select(Device).where(Device.revoked_ms.is_(None))):
            if device.id in noted:
                device.revoked_ms = noted[device.id]
                again += 1
    if again:
        log.info("%d devices revoked again after a restore", again)
    return again


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    worker_id: str
    worker: str
    team: str
    label: str | None
    enrolled_ms: int
    last_seen_ms: int | None  # any request, a handshake alone too
    revoked_ms: int | None
    synced_ms: int | None = None  # when it last finished a sync (``Device.synced_ms``)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def list_devices(db: Database) -> list[DeviceInfo]:
    with db.reading() as s:
        rows = s.execute(
            select(Device, Worker, Team)
            .join(Worker, Worker.id == Device.worker_id)
            .join(Team, Team.id == Worker.team_id)
            .order_by(Team.name, Worker.name, Device.enrolled_ms)
        )
        return [
            DeviceInfo(
                d.id,
                w.id,
                w.name,
                t.name,
                d.label,
                d.enrolled_ms,
                d.last_seen_ms,
                d.revoked_ms,
                d.synced_ms,
            )
            for d, w, t in rows
        ]


# -- handover -------------------------------------------------------------------------------
class CaseMovedOn(AdminError):
    """The case is no longer the worker's it was read under (another command moved it)."""


@dataclass(frozen=True)
class HandoverDone:
    handover_id: str
    participant_id: str
    from_worker: str
    to_worker: str
    keep_read_only: bool
    rows_moved: int
    # the other records of the same person, moved with it (see ``same_person_records``)
    also_moved: tuple[str, ...] = ()


def _give_access(
    s: Session, notes: DigestNotes, access: tuple[str, str, str], mode: str, since_ms: int
) -> None:
    """Add one access row, (participant, worker, team), and note it for verify's digests."""
    participant_id, worker_id, team_id = access
    s.add(
        ParticipantAccess(
            participant_id=participant_id,
            worker_id=worker_id,
            team_id=team_id,
            mode=mode,
            since_ms=since_ms,
        )
    )
    notes.grant(access)


def handover(
    db: Database,
    participant_id: str,
    to_worker: str,
    keep_read_only: bool = False,
    *,
    person: tuple[str, ...] | None = None,
    from_worker: str | None = None,
) -> HandoverDone:
    """Move a case and every linked row to another worker of the same team.

    The new worker's device pulls the whole case (re-sent after the notice); the old
    worker's device pulls a notice telling it to drop the case or keep it read-only. A
    person registered twice is one case: the other records of the same person on the old
    worker's caseload (``core.persons``) move with it, in the same transaction, each with
    its own notice, so neither worker is left with half a person (``person``: those
    records, when the caller read them already). ``from_worker``: the worker the caller
    read the case under, checked under the case's lock (``CaseMovedOn`` when it is no
    longer theirs: handed on, withdrawn or forgotten since).
    """
    target = find_worker(db, to_worker)
    if person is None:
        with db.reading() as s:
            person = same_person_records(s, participant_id)
    else:  # the person's records, read for the whole caseload (``caseload_persons``)
        person = (participant_id, *(pid for pid in person if pid != participant_id))
    with db.writing() as s:
        lock_names(s, [participant_lock(pid) for pid in person])  # as a push of these does
        if from_worker is not None:
            access = owner_access(s, participant_id)
            if access is None or access.worker_id != from_worker:
                raise CaseMovedOn("That case is no longer that worker's.")
        counter = Counter(s)
        notes = DigestNotes()  # the case's sums move between caseloads
        noted_here(s)
        done = _hand_over(s, counter, notes, participant_id, target, keep_read_only)
        also: list[str] = []
        moved = done.rows_moved
        for other in person[1:]:
            access = owner_access(s, other)
            if access is None or access.worker_id != done.from_worker:
                continue  # moved or handed on meanwhile: not this worker's to hand over
            moved += _hand_over(s, counter, notes, other, target, keep_read_only).rows_moved
            also.append(other)
        s.flush()
        save_digests(s, notes)
        counter.save()
        log.info(
            "handed over participant %s (%d rows, %d other records of the person)",
            participant_id,
            moved,
            len(also),
        )
        return HandoverDone(
            done.handover_id,
            participant_id,
            done.from_worker,
            target.id,
            keep_read_only,
            moved,
            tuple(also),
        )


def same_person_records(s: Session, participant_id: str) -> tuple[str, ...]:
    """``participant_id`` first, then the other records of the same person on its owner's
    caseload (by the merge marks the server holds, read as every device reads them)."""
    access = owner_access(s, participant_id)
    if access is None:
        return (participant_id,)
    person = caseload_persons(s, access.worker_id, access.team_id).get(participant_id, ())
    return (participant_id, *(pid for pid in person if pid != participant_id))


def caseload_persons(s: Session, worker_id: str, team_id: str) -> dict[str, tuple[str, ...]]:
    """Each participant record on the worker's caseload → every record of its person there
    (the kept record and those merged into it, in id order): one read for a whole caseload,
    as ``move-cases`` hands it over."""
    ids = list(
        s.scalars(
            select(ParticipantAccess.participant_id).where(
                ParticipantAccess.worker_id == worker_id,
                ParticipantAccess.team_id == team_id,
                ParticipantAccess.mode == OWNER,
            )
        )
    )
    live: set[str] = set()
    named: dict[str, str] = {}
    for rec in _participant_records(s, ids):  # the marks are sealed
        live.add(rec.row_id)
        into = rec.fields.get(MERGED_INTO)
        if isinstance(into, str):
            named[rec.row_id] = into
    away = resolve(named, live)
    people: dict[str, list[str]] = {}
    for pid in sorted(live):
        people.setdefault(away.get(pid, pid), []).append(pid)
    return {pid: tuple(person) for person in people.values() for pid in person}


def _participant_records(s: Session, ids: list[str]) -> Iterator[Record]:
    """The live participant records of ``ids``, unsealed: every key in one query, the
    records 500 at a time."""
    keyring_of(s).preload(s, ids)
    for start in range(0, len(ids), 500):
        yield from s.scalars(
            select(Record).where(
                Record.table_name == PARTICIPANT_TABLE,
                Record.row_id.in_(ids[start : start + 500]),
                Record.deleted.is_(False),
            )
        )


# a programme id as LinksDesk shows it (P1042, or P1042~3fa9 when two laptops gave one)
_PROGRAMME_ID = re.compile(r"P\d{1,9}(~[0-9A-Z]{1,16})?", re.IGNORECASE)


def find_case(db: Database, ref: str, to_worker: str) -> str:
    """The participant id of a case of ``to_worker``'s team, given as the administrator
    has it: its programme id as LinksDesk shows it (read out by the worker; the server's
    record ids appear on no screen), or the participant id itself."""
    ref = ref.strip()
    if not _PROGRAMME_ID.fullmatch(ref):
        return ref  # a participant id: ``handover`` says if the server holds no such case
    team_id = find_worker(db, to_worker).team_id
    with db.reading() as s:
        team = s.get(Team, team_id)
        team_name = team.name if team is not None else team_id
        ids = list(
            s.scalars(
                select(Record.row_id).where(
                    Record.table_name == PARTICIPANT_TABLE,
                    Record.team_id == team_id,
                    Record.deleted.is_(False),
                )
            )
        )
        found = sorted(
            rec.row_id
            for rec in _participant_records(s, ids)
            if str(rec.fields.get("programme_id", "")).casefold() == ref.casefold()
        )
        # two laptops that gave one number before they were enrolled: told apart by worker
        held = {
            pid: name
            for pid, name in s.execute(  # (a Result has keys(): not a dict's argument)
                select(ParticipantAccess.participant_id, Worker.name)
                .join(Worker, Worker.id == ParticipantAccess.worker_id)
                .where(ParticipantAccess.participant_id.in_(found), ParticipantAccess.mode == OWNER)
            )
        }
    if len(found) > 1:
        each = ", ".join(f"{pid} (held by {held.get(pid, 'nobody')})" for pid in found)
        raise AdminError(
            f"More than one record of team {team_name!r} has programme id {ref}: {each}. "
            "Give the participant id of the one to hand over."
        )
    if not found:
        raise AdminError(
            f"The server holds no case with programme id {ref} in team {team_name!r}. Check "
            "the programme id on the participant's page in LinksDesk (the worker's "
            "laptop must have synced since it was recorded). A participant who has not "
            "agreed to share with the team, withdrew that, or was forgotten is not on "
            "the server."
        )
    return found[0]


def _hand_over(
    s: Session,
    counter: Counter,
    notes: DigestNotes,
    participant_id: str,
    target: Worker,
    keep_read_only: bool,
) -> HandoverDone:
    """One record's handover, in the caller's transaction (which saves the digests and the
    counter)."""
    if s.get(Erasure, (participant_id, target.team_id)) is not None:
        raise AdminError("This participant's record was erased; there is nothing to hand over.")
    access = owner_access(s, participant_id)
    if access is None:
        raise AdminError("The server holds no case with that participant id.")
    if access.team_id != target.team_id:
        raise AdminError("A case can only be handed to a worker in the same team.")
    if access.worker_id == target.id:
        raise AdminError("That worker already holds this case.")
    from_worker = access.worker_id
    now = now_ms()
    s.delete(access)
    s.flush()
    notes.grant((participant_id, from_worker, access.team_id), -1)
    previous = s.get(ParticipantAccess, (participant_id, target.id))
    if previous is not None:  # the new owner held it read-only before
        s.delete(previous)
        s.flush()
        notes.grant((participant_id, previous.worker_id, previous.team_id), -1)
    _give_access(s, notes, (participant_id, target.id, target.team_id), OWNER, now)
    if keep_read_only:
        _give_access(s, notes, (participant_id, from_worker, target.team_id), READ_ONLY, now)
    handover_id = uuid7()
    notice = HandoverRow(
        participant_id=participant_id,
        from_worker=from_worker,
        to_worker=target.id,
        keep_read_only=keep_read_only,
        at_ms=now,
    )
    # the server's own record of the handover holds what the devices are told
    s.add(Handover(id=handover_id, **notice.model_dump(mode="json")))
    records = list(s.scalars(select(Record).where(Record.participant_id == participant_id)))
    latest = max((r.hlc for r in records), default=None)
    notice_hlc = latest or f"{now:015d}-00000-server"
    log_change(
        s,
        counter,
        Change(
            change_id=uuid7(),
            table=HANDOVER_TABLE,
            row_id=handover_id,
            op=Op.UPSERT,
            hlc=notice_hlc,
            origin="server",
            owner=target.id,
            participant_id=participant_id,
            fields=notice.model_dump(mode="json"),
        ),
        target.team_id,
        extra_worker=from_worker,
    )
    # re-send the case: the new worker's cursor is already past its history; its consents
    # first, as a push logs them (a laptop takes no content before the consent allowing it)
    for rec in sorted(records, key=_resend_order):
        before = digest_values(rec)
        rec.owner = target.id
        rec.server_seq = log_change(s, counter, record_as_change(rec, uuid7()), target.team_id)
        notes.record_changed(before, digest_values(rec))
    return HandoverDone(
        handover_id, participant_id, from_worker, target.id, keep_read_only, len(records)
    )


def _resend_order(rec: Record) -> tuple[int, int]:
    first = (CONSENT_TABLE, PARTICIPANT_TABLE)
    return (first.index(rec.table_name) if rec.table_name in first else 2, rec.server_seq)


def digest_values(rec: Record) -> tuple[object, ...]:
    """A record's values the verify digests follow (``digests.RECORD_COLS``)."""
    return tuple(getattr(rec, name) for name in RECORD_COLS)


# -- programme settings ---------------------------------------------------------------------
def parse_setting(key: str, text: str) -> Any:
    """A setting's value from the command line, checked against the protocol's model."""
    if key not in SETTING_KEYS:
        raise AdminError(f"Unknown setting {key!r}; choose from {', '.join(SETTING_KEYS)}.")
    value: Any
    if key == "concern_taxonomy":
        stripped = text.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError:
                raise AdminError("The concern list is not valid JSON.") from None
        else:
            value = [c.strip() for c in text.split(",") if c.strip()]
        if not value:
            raise AdminError("The list of concerns cannot be empty.")
    elif key == "appointment_limit" and text.strip().lower() in ("none", "no", "off", ""):
        value = None
    else:
        try:
            value = int(text)
        except ValueError:
            raise AdminError(f"{key} must be a whole number.") from None
    try:
        ProgrammeSettings.model_validate({key: value})
    except PydanticValidationError:
        raise AdminError(f"{value!r} is not an allowed value for {key}.") from None
    return value


def set_setting(db: Database, team: str, key: str, text: str) -> int:
    """Set one programme setting for a team; returns the new settings version."""
    value = parse_setting(key, text)
    team_id = find_team(db, team).id
    with db.writing() as s:
        Counter(s)  # one settings writer at a time keeps versions distinct
        version = (
            s.scalar(
                select(func.max(ProgrammeSetting.version)).where(
                    ProgrammeSetting.team_id == team_id
                )
            )
            or 0
        ) + 1
        row = s.get(ProgrammeSetting, (team_id, key))
        if row is None:
            s.add(ProgrammeSetting(team_id=team_id, key=key, value=value, version=version))
        else:
            row.value, row.version = value, version
        return version


def show_settings(db: Database, team: str) -> tuple[ProgrammeSettings, int]:
    team_id = find_team(db, team).id
    with db.reading() as s:
        return programme_settings(s, team_id)


# -- status ---------------------------------------------------------------------------------
def status(db: Database) -> dict[str, Any]:
    with db.reading(snapshot=True) as s:
        meta = ServerMeta.the_row(s)

        def count(model: Any, *where: Any) -> int:
            return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)

        teams = [
            {
                "id": t.id,
                "name": t.name,
                "workers": count(Worker, Worker.team_id == t.id),
            }
            for t in s.scalars(select(Team).order_by(Team.name))
        ]
        return {
            "data_epoch": meta.data_epoch if meta else None,
            "cursor_head": meta.seq if meta else 0,
            "teams": teams,
            "workers": count(Worker),
            "devices_active": count(Device, Device.revoked_ms.is_(None)),
            "devices_revoked": count(Device, Device.revoked_ms.is_not(None)),
            "records": count(Record),
            "changes": count(ChangeLog),
            "refusals": count(RefusalLog),
            "erasures": count(Erasure),
            "handovers": count(Handover),
        }
