"""Push: a batch applied exactly once, in one transaction written with bulk statements.

A push locks only the names it touches (its batch key, its participants, its other rows;
:func:`linksdesk.server.db.lock_names`), reads what the batch needs in a few queries, and
applies every change in memory: the checks, the consent gate, the field merge. Then it
takes the ``server_seq`` counter, numbers its change-log entries, writes each table with
one ``executemany`` (records, change log, answers), notes the verify digests and commits
at once: the counter row is held for the writing only, so a 5,000-participant first sync
does not make every other device's push wait for its whole apply, and seq order is still
commit order. A batch that erases a participant or withdraws team sharing writes what it
has so far and takes the counter at that point (the purge reads and deletes it).
Refused changes are logged with ids and a reason code only, never their content.
"""

from __future__ import annotations

import json
import logging
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import Sharing
from linksdesk.server import digests
from linksdesk.server.bulk import BulkInsert
from linksdesk.server.db import Database, lock_names
from linksdesk.server.digests import DigestNotes
from linksdesk.server.errors import ServerProblem
from linksdesk.server.models import AppliedOp, Batch, Erasure, Handover, ParticipantAccess
from linksdesk.server.sealing import StoredJson, keyring_of, routes_content, stored_json
from linksdesk.server.sync.batch import Access, Answer, BatchState, Entry, Row, pid_of
from linksdesk.server.sync.changelog import logged_writes, record_as_change
from linksdesk.server.sync.consent import (
    consent_rank,
    purge_participant,
)
from linksdesk.server.sync.context import OWNER, DeviceContext
from linksdesk.server.sync.rules import Refusal, check, may_relay, reason
from linksdesk.sync.merge import DELETED, MergeResult, merge_fields
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    PARTICIPANT_TABLE,
    Change,
    ChangeResult,
    ChangeStatus,
    ConflictRow,
    Op,
    PushRequest,
    PushResponse,
)

log = logging.getLogger(__name__)

_INSERT_OPS = BulkInsert(cast(Table, AppliedOp.__table__))
_INSERT_BATCH = BulkInsert(cast(Table, Batch.__table__))

# a concurrent push inserted a row this one meant to insert (the same row id from two
# participants or teams, a hostile device's): run the batch again, it then sees the row
_ATTEMPTS = 3


