"""The verify step: digests against the server's; what differs is pulled again, then sent."""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.hlc import HLC
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import Sharing
from linksdesk.storage import waiting
from linksdesk.storage.outbox import chunks
from linksdesk.storage.store import json_value, shared_participants, utc_now
from linksdesk.storage.tables import AuditEvent, Outbox, SyncAttention
from linksdesk.sync import state
from linksdesk.sync.apply import LISTED_HERE, SET_ASIDE
from linksdesk.sync.protocol import Op, VerifyResponse
from linksdesk.sync.shapes import SHAPES, pid_of
from linksdesk.sync.steps.context import EpochMoved, SyncContext
from linksdesk.sync.steps.pull import Pull
from linksdesk.sync.steps.push import Push

log = logging.getLogger(__name__)


RECHECK_AFTER_S = 3600.0  # compare with the server at least this often, changes or not
# with the digests a repair could not mend: it sent every row whole (one remembered by a
# LinksDesk that split a repaired row over two batches lacks it, and is repaired again)
WHOLE_ROWS = "whole rows"


class Verify:
    """Compares digests with the server and mends what differs."""

    def __init__(self, c: SyncContext, push: Push, pull: Pull) -> None:
        self.c = c
        self.push = push
        self.pull = pull

    def _unchanged_since_verified(self, after_resync: bool) -> bool:
        """Nothing moved on either side since a check that passed, and not long ago: the
        comparison would compare the same things again."""
        report = self.c.run.report
        if self.c.o.full_check or after_resync or report.pushed or report.pulled:
            return False
        last = self.c.config.last_verified  # only a check writes it, at its end
        if not isinstance(last, dict) or last.get("epoch") != self.c.config.epoch:
            return False
        if time.time() - float(last.get("at", 0)) > RECHECK_AFTER_S:
            return False
        with self.c.store.read() as s:
            edits = s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.seq > int(last.get("audit_seq", 0)), AuditEvent.action != "view")
            )
            return not edits and not s.scalar(select(func.count()).select_from(Outbox))

    def verify(self, *, after_resync: bool) -> None:
        self.c.progress("verify", 0, None)
        if self._unchanged_since_verified(after_resync):
            self.c.run.report.verified = True
            return
        with self.c.store.read() as s:
            seq_before = int(s.scalar(select(func.max(AuditEvent.seq))) or 0)
            counted = waiting.held(s) is not None
        if self.c.o.full_check or not counted:
            # which rows wait for a parent, worked out afresh (pulls keep it up to date)
            self.c.store.keep(lambda s: waiting.keep(s, waiting.find(s)))
        mismatched, pairs = self._compare(fresh=self.c.o.full_check)
        with self.c.store.read() as s:
            known_bad: dict[str, Any] = dict(state.get(s, state.VERIFY_SKIP, {}) or {})
        # a difference a repair could not mend last time is reported, not repaired again
        # on every sync (that would download everything each time)
        to_repair = [t for t in mismatched if known_bad.get(t) != pairs[t]]
        if mismatched:
            # never repair on the strength of remembered digests: read the vault afresh
            mismatched, pairs = self._compare(fresh=True)
            to_repair = [t for t in mismatched if known_bad.get(t) != pairs[t]]
        if to_repair and not after_resync:
            log.info("verify: %d tables differ; downloading them again", len(to_repair))
            self.pull.pull_all(only_tables=frozenset(to_repair))
            mismatched, pairs = self._compare()
            to_repair = [t for t in mismatched if known_bad.get(t) != pairs[t]]
        if to_repair:
            # this device holds what the server lacks (a restored server, a lost answer):
            # send those tables again; the server merges, never overwrites
            log.info("verify: %d tables differ; sending this device's copies", len(to_repair))
            if self._queue_snapshots(to_repair):
                self.push.push_all()
                self.pull.pull_all()
            mismatched, pairs = self._compare()
        # kept with the sync's last transaction (a crash before it only means checking
        # again next time)
        self.c.run.verified_write = lambda s: self._store_verified(
            s, after_resync, mismatched, pairs, seq_before
        )
        self.c.run.report.repaired_tables = tuple(sorted(self.c.repaired))
        self.c.run.report.verified = not mismatched
        self.c.unverified = mismatched

    def _store_verified(
        self,
        s: Session,
        after_resync: bool,
        mismatched: list[str],
        pairs: dict[str, list[str]],
        seq_before: int,
    ) -> None:
        if after_resync:
            state.drop(s, state.RESYNC)
        # a repair that sent a row in parts (refused) is not the last word: next time again
        skip = {} if self.c.run.split_rows else {t: pairs[t] for t in mismatched}
        state.put(s, state.VERIFY_SKIP, skip)
        if mismatched:
            state.drop(s, state.LAST_VERIFIED)
        else:
            state.put(
                s,
                state.LAST_VERIFIED,
                {"epoch": self.c.config.epoch, "audit_seq": seq_before, "at": time.time()},
            )

    def _compare(self, *, fresh: bool = False) -> tuple[list[str], dict[str, list[str]]]:
        """Tables whose count or digest differ from the server's, and both sides' digests."""
        server = self.c.t.post("verify", None, VerifyResponse)
        if server.data_epoch != self.c.config.epoch:
            raise EpochMoved("the server's data epoch changed")
        with self.c.store.read() as s:
            mine = self.c.digests.digests(s, self.c.touched, fresh=fresh)
            self.c.touched = {}
            # changes made while this sync ran are not on the server yet: next time
            waiting = set(s.scalars(select(Outbox.table_name).distinct()))
        differ: list[str] = []
        pairs: dict[str, list[str]] = {}
        for table, digest in server.tables.items():
            if table not in mine or table in waiting or mine[table] == digest:
                continue
            differ.append(table)
            pairs[table] = [
                f"{mine[table].count}:{mine[table].digest}",
                f"{digest.count}:{digest.digest}",
                WHOLE_ROWS,
            ]
        self.c.repaired |= set(differ)
        return differ, pairs

    def _queue_snapshots(self, tables: list[str]) -> int:
        """Queue every shareable row of ``tables`` as it stands here, field by field."""
        queued = self.c.store.keep(lambda s: self._snapshots(s, tables))
        log.info("queued %d snapshot changes for %d tables", queued, len(tables))
        return queued

    def _snapshots(self, s: Session, tables: list[str]) -> int:
        queued = 0
        shared = shared_participants(s)
        for table in tables:
            shape = SHAPES[table]
            cls: Any = shape.cls
            sent: list[str] = []
            for row in s.scalars(select(cls).where(cls.sharing == Sharing.TEAM.value)):
                pid = pid_of(row)
                routed = shape.participant_routed
                if registry.follows_consent(table) and pid not in shared:
                    continue
                if routed and row.owner != self.c.config.worker_id:
                    continue  # a colleague's case: only they may send it
                queued += _snapshot(s, shape.name, row, pid if routed else None)
                sent.append(row.id)
            # what the server refused of these rows is sent again, whole: refused again, it
            # is listed again (a pulled change set aside stays listed: it is not sent)
            for chunk in chunks(sent):
                s.execute(
                    delete(SyncAttention).where(
                        SyncAttention.table_name == table,
                        SyncAttention.row_id.in_(chunk),
                        SyncAttention.reason.not_in(SET_ASIDE),
                        SyncAttention.reason.not_like(f"{LISTED_HERE}%"),
                    )
                )
        return queued


