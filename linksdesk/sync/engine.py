"""One sync of one vault with the server: handshake, push, pull, verify (docs/architecture.md).

``SyncEngine`` runs the steps in order; each is a module of ``linksdesk.sync.steps`` doing one
job (``handshake``, ``push``, ``pull`` with its mass-removal ``guard``, ``verify``), sharing
one ``SyncContext``. Every step that changes the vault is one local transaction, so a crash
at any point leaves a state the next sync resumes from exactly:

- a push batch is saved in the vault (with its idempotency key) before it is sent, and
  resent byte for byte until its answer is recorded; acknowledged outbox rows are deleted
  in the transaction that records the answer;
- a pulled page is applied in the transaction that stores the new cursor.
"""

from __future__ import annotations

import functools
import logging
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core.errors import SyncError
from linksdesk.core.item_words import counted, named
from linksdesk.core.registry import PARTICIPANT_TABLE
from linksdesk.storage import waiting
from linksdesk.storage.outbox import PendingBatch
from linksdesk.storage.store import Store, shared_participants
from linksdesk.storage.tables import Outbox, SyncAttention, SyncConflict
from linksdesk.sync import same_person, state
from linksdesk.sync.local_only import LocalOnlyCase
from linksdesk.sync.page import CURSOR_MOVED, ERASURE_ENTITY
from linksdesk.sync.protocol import PROTOCOL_VERSION, Change, PushRequest, PushResponse
from linksdesk.sync.steps import marks
from linksdesk.sync.steps.context import (
    Checkpoint,
    EngineOptions,
    EpochMoved,
    HandshakeRefused,
    Progress,
    SyncContext,
    SyncReport,
)
from linksdesk.sync.steps.guard import ConsentGuard
from linksdesk.sync.steps.handshake import SETTINGS_KEY, Handshake, apply_programme_settings
from linksdesk.sync.steps.pull import Pull
from linksdesk.sync.steps.push import Push
from linksdesk.sync.steps.verify import RECHECK_AFTER_S, Verify
from linksdesk.sync.totals import note_unchanged, refresh_monthly_totals
from linksdesk.sync.transport import Transport

__all__ = [
    "ERASURE_ENTITY",
    "RECHECK_AFTER_S",
    "SETTINGS_KEY",
    "Checkpoint",
    "EngineOptions",
    "EpochMoved",
    "HandshakeRefused",
    "Progress",
    "SyncEngine",
    "SyncReport",
    "apply_programme_settings",
    "describe",
    "describe_local_only",
]

log = logging.getLogger(__name__)

EPOCH_UNSETTLED = (
    "The sync server's answers kept changing which copy of its records they came from (it "
    "may be being restored or replaced), so the sync stopped. Your work and everything "
    "received so far are saved on this laptop; sync again later, and tell your programme "
    "administrator if it happens again."
)


