"""The handshake step: what this device holds, what the server says; a write only for news."""

from __future__ import annotations

import dataclasses
import logging
import weakref
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core.errors import SyncError, ValidationError
from linksdesk.core.hlc import HLC
from linksdesk.core.settings import Settings
from linksdesk.storage import programme_ids
from linksdesk.storage.store import Store
from linksdesk.storage.tables import Outbox
from linksdesk.sync import rewind, state
from linksdesk.sync.bundle import keys as bundle_keys
from linksdesk.sync.ids import lease_ids
from linksdesk.sync.protocol import (
    ID_REFILL_BELOW,
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
    HandshakeRequest,
    HandshakeResponse,
    ProgrammeSettings,
    readable_cursor,
    readable_epoch,
)
from linksdesk.sync.steps.context import Config, HandshakeRefused, SyncContext
from linksdesk.sync.transport import RequestRefused

log = logging.getLogger(__name__)


SETTINGS_KEY = "settings"  # where casework keeps Settings.to_json() (local_setting)


class Handshake:
    """Reads what the sync decides by, greets the server and keeps what it says."""

    def __init__(self, c: SyncContext) -> None:
        self.c = c

    def load_config(self) -> None:
        """Everything the sync decides by at its start, in one read."""
        keys = (
            state.SERVER_URL,
            state.TOKEN,
            state.WORKER_ID,
            state.CURSOR,
            state.DATA_EPOCH,
            state.TEAM_ID,
            state.ROLE,
            state.RESYNC,
            state.ID_LEASE,
            state.PENDING_BATCH,
            state.LAST_VERIFIED,
            state.OWN_THROUGH,
            state.OWN_UNHELD,
            state.COPIED,
            bundle_keys.PROGRAMME_KEY,
        )
        with self.c.store.read() as s:
            held = state.get_many(s, keys)
            if held.get(state.COPIED) and held.get(state.TOKEN):
                raise SyncError(
                    "This vault was copied or restored here from another computer, so it "
                    "cannot sync as that one. Enrol this laptop with a new code from your "
                    "programme administrator; your work here stays and is sent then."
                )
            if not held.get(state.TOKEN) or not held.get(state.SERVER_URL):
                raise SyncError(
                    "This laptop is not enrolled with a sync server yet. Enrol it with the "
                    "code from your programme administrator first."
                )
            settings = state.local_setting(s, SETTINGS_KEY)
            ids_left = programme_ids.remaining(s)
            waiting = s.scalar(select(func.count()).select_from(Outbox)) or 0
        version = settings.get("programme_settings_version", 0) if isinstance(settings, dict) else 0
        epoch = readable_epoch(held.get(state.DATA_EPOCH))
        cursor = readable_cursor(held.get(state.CURSOR, 0))
        if cursor is None or (epoch is None and held.get(state.DATA_EPOCH) is not None):
            # kept by older code as no cursor a request may carry (past 2**53-1), or not a
            # number at all: every sync stopped there. Start the pull again from the
            # beginning, as after a new epoch, merging (nothing here is overwritten)
            log.warning("the sync cursor kept here could not be read; pulling from the start")
            cursor, epoch = None, None
        self.c.cfg = Config(
            server_url=str(held.get(state.SERVER_URL)),
            token=str(held.get(state.TOKEN)),
            worker_id=str(held.get(state.WORKER_ID)),
            cursor=cursor or 0,
            epoch=epoch,
            team_id=held.get(state.TEAM_ID),
            role=held.get(state.ROLE),
            programme_key=held.get(bundle_keys.PROGRAMME_KEY),
            settings_version=version if isinstance(version, int) else None,
            resync=bool(held.get(state.RESYNC)),
            ids_left=ids_left,
            id_lease_pending=bool(held.get(state.ID_LEASE)),
            waiting=int(waiting),
            pending_batch=bool(held.get(state.PENDING_BATCH)),
            last_verified=held.get(state.LAST_VERIFIED),
            own_through=readable_cursor(held.get(state.OWN_THROUGH, 0)) or 0,
            own_unheld=bool(held.get(state.OWN_UNHELD)),
            # unreadable: stored afresh by the pull (or the handshake's quiet log) at once
            stored_cursor=-1 if cursor is None else cursor,
        )
        self.c.run.report.restarted = cursor is None

    def handshake(self, protocol_version: int = PROTOCOL_VERSION) -> HandshakeResponse:
        self.c.progress("handshake", 0, None)
        cfg = self.c.config
        try:
            hello = self.c.t.post(
                "handshake",
                HandshakeRequest(
                    protocol_version=protocol_version,
                    schema_version=SCHEMA_VERSION,
                    device_id=self.c.store.device_id,
                    cursor=cfg.cursor,
                    data_epoch=cfg.epoch,
                    signing_key=_signing_line(self.c.store),
                    own_through=cfg.own_through,
                ),
                HandshakeResponse,
            )
        except RequestRefused as exc:
            if exc.status == 409:  # the server's plain message says what to do
                raise HandshakeRefused(str(exc)) from None
            raise
        self.c.hello = hello
        self.c.run.head = hello.cursor_head
        clock = self.c.store.clock
        ahead_ms = clock.physical_ms() - hello.server_time_ms
        if ahead_ms > hello.max_drift_ms:
            raise SyncError(
                "This laptop's clock is more than 5 minutes ahead of the sync server's. "
                "Correct the date and time, then sync again; nothing was sent."
            )
        if -ahead_ms > hello.max_drift_ms:
            # behind (a flat battery, a wrong time zone): said, and what is written from now
            # on is stamped no earlier than the server's time, so it does not give way to
            # edits made elsewhere before this sync
            self.c.run.report.clock_behind_ms = -ahead_ms
            clock.observe(HLC(hello.server_time_ms, 0, clock.device))
        limit = hello.server_time_ms + hello.max_drift_ms
        if rewind.ahead_of(clock, limit):
            # the laptop's clock ran ahead while it worked offline and is right again now:
            # what it stamped then would all be refused
            moved = self.c.store.keep(lambda s: rewind.rewind(s, self.c.store.clock, limit))
            for table, row_id in moved:
                self.c.touch(table, row_id)
        self.c.run.batch_size = max(1, min(self.c.run.batch_size, hello.max_batch))
        if hello.worker_id != cfg.worker_id:
            raise SyncError(
                "The server says this laptop belongs to another worker. Ask your "
                "programme administrator to enrol it again."
            )
        if (
            hello.quiet_through is not None
            and not hello.epoch_changed
            and hello.quiet_through > cfg.cursor
        ):
            # nothing in the log up to the head is for this laptop (others' teams and
            # cases moved it): an empty pull page would only move the cursor there
            cfg.cursor = hello.quiet_through
        if self._hello_news(hello):
            # every write below is one transaction handed to the vault's writer thread (the
            # desktop's DB thread): this thread only talks to the server
            self.c.store.keep(lambda s: self._store_hello(s, hello))
        return hello

    def _hello_news(self, hello: HandshakeResponse) -> bool:
        """Whether the handshake says anything the vault does not hold already (most
        syncs: no), so an unchanged handshake costs no write transaction."""
        cfg = self.c.config
        return (
            hello.epoch_changed
            or cfg.epoch is None
            or hello.team_id != cfg.team_id
            or hello.role.value != cfg.role
            or hello.settings_version != cfg.settings_version
            or bool(hello.programme_key and hello.programme_key != cfg.programme_key)
        )

    def _store_hello(self, s: Session, hello: HandshakeResponse) -> None:
        cfg = self.c.config
        if hello.epoch_changed or cfg.epoch is None:
            if hello.epoch_changed:
                # restored or new server: merge everything again from the start,
                # never overwriting either side
                log.info("server data epoch changed; resyncing by merging")
                state.put(s, state.RESYNC, True)
                # a restored server forgot the id blocks it leased after its backup and may
                # lease them again: give up the numbers not given out yet, and lease afresh
                # now, above every number this laptop held (programme_ids.lease_floor)
                retired = programme_ids.retire_leases(s)
                cfg.ids_left, cfg.id_lease_pending = 0, False
                log.info("%d leased programme numbers given up after the epoch change", retired)
                cfg.cursor = 0
                state.put(s, state.CURSOR, 0)
                state.put(s, state.OWN_THROUGH, 0)  # server seqs of another log
            state.put(s, state.DATA_EPOCH, hello.data_epoch)
            cfg.epoch = hello.data_epoch
        state.put(s, state.TEAM_ID, hello.team_id)
        state.put(s, state.ROLE, hello.role.value)
        cfg.team_id, cfg.role = hello.team_id, hello.role.value
        if apply_programme_settings(s, hello.settings, hello.settings_version):
            self.c.run.report.settings_changed = True  # the window reads them again
        cfg.settings_version = hello.settings_version
        if hello.programme_key and state.get(s, bundle_keys.PROGRAMME_KEY) != (hello.programme_key):
            state.put(s, bundle_keys.PROGRAMME_KEY, hello.programme_key)
            cfg.programme_key = hello.programme_key

    def lease_ids(self) -> None:
        cfg = self.c.config
        if cfg.ids_left >= ID_REFILL_BELOW and not cfg.id_lease_pending:
            return  # enough held and no request waiting for its answer: nothing to ask
        cfg.ids_left = lease_ids(
            self.c.store, self.c.t, self.c.o.checkpoint
        )  # writes on the writer
        cfg.id_lease_pending = False


