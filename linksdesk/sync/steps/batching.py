"""Taking the push's next batch from the outbox, saved before it is sent.

Consent records go first (the server takes a participant's content only under a team consent
it holds); one row's run of changes never falls into two batches; and while one batch is at
the server the next is made ahead from a read of the outbox (a draft), then taken as made
with the answer when nothing moved meanwhile.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.hlc import HLC
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import Sharing
from linksdesk.storage.outbox import (
    PendingBatch,
    chunks,
    save_pending,
    save_pending_made,
)
from linksdesk.storage.store import utc_now
from linksdesk.storage.tables import Outbox, SyncAttention
from linksdesk.sync.protocol import (
    PARTICIPANT_TABLE,
    Change,
    Op,
    PushRequest,
    is_participant_routed,
)
from linksdesk.sync.shapes import SHAPES
from linksdesk.sync.steps.context import SyncContext

log = logging.getLogger(__name__)


# a round of the push loop whose rows were all set aside: nothing to send, go on
_NOTHING_TO_SEND = PendingBatch(batch_key="", request={})


# taken with an answer: nothing unbatched was left in the outbox
QUEUE_EMPTY = PendingBatch(batch_key="", request={})


@dataclass(frozen=True)
class Draft:
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


class Batching:
    """Makes and saves batches for :class:`linksdesk.sync.steps.push.Push`."""

    c: SyncContext
    requeued: int  # how many times rows went back to the queue (a draft's check)

    def next_batch(self) -> PendingBatch | None:
        """Take the next changes from the outbox and save them as the pending batch."""
        saved = self.c.store.keep(self._take_batch)
        if saved is None:
            return None
        if saved.changes:
            self.c.point("push:saved")
        return saved

    def _take_batch(
        self, s: Session, draft: Draft | None = None, *, sent: bool = False
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
                attention(
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

    def _still_next(self, s: Session, draft: Draft) -> bool:
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
            rows, _ = queued_in(s, ids, limit, consents_sent)
            return [(row.seq, row.change_id) for row in rows] == made
        waiting: set[tuple[int, str]] = set()
        for chunk in chunks(draft.seqs, 500):
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
        rows, self.c.run.consents_sent = queued_in(s, Outbox, limit, self.c.run.consents_sent)
        return rows

    def _draft(self) -> Draft | None:
        """The batch after the one at the server, made from a read of the outbox (not
        saved: :meth:`_take_batch` takes it with the answer if nothing moved meanwhile).
        None when it cannot be made as the transaction would (a clock to repair, a change
        that cannot be prepared): the transaction then makes it itself."""
        limit, consents_sent = self.c.run.batch_size, self.c.run.consents_sent
        requeued = self.requeued
        with self.c.store.read() as s:
            # plain rows, not ORM objects: the draft only reads them
            rows, consents_after = queued_in(s, QUEUED_COLUMNS, limit, consents_sent)
            if not rows or any(behind_base(row) for row in rows):
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
        return Draft(
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
        if not behind_base(row):
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


# what making a change reads of an outbox row: an ORM row, or a plain one of these columns
Queued = Outbox | Row[Any]
QUEUED_COLUMNS = (
    Outbox.seq,
    Outbox.change_id,
    Outbox.table_name,
    Outbox.row_id,
    Outbox.op,
    Outbox.hlc,
    Outbox.payload,
    Outbox.base,
)


def queued_in(s: Session, what: Any, limit: int, consents_sent: bool) -> tuple[list[Any], bool]:
    """The next unbatched outbox rows and whether every consent record has gone: consent
    records first, then the rest in order, a row's run of changes kept whole
    (``whole_rows``). ``what``: the ORM rows (``Outbox``), or a tuple of columns (plain
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
        rows = whole_rows(rows, lambda: read(Outbox.seq > rows[-1].seq, 1))
    return rows, consents_sent


def whole_rows(rows: list[Any], after_last: Callable[[], list[Any]]) -> list[Any]:
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


def behind_base(row: Queued) -> bool:
    """Whether a queued edit is stamped earlier than a value it replaced.

    A stamp equal to its base is no edit: it is a copy of a value as it stands, sent again
    with its own clock by the sync check's repair (an edit's stamp is always new). Stamped
    anew, such a copy would outrank edits made elsewhere before the repair."""
    top = max((str(v) for v in (row.base or {}).values()), default="")
    return bool(top) and top > row.hlc


def attention(s: Session, change_id: str, table: str, row_id: str, reason: str) -> None:
    """List a change on "needs attention" (ids and a plain reason only)."""
    s.merge(
        SyncAttention(
            change_id=change_id, table_name=table, row_id=row_id, reason=reason, at=utc_now()
        )
    )