class SyncEngine:
    """Runs the steps of one sync over an unlocked vault's store."""

    def __init__(self, store: Store, transport: Transport, options: EngineOptions) -> None:
        if store.policy is None:
            raise SyncError("This vault was opened without its sync policy; sync cannot run.")
        self.c = SyncContext(store, transport, options)
        self.handshake = Handshake(self.c)
        self.push = Push(self.c)
        self.pull = Pull(self.c, ConsentGuard(self.c))
        self.verify = Verify(self.c, self.push, self.pull)
        self.last_written = False  # the options' ``last_write`` went in with the sync's end

    # -- the whole sync -----------------------------------------------------------------
    def sync(self) -> SyncReport:
        started = time.monotonic()
        self.handshake.load_config()
        for attempt in range(2):
            try:
                self._sync_steps()
                break
            except EpochMoved:
                if attempt:
                    log.info("data epoch changed again during the sync started again")
                    raise SyncError(EPOCH_UNSETTLED) from None
                log.info("data epoch changed during sync; starting again")
                self.handshake.load_config()
        self._finish()
        self.c.run.report.seconds = time.monotonic() - started
        self.c.run.report.requests = self.c.t.requests
        return self.c.run.report

    def _sync_steps(self) -> None:
        # the protocol version looked up here, where a test can stand in an older one
        hello = self.handshake.handshake(PROTOCOL_VERSION)
        self.handshake.lease_ids()
        resync = hello.epoch_changed or self.c.config.resync
        written = self._update_totals()
        # a withdrawal on one record of a person, pulled or merged last time, goes for the
        # person's other records too (sync/same_person.py), in this push
        written += self.c.store.on_writer(lambda: same_person.settle(self.c.store))
        # nothing queued, nothing saved and no totals made: no write transaction to look
        self.push.push_all(
            known_empty=not (written or self.c.config.waiting or self.c.config.pending_batch)
        )
        if self._pull_due(resync):
            self.pull.pull_all()
        else:
            # the server's log holds nothing this device lacks: no request for a page
            if self.c.config.cursor != self.c.config.stored_cursor:
                self._store_cursor()  # the handshake found the log quiet up to the head
            self.pull.settle_open_conflicts()
            self.c.progress("pull", self.c.config.cursor, hello.cursor_head)
        if resync:
            self.c.run.report.resynced = True
        self.verify.verify(after_resync=resync)

    def _pull_due(self, resync: bool) -> bool:
        """Whether the server may hold anything this device has not pulled: a resync is
        due, the server's change log had moved past this device's cursor at the handshake
        (another device's push), or a push answer left the head unknown (the server merged
        or derived rows from what was sent; see ``_passed_own``)."""
        head = self.c.run.head
        return resync or head is None or self.c.config.cursor != head

    def _store_cursor(self) -> None:
        cursor = self.c.config.cursor

        def store(s: Session) -> None:
            state.put(s, state.CURSOR, cursor)

        self.c.store.keep(store)
        self.c.config.stored_cursor = cursor
        self.c.touch(CURSOR_MOVED, "quiet")  # as a pulled page marks it, for verify's digests

    def _update_totals(self) -> int:
        run = self.c.store.on_writer(
            lambda: refresh_monthly_totals(self.c.store, self.c.config.worker_id, self.c.o.today)
        )
        self.c.run.totals_unchanged = run.unchanged_through
        written = run.written
        if written:
            log.info("monthly totals: %d rows updated", written)
        return written

    # -- single steps, for tests and benchmarks that drive one --------------------------
    def _load_config(self) -> None:
        self.handshake.load_config()

    def _next_batch(self) -> PendingBatch | None:
        return self.push.next_batch()

    def _record(self, s: Session, request: PushRequest, answer: PushResponse) -> int:
        return self.push.record(s, request, answer)

    def _as_change(self, row: Outbox) -> Change:
        return self.push.as_change(row)

    # -- finish -------------------------------------------------------------------------
    @staticmethod
    def _mark_told(s: Session, shared_again: set[str]) -> None:
        """Mark the local-only notices told: this sync's report tells the worker of them;
        drop those of cases shared with the team again."""
        notices = list(state.get(s, state.LOCAL_ONLY, []))
        kept = [n for n in notices if n.get("participant_id") not in shared_again]
        if len(kept) < len(notices) or any(not n.get("told") for n in kept):
            state.put(s, state.LOCAL_ONLY, [{**n, "told": True} for n in kept])

    def _tell(self) -> None:
        """What the worker must decide or do by hand, listed under "needs attention" once
        the pull has said where records went: a record of a person forgotten
        (``same_person.tell_forgotten``), a mark that could not reach the other copies of a
        case (``steps.marks``). Written only when there is something to list or take off."""
        report = self.c.run.report
        with self.c.store.read() as s:
            forgotten = same_person.forgotten_due(s)
            refused = marks.due(s)
            report.forgotten = tuple(sorted(same_person.forgotten(s).values()))
        if not (forgotten or refused):
            return

        def tell(s: Session) -> None:
            if forgotten:
                report.forgotten = same_person.tell_forgotten(s)
            if refused:
                report.marks_not_carried = marks.tell(s)

        self.c.store.keep(tell)

    def _finish(self) -> None:
        """The report, then one last transaction: what verify found, the local-only notices
        marked told and the caller's ``last_write`` (the sync history's entry)."""
        report = self.c.run.report
        outcome = self.c.run.outcome
        report.applied = outcome.applied
        report.erased = len(outcome.erased)
        report.handed_away = len(outcome.handed_away)
        report.withdrawn_away = len(outcome.withdrawn_away)
        report.removed = outcome.removed
        report.set_aside = outcome.unappliable
        report.new_conflicts += outcome.conflicts
        self._tell()
        with self.c.store.read() as s:
            # local-only cases the worker has not been told about yet (also those a sync
            # that was cut short applied); a case whose team consent was given again since
            # (later on the same page, say) is shared, not local: its notice is settled
            notices = list(state.get(s, state.LOCAL_ONLY, []))
            withdrawn = [str(n.get("participant_id")) for n in notices if not n.get("handed")]
            shared_again = shared_participants(s, withdrawn)
            report.kept_local = tuple(
                LocalOnlyCase(
                    str(n.get("participant_id", "")),
                    str(n.get("programme_id", "")),
                    int(n.get("kept", 0)),
                    int(n.get("removed", 0)),
                    handed=bool(n.get("handed")),
                )
                for n in notices
                if not n.get("told") and n.get("participant_id") not in shared_again
            )
            report.conflicts = int(
                s.scalar(
                    select(func.count())
                    .select_from(SyncConflict)
                    .where(SyncConflict.resolved_at.is_(None))
                )
                or 0
            )
            report.attention = int(s.scalar(select(func.count()).select_from(SyncAttention)) or 0)
            report.held = waiting.counts(s)
            report.held_people = waiting.people_missing(s)
            report.incomplete = len(state.partials(s))
            report.waiting = int(s.scalar(select(func.count()).select_from(Outbox)) or 0)
        report.message = describe(report, self.c.unverified)
        verified_write, last_write = self.c.run.verified_write, self.c.o.last_write
        told = bool(report.kept_local or shared_again)
        if verified_write is None and not told and last_write is None:
            return

        def last(s: Session, *, with_caller: bool = True) -> None:
            if verified_write is not None:
                verified_write(s)
            if self.c.run.totals_unchanged is not None:
                note_unchanged(s, self.c.run.totals_unchanged)
            if told:
                self._mark_told(s, shared_again)
            if last_write is not None and with_caller:
                last_write(s, report)

        try:
            self.c.store.keep(last)
            self.last_written = last_write is not None
        except Exception:
            if last_write is None:
                raise
            # the caller's part (a convenience: the history) must not sink the sync's own
            # bookkeeping; the caller learns from ``last_written`` to write it itself
            log.warning("the sync's last write failed with the caller's part; kept without it")
            self.c.store.keep(functools.partial(last, with_caller=False))


