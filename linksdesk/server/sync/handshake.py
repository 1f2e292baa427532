"""The handshake: versions, the data epoch, the device's identity and programme settings."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.core.hlc import MAX_DRIFT_MS
from linksdesk.core.settings import Settings
from linksdesk.server import keys
from linksdesk.server.db import Database, now_ms
from linksdesk.server.errors import ServerProblem, VersionMismatch
from linksdesk.server.models import Device, ProgrammeSetting, ServerMeta
from linksdesk.server.sync.context import DeviceContext
from linksdesk.server.sync.visibility import nothing_for
from linksdesk.sync.protocol import (
    MAX_BATCH,
    MAX_PULL_LIMIT,
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
    HandshakeRequest,
    HandshakeResponse,
    ProgrammeSettings,
    Role,
)

log = logging.getLogger(__name__)

# -- settings -------------------------------------------------------------------------------
SETTING_KEYS = ("appointment_limit", "concern_taxonomy", "not_seen_weeks")


def programme_settings(s: Session, team_id: str) -> tuple[ProgrammeSettings, int]:
    """The team's programme settings (defaults from core.settings) and their version."""
    defaults = Settings()
    values: dict[str, Any] = {
        "appointment_limit": defaults.appointment_limit,
        "concern_taxonomy": list(defaults.concern_taxonomy),
        "not_seen_weeks": defaults.not_seen_weeks,
    }
    version = 0
    for row in s.scalars(select(ProgrammeSetting).where(ProgrammeSetting.team_id == team_id)):
        if row.key in values and _usable(row.key, row.value):
            values[row.key] = row.value
        version = max(version, row.version)
    return ProgrammeSettings.model_validate(values), version


# what pydantic calls a value of the right type outside its range
_OUT_OF_RANGE = frozenset({"less_than_equal", "greater_than_equal", "string_too_long", "too_long"})


def _usable(key: str, value: Any) -> bool:
    """Whether a stored setting is sent: one set before its range narrowed (an appointment
    limit over 100, a concern over 64 characters) gives way to the default, or every
    handshake would fail. A value of the wrong type (edited by hand) is left to fail as an
    unexpected problem, named and never shown."""
    try:
        ProgrammeSettings.model_validate({key: value})
    except PydanticValidationError as refused:
        if all(e["type"] in _OUT_OF_RANGE for e in refused.errors()):
            log.warning("programme setting %s stored out of its range: the default is sent", key)
            return False
    return True


def server_meta(s: Session) -> ServerMeta:
    meta = ServerMeta.the_row(s)
    if meta is None:  # check_ready at startup makes this unreachable in a served app
        raise ServerProblem("The server database is not initialised.", 503)
    return meta


# -- handshake ------------------------------------------------------------------------------
def handshake(db: Database, ctx: DeviceContext, req: HandshakeRequest) -> HandshakeResponse:
    if req.protocol_version < PROTOCOL_VERSION or req.schema_version < SCHEMA_VERSION:
        raise VersionMismatch(
            "This copy of LinksDesk is too old to sync with the server. Update LinksDesk, "
            "then sync again; your work stays safe on this laptop meanwhile."
        )
    if req.protocol_version > PROTOCOL_VERSION:
        raise VersionMismatch(
            "This LinksDesk is newer than the sync server. Ask your programme administrator "
            "to update the server; your work stays safe on this laptop meanwhile."
        )
    if req.schema_version > SCHEMA_VERSION:
        raise VersionMismatch(
            "This LinksDesk is newer than the sync server. Ask your programme administrator "
            "to update the server; your work stays safe on this device meanwhile."
        )
    if req.device_id != ctx.device_id:
        raise ServerProblem("This device's id does not match its enrolment.", 409)
    if req.signing_key is not None:
        with db.reading() as s:
            held = s.scalar(select(Device.signing_key).where(Device.id == ctx.device_id))
        if held is None:  # once per device: every later handshake only reads
            with db.writing() as s:
                device = s.get(Device, ctx.device_id)
                if device is not None:
                    keys.register_signing_key(s, device, req.signing_key)
    with db.reading(snapshot=True) as s:
        meta = server_meta(s)
        settings, version = programme_settings(s, ctx.team_id)
        # a cursor past the head means the database went back in time (a restore
        # without `new-epoch`): the device must resync by merging all the same
        epoch_changed = (req.data_epoch is not None and req.data_epoch != meta.data_epoch) or (
            req.cursor is not None and req.cursor > meta.seq
        )
        quiet = (
            not epoch_changed
            and req.cursor is not None
            and nothing_for(s, ctx, req.cursor, meta.seq, req.own_through)
        )
        return HandshakeResponse(
            protocol_version=PROTOCOL_VERSION,
            schema_version=SCHEMA_VERSION,
            data_epoch=meta.data_epoch,
            epoch_changed=epoch_changed,
            server_time_ms=now_ms(),
            cursor_head=meta.seq,
            worker_id=ctx.worker_id,
            team_id=ctx.team_id,
            role=Role(ctx.role),
            settings=settings,
            settings_version=version,
            max_batch=MAX_BATCH,
            max_pull_limit=MAX_PULL_LIMIT,
            max_drift_ms=MAX_DRIFT_MS,
            programme_key=keys.programme_key(s),
            quiet_through=meta.seq if quiet else None,
        )
