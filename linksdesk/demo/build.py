"""Writing the demo caseload into a vault: in batches, through the casework write path."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from linksdesk.casework.consent import shared_change, write_consent
from linksdesk.casework.participants import FIRST_PROGRAMME_NUMBER, NEXT_NUMBER_KEY
from linksdesk.core.changes import RowChange
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ConsentScope
from linksdesk.demo.caseload import RESOURCE_COUNT, Case, DemoGenerator
from linksdesk.storage.store import Store, WriteTx
from linksdesk.storage.tables import Consent, LocalSetting, Participant, SyncColumns

log = logging.getLogger(__name__)

DEFAULT_PARTICIPANTS = 150
DEFAULT_SEED = 1
BATCH_SIZE = 100  # participants per transaction: big enough to be fast, small enough to cancel

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool] | threading.Event


@dataclass(frozen=True)
class DemoSummary:
    """Counts of what was written (never names): rows per table and a few proportions."""

    participants: int
    resources: int
    rows: dict[str, int]
    past_booked_contacts: int  # attended + did not attend + cancelled, not attempts
    did_not_attend: int
    team_consent_given: int
    seconds: float
    cancelled: bool = False

    @property
    def records(self) -> int:
        return sum(self.rows.values())

    @property
    def did_not_attend_rate(self) -> float:
        return self.did_not_attend / self.past_booked_contacts if self.past_booked_contacts else 0.0

    @property
    def team_consent_rate(self) -> float:
        return self.team_consent_given / self.participants if self.participants else 0.0

    def describe(self) -> list[str]:
        """Short lines for a terminal or a status bar."""
        r = self.rows
        lines = [
            f"{self.participants} participants, {self.resources} community resources, "
            f"{self.records} records in {self.seconds:.1f} s"
            + (" (stopped early)" if self.cancelled else ""),
            f"{r.get('contact', 0)} contacts ({self.did_not_attend_rate:.0%} did not attend), "
            f"{r.get('note', 0)} case notes, {r.get('goal', 0)} goals, "
            f"{r.get('measure', 0)} wellbeing measures, "
            f"{r.get('onward_referral', 0)} onward referrals",
            f"{self.team_consent_rate:.0%} consented to sharing with the team",
        ]
        return lines


def _store_of(target: Any) -> Store:
    """A Store from a Store, a Casebook (its ``store``) or an unlocked Vault."""
    if isinstance(target, Store):
        return target
    store = getattr(target, "store", None)
    if isinstance(store, Store):
        return store
    if callable(store):  # a Vault: store(policy) makes one with the sync policy
        from linksdesk.sync.policy import SyncPolicy

        made = store(SyncPolicy())
        if isinstance(made, Store):
            return made
    raise TypeError("build_demo needs a Casebook, a Store or an unlocked Vault")


def _write_cases(
    tx: WriteTx, cases: Sequence[Case], counts: Counter[str], *, owner: str | None = None
) -> None:
    """Write cases as the use cases would one after another, with the rows in bulk.

    The order is the use cases' order: each case's participant, its first consents, its
    work, then any change of mind. Rows go to ``insert_many`` together; a later team consent
    goes through ``consent.write_consent`` on its own, since its backfill reads, or its
    withdrawal drops, what is already in the vault. ``owner``: the worker whose caseload
    this is (the vault's own worker when None).
    """
    pending: list[SyncColumns] = []
    # first team consent → its participant: new, so nothing was shared before it
    first_team: dict[str, Participant] = {}

    def then(row: SyncColumns) -> Iterable[RowChange]:
        person = first_team.get(row.id)
        if person is None or not tx.is_shared(person.id):
            return ()
        # the participant row is the only earlier row: queue it directly, which is what
        # backfill would find after looking through every linked table
        return (shared_change(person, person.id),)

    def write_pending() -> None:
        if pending:
            if owner is not None:
                for row in pending:
                    row.owner = owner
            tx.insert_many(pending, then=then)
            pending.clear()

    def add_consent(consent: Consent) -> None:
        if consent.scope == ConsentScope.TEAM.value:
            write_pending()
            if owner is not None:
                consent.owner = owner
            write_consent(tx, consent)
        else:
            pending.append(consent)

    for case in cases:
        first, *rest = case.consents
        pending.append(case.participant)
        # team consent comes first: once given, every row after it is queued as it is written
        pending.append(first)
        if first.scope == ConsentScope.TEAM.value:
            first_team[first.id] = case.participant
        for consent in rest:
            add_consent(consent)
        pending.extend(case.rows)
        # a change of mind comes after the work it follows
        for consent in case.later_consents:
            add_consent(consent)
        counts["participant"] += 1
        counts["consent"] += len(case.consents) + len(case.later_consents)
        for row in case.rows:
            counts[row.__tablename__] += 1  # type: ignore[attr-defined]
    write_pending()


def _write_case(tx: WriteTx, case: Case, counts: Counter[str]) -> None:
    _write_cases(tx, [case], counts)


def build_demo(
    casebook_or_store: Any,
    participants: int = DEFAULT_PARTICIPANTS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    today: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
    resources: int = RESOURCE_COUNT,
    worker_id: str | None = None,
) -> DemoSummary:
    """Fill an empty vault with a synthetic year of casework; the same seed gives the same data.

    ``progress(done, total)`` is called after each batch of participants; ``cancel()``
    returning True (or a set ``threading.Event``) stops after the current batch: what was
    written stays, and is consistent. ``worker_id`` owns the caseload (the vault's own
    worker when None), so a demo team is several workers' caseloads.
    """
    if participants < 0:
        raise ValidationError("The number of demo participants cannot be negative.")
    started = time.monotonic()
    store = _store_of(casebook_or_store)
    today = today or dt.date.today()
    with store.read() as s:
        existing = s.scalar(select(func.count()).select_from(Participant)) or 0
        stored_next = s.scalar(
            select(LocalSetting.value).where(LocalSetting.key == NEXT_NUMBER_KEY)
        )
    if existing:
        raise ValidationError("Demo data goes into a new, empty vault; this one has participants.")
    first_number = stored_next if isinstance(stored_next, int) else FIRST_PROGRAMME_NUMBER
    gen = DemoGenerator(seed, today, first_number)
    counts: Counter[str] = Counter()
    with store.write() as tx:
        counts["resource"] += len(tx.insert_many(gen.make_resources(resources)))
    booked = dna = team = done = 0
    cancelled = False
    stop = cancel.is_set if isinstance(cancel, threading.Event) else cancel
    while done < participants:
        if stop is not None and stop():
            cancelled = True
            break
        n = min(batch_size, participants - done)
        with store.write() as tx:
            cases = [gen.make_case() for _ in range(n)]
            _write_cases(tx, cases, counts, owner=worker_id)
            for case in cases:
                booked += case.past_booked
                dna += case.did_not_attend
                team += tx.is_shared(case.participant.id)
            tx.session.merge(LocalSetting(key=NEXT_NUMBER_KEY, value=gen.next_number))
        done += n
        if progress is not None:
            progress(done, participants)
    summary = DemoSummary(
        participants=done,
        resources=counts["resource"],
        rows=dict(sorted(counts.items())),
        past_booked_contacts=booked,
        did_not_attend=dna,
        team_consent_given=team,
        seconds=time.monotonic() - started,
        cancelled=cancelled,
    )
    log.info("demo data written: %d participants, %d rows", done, summary.records)
    return summary