def describe(report: SyncReport, unverified: list[str]) -> str:
    """One plain sentence or two about what a sync did."""
    parts = [f"Sent {report.pushed} and received {report.pulled} changes."]
    if report.refused:
        # said even when an erasure has cleared what they were (no "needs attention" then):
        # "sent" alone would read as if all of it had reached the server
        parts.append(f"The server refused {report.refused} of the changes sent.")
    if report.resynced:
        parts.append("The server was restored or replaced, so everything was merged again.")
    elif report.restarted:
        parts.append(
            "This laptop could not read where it had got to in the server's changes (kept "
            "by an older version), so it fetched them again from the start and merged them; "
            "nothing was lost."
        )
    if report.clock_warning:
        parts.append(report.clock_warning)
    if report.erased:
        n = report.erased
        parts.append(
            f"{counted('erased participant', n)} {'was' if n == 1 else 'were'} removed from "
            "this laptop."
        )
    if report.handed_away:
        n = report.handed_away
        parts.append(
            f"{counted('case', n)} handed to a colleague {'was' if n == 1 else 'were'} removed "
            "from this laptop."
        )
    if report.withdrawn_away:
        n = report.withdrawn_away
        parts.append(
            f"Sharing with the team was withdrawn on your other laptop for "
            f"{counted('participant', n)}: {'their record' if n == 1 else 'their records'}, "
            "which came from elsewhere, "
            f"{'was' if n == 1 else 'were'} removed from this laptop."
        )
    for case in report.kept_local:
        parts.append(describe_local_only(case))
    parts.extend(report.marks_not_carried)
    if report.forgotten:
        ids = ", ".join(report.forgotten)
        parts.append(
            f"Recorded as the same person as a participant who was forgotten, and still kept: "
            f"{ids}. Erase {'it' if len(report.forgotten) == 1 else 'them'} too, or choose Not "
            "the same person after all (see Needs attention)."
        )
    if report.conflicts:
        n = report.conflicts
        parts.append(
            f"{counted('conflict', n)} {'needs' if n == 1 else 'need'} you to choose a version."
        )
    if report.set_aside:
        parts.append(
            f"{counted('change', report.set_aside)} from the server could not be stored on this "
            f"laptop and {'was' if report.set_aside == 1 else 'were'} set aside; everything else "
            "synced."
        )
    if report.attention:
        n = report.attention
        parts.append(f"{counted('change', n)} {'needs' if n == 1 else 'need'} attention.")
    held = describe_held(report)
    if report.verified and held:
        # the digests match, yet the worker does not see everything the server sent
        parts.append(f"Checked against the server: what it holds for you matches, but {held}")
    elif report.verified and report.kept_local:
        # the server matches what this laptop shares; its own kept-back work is not on it
        parts.append("Checked against the server: everything this laptop shares matches.")
    elif report.verified:
        parts.append("Checked against the server: everything matches.")
    elif unverified:
        parts.append(
            "Some records still differ from the server ("
            + ", ".join(unverified)
            + "); they will be checked again next sync."
        )
    else:
        parts.append("Not yet checked against the server.")
    return " ".join(parts)