# the public half of each open vault's signing key (it is never replaced), so a handshake
# reads and derives it once per unlock rather than on every sync
_SIGNING_LINES: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _signing_line(store: Store) -> str:
    line = _SIGNING_LINES.get(store.engine)
    if line is None:
        line = store.on_writer(lambda: bundle_keys.signing_key(store)).public.line
        _SIGNING_LINES[store.engine] = line
    return line


def apply_programme_settings(s: Session, settings: ProgrammeSettings, version: int) -> bool:
    """Replace the programme's settings in the vault's settings when the server's changed."""
    stored = state.local_setting(s, SETTINGS_KEY)
    try:
        current = Settings.from_json(stored) if isinstance(stored, dict) else Settings()
    except (TypeError, ValueError):
        current = Settings()
    if version == current.programme_settings_version:
        return False
    updated = dataclasses.replace(
        current,
        appointment_limit=settings.appointment_limit,
        not_seen_weeks=settings.not_seen_weeks,
        concern_taxonomy=tuple(settings.concern_taxonomy) or current.concern_taxonomy,
        programme_settings_version=version,
    )
    try:
        updated = updated.validate()
    except ValidationError:
        log.warning("programme settings version %d from the server not usable; kept", version)
        return False
    state.put_local_setting(s, SETTINGS_KEY, updated.to_json())
    log.info("programme settings version %d applied", version)
    return True
