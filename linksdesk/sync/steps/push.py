"""The push step: the outbox in batches saved before they are sent, each answer recorded with it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from linksdesk.core.errors import SyncError
from linksdesk.storage import search
from linksdesk.storage.outbox import (
    PendingBatch,
    chunks,
    drop_pending,
    load_pending,
    rows_touched,
)
from linksdesk.storage.store import utc_now
from linksdesk.storage.tables import Outbox, SyncConflict
from linksdesk.sync import state
from linksdesk.sync.apply import UNAPPLIABLE, unappliable
from linksdesk.sync.page import CURSOR_MOVED
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    Change,
    ChangeResult,
    ChangeStatus,
    PushRequest,
    PushResponse,
)
from linksdesk.sync.shapes import SHAPES
from linksdesk.sync.steps import marks
from linksdesk.sync.steps.batching import QUEUE_EMPTY, Batching, Draft, attention
from linksdesk.sync.steps.context import SyncContext
from linksdesk.sync.transport import RequestRefused

log = logging.getLogger(__name__)

# what the server answers a push whose body it cannot take (a gzip that does not open, too
# large, not valid): smaller batches may pass, and a change refused alone is set aside
ABOUT_THE_BATCH = frozenset({400, 413, 422})
_NOT_TAKEN = (
    "The sync server did not take the changes sent (it answered {status}); they stay on "
    "this laptop and will be sent again next time. If this goes on, check the server's "
    "address with your programme administrator."
)


class Push(Batching):
    """Sends the outbox in saved batches and records each answer with the outbox."""

    def __init__(self, c: SyncContext) -> None:
        self.c = c
        self.requeued = 0  # how many times rows went back to the queue (a draft's check)

    def push_all(self, *, known_empty: bool = False) -> None:
        if known_empty:
            # the start of this sync read an empty outbox and no saved batch, and nothing
            # has queued since in this sync: a change saved meanwhile goes next time
            self.c.progress("push", 0, 0)
            return
        with self.c.store.read() as s:
            saved = load_pending(s)
            total = s.scalar(select(func.count()).select_from(Outbox)) or 0
        self.c.progress("push", 0, total)
        self.c.run.consents_sent = False  # a repair may have queued consents since
        following: PendingBatch | None = None
        ahead: _Flight | None = None
        if saved:
            # a batch sent before a crash or a failure: resend it exactly as it was
            following, ahead = self._send(saved)
        while True:
            if ahead is None:  # (one at the server checks for a cancel as it goes)
                self.c.check_cancel()
            # the next batch, taken and saved with the last answer where there was one
            saved = self.next_batch() if following is None else following
            if saved is None or saved is QUEUE_EMPTY:
                break
            following, ahead = self._send(saved, ahead)
            self.c.progress("push", self.c.run.report.pushed, total)

    def _send(
        self, saved: PendingBatch, ahead: _Flight | None = None
    ) -> tuple[PendingBatch | None, _Flight | None]:
        """Send a saved batch (or wait for ``ahead``, the same batch sent already) and
        record its answer. Returns the next batch, taken and saved in the same transaction
        as the answer (one commit a batch, not two), or ``QUEUE_EMPTY``; None when no
        answer was recorded, so none was taken. With it, that next batch's flight when it
        went to the server before this answer's transaction (see :meth:`_send_ahead`)."""
        if not saved.changes:
            return None, None
        flight = ahead
        request = self.c.run.built.pop(saved.batch_key, None)
        if flight is None:
            if request is None:  # saved by an earlier sync: read back as it was saved
                request = PushRequest.model_validate(dict(saved.request))
            self.c.point("push:before-send")
            flight = self._flight(request)
        request = flight.request
        # the next batch is made while this one is at the server (reading only); anything
        # it raises leaves no draft (the transaction makes the batch itself, as without one)
        try:
            draft = self._draft()
        except Exception as exc:  # a draft is only ever a shortcut
            # the kind only: a message could quote what it read
            log.info("the next push batch was not made ahead (%s)", type(exc).__name__)
            draft = None
        try:
            answer = flight.result()
        except RequestRefused as exc:
            if exc.status == 409:
                # resending the same batch would be refused forever: let its changes go out
                # under a new key next time (the server applies each change_id only once)
                self._release_batch(request)
                raise SyncError(str(exc)) from None
            if exc.status not in ABOUT_THE_BATCH:
                # not the server's word on what the batch holds (a proxy's page, a route it
                # lacks): splitting would set every change aside, unsent for good. The
                # batch stays saved, sent again under its key next time
                raise SyncError(_NOT_TAKEN.format(status=exc.status)) from None
            self._refused_batch(request, str(exc))
            return None, None
        self.c.point("push:answered")
        early = self._send_ahead(request, answer, draft)

        def record(s: Session) -> tuple[int, PendingBatch | None]:
            answered = self.record(s, request, answer)
            self.c.point("push:before-commit")
            if not answered:
                return 0, None
            # the answer's rows are gone from the queue: the next batch is saved with it
            return answered, self._take_batch(s, draft, sent=early is not None) or QUEUE_EMPTY

        self.c.run.cursor_passed = None
        try:
            answered, following = self.c.store.keep(record)
        except BaseException:
            if early is not None:
                # neither answer is recorded: this batch goes again under its key, and the
                # next one's changes in a batch made again (the server answers a change it
                # has already applied with that first answer, by its change_id)
                early.settle()
            raise
        if following is not None and following.changes:
            self.c.point("push:saved")
        passed = self.c.run.cursor_passed
        if passed is not None:
            self.c.config.cursor = self.c.run.head = passed
            self.c.config.stored_cursor = passed  # stored with the answer just now
            self.c.touch(CURSOR_MOVED, "pushed")
        else:
            self.c.run.head = None  # the log moved by what was sent: pull to learn what
        if not answered:
            # resending at once would get the same silence: stop here, keep them queued
            raise SyncError(
                "The server did not confirm the changes sent; they will be sent again next time."
            )
        return following, early

    def _send_ahead(
        self, request: PushRequest, answer: PushResponse, draft: Draft | None
    ) -> _Flight | None:
        """Send the draft now, before this answer's transaction, so the server works on it
        while this laptop records the answer; None when it must wait for that transaction.

        Only when the answer covers every change sent (nothing goes back to the queue ahead
        of it) and the draft's rows are still the queue's next, read just now: a consent
        withdrawn since the draft was made keeps it back, as when the transaction checks.
        The transaction then saves the draft as the pending batch whatever is written
        meanwhile (it is at the server). If that transaction never commits, the draft's
        changes are batched again next time under a new key, and the server answers each
        change it already applied with its first answer (by change_id): applied once."""
        if draft is None:
            return None
        sent = {c.change_id for c in request.changes}
        if not sent <= {r.change_id for r in answer.results}:
            return None
        with self.c.store.read() as s:
            if not self._still_next(s, draft):
                return None
        self.c.point("push:before-send")
        flight = self._flight(draft.request, draft.body)
        self.c.point("push:sent-ahead")
        return flight

    def _flight(self, request: PushRequest, body: bytes | None = None) -> _Flight:
        """``request`` posted on a thread of its own (``body``: its JSON, made already)."""
        return _Flight(request, lambda: self.c.t.post("push", body or request, PushResponse))

    def _release_batch(self, request: PushRequest) -> None:
        """Forget the pending batch; its rows go back to the queue, to be batched again."""

        def release(s: Session) -> None:
            drop_pending(s)
            s.execute(
                update(Outbox).where(Outbox.batch_key == request.batch_key).values(batch_key=None)
            )

        self.c.store.keep(release)
        self.c.run.consents_sent = False  # back in the queue: consents among them go first again
        self.requeued += 1
        log.info("server refused batch %s (409); its changes will be sent again", request.batch_key)

    def _refused_batch(self, request: PushRequest, reason: str) -> None:
        """The server could not take the batch as a whole: split it, down to one change."""
        self.c.store.keep(lambda s: self._split_batch(s, request, reason))

    def _split_batch(self, s: Session, request: PushRequest, reason: str) -> None:
        ids = [c.change_id for c in request.changes]
        rows = list(s.scalars(select(Outbox).where(Outbox.change_id.in_(ids))))
        drop_pending(s)
        if len(request.changes) == 1:
            for row in rows:
                attention(s, row.change_id, row.table_name, row.row_id, reason)
                s.delete(row)
            log.info("server refused change %s as unreadable", ids[0])
        else:
            for row in rows:
                row.batch_key = None
            self.c.run.consents_sent = False
            self.requeued += 1
            self.c.run.batch_size = max(1, len(request.changes) // 2)
            log.info("server refused a batch of %d; retrying smaller", len(ids))

    def record(self, s: Session, request: PushRequest, answer: PushResponse) -> int:
        """Record the server's answers and drop the acknowledged outbox rows, together.

        Returns how many changes were answered; the rest go back to the queue."""
        sent = {c.change_id: c for c in request.changes}
        done: list[str] = []
        own_through = 0
        for result in answer.results:
            change = sent.get(result.change_id)
            if change is None:
                continue
            if result.status is ChangeStatus.APPLIED and result.server_seq:
                own_through = max(own_through, result.server_seq)
            if result.status is ChangeStatus.REJECTED:
                self.c.run.report.refused += 1
                reason = result.reason or "The server refused this change."
                attention(s, change.change_id, change.table, change.row_id, reason)
                marks.note_refused(s, change)  # told in its own words if its case leaves
                log.info("change %s (%s) refused by the server", change.change_id, change.table)
                if s.scalar(
                    select(Outbox.seq)
                    .where(
                        Outbox.table_name == change.table,
                        Outbox.row_id == change.row_id,
                        Outbox.batch_key.is_(None),
                    )
                    .limit(1)
                ):
                    self.c.run.split_rows = True  # more of its row waits: sent in parts
            elif result.status is ChangeStatus.CONFLICT:
                self._adopt_conflict(s, change, result)
            elif result.status is ChangeStatus.MERGED and result.server_values:
                self._adopt_values(s, change, result)
            done.append(change.change_id)
            self.c.run.report.pushed += 1
        # acknowledged: gone from the outbox in the transaction that records the answers
        left = done
        if set(done) == sent.keys():  # the whole batch: by its key, one statement
            gone = s.execute(delete(Outbox).where(Outbox.batch_key == request.batch_key))
            # fewer: a consent withdrawn while it was out rewrote the batch under a new key
            left = [] if rows_touched(gone) == len(done) else done
        for chunk in chunks(left, 500):
            s.execute(delete(Outbox).where(Outbox.change_id.in_(chunk)))
        # (not in a vault restored from a backup, until it has pulled to the head: the own
        # changes the device sent after the backup are past its cursor, not here, and the
        # pull would leave them out too)
        if not self.c.config.own_unheld and own_through > state.seq(s, state.OWN_THROUGH):
            # the pull leaves these out (they are held here): recorded with the outbox
            state.put(s, state.OWN_THROUGH, own_through)
        passed = self._passed_own(request, answer)
        if passed is not None:
            state.put(s, state.CURSOR, passed)  # with the outbox, as a pulled page's cursor
            self.c.run.cursor_passed = passed
        # sent but not answered: back in the queue, or no later batch would ever take them
        back = s.execute(
            update(Outbox).where(Outbox.batch_key == request.batch_key).values(batch_key=None)
        )
        if rows_touched(back):
            self.c.run.consents_sent = False
            self.requeued += 1
        drop_pending(s)
        s.flush()
        return len(done)

    def _passed_own(self, request: PushRequest, answer: PushResponse) -> int | None:
        """The cursor past this batch, when its changes filled the server's log right
        after this device's cursor (nothing else in between) and all were taken as sent.

        Pulling them would bring nothing (the pull leaves out a device's own changes taken
        as is) and apply nothing (they are held here): passing the cursor over them is the
        same, without the round trip. Anything else (a merge, a conflict, a refusal, another
        device's change in between) leaves the head unknown, and the pull runs."""
        head = self.c.run.head
        if head is None or head != self.c.config.cursor:
            return None
        sent = {c.change_id for c in request.changes}
        results = [r for r in answer.results if r.change_id in sent]
        if len(results) != len(sent) or len({r.change_id for r in results}) != len(sent):
            return None
        if any(r.status is not ChangeStatus.APPLIED or not r.server_seq for r in results):
            return None
        seqs = sorted(int(r.server_seq or 0) for r in results)
        if seqs != list(range(head + 1, head + len(seqs) + 1)):
            return None
        return head + len(seqs)

    def _local_row(self, s: Session, change: Change) -> Any:
        shape = SHAPES.get(change.table)
        return None if shape is None else s.get(shape.cls, change.row_id)

    def _adopt_values(self, s: Session, change: Change, result: ChangeResult) -> None:
        """Take the server's value for fields where ours lost, unless edited again since.

        A value this vault cannot store (one an older server kept: the server refuses such
        values now) is set aside as a pulled one is: this laptop keeps its own, the change is
        listed as needing attention, and the answer is recorded all the same. Stopping here
        would leave the batch to be sent again, and answered alike, at every sync."""
        row = self._local_row(s, change)
        if row is None:
            return
        try:
            with s.begin_nested():
                self._take_values(s, row, change, result)
                s.flush()  # (a number too large for its column fails only when written)
        except Exception as exc:
            if not unappliable(exc):
                raise
            attention(s, change.change_id, change.table, change.row_id, UNAPPLIABLE)
            self.c.run.outcome.unappliable += 1
            log.warning(
                "the server's value answering change %s (%s) could not be stored here (%s)",
                change.change_id,
                change.table,
                type(exc).__name__,  # never the message: it may quote the value
            )

    def _take_values(self, s: Session, row: Any, change: Change, result: ChangeResult) -> None:
        shape = SHAPES[change.table]
        clocks = dict(row.field_hlc or {})
        server_clocks = result.server_field_hlc or {}
        for name, value in (result.server_values or {}).items():
            if name not in shape.convert or clocks.get(name) != change.clock_of(name):
                continue
            setattr(row, name, shape.to_python(name, value))
            if server_clocks.get(name):
                clocks[name] = server_clocks[name]
        row.field_hlc = clocks
        self.c.touch(change.table, change.row_id)
        self._note_answered(change)
        if change.table in search.INDEXED_TABLES:
            s.flush()
            search.reindex_row(s, row)

    def _adopt_conflict(self, s: Session, change: Change, result: ChangeResult) -> None:
        """The server kept its value and both versions as a conflict: hold the same here."""
        self._adopt_values(s, change, result)
        ids = list(result.conflict_ids or [])
        kept_clocks = result.server_field_hlc or {}
        for name, conflict_id in zip(result.server_values or {}, ids, strict=False):
            if s.get(SyncConflict, conflict_id) is not None:
                continue
            s.add(
                SyncConflict(
                    id=conflict_id,
                    table_name=change.table,
                    row_id=change.row_id,
                    field=name,
                    participant_id=change.participant_id,
                    local_value=change.fields.get(name),
                    remote_value=(result.server_values or {}).get(name),
                    local_hlc=change.clock_of(name),
                    remote_hlc=kept_clocks.get(name, ""),
                    detected_at=utc_now(),
                    resolved_at=None,
                )
            )
            self.c.run.report.new_conflicts += 1
            self.c.run.report.changed.entities.add(CONFLICT_TABLE)
            log.info("conflict %s kept on %s %s", conflict_id, change.table, change.row_id)

    def _note_answered(self, change: Change) -> None:
        """A push answer changed a row here (the server's value won, or a conflict kept)."""
        seen = self.c.run.report.changed
        seen.entities.add(change.table)
        if change.participant_id:
            seen.participants.add(change.participant_id)


class _Flight:
    """A push request on a thread of its own while this one makes the next batch (and,
    sent ahead, records the last answer): the device's work overlaps the server's."""

    def __init__(self, request: PushRequest, post: Callable[[], PushResponse]) -> None:
        self.request = request
        self._post = post
        self._answer: PushResponse | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="push-send", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._answer = self._post()
        except BaseException as exc:  # handed to the thread that waits for the answer
            self._error = exc

    def result(self) -> PushResponse:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._answer is not None
        return self._answer

    def settle(self) -> None:
        """Wait for it to end, whatever it brings (its answer is not recorded)."""
        self._thread.join()
