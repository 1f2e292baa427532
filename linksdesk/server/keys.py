"""The server's keys: its Ed25519 signing key, the programme's pseudonym key, and the
signing keys devices register at enrolment and handshake."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, aliased

from linksdesk.core.errors import UserError
from linksdesk.server.db import Database
from linksdesk.server.models import Device, ServerKey
from linksdesk.sync.bundle.signing import PublicKey, SigningKey

log = logging.getLogger(__name__)


def key_row(s: Session) -> ServerKey:
    row = ServerKey.the_row(s)
    if row is None:
        raise UserError("The server has no keys yet. Run `linksdesk-server init` first.")
    return row


def signing_key(s: Session) -> SigningKey:
    row = key_row(s)
    return SigningKey(bytes.fromhex(row.signing_seed), bytes.fromhex(row.key_id))


def programme_key(s: Session) -> str | None:
    row = ServerKey.the_row(s)
    return row.programme_key if row is not None else None


def public_key(db: Database) -> PublicKey:
    with db.reading() as s:
        return signing_key(s).public


def revoked_key(line: Any) -> ColumnElement[bool]:
    """A revoked device holds the signing key ``line`` (a value or a column)."""
    other = aliased(Device)
    return exists().where(other.signing_key == line, other.revoked_ms.is_not(None))


def register_signing_key(s: Session, device: Device, line: str | None) -> None:
    """Keep a device's public signing key; the first one registered stays (a key never
    silently changes: rosters would then vouch for another laptop)."""
    if not line or device.signing_key == line:
        return
    if device.signing_key is not None:
        log.warning("device %s offered a different signing key; the first one is kept", device.id)
        return
    # a public key proves nothing of its private half: one another worker's laptop holds
    # would have the team's roster vouch for this device as its signer (a worker's laptops
    # restored from one vault share theirs)
    held_by = s.scalar(
        select(Device.id)
        .where(Device.signing_key == line, Device.worker_id != device.worker_id)
        .limit(1)
    )
    if held_by is not None:
        log.warning(
            "device %s offered the signing key of device %s, another worker's; not kept",
            device.id,
            held_by,
        )
        return
    # a revoked laptop's key stays off rosters: whoever holds that laptop holds the key
    if s.scalar(select(revoked_key(line))):
        log.warning("device %s offered the signing key of a revoked device; not kept", device.id)
        return
    device.signing_key = line
    log.info("device %s registered its signing key", device.id)