def push(db: Database, ctx: DeviceContext, req: PushRequest) -> PushResponse:
    """Apply a batch exactly once; the same batch_key always gets the same answer."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            response, shredded = _push_once(db, ctx, req)
        except DBAPIError as exc:
            if attempt == _ATTEMPTS or not _worth_again(exc):
                raise
            log.info("push of batch %s met a concurrent write; applying it again", req.batch_key)
            continue
        if shredded:
            db.truncate_wal()  # outside the transaction: nothing of the erased stays in the WAL
        return response
    raise AssertionError("unreachable")  # pragma: no cover


def _worth_again(exc: DBAPIError) -> bool:
    """A unique key another push took first, or PostgreSQL ending one of two waiting
    transactions (deadlock, serialisation): the batch applies cleanly when run again."""
    return isinstance(exc, IntegrityError) or getattr(exc.orig, "sqlstate", None) in (
        "40P01",
        "40001",
    )


def _push_once(db: Database, ctx: DeviceContext, req: PushRequest) -> tuple[PushResponse, bool]:
    with db.writing() as s:
        lock_names(s, lock_names_of(req))
        done = s.get(Batch, req.batch_key)
        if done is not None:
            if done.device_id != ctx.device_id:
                raise ServerProblem("This batch key was already used by another device.", 409)
            if _answered_ids(done.response) != [ch.change_id for ch in req.changes]:
                # the answer kept is about other changes: given again, none of these would
                # be answered and the device would send them under this key for good
                raise ServerProblem("This batch key was already used for other changes.", 409)
            answer = PushResponse.model_validate(_opened_response(s, done.response))
            return answer.model_copy(update={"replayed": True}), False
        batch = BatchApplier(s, ctx, req.batch_key)
        batch.prefetch(req.changes)
        answers: dict[int, Answer] = {}
        for i in batch.apply_order(req.changes):
            answers[i] = batch.apply(req.changes[i])
        response = batch.finish([answers[i] for i in range(len(req.changes))])
        return response, batch.shredded


def lock_names_of(req: PushRequest) -> list[str]:
    """What a batch writes, as lock names: its key, its participants and its other rows."""
    names = [f"batch:{req.batch_key}"]
    for ch in req.changes:
        pid = ch.row_id if ch.table == PARTICIPANT_TABLE else ch.participant_id
        names.append(f"p:{pid}" if pid is not None else f"r:{ch.table}:{ch.row_id}")
    return names


def participant_lock(pid: str) -> str:
    """The lock name of one participant (a handover takes it as a push does)."""
    return f"p:{pid}"


def _answered_ids(stored: dict[str, Any]) -> list[str]:
    return [str(r.get("change_id")) for r in stored.get("results", [])]


def _opened_result(s: Session, stored: dict[str, Any]) -> dict[str, Any]:
    """A stored answer with its sealed values opened (None once the key is destroyed)."""
    values = stored.get("server_values")
    if values is None:
        return stored
    opened = keyring_of(s).open(s, values)
    if opened is None:
        return {**stored, "server_values": None, "server_field_hlc": None}
    return {**stored, "server_values": opened}


def _opened_response(s: Session, stored: dict[str, Any]) -> dict[str, Any]:
    return {**stored, "results": [_opened_result(s, r) for r in stored.get("results", [])]}


class BatchApplier(BatchState):
    """Applies the changes of one batch in memory, then writes them in bulk."""

    def apply_order(self, changes: list[Change]) -> list[int]:
        """The order to apply a batch in: its team consent records first, then the rest.

        Participant content comes in only under a team consent the server holds (rule 2);
        one held from anywhere in the same batch counts, wherever the device's batching put
        it. Each part keeps the batch's order, and answers keep the request's order.
        """
        consents = [i for i, ch in enumerate(changes) if self.is_team_consent(ch)]
        if not consents:
            return list(range(len(changes)))
        first = set(consents)
        return consents + [i for i in range(len(changes)) if i not in first]

    # - one change -
    def apply(self, change: Change) -> Answer:
        if change.change_id in self.seen:
            return self.seen[change.change_id]
        prior = self.applied(change.change_id)
        if prior is not None and not may_relay(self, prior.device_id):
            # another worker's change id: its answer (the case's values) and its place in
            # the exactly-once record are not this device's; nothing is kept of this one
            answer = Answer(change, self._refuse(change, Refusal.NOT_YOUR_DEVICE))
        elif prior is not None and prior.status != ChangeStatus.REJECTED:
            # never applied twice
            result = ChangeResult.model_validate(_opened_result(self.s, prior.result))
            answer = Answer(change, result)  # given again, not remembered again
        else:
            refusal = check(self, change)
            if refusal is not None:
                answer = Answer(change, self._refuse(change, refusal))
            elif change.op is Op.ERASE:
                answer = self._erase(change)
            else:
                answer = self._merge(change)
            answer.prior = prior
            self.answers.append(answer)
        self.seen[change.change_id] = answer
        return answer

    def _refuse(self, change: Change, refusal: Refusal) -> ChangeResult:
        # ids and a code only: the content of a refused change is never kept or logged
        self.refusals.append(
            {
                "at_ms": self.now,
                "device_id": self.ctx.device_id,
                "change_id": change.change_id,
                "table_name": change.table[:32],
                "reason": refusal.value,
            }
        )
        log.info(
            "refused change %s (%s) from device %s: %s",
            change.change_id,
            change.table,
            self.ctx.device_id,
            refusal.value,
        )
        return ChangeResult(
            change_id=change.change_id,
            status=ChangeStatus.REJECTED,
            reason=reason(self, change, refusal),
        )

    def _merge(self, ch: Change) -> Answer:
        ctx = self.ctx
        pid = ch.participant_id
        had_access = pid is not None and self.owner_access(pid) is not None
        team_consent = pid is not None and self.is_team_consent(ch)
        shared_before = self.latest_team_consent(pid) if pid is not None and team_consent else None
        if pid is not None and not had_access:
            # first sight of this participant: the pushing worker's case
            self.new_access.append(
                {
                    "participant_id": pid,
                    "worker_id": ctx.worker_id,
                    "team_id": ctx.team_id,
                    "mode": OWNER,
                    "since_ms": self.now,
                }
            )
            self.notes.grant((pid, ctx.worker_id, ctx.team_id))
            self.access[pid] = Access(pid, ctx.worker_id, ctx.team_id)
        rec = self.record(ch.table, ch.row_id)
        case = self.owner_access(pid) if pid is not None and team_consent else None
        owner_of_new = case.worker_id if case is not None else ctx.worker_id
        merged = merge_fields(
            rec.fields if rec else None,
            rec.field_hlc if rec else None,
            ch,
            lambda name, clock: (name, clock) in self._logged(ch),
        )
        entry: Entry | None = None
        if merged.changed:
            if rec is None:
                rec = Row(
                    table_name=ch.table,
                    row_id=ch.row_id,
                    team_id=ctx.team_id,
                    # the token says who: a team row's creator cannot be claimed to be a
                    # colleague (participant and worker rows were checked to be this worker's);
                    # a team consent is their case's (a withdrawal the worker who handed the
                    # case on recorded: rules._own_withdrawal_on_handed)
                    owner=owner_of_new,
                    participant_id=pid,
                    sharing=Sharing.TEAM.value,
                    deleted=False,
                    hlc=ch.hlc,
                    origin=ch.origin,
                    fields={},
                    field_hlc={},
                    server_seq=0,
                )
                self.rows[rec.key] = rec
                self.absent_records.discard(rec.key)
                if ch.table == registry.CONSENT_TABLE and pid is not None:
                    self.consents_of(pid).append(rec)
            entry = self._write(rec, ch, merged)
        for lost in merged.superseded:
            self.superseded.append(
                {
                    "table_name": ch.table,
                    "row_id": ch.row_id,
                    "participant_id": pid,
                    "field": lost.field,
                    "value": (
                        keyring_of(self.s).seal(self.s, pid, ctx.team_id, lost.value)
                        if pid is not None and routes_content(ch.table, pid)
                        else lost.value
                    ),
                    "hlc": lost.hlc,
                    "origin": ch.origin if lost.incoming else (rec.origin if rec else ""),
                    "at_ms": self.now,
                }
            )
        conflict_ids = [self._keep_conflict(ch, rec, c) for c in merged.conflicts]
        if pid is not None and team_consent:
            shared_now = self.latest_team_consent(pid)
            if shared_now is False:
                self._withdraw(pid, notify=had_access)
            elif shared_now is True and shared_before is False:
                self._resend_kept(pid, ch.row_id)
        return Answer(ch, self._result(ch, merged, rec, conflict_ids), entry)

    def _logged(self, ch: Change) -> set[tuple[str, str]]:
        """The writes of ``ch``'s row the change log holds (asked only for a repair's copy
        that would otherwise conflict: rare)."""
        key = (ch.table, ch.row_id)
        if key not in self.logged:
            self.logged[key] = logged_writes(self.s, ch.table, ch.row_id, ch.participant_id)
        return self.logged[key]

    def _write(self, rec: Row, ch: Change, merged: MergeResult) -> Entry:
        fields = {**rec.fields, **merged.fields}
        field_hlc = {**rec.field_hlc, **merged.field_hlc}
        rec.fields, rec.field_hlc = fields, field_hlc
        rec.deleted = bool(fields.get(DELETED, False))
        rec.hlc = max(field_hlc.values())
        rec.origin = ch.origin
        if rec.table_name == registry.CONSENT_TABLE and rec.participant_id is not None:
            self.shared.pop(rec.participant_id, None)  # decided again from the records
        applied = dict(merged.fields)
        deleted = applied.get(DELETED) is True
        if deleted:
            applied.pop(DELETED)
        hlc = max(merged.field_hlc.values())
        # made of what was already checked (the pushed change, the stored row, the merge of
        # the two): not checked a second time field by field, once per change of a batch
        out = Change.model_construct(
            change_id=ch.change_id,
            table=ch.table,
            row_id=ch.row_id,
            op=Op.DELETE if deleted else Op.UPSERT,
            hlc=hlc,
            origin=ch.origin,
            owner=rec.owner,
            participant_id=rec.participant_id,
            sharing=Sharing.TEAM.value,
            participant_shared=ch.participant_shared,
            fields=applied,
            base={},
            field_hlc={k: v for k, v in merged.field_hlc.items() if k in applied and v != hlc},
        )
        entry = self.add_entry(out)
        rec.numbered_by = entry
        self.changed[rec.key] = rec
        return entry

    def _keep_conflict(self, ch: Change, rec: Row | None, c: Any) -> str:
        conflict_id = uuid7()
        row = ConflictRow(
            table_name=ch.table,
            row_id=ch.row_id,
            field=c.field,
            participant_id=ch.participant_id,
            kept_value=c.kept_value,
            kept_hlc=c.kept_hlc,
            other_value=c.other_value,
            other_hlc=c.other_hlc,
            other_origin=ch.origin,
            other_change_id=ch.change_id,
            detected_at_ms=self.now,
        )
        fields = row.model_dump(mode="json")
        owner = rec.owner if rec is not None else ch.owner
        entry = self.add_entry(
            Change(
                change_id=uuid7(),
                table=CONFLICT_TABLE,
                row_id=conflict_id,
                op=Op.UPSERT,
                hlc=ch.hlc,
                origin=ch.origin,
                owner=owner,
                participant_id=ch.participant_id,
                sharing=Sharing.TEAM.value,
                participant_shared=True,
                fields=fields,
            )
        )
        kept = Row(
            table_name=CONFLICT_TABLE,
            row_id=conflict_id,
            team_id=self.ctx.team_id,
            owner=owner,
            participant_id=ch.participant_id,
            sharing=Sharing.TEAM.value,
            deleted=False,
            hlc=ch.hlc,
            origin=ch.origin,
            fields=dict(fields),
            field_hlc=dict.fromkeys(fields, ch.hlc),
            server_seq=0,
            numbered_by=entry,
        )
        self.rows[kept.key] = kept
        self.changed[kept.key] = kept
        return conflict_id

    def _result(
        self, ch: Change, merged: MergeResult, rec: Row | None, conflict_ids: list[str]
    ) -> ChangeResult:
        if merged.status is ChangeStatus.CONFLICT:
            kept = {c.field: c.kept_value for c in merged.conflicts}
            return ChangeResult(
                change_id=ch.change_id,
                status=ChangeStatus.CONFLICT,
                reason=(
                    "Someone else changed this at the same time. Both versions are kept "
                    "until you choose."
                ),
                server_values=kept,
                server_field_hlc={c.field: c.kept_hlc for c in merged.conflicts},
                conflict_ids=conflict_ids,
            )
        lost = [x for x in merged.superseded if x.incoming]
        if lost and rec is not None:
            return ChangeResult(
                change_id=ch.change_id,
                status=ChangeStatus.MERGED,
                reason="A later change made elsewhere was kept for some details.",
                server_values={x.field: rec.fields.get(x.field) for x in lost},
                server_field_hlc={x.field: rec.field_hlc.get(x.field, "") for x in lost},
            )
        return ChangeResult(change_id=ch.change_id, status=merged.status)

    def _resend_kept(self, pid: str, given_id: str) -> None:
        """Team sharing given again after a withdrawal: hand on the consent records kept.

        The withdrawal took them out of the change log, and the worker's other devices
        purged them, so they would hold only the new record and differ from the server's
        history. Each kept record goes out again whole, after the new one: a device takes
        the old withdrawal as history, not as a withdrawal, once it holds the later consent.
        """
        again = sorted(
            (row for row in self.consents_of(pid) if row.row_id != given_id), key=consent_rank
        )
        for row in again:
            row.numbered_by = self.add_entry(record_as_change(row, uuid7()))
            self.changed[row.key] = row
        log.info(
            "team sharing given again for participant %s: %d consent records re-sent",
            pid,
            len(again),
        )

    # - erasure and withdrawal: write what the batch has so far, then purge -
    def _withdraw(self, pid: str, *, notify: bool) -> None:
        """Team sharing withdrawn (or never given): the participant is private to the device.

        The server keeps only the participant's team consent records, without their note:
        they decide what it accepts next and whose case it is. Every other row, the change
        log and stored answers about them go, and no device sees them any more (no access
        rows; the verify digests follow, as for erasure). Each worker who could see the case
        is sent the withdrawing consent so their devices purge their copies too.
        """
        self.shared.pop(pid, None)
        for row in self.consents_of(pid):  # the answers given from them hold no note either
            if row.fields.get("scope") == registry.TEAM_SCOPE and "note" in row.fields:
                row.fields = {k: v for k, v in row.fields.items() if k != "note"}
                row.field_hlc = {k: v for k, v in row.field_hlc.items() if k != "note"}
        self.write()
        purged = purge_participant(self.s, self.notes, pid, self.ctx.team_id, withdrawal=True)
        self.shredded = True
        self.gone.add(pid)
        self.forget()
        if not (notify and purged.workers and purged.kept):
            return
        latest = max(purged.kept, key=consent_rank)
        notice = record_as_change(latest, uuid7()).model_copy(update={"participant_shared": False})
        for worker in purged.workers:
            self.add_entry(notice, extra_worker=worker, clear=True)
        log.info("team sharing withdrawn for participant %s: server copy dropped", pid)

    def _erase(self, ch: Change) -> Answer:
        ctx = self.ctx
        pid = ch.row_id
        if self.is_erased(pid):
            return Answer(ch, ChangeResult(change_id=ch.change_id, status=ChangeStatus.APPLIED))
        self.write()
        access = self.owner_access(pid)
        # a case whose team sharing was withdrawn is on no caseload: its kept consent
        # records say whose it is, and that worker's laptops may hold it, private
        withdrawn_from = self.kept_owner_of(pid) if access is None else None
        purged = purge_participant(self.s, self.notes, pid, ctx.team_id, withdrawal=False)
        self.shredded = True
        self.s.add(
            Erasure(
                participant_id=pid,
                team_id=ctx.team_id,
                device_id=ctx.device_id,
                change_id=ch.change_id,
                at_ms=self.now,
                rows_removed=purged.removed,
            )
        )
        self.erased.add(pid)
        self.gone.add(pid)
        self.forget()
        out = Change(
            change_id=ch.change_id,
            table=PARTICIPANT_TABLE,
            row_id=pid,
            op=Op.ERASE,
            hlc=ch.hlc,
            origin=ch.origin,
            owner=access.worker_id if access is not None else (withdrawn_from or ch.owner),
            participant_id=pid,
            sharing=Sharing.TEAM.value,
        )
        entry = self.add_entry(out)
        # a worker who handed the case away may keep work a laptop of theirs had not sent
        # (sync/leaving.py, _keep_handed): the erasure must reach them too
        holders = set(
            self.s.scalars(
                select(ParticipantAccess.worker_id).where(ParticipantAccess.participant_id == pid)
            )
        )
        handed = set(
            self.s.scalars(select(Handover.from_worker).where(Handover.participant_id == pid))
        )
        if withdrawn_from is not None:
            handed.add(withdrawn_from)
        for worker in sorted(handed - holders):
            self.add_entry(out, extra_worker=worker)
        log.info("erased participant record %s: %d rows removed", pid, purged.removed)
        return Answer(ch, ChangeResult(change_id=ch.change_id, status=ChangeStatus.APPLIED), entry)

    def finish(self, answers: list[Answer]) -> PushResponse:
        """Write the batch, its answers (for exactly once) and the digests; commit follows."""
        self.write()
        results = [a.final() for a in answers]
        if self.erased:  # answers about a participant this batch erased carry no values
            results = [
                r.model_copy(update={"server_values": None, "server_field_hlc": None})
                if pid_of(a.change) in self.erased and r.server_values is not None
                else r
                for a, r in zip(answers, results, strict=True)
            ]
        response = PushResponse(batch_key=self.batch_key, results=results)
        sealed = [self._sealed_result(a.change, r) for a, r in zip(answers, results, strict=True)]
        texts = [StoredJson(stored_json(data)) for data in sealed]  # each answer dumped once
        stored: dict[int, tuple[dict[str, Any], StoredJson]] = {}
        for answer, data, text in zip(answers, sealed, texts, strict=True):
            stored.setdefault(id(answer), (data, text))
        ops: list[dict[str, Any]] = []
        for answer in self.answers:
            data, text = stored[id(answer)]
            if answer.prior is not None:  # a change refused before, tried again in a new batch
                prior = answer.prior
                prior.batch_key, prior.status, prior.result = self.batch_key, data["status"], data
                # the answer is this device's now (a pull leaves out only the echo of what
                # the device that was told "applied" sent)
                prior.device_id = self.ctx.device_id
                prior.at_ms = self.now
                continue
            ops.append(
                {
                    "change_id": answer.change.change_id,
                    "batch_key": self.batch_key,
                    "device_id": self.ctx.device_id,
                    "participant_id": pid_of(answer.change),
                    "status": data["status"],
                    "result": text,
                    "at_ms": self.now,
                }
            )
        s = self.s
        _INSERT_OPS.run(s, ops)
        # the stored response: json.dumps of {"batch_key", "results": sealed, "replayed":
        # False} byte for byte, joined from the answers' texts instead of dumped again
        key, results_text = json.dumps(self.batch_key), ", ".join(texts)
        response_text = f'{{"batch_key": {key}, "results": [{results_text}], "replayed": false}}'
        _INSERT_BATCH.run(
            s,
            [
                {
                    "batch_key": self.batch_key,
                    "device_id": self.ctx.device_id,
                    "response": StoredJson(response_text),
                    "at_ms": self.now,
                }
            ],
        )
        if self.notes:
            digests.save(s, self.notes)
            self.notes = DigestNotes()
        if self.counter is not None:
            self.counter.save()
        return response

    def _sealed_result(self, change: Change, result: ChangeResult) -> dict[str, Any]:
        """An answer as stored: the server's values in it sealed under the participant's key
        (none kept about a participant whose key this batch destroyed)."""
        data = result.model_dump(mode="json")
        pid = pid_of(change)
        values = data.get("server_values")
        if values is None or pid is None:
            return data
        if pid in self.gone:
            return {**data, "server_values": None, "server_field_hlc": None}
        if routes_content(change.table, pid):
            ring = keyring_of(self.s)
            data["server_values"] = ring.seal(self.s, pid, self.ctx.team_id, values)
        return data
