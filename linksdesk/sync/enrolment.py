"""Enrolling a laptop with the sync server, once, with a one-time code from the programme
administrator; rows made before it pass to the enrolled worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from linksdesk.core.errors import (
    SyncAuthError,
    SyncError,
    UserError,
    ValidationError,
)
from linksdesk.storage import restored
from linksdesk.storage.outbox import rows_touched
from linksdesk.storage.store import Store
from linksdesk.storage.tables import TABLE_BY_NAME
from linksdesk.storage.vault import Vault
from linksdesk.sync import state
from linksdesk.sync.bundle import keys as bundle_keys
from linksdesk.sync.ids import lease_ids
from linksdesk.sync.protocol import (
    EnrolPreviewRequest,
    EnrolPreviewResponse,
    EnrolRequest,
    EnrolResponse,
)
from linksdesk.sync.target import Target, opened
from linksdesk.sync.transport import (
    NOT_THERE_STATUS,
    Backoff,
    RequestRefused,
    Transport,
    is_loopback,
)

log = logging.getLogger(__name__)

# the server's answer to an enrolment under a revoked device id (server.errors.DeviceRevoked)
REVOKED = 410
CODE_NOT_ACCEPTED = (
    "That enrolment code was not accepted. It may have expired or been used already; ask "
    "your programme administrator for a new one."
)


@dataclass(frozen=True)
class EnrolResult:
    device_id: str
    worker_id: str
    team_id: str
    role: str
    server_url: str
    reowned_rows: int  # rows made before enrolment, now owned by the enrolled worker
    new_laptop: bool = False  # its old device id was revoked: it enrolled as a new laptop


def _address_allowed(url: str) -> bool:
    """https anywhere; plain http only to this machine (a local test or demo server)."""
    if url.lower().startswith("https://"):
        return len(url) > len("https://")
    if not url.lower().startswith("http://"):
        return False
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    return host is not None and is_loopback(host)


@dataclass(frozen=True)
class CodeOwner:
    """Whose an enrolment code is, as the server names them (a staff member's name and their
    team's: shown to the person, never logged)."""

    worker: str
    team: str


def whose_code(target: Target, server_url: str, code: str) -> CodeOwner | None:
    """Whose ``code`` is, asked of the server before it is used (it stays unused), so the
    person can see it is theirs before their records go to the server as someone's; None
    from an older server that cannot say (it answers 404: enrol goes on as it did).
    Refused as ``enrol`` refuses the code, the vault or the address."""
    _vault, _store, url, code = _checked(target, server_url, code)
    with Transport(url, backoff=Backoff(attempts=3)) as t:
        try:
            answer = t.post("enrol/preview", EnrolPreviewRequest(code=code), EnrolPreviewResponse)
        except SyncAuthError:
            raise SyncAuthError(CODE_NOT_ACCEPTED) from None
        except RequestRefused as exc:
            if exc.status not in NOT_THERE_STATUS:
                raise
            log.info("the server cannot say whose an enrolment code is (%d)", exc.status)
            return None
    log.info("the server said whose an enrolment code is")
    return CodeOwner(worker=_printable(answer.worker), team=_printable(answer.team))


def _printable(name: str) -> str:
    """A name as shown: no control or bidirectional character (a terminal escape, text
    shown reordered)."""
    return "".join(ch for ch in name if ch.isprintable())


def _checked(target: Target, server_url: str, code: str) -> tuple[Vault | None, Store, str, str]:
    """The vault, its store, the server address and the code, once the vault may enrol and
    the code and address look right."""
    vault, store = opened(target)
    with store.read() as s:
        if bundle_keys.is_supervisor(s):
            # its rows are copies of the workers' cases from bundles: synced, its verify
            # found them missing from the server every time and never settled
            raise UserError(
                "This is a supervisor's vault: it takes the team's data from bundles (File › "
                "Import a bundle…) and does not sync with the server. Nothing was sent and "
                "the code was not used. To sync a caseload of your own, enrol a links "
                "worker's vault (linksdesk new) instead."
            )
    code = code.strip()
    if not 4 <= len(code) <= 64:
        raise ValidationError("The enrolment code should look like ABCD-EFGH-JKLM-NPQR.")
    url = server_url.strip().rstrip("/")
    if not _address_allowed(url):
        raise ValidationError("The server address must start with https://")
    return vault, store, url, code


def enrol(target: Target, server_url: str, code: str, *, label: str | None = None) -> EnrolResult:
    """Enrol this vault's device with the server using a one-time code.

    Stores the device token, the server address and the worker id in the vault. Rows
    written before enrolment (owned by the vault's provisional worker id) pass to the
    enrolled worker. The token is never logged or shown.
    """
    vault, store, url, code = _checked(target, server_url, code)
    try:
        answer = _ask_server(store, url, code, label)
        became_new = False
    except _Revoked:
        # the server never enrols a revoked device id again: this vault becomes a laptop
        # of its own, here and now, and the same code (left unused) enrols it as that
        _become_a_new_laptop(store, vault)
        answer = _ask_server(store, url, code, label)
        became_new = True
    if answer.device_id != store.device_id:
        raise SyncError("The server gave this laptop a different device id; enrolment stopped.")

    def store_enrolment(s: Session) -> tuple[str, int]:
        enrolled_for = state.get(s, state.WORKER_ID)
        if enrolled_for and enrolled_for != answer.worker_id and state.get(s, state.CURSOR, 0):
            raise UserError(
                "This vault already syncs for another worker. Use a separate vault for each worker."
            )
        old_worker = str(state.local_setting(s, "worker_id", store.worker_id))
        reowned = 0
        if old_worker != answer.worker_id:
            reowned = _reown_all(s, old_worker, answer.worker_id)
        state.put(s, state.SERVER_URL, url)
        state.put(s, state.TOKEN, answer.token)
        state.put(s, state.WORKER_ID, answer.worker_id)
        state.put(s, state.TEAM_ID, answer.team_id)
        state.put(s, state.ROLE, answer.role.value)
        state.put(s, state.DEVICE_ID, answer.device_id)
        state.drop(s, state.COPIED)  # a device of its own now
        state.put_local_setting(s, "worker_id", answer.worker_id)
        if answer.programme_key:
            state.put(s, bundle_keys.PROGRAMME_KEY, answer.programme_key)
        return old_worker, reowned

    # the answer is written on the vault's writer thread: enrolment talks from the network's
    old_worker, reowned = store.keep(store_enrolment)
    if vault is not None:
        vault.worker_id = answer.worker_id
    store.worker_id = answer.worker_id
    store.actor = answer.worker_id if store.actor == old_worker else store.actor
    log.info("device %s enrolled for worker %s", answer.device_id, answer.worker_id)
    try:  # programme ids of its own before the first new participant; sync retries
        with Transport(url, answer.token, backoff=Backoff(attempts=3)) as t:
            lease_ids(store, t)
    except SyncError as exc:
        log.info(
            "no programme ids leased at enrolment (%s); the next sync asks", type(exc).__name__
        )
    return EnrolResult(
        device_id=answer.device_id,
        worker_id=answer.worker_id,
        team_id=answer.team_id,
        role=answer.role.value,
        server_url=url,
        reowned_rows=reowned,
        new_laptop=became_new,
    )


class _Revoked(SyncError):
    """The server refused this vault's device id for good (it was revoked)."""

    def __init__(self) -> None:
        super().__init__(
            "The sync server refused this laptop: it was revoked by your programme "
            "administrator. Your work stays safe here; ask them for help."
        )


def _ask_server(store: Store, url: str, code: str, label: str | None) -> EnrolResponse:
    """Trade the code for a token under this vault's device id and signing key."""
    signing = store.on_writer(
        lambda: bundle_keys.signing_key(store)
    ).public.line  # rosters name this laptop by it
    request = EnrolRequest(code=code, device_id=store.device_id, label=label, signing_key=signing)
    with Transport(url, backoff=Backoff(attempts=3)) as t:
        try:
            return t.post("enrol", request, EnrolResponse)
        except SyncAuthError:
            raise SyncAuthError(CODE_NOT_ACCEPTED) from None
        except RequestRefused as exc:
            if exc.status != REVOKED:
                raise
            raise _Revoked() from None


def _become_a_new_laptop(store: Store, vault: Vault | None) -> None:
    """The server revoked the device this vault is (a laptop reported lost and found
    again, or moved from and then used on): the vault becomes a laptop of its own, as a
    vault copied by hand does (``restored.take_as_copy``: a new device id, a signing key of
    its own), keeping everything in it. The open vault takes the new identity at once, so
    it enrols as that laptop without being locked and unlocked."""

    def new_identity(s: Session) -> str:
        restored.take_as_copy(s)
        state.drop(s, state.TOKEN)
        return str(state.local_setting(s, "device_id"))

    device_id = store.keep(new_identity)
    store.take_device_id(device_id)
    if vault is not None:
        vault.device_id = device_id
    log.warning("this vault's device was revoked on the server: it is a new device now")


def _reown_all(s: Session, old: str, new: str) -> int:
    total = 0
    for cls in TABLE_BY_NAME.values():
        total += rows_touched(
            s.execute(update(cls).where(cls.owner == old).values(owner=new))  # type: ignore[attr-defined]
        )
    s.execute(
        text(
            "UPDATE outbox SET payload = json_set(payload, '$.owner', :new) "
            "WHERE json_extract(payload, '$.owner') = :old"
        ),
        {"new": new, "old": old},
    )
    return int(total)
