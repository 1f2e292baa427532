"""A vault's keys for bundles: its Ed25519 signing key and, for a supervisor, an age identity.

Both live inside the encrypted vault (``local_setting``). The signing key is made with a new
vault, or on first need for a vault made before bundles existed; its public half goes to
the server at enrolment and handshake. Only a supervisor's vault has an age identity: it is
what bundles are encrypted to.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pyrage import x25519
from sqlalchemy.orm import Session

from linksdesk.core import files
from linksdesk.core.errors import UserError
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import restored
from linksdesk.storage.store import Store
from linksdesk.sync import state
from linksdesk.sync.bundle.signing import PublicKey, SigningKey

log = logging.getLogger(__name__)

VAULT_KIND = "vault_kind"
SUPERVISOR = "supervisor"
WORKER = "worker"
SIGNING_KEY = restored.SIGNING_KEY  # a vault copied by hand gives it up (a device's own)
AGE_IDENTITY = "age_identity"
PROGRAMME_KEY = "programme_key"  # sync_state: the programme's pseudonym key, from the server
DEPRIVATION_SOURCE = "deprivation_source"  # local_setting: {"name", "year", "postcodes"}


def vault_kind(s: Session) -> str:
    return str(state.local_setting(s, VAULT_KIND, WORKER))


def is_supervisor(s: Session) -> bool:
    return vault_kind(s) == SUPERVISOR


def make_supervisor(store: Store) -> None:
    """Mark a new vault as a supervisor's (it imports bundles; it is not a caseload)."""
    with store.write() as tx:
        state.put_local_setting(tx.session, VAULT_KIND, SUPERVISOR)
        ensure_signing_key(tx.session)
        tx.audit(AuditAction.CREATE, "supervisor_vault")


def ensure_signing_key(s: Session) -> SigningKey:
    """The vault's signing key, made now if this vault has none yet."""
    stored = state.local_setting(s, SIGNING_KEY)
    if stored is not None:
        return SigningKey.from_json(stored)
    key = SigningKey.generate()
    state.put_local_setting(s, SIGNING_KEY, key.to_json())
    log.info("signing key made for this vault (%s)", key.public.fingerprint)
    return key


def signing_key(store: Store) -> SigningKey:
    with store.read() as s:
        stored = state.local_setting(s, SIGNING_KEY)
    if stored is not None:
        return SigningKey.from_json(stored)
    with store.write() as tx:
        return ensure_signing_key(tx.session)


def age_identity(s: Session) -> str | None:
    value = state.local_setting(s, AGE_IDENTITY)
    return str(value) if value else None


def recipient_of(identity: str) -> str:
    return str(x25519.Identity.from_str(identity).to_public())


def new_age_identity(store: Store) -> str:
    """Make the supervisor's age identity; returns its public recipient (``age1…``)."""
    with store.write() as tx:
        s = tx.session
        if not is_supervisor(s):
            raise UserError(
                "Only a supervisor's vault has a key to receive bundles. Create one with "
                "`linksdesk new --supervisor`."
            )
        if age_identity(s) is not None:
            raise UserError(
                "This vault already has a bundle key; `linksdesk keys show` prints it. It is "
                "never replaced: bundles made for it could no longer be opened."
            )
        identity = x25519.Identity.generate()
        state.put_local_setting(s, AGE_IDENTITY, str(identity))
        tx.audit(AuditAction.CREATE, "bundle_key")
    log.info("age identity made for this supervisor vault")
    return str(identity.to_public())


@dataclass(frozen=True)
class KeyReport:
    kind: str
    recipient: str | None
    signing: PublicKey


def show(store: Store) -> KeyReport:
    key = signing_key(store)
    with store.read() as s:
        identity = age_identity(s)
        kind = vault_kind(s)
    return KeyReport(kind, recipient_of(identity) if identity else None, key.public)


def export_identity(store: Store, out: Path) -> Path:
    """Write the age identity as a standard identity file (mode 0600, never overwriting)."""
    with store.read() as s:
        identity = age_identity(s)
    if identity is None:
        raise UserError("This vault has no bundle key yet; make one with `linksdesk keys new`.")
    text = (
        f"# created: {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ} by LinksDesk\n"
        f"# public key: {recipient_of(identity)}\n"
        f"{identity}\n"
    )
    if os.path.lexists(out):
        raise UserError(f"{out} already exists; it was left as it is.")
    # whole or not at all: a full stick used to leave an empty key file under the name
    files.write_whole(out, text.encode("ascii"), what="The key file")
    with store.write() as tx:
        tx.audit(AuditAction.EXPORT, "bundle_key")
    return out