def describe_held(report: SyncReport) -> str:
    """What this laptop holds back from the worker's view, in plain words ("" if nothing)."""
    about_people = [
        counted(table, n)
        for (table, parent), n in sorted(report.held.items())
        if parent == PARTICIPANT_TABLE
    ]
    parts = (
        # one person's records told once, as the records of that person
        [
            f"records about {counted('participant', report.held_people)} not on this laptop "
            f"({', '.join(about_people)})"
        ]
        if about_people
        else []
    )
    parts += [
        f"{counted(table, n)} whose {named(parent)} is not on this laptop"
        for (table, parent), n in sorted(report.held.items())
        if parent != PARTICIPANT_TABLE
    ]
    if report.incomplete:
        parts.append(
            f"{counted('record', report.incomplete)} still waiting for details from the server"
        )
    if not parts:
        return ""
    return (
        "some records here wait for others: "
        + "; ".join(parts)
        + ". They are kept (nothing is lost), and shown in full once what they wait for "
        "arrives."
    )


def describe_local_only(case: LocalOnlyCase) -> str:
    """What a withdrawal recorded on the worker's other laptop did here, in plain words."""
    who = case.programme_id or "one participant"
    if case.handed:
        return (
            f"{who} was handed to a colleague. What you recorded about {who} on this laptop "
            f"that had not reached the server stays here only ({counted('record', case.kept)}, "
            f"private to this laptop): pass it on to the colleague who now holds the case."
        )
    removed = (
        f" {counted('record', case.removed)} about {who} that came from elsewhere "
        f"{'was' if case.removed == 1 else 'were'} removed here."
        if case.removed
        else ""
    )
    return (
        f"Consent to share {who} with the team was withdrawn on your other laptop. "
        f"Your own work about {who} on this laptop stays here only "
        f"({counted('record', case.kept)}, not sent to the server or your other laptop)."
        f"{removed} If consent is given again, "
        f"record it on this laptop and they will be shared."
    )
