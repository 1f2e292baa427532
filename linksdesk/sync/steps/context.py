"""What the steps of one sync share: its options, report, bookkeeping and the vault's state
read at its start (``SyncContext``), and the errors that end or restart a sync."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from linksdesk.core.changes import Changes
from linksdesk.core.errors import SyncError, UserError
from linksdesk.core.hlc import clock_behind
from linksdesk.storage.store import Store
from linksdesk.sync.local_only import LocalOnlyCase
from linksdesk.sync.page import PageOutcome
from linksdesk.sync.protocol import MAX_BATCH, MAX_PULL_LIMIT, HandshakeResponse, PushRequest
from linksdesk.sync.transport import SyncCancelled, Transport
from linksdesk.sync.verify import DigestCache

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]
Checkpoint = Callable[[str], None]


class EpochMoved(SyncError):
    """The server's data epoch changed during this sync: start again from the handshake."""


class HandshakeRefused(SyncError, UserError):
    """The server will not sync with this LinksDesk as it is (an older or newer protocol,
    an enrolment that does not match): only a person can put it right."""


@dataclass
class SyncReport:
    """What one sync did, for the status bar, the CLI and the history list."""

    pushed: int = 0  # changes the server acknowledged
    refused: int = 0  # of those, changes the server refused (listed as needing attention)
    pulled: int = 0  # changes received
    applied: int = 0  # received changes that changed something here
    conflicts: int = 0  # conflicts open after this sync
    new_conflicts: int = 0
    attention: int = 0  # changes the server refused, waiting for a look
    set_aside: int = 0  # of those, pulled changes this laptop could not store
    verified: bool = False
    message: str = ""
    erased: int = 0
    handed_away: int = 0
    withdrawn_away: int = 0  # participants removed here whole: withdrawn on another laptop
    removed: int = 0
    waiting: int = 0  # changes still in the outbox afterwards
    repaired_tables: tuple[str, ...] = ()
    resynced: bool = False  # the server's epoch changed and everything was merged again
    # the programme's settings (appointment limit, not-seen weeks, concerns) came new
    settings_changed: bool = False
    restarted: bool = False  # the cursor kept here could not be read: pulled from the start
    clock_behind_ms: int = 0  # how far this laptop's clock was behind the server's
    requests: int = 0
    seconds: float = 0.0
    # team consent withdrawn on the worker's other laptop; this laptop's own work about
    # the person kept here, local only (rule 7)
    kept_local: tuple[LocalOnlyCase, ...] = ()
    # rows kept here that wait for a record this laptop does not hold (storage.waiting):
    # (table, the missing record's table) → how many
    held: dict[tuple[str, str], int] = field(default_factory=dict)
    # programme ids of records here marked as the same person as a participant forgotten
    # (sync/same_person.py, ``tell_forgotten``): listed under "needs attention"
    forgotten: tuple[str, ...] = ()
    # entered-in-error marks the server refused whose case then left (steps/marks.py), in
    # the words listed under "needs attention"
    marks_not_carried: tuple[str, ...] = ()
    held_people: int = 0  # of those, how many participants not here they are about
    incomplete: int = 0  # pulled rows still waiting for details from the server (not shown)
    # what this sync changed here, in the terms views refresh by (entities, participants);
    # not named ``changes``: the UI passes it on only when it names something
    changed: Changes = field(default_factory=Changes)

    @property
    def clock_warning(self) -> str | None:
        """What to tell the worker when this laptop's clock was behind the server's."""
        return clock_behind(self.clock_behind_ms, "the sync server's")


@dataclass
class EngineOptions:
    batch_size: int = MAX_BATCH
    page_size: int = MAX_PULL_LIMIT
    allow_mass_delete: bool = False
    progress: Progress | None = None
    cancel: Callable[[], bool] | None = None
    checkpoint: Checkpoint | None = None  # test hook: called at named points of the sync
    full_check: bool = False  # compare with the server even if nothing moved since last time
    today: dt.date | None = None
    # written in the sync's last transaction with its own bookkeeping (the client's history
    # entry): one commit at the end of a sync, not two
    last_write: Callable[[Session, SyncReport], None] | None = None


@dataclass
class Config:
    server_url: str
    token: str
    worker_id: str
    cursor: int
    epoch: str | None
    # the rest of what the sync reads at its start, in the same read: a sync with nothing
    # to do then writes nothing and asks nothing it need not (see ``_load_config``)
    team_id: str | None = None
    role: str | None = None
    programme_key: str | None = None
    settings_version: int | None = None
    resync: bool = False
    ids_left: int = 0
    id_lease_pending: bool = False
    waiting: int = 0  # outbox rows
    pending_batch: bool = False
    last_verified: Any = None
    own_through: int = 0  # see state.OWN_THROUGH
    own_unheld: bool = False  # see state.OWN_UNHELD
    # the cursor as stored: a handshake that finds the log quiet moves ``cursor`` on in
    # memory first (see Handshake.handshake), stored with the sync's next write
    stored_cursor: int = 0


@dataclass
class Run:
    report: SyncReport = field(default_factory=SyncReport)
    outcome: PageOutcome = field(default_factory=PageOutcome)
    removed_base: int | None = None  # live records when the first removal was seen
    removed_so_far: int = 0
    batch_size: int = MAX_BATCH
    consents_sent: bool = False  # no consent record is left unbatched in the outbox
    withdrawn: set[str] = field(default_factory=set)  # purged by pulled withdrawals
    withdrawn_base: int | None = None  # participants here when the first one was seen
    # the server's change log head as far as this sync knows it (None: moved, unknown);
    # the device's cursor at it means there is nothing to pull
    head: int | None = None
    cursor_passed: int | None = None  # set by ``_record``: the cursor its answer moved to
    # push requests built in this run, by batch key: sent as built, not parsed back
    built: dict[str, PushRequest] = field(default_factory=dict)
    # a change the server refused while more of its row waited in the queue: a repair
    # sent that row in parts, so what verify could not mend is not remembered as such
    split_rows: bool = False
    # what the verify step found, written in the sync's last transaction
    verified_write: Callable[[Session], None] | None = None
    # the audit seq up to which the monthly totals were found unchanged (kept at the end)
    totals_unchanged: int | None = None


class SyncContext:
    """One sync's shared state, handed to each step."""

    def __init__(self, store: Store, transport: Transport, options: EngineOptions) -> None:
        self.store = store
        self.t = transport
        self.o = options
        self.run = Run(batch_size=min(options.batch_size, MAX_BATCH))
        self.cfg: Config | None = None
        self.hello: HandshakeResponse | None = None
        self.repaired: set[str] = set()
        self.unverified: list[str] = []
        # rows this sync wrote behind the audit log's back, for the digest cache
        self.touched: dict[str, set[str]] = {}
        self.digests = DigestCache(store.path or f"engine:{id(store.engine)}")

    @property
    def config(self) -> Config:
        assert self.cfg is not None
        return self.cfg

    def point(self, name: str) -> None:
        if self.o.checkpoint is not None:
            self.o.checkpoint(name)

    def progress(self, stage: str, done: int, total: int | None = None) -> None:
        if self.o.progress is not None:
            self.o.progress(stage, done, total)

    def check_cancel(self) -> None:
        if self.o.cancel is not None and self.o.cancel():
            raise SyncCancelled()

    def touch(self, table: str, row_id: str) -> None:
        self.touched.setdefault(table, set()).add(row_id)

    def touch_all(self, touched: dict[str, set[str]]) -> None:
        for table, ids in touched.items():
            self.touched.setdefault(table, set()).update(ids)