def _snapshot(s: Session, table: str, row: Any, participant_id: str | None) -> int:
    """Queue ``row`` as changes grouped by field clock (the server sets no per-field clocks
    from a device), each based on its own clock so the server fast-forwards what it lacks."""
    shape = SHAPES[table]
    clocks: dict[str, str] = dict(row.field_hlc or {})
    groups: dict[str, dict[str, Any]] = {}
    for name in sorted(shape.shareable):
        clock = clocks.get(name) or row.hlc
        groups.setdefault(clock, {})[name] = json_value(getattr(row, name))
    made = 0
    envelope = {
        "participant_id": participant_id,
        "owner": row.owner,
        "sharing": Sharing.TEAM.value,
    }

    def queue(op: Op, clock: str, fields: dict[str, Any], base: dict[str, str]) -> None:
        payload = {"fields": fields, **envelope, "origin": HLC.decode(clock).device}
        s.add(
            Outbox(
                change_id=uuid7(),
                table_name=table,
                row_id=row.id,
                op=op.value,
                hlc=clock,
                payload=payload,
                base=base,
                created_at=utc_now(),
            )
        )

    for clock in sorted(groups):
        queue(Op.UPSERT, clock, groups[clock], dict.fromkeys(groups[clock], clock))
        made += 1
    if row.deleted:
        clock = clocks.get("deleted") or row.hlc
        queue(Op.DELETE, clock, {}, {"deleted": clock})
        made += 1
    return made
