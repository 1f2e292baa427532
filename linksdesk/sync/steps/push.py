"""The push step: the outbox in batches saved before they are sent, each answer recorded with it."""

from __future__ import annotations

import itertools
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.errors import SyncError
from linksdesk.core.hlc import HLC
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import Sharing
from linksdesk.storage import search
from linksdesk.storage.outbox import (
    PendingBatch,
    drop_pending,
    load_pending,
    rows_touched,
    save_pending,
    save_pending_made,
)
from linksdesk.storage.store import utc_now
from linksdesk.storage.tables import Outbox, SyncAttention, SyncConflict
from linksdesk.sync import state
from linksdesk.sync.apply import UNAPPLIABLE, unappliable
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    PARTICIPANT_TABLE,
    Change,
    ChangeResult,
    ChangeStatus,
    Op,
    PushRequest,
    PushResponse,
    is_participant_routed,
)
from linksdesk.sync.shapes import SHAPES
from linksdesk.sync.steps.context import SyncContext
from linksdesk.sync.transport import RequestRefused

log = logging.getLogger(__name__)


# a round of the push loop whose rows were all set aside: nothing to send, go on
_NOTHING_TO_SEND = PendingBatch(batch_key="", request={})


class Push:
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
            if saved is None or saved is _QUEUE_EMPTY:
                break
            following, ahead = self._send(saved, ahead)
            self.c.progress("push", self.c.run.report.pushed, total)

    def next_batch(self) -> PendingBatch | None:
        """Take the next changes from the outbox and save them as the pending batch."""
        saved = self.c.store.keep(self._take_batch)
        if saved is None:
            return None
        if saved.changes:
            self.c.point("push:saved")
        return saved

    def _take_batch(
        self, s: Session, draft: _Draft | None = None, *, sent: bool = False
    ) -> PendingBatch | None:
        """The next batch, saved; an empty one (not saved) when every row taken had to be
        set aside; None when the outbox holds nothing unbatched.

        ``draft``: the same batch made ahead from a read of the outbox while the last one
        was at the server. It is taken as made when the outbox's next rows are still the
        very rows it was made from (outbox rows never change but for their batch key):
        the same saved batch, without making it again inside this transaction.
        ``sent``: the draft is already at the server (checked just before it went), so it
        is what this transaction saves, whatever was written since the check."""
        if draft is not None and (sent or self._still_next(s, draft)):
            self.c.run.consents_sent = draft.consents_sent
            self._mark_batch(s, draft.seqs, draft.request.batch_key, draft.ids)
            save_pending_made(s, draft.stored)
            self.c.run.built[draft.request.batch_key] = draft.request
            return draft.saved
        rows = self._queued(s, self.c.run.batch_size)
        if not rows:
            return None
        key = uuid7()
        changes: list[Change] = []
        taken: list[int] = []
        for row in rows:
            self._repair_clock(s, row)
            try:
                changes.append(self.as_change(row))
            except (PydanticValidationError, ValueError, TypeError):
                # it could never be sent: show it rather than block the queue
                _attention(
                    s,
                    row.change_id,
                    row.table_name,
                    row.row_id,
                    "This change could not be prepared for the server.",
                )
                s.delete(row)
                continue
            taken.append(row.seq)
        s.flush()
        if not changes:
            return _NOTHING_TO_SEND
        return self._save_batch(s, taken, PushRequest(batch_key=key, changes=changes))

    def _still_next(self, s: Session, draft: _Draft) -> bool:
        """Whether the draft's rows are still the ones this transaction would take.

        Outbox rows never change but for their batch key, and a row queued since the draft
        has a higher seq than every row it holds. So: nothing went back to the queue since
        (this sync is the only one to put rows back), and in plain order the next rows
        by seq are the draft's (one quick read of the batch-key index). While consents go
        first, reading them again would scan the whole queue: there every row of the draft
        still waiting is enough, as a consent queued since goes out in plain order later,
        still ahead of every row recorded under it.
        """
        limit, consents_sent = self.c.run.batch_size, self.c.run.consents_sent
        if self.requeued != draft.requeued or (limit, consents_sent) != draft.taken_with:
            return False
        # by seq and change_id: a row queued after the highest rows were dropped takes a
        # dropped row's seq again (SQLite reuses the highest rowid freed)
        made = list(zip(draft.seqs, draft.ids, strict=True))
        ids = (Outbox.seq, Outbox.change_id, Outbox.table_name, Outbox.row_id)
        if consents_sent:
            rows, _ = _queued_in(s, ids, limit, consents_sent)
            return [(row.seq, row.change_id) for row in rows] == made
        waiting: set[tuple[int, str]] = set()
        for chunk in _chunks(draft.seqs, 500):
            unsent = select(*ids).where(Outbox.seq.in_(chunk), Outbox.batch_key.is_(None))
            waiting.update((row.seq, row.change_id) for row in s.execute(unsent))
        return waiting == set(made)

    def _save_batch(self, s: Session, seqs: list[int], request: PushRequest) -> PendingBatch:
        """Mark the batch's outbox rows with its key and save it as the pending batch."""
        self._mark_batch(s, seqs, request.batch_key)
        saved = PendingBatch(batch_key=request.batch_key, request=request.model_dump(mode="json"))
        save_pending(s, saved)
        self.c.run.built[request.batch_key] = request
        return saved

    def _mark_batch(
        self, s: Session, seqs: list[int], key: str, ids: list[str] | None = None
    ) -> None:
        """Give the rows the batch's key; ``ids``: their change_ids too, for rows read
        before this transaction (a seq freed since may hold another row now)."""
        for i in range(0, len(seqs), 500):
            # by change_id alone where given (its unique index: both IN lists together
            # made SQLite scan the outbox)
            which = Outbox.seq.in_(seqs[i : i + 500])
            if ids is not None:
                which = Outbox.change_id.in_(ids[i : i + 500])
            # the rows loaded above are not used again: no need to find and update them
            s.execute(
                update(Outbox).where(which).values(batch_key=key),
                execution_options={"synchronize_session": False},
            )

    def _queued(self, s: Session, limit: int) -> list[Outbox]:
        """The next unbatched outbox rows (see :func:`_queued_in`)."""
        rows, self.c.run.consents_sent = _queued_in(s, Outbox, limit, self.c.run.consents_sent)
        return rows

    def _draft(self) -> _Draft | None:
        """The batch after the one at the server, made from a read of the outbox (not
        saved: :meth:`_take_batch` takes it with the answer if nothing moved meanwhile).
        None when it cannot be made as the transaction would (a clock to repair, a change
        that cannot be prepared): the transaction then makes it itself."""
        limit, consents_sent = self.c.run.batch_size, self.c.run.consents_sent
        requeued = self.requeued
        with self.c.store.read() as s:
            # plain rows, not ORM objects: the draft only reads them
            rows, consents_after = _queued_in(s, _QUEUED_COLUMNS, limit, consents_sent)
            if not rows or any(_behind_base(row) for row in rows):
                return None
            try:
                changes = [self.as_change(row) for row in rows]
            except (PydanticValidationError, ValueError, TypeError):
                return None
        request = PushRequest(batch_key=uuid7(), changes=changes)
        saved = PendingBatch(batch_key=request.batch_key, request=request.model_dump(mode="json"))
        # the request's JSON once: the body sent, and inside the saved batch's JSON as
        # json.dumps(saved.to_json()) writes it
        body = json.dumps(saved.request)
        stored = f'{{"batch_key": {json.dumps(saved.batch_key)}, "request": {body}}}'
        seqs, ids = [row.seq for row in rows], [row.change_id for row in rows]
        taken_with = (limit, consents_sent)
        return _Draft(
            seqs, ids, taken_with, requeued, consents_after, request, saved, stored, body.encode()
        )

    def as_change(self, row: Queued) -> Change:
        payload: dict[str, Any] = dict(row.payload or {})
        table = row.table_name
        pid = payload.get("participant_id")
        if table == PARTICIPANT_TABLE and pid is None:
            pid = row.row_id
        routed = is_participant_routed(table)
        fields: dict[str, Any] = dict(payload.get("fields") or {})
        if row.op != Op.UPSERT:
            fields = {}
        base = {k: v for k, v in (row.base or {}).items() if k in fields or k == "deleted"}
        if row.op == Op.ERASE:
            base = {}
        return Change(
            change_id=row.change_id,
            table=table,
            row_id=row.row_id,
            op=Op(row.op),
            hlc=row.hlc,
            origin=str(payload.get("origin") or HLC.decode(row.hlc).device),
            owner=str(payload.get("owner") or self.c.config.worker_id),
            participant_id=pid if routed else None,
            sharing=payload.get("sharing") or Sharing.TEAM.value,
            # only rows that follow a consent are queued while it stands (policy at queue time)
            participant_shared=True if pid and registry.follows_consent(table) else None,
            fields=fields,
            base=base,
        )

    def _repair_clock(self, s: Session, row: Outbox) -> None:
        """An edit stamped no later than the value it replaced (this laptop's clock was
        behind a clock it had seen) would read as stale on the server: restamp it."""
        if not _behind_base(row):
            return
        top = max(str(v) for v in (row.base or {}).values())
        old = row.hlc
        new = self.c.store.clock.observe(top).encode()
        row.hlc = new
        shape = SHAPES.get(row.table_name)
        if shape is None:
            return
        local: Any = s.get(shape.cls, row.row_id)
        if local is None:
            return
        clocks = dict(local.field_hlc or {})
        for name, value in clocks.items():
            if value == old:
                clocks[name] = new
        local.field_hlc = clocks
        if (local.hlc or "") <= new:
            local.hlc = new
        self.c.touch(row.table_name, row.row_id)
        log.info("restamped queued change %s: its clock was behind its base", row.change_id)

    def _send(
        self, saved: PendingBatch, ahead: _Flight | None = None
    ) -> tuple[PendingBatch | None, _Flight | None]:
        """Send a saved batch (or wait for ``ahead``, the same batch sent already) and
        record its answer. Returns the next batch, taken and saved in the same transaction
        as the answer (one commit a batch, not two), or ``_QUEUE_EMPTY``; None when no
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
            return answered, self._take_batch(s, draft, sent=early is not None) or _QUEUE_EMPTY

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
            self.c.touch("__cursor__", "pushed")
        else:
            self.c.run.head = None  # the log moved by what was sent: pull to learn what
        if not answered:
            # resending at once would get the same silence: stop here, keep them queued
            raise SyncError(
                "The server did not confirm the changes sent; they will be sent again next time."
            )
        return following, early

    def _send_ahead(
        self, request: PushRequest, answer: PushResponse, draft: _Draft | None
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
                _attention(s, row.change_id, row.table_name, row.row_id, reason)
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
                _attention(s, change.change_id, change.table, change.row_id, reason)
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
        for chunk in _chunks(left, 500):
            s.execute(delete(Outbox).where(Outbox.change_id.in_(chunk)))
        # (not in a vault restored from a backup, until it has pulled to the head: the own
        # changes the device sent after the backup are past its cursor, not here, and the
        # pull would leave them out too)
        if not self.c.config.own_unheld and own_through > int(
            state.get(s, state.OWN_THROUGH, 0) or 0
        ):
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
            _attention(s, change.change_id, change.table, change.row_id, UNAPPLIABLE)
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


# taken with an answer: nothing unbatched was left in the outbox
_QUEUE_EMPTY = PendingBatch(batch_key="", request={})


@dataclass(frozen=True)
class _Draft:
    """A batch made ahead: the outbox rows it was made from, in order, and its request."""

    seqs: list[int]
    ids: list[str]  # their change_ids, in the same order
    taken_with: tuple[int, bool]  # the batch size and whether consents had all gone
    requeued: int  # Push.requeued when it was made
    consents_sent: bool  # what taking these rows tells of the consents still queued
    request: PushRequest
    saved: PendingBatch  # as the transaction would save it
    stored: str  # its JSON in the vault
    body: bytes  # its request's JSON, as sent


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


# what making a change reads of an outbox row: an ORM row, or a plain one of these columns
Queued = Outbox | Row[Any]
_QUEUED_COLUMNS = (
    Outbox.seq,
    Outbox.change_id,
    Outbox.table_name,
    Outbox.row_id,
    Outbox.op,
    Outbox.hlc,
    Outbox.payload,
    Outbox.base,
)


def _queued_in(s: Session, what: Any, limit: int, consents_sent: bool) -> tuple[list[Any], bool]:
    """The next unbatched outbox rows and whether every consent record has gone: consent
    records first, then the rest in order, a row's run of changes kept whole
    (``_whole_rows``). ``what``: the ORM rows (``Outbox``), or a tuple of columns (plain
    rows) with at least the sequence number, table and row id.

    The server takes a participant's content only under a team consent it already
    holds (or that comes in the same batch), so consents go ahead of everything else
    whatever batch boundaries fall between them and the rows they allow.
    """
    unsent = Outbox.batch_key.is_(None)
    many = isinstance(what, tuple)

    def read(where: Any, n: int) -> list[Any]:
        query = (select(*what) if many else select(what)).where(unsent, where)
        found = s.execute(query.order_by(Outbox.seq).limit(n))
        return list(found if many else found.scalars())

    rows: list[Any] = []
    if not consents_sent:
        rows = read(Outbox.table_name == registry.CONSENT_TABLE, limit)
        if len(rows) < limit:
            # none left: a consent recorded while this sync runs is queued before the
            # rows it allows, so plain order keeps it ahead of them from here on
            consents_sent = True
    if len(rows) < limit:
        taken = [r.seq for r in rows]
        rows += read(Outbox.seq.not_in(taken), limit - len(rows))
    if len(rows) == limit:
        # (a consent taken first may lie further on: it is never the last row's run)
        rows = _whole_rows(rows, lambda: read(Outbox.seq > rows[-1].seq, 1))
    return rows, consents_sent


def _whole_rows(rows: list[Any], after_last: Callable[[], list[Any]]) -> list[Any]:
    """A full batch cut so that the changes of one row queued one after another never fall
    into two batches: the server keeps a new row only whole, counting its columns over the
    row's changes in one batch, and a verify repair sends a row the server lacks as one
    change per field clock. The first part alone would be refused as incomplete and set
    aside. The last row's run of changes goes to the next batch whole, unless it fills
    this whole batch (a batch halved below a row's changes after refusals: as it is)."""

    def row_of(r: Any) -> tuple[str, str]:
        return (r.table_name, r.row_id)

    last = row_of(rows[-1])
    following = after_last()
    if not following or row_of(following[0]) != last:
        return rows
    run = sum(1 for _ in itertools.takewhile(lambda r: row_of(r) == last, reversed(rows)))
    return rows[:-run] if run < len(rows) else rows


def _behind_base(row: Queued) -> bool:
    """Whether a queued edit is stamped earlier than a value it replaced.

    A stamp equal to its base is no edit: it is a copy of a value as it stands, sent again
    with its own clock by the sync check's repair (an edit's stamp is always new). Stamped
    anew, such a copy would outrank edits made elsewhere before the repair."""
    top = max((str(v) for v in (row.base or {}).values()), default="")
    return bool(top) and top > row.hlc


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _attention(s: Session, change_id: str, table: str, row_id: str, reason: str) -> None:
    """List a change on "needs attention" (ids and a plain reason only)."""
    s.merge(
        SyncAttention(
            change_id=change_id, table_name=table, row_id=row_id, reason=reason, at=utc_now()
        )
    )
