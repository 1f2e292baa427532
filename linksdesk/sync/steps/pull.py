"""The pull step: pages from the cursor, each applied in the transaction that stores the cursor."""

from __future__ import annotations

import contextlib
import functools
import logging
from concurrent.futures import Future

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core.errors import SyncError
from linksdesk.storage import vacuum, waiting
from linksdesk.storage.tables import SyncConflict
from linksdesk.sync import state
from linksdesk.sync.apply import PageApplier, pending_fields
from linksdesk.sync.conflicts import reconcile_note_conflicts
from linksdesk.sync.page import (
    CURSOR_MOVED,
    TOTALS_RECOUNT,
    ApplyContext,
    PageOutcome,
)
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    MAX_PULL_LIMIT,
    PullRequest,
    PullResponse,
    ServerChange,
)
from linksdesk.sync.steps.context import EpochMoved, SyncContext
from linksdesk.sync.steps.guard import ConsentGuard
from linksdesk.sync.transport import AnswerTooLarge, RequestRefused

log = logging.getLogger(__name__)


STUCK = (
    "The sync server's answer did not move on from where this laptop had got to, so the "
    "sync stopped here. Your work and everything received so far are saved on this laptop; "
    "sync again later, and tell your programme administrator if it happens again."
)


class Pull:
    """Pulls pages from the cursor and applies each with its cursor, in one transaction."""

    def __init__(self, c: SyncContext, guard: ConsentGuard) -> None:
        self.c = c
        self.guard = guard
        # pages asked for no larger than this after one came back too large to read
        self.halved: int | None = None

    def settle_open_conflicts(self) -> None:
        """With no page to pull, still bring open case-note conflicts in line with the
        revisions held, as every applied page does: a revision written here on top of a
        fork settles it. Nothing open (the usual case): one read, no write."""

        def open_conflicts(s: Session) -> int:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(SyncConflict)
                    .where(
                        SyncConflict.table_name == "note_revision",
                        SyncConflict.resolved_at.is_(None),
                    )
                )
                or 0
            )

        with self.c.store.read() as s:
            before = open_conflicts(s)
        if not before:
            return

        def settle(s: Session) -> tuple[int, int]:
            made = reconcile_note_conflicts(s, (), self.c.store.device_id)
            s.flush()
            return made, open_conflicts(s)

        made, after = self.c.store.keep_pulled(settle)
        self.c.run.outcome.conflicts += made
        if made or after != before:
            self.c.run.report.changed.entities.add(CONFLICT_TABLE)

    def pull_all(self, *, only_tables: frozenset[str] | None = None) -> None:
        """Pull pages from the cursor (or, to re-download tables, from 0 without moving it).

        Network and disk overlap: while the writer thread applies page N (in the
        transaction that stores its cursor), this thread fetches and reads page N+1. Page
        N+1 is guard-checked and handed to the writer only once page N has committed, so
        pages apply strictly in order and the guard sees what the pages before did. After
        an error (page N failed, the fetch of N+1 failed, a cancel) page N has committed
        whole or not at all before the error goes on, and a fetched page is dropped.
        """
        cfg = self.c.config
        cursor = 0 if only_tables is not None else cfg.cursor
        head = self.c.hello.cursor_head if self.c.hello else None
        own_through = 0  # a repair downloads everything again, this device's own changes too
        if only_tables is None:
            with self.c.store.read() as s:
                own_through = state.seq(s, state.OWN_THROUGH)
        applying: Future[PageOutcome] | None = None  # the page on the writer thread now
        applying_to = cursor  # the cursor that page moves to
        try:
            self.c.check_cancel()
            page = self._fetch(cursor, own_through)
            while True:
                changes = page.changes
                if only_tables is not None:
                    changes = [c for c in changes if c.table in only_tables]
                if applying is not None:
                    done, applying = applying, None
                    self._applied(done.result(), applying_to, only_tables, head)
                self.c.check_cancel()
                self.c.run.report.pulled += len(changes)
                self.guard.check(changes)
                self.c.point("pull:received")
                new_cursor = page.next_cursor if only_tables is None else None
                applying = self.c.store.writer.submit(
                    functools.partial(
                        self._apply_in_tx,
                        changes=changes,
                        cursor=new_cursor,
                        at_head=not page.has_more,
                    )
                )
                applying_to = cursor = page.next_cursor
                if not page.has_more:
                    break
                self.c.check_cancel()
                page = self._fetch(cursor, own_through)  # while the writer applies the last
            done, applying = applying, None
            self._applied(done.result(), applying_to, only_tables, head)
        except BaseException:
            if applying is not None:
                # the page the writer holds commits whole (with its cursor) or not at all:
                # book it as if no error came after it, or raise its own error instead
                self._applied(applying.result(), applying_to, only_tables, head)
            raise

    def _fetch(self, cursor: int, own_through: int) -> PullResponse:
        """The page after ``cursor``, read and checked to be of this vault's data epoch."""
        try:
            page = self._page(cursor, own_through)
        except RequestRefused as exc:
            if exc.status == 409:
                # our cursor is past the server's head: it went back in time (restored
                # from a backup) while we synced; the next handshake says resync
                raise EpochMoved("the server's change log went back in time") from None
            raise
        if page.data_epoch != self.c.config.epoch:
            raise EpochMoved("the server's data epoch changed")
        if page.next_cursor < cursor or (page.has_more and page.next_cursor == cursor):
            # the server numbers every page past the one before: asked again, such an
            # answer (a broken server, or a proxy that replays one) would never end
            log.info("pull from %d answered a page that does not move on", cursor)
            raise SyncError(STUCK)
        return page

    def _page(self, cursor: int, own_through: int) -> PullResponse:
        """The page after ``cursor``, asked for again in halves while it is too large to
        read (protocol.MAX_ANSWER_BYTES): a page of long case notes may be; one change is
        never, so only a broken or hostile server's answer is refused at one."""
        while True:
            limit = self._limit()
            request = PullRequest(cursor=cursor, limit=limit, own_through=own_through)
            try:
                return self.c.t.post("pull", request, PullResponse)
            except AnswerTooLarge:
                if limit == 1:
                    raise
                self.halved = limit // 2
                log.info("pull page of %d too large to read: asking for %d", limit, self.halved)
                self.c.check_cancel()

    def _limit(self) -> int:
        """The page size asked for: this sync's, no more than the server said it serves (an
        older server serves pages of 1,000 and refuses a larger limit), nor than a page
        that came back too large to read left it."""
        served = self.c.hello.max_pull_limit if self.c.hello else MAX_PULL_LIMIT
        return max(1, min(self.c.o.page_size, served, self.halved or served))

    def _applied(
        self,
        outcome: PageOutcome,
        cursor: int,
        only_tables: frozenset[str] | None,
        head: int | None,
    ) -> None:
        """What this sync keeps of a page committed with its cursor (in memory only)."""
        if only_tables is None:
            self.c.config.cursor = self.c.config.stored_cursor = cursor  # committed with it
        self.c.run.outcome.merge(outcome)
        self.c.touch_all(outcome.touched)
        if only_tables is None:
            self.c.touch(CURSOR_MOVED, "pulled")
        # withdrawals count by person in their own guard, not here
        self.c.run.removed_so_far += outcome.removed - outcome.withdrawn_rows
        self.c.progress("pull", cursor, head)

    def _apply_in_tx(
        self, changes: list[ServerChange], cursor: int | None, at_head: bool = False
    ) -> PageOutcome:
        """``_apply_page`` as one ``applying`` transaction (``store.keep_pulled``'s, on the
        writer thread without waiting for it)."""
        with self.c.store.applying() as s:
            outcome = self._apply_page(s, changes, cursor)
            if at_head and cursor is not None and self.c.config.own_unheld:
                # restored: every own change the backup lacked has now come back with the
                # pages pulled up to the head; push answers may be recorded again
                state.drop(s, state.OWN_UNHELD)
                self.c.config.own_unheld = False
            return outcome

    def _apply_page(
        self, s: Session, changes: list[ServerChange], cursor: int | None
    ) -> PageOutcome:
        """One pulled page and (unless re-downloading tables) the new cursor, together."""
        ctx = self._apply_context(s)
        outcome = PageApplier(s, ctx).apply(changes)
        if outcome.touched.keys() & TOTALS_RECOUNT:
            state.put(s, state.TOTALS_DIRTY, True)  # who counts may have changed
        if outcome.purged:  # with the purge: a VACUUM never run stays due
            vacuum.mark_due(s)
        waiting.note_written(s, outcome.touched)  # rows whose parent is not (or now is) here
        if cursor is not None:
            state.put(s, state.CURSOR, cursor)
        self._observe(s, ctx.highest_hlc)
        self.c.point("pull:before-commit")
        outcome.note_changes(changes, self.c.run.report.changed)
        return outcome

    def _apply_context(self, s: Session) -> ApplyContext:
        return ApplyContext(
            device_id=self.c.store.device_id,
            worker_id=self.c.config.worker_id,
            stamp=lambda: self.c.store.clock.now().encode(),
            pending=pending_fields(s),
            consent_gate=True,
        )

    def _observe(self, s: Session, highest: str) -> None:
        if not highest:
            return
        with contextlib.suppress(ValueError):
            self.c.store.clock.observe(highest)
        known = str(state.local_setting(s, state.HLC_HIGH, ""))
        if highest > known:
            state.put_local_setting(s, state.HLC_HIGH, highest)
