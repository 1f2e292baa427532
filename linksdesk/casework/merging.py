"""These two records are one person (a person registered twice), and undoing it.

A merge moves no row between participants. Every row of both records stays routed by the
participant it was written for, so a laptop still offline with the other record, the
server's consent gate and supervisors' bundles all go on routing as before. Instead the
record merged away is marked with the kept record's id (``participant.merged_into_id``, with
``merged_on``: one decision, written together, that syncs as a field of the merged record's
own row), and every read asks ``storage.people`` who a record's person is: the record view,
caseload and lists, search, reports, the person's own record, the GP summary and erasure.

- The kept record's programme id is the person's id; the other record's id stays findable
  in search and opens the kept record.
- Consent: the most restrictive stands. A withdrawal on either record is recorded on the
  other too (``sync.same_person``); a merge never records a consent, so never widens what is
  shared. A record shared with the team cannot be merged into one that is not: the team's
  server would not take the mark (its content would go under a record it holds no consent
  for), so the worker keeps the shared record, or records the other's consent first.
- Undo ("Not the same person after all") clears the mark: both records stand as they were,
  with everything written to either meanwhile. Consent goes back by new versions, never by
  removing one (the latest decides; the server refuses a consent record changed): a
  withdrawal the merge recorded is taken back with the decision it replaced, and the
  record brought in keeps no "given" copied onto it while joined (a consent recorded on
  the person is recorded on each record): each scope gets its own earlier decision back,
  not given where it had none. A team consent so withdrawn takes the usual path, so the
  server purges the record and the worker's other laptops let it go. Any other
  withdrawal made while joined stands on both records: the person said stop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.casework import participants, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import write_consent
from linksdesk.casework.dto import Outcome, Participant, ParticipantSummary
from linksdesk.core import registry
from linksdesk.core.errors import ValidationError
from linksdesk.core.folding import fold_name
from linksdesk.core.persons import MARK
from linksdesk.core.vocab import AuditAction
from linksdesk.storage import people
from linksdesk.storage.store import WriteTx, participant_shared
from linksdesk.storage.tables import TABLE_BY_NAME
from linksdesk.storage.tables import Consent as ConsentRow
from linksdesk.storage.tables import Participant as ParticipantRow
from linksdesk.sync import same_person

# the merge's decision (core.persons.MARK): written together, so a concurrent undo or
# merge wins whole
# what the confirmation counts on each record (kinds of core.item_words: it says them)
COUNTED = ("contact", "note", "goal", "measure", "referral", "onward_referral")
# a withdrawal the merge recorded (on this laptop) says so, so an undo can take it back
MERGE_NOTE = "Recorded when this record was found to be the same person as another."
UNDO_NOTE = "Recorded when two records were found not to be the same person after all."


@dataclass(frozen=True)
class RecordFacts:
    """One record as the confirmation shows it: who, since when, and how much it holds."""

    participant: ParticipantSummary
    created_on: dt.date
    counts: tuple[tuple[str, int], ...]  # (kind, how many), in COUNTED order
    shared: bool  # its latest team consent says given


@dataclass(frozen=True)
class SamePerson:
    """Two records about to be made one person: the one kept, the one merged into it."""

    kept: RecordFacts
    other: RecordFacts
    differences: tuple[str, ...]  # what the worker should look at twice
    problem: str | None  # why they cannot be made one person, or None


def _facts(s: Session, row: ParticipantRow) -> RecordFacts:
    counts = []
    for table in COUNTED:
        model: Any = TABLE_BY_NAME[table]
        n = s.scalar(
            select(func.count()).where(model.participant_id == row.id, model.deleted.is_(False))
        )
        counts.append((table, int(n or 0)))
    return RecordFacts(
        participants.to_summary(row), row.created_on, tuple(counts), _shared(s, row.id)
    )


def _shared(s: Session, pid: str) -> bool:
    return participant_shared(s, pid)


def _problem(s: Session, kept: ParticipantRow, other: ParticipantRow) -> str | None:
    if kept.id == other.id:
        return "Choose another record: a record is always the same person as itself."
    if people.kept_id(s, other.id) == kept.id:
        return (
            f"{other.programme_id} is already recorded as the same person as {kept.programme_id}."
        )
    if people.kept_id(s, kept.id) != kept.id or people.kept_id(s, other.id) != other.id:
        return (
            "One of these records is already merged into another: open the person's kept "
            "record and choose from there."
        )
    read_only = records.read_only_participants(s)
    if kept.id in read_only or other.id in read_only:
        return records.READ_ONLY_MESSAGE
    if _shared(s, other.id) and not _shared(s, kept.id):
        return (
            f"{other.programme_id} is shared with the team and {kept.programme_id} is not. "
            f"Keep {other.programme_id} instead, or record {kept.programme_id}'s consent to "
            "share with the team first."
        )
    return None


def _differences(kept: ParticipantRow, other: ParticipantRow) -> tuple[str, ...]:
    out = []
    if kept.date_of_birth != other.date_of_birth:
        out.append("The dates of birth differ: check them with the person.")
    if fold_name(kept.family_name) != fold_name(other.family_name):
        out.append("The family names differ.")
    return tuple(out)


def check_same_person(cb: Casebook, kept_id: str, other_id: str) -> SamePerson:
    """What the confirmation shows before ``other_id`` is merged into ``kept_id``."""
    with cb.store.read() as s:
        kept = records.participant(s, kept_id)
        other = records.participant(s, other_id)
        return SamePerson(
            _facts(s, kept), _facts(s, other), _differences(kept, other), _problem(s, kept, other)
        )


def merge_records(
    cb: Casebook, kept_id: str, other_id: str, *, on: dt.date | None = None
) -> Outcome[Participant]:
    """Record that ``other_id`` is the same person as ``kept_id``: the other record is
    marked merged into the kept one, and a withdrawal on either applies to both."""
    day = records.today(on)
    with cb.store.write() as tx:
        kept = records.participant(tx.session, kept_id)
        other = records.participant(tx.session, other_id)
        problem = _problem(tx.session, kept, other)
        if problem is not None:
            raise ValidationError(problem)
        # the mark first, then the withdrawals it sets off: a withdrawal of the other
        # record drops what was queued of it, the mark too (the server purges it anyway)
        tx.update_together(other, dict(zip(MARK, (kept.id, day), strict=True)))
        same_person.settle_consents(tx, note=MERGE_NOTE)
        tx.audit(AuditAction.MERGE, "participant", other.id)
        return Outcome(participants.to_participant(kept), tx.changes)


def same_person_records(cb: Casebook, participant_id: str) -> list[ParticipantSummary]:
    """The other records of this participant's person (merged into the kept one)."""
    with cb.store.read() as s:
        ids = records.person_ids(s, participant_id)
        rows = {
            r.id: r for r in s.scalars(select(ParticipantRow).where(ParticipantRow.id.in_(ids)))
        }
        return [participants.to_summary(rows[i]) for i in ids[1:] if i in rows]


def separate_records(cb: Casebook, other_id: str) -> Outcome[Participant]:
    """Not the same person after all: ``other_id`` stands as a record of its own again,
    with everything written to it (and to the kept record) meanwhile. Consents go back as
    ``_restore`` says: a withdrawal the merge recorded is taken back, and the other record
    keeps no "given" copied onto it from the kept record while they were one person."""
    with cb.store.write() as tx:
        other = records.participant(tx.session, other_id)
        kept_id = other.merged_into_id
        if kept_id is None:
            raise ValidationError(f"{other.programme_id} is not merged into another record.")
        # the clock of the mark: what was written after it was written while joined
        joined_at = str((other.field_hlc or {}).get(MARK[0]) or "")
        person = records.person_ids(tx.session, other.id)
        tx.update_together(other, dict.fromkeys(MARK))
        mine = people.person_ids(tx.session, other.id)  # it, and records merged into it
        theirs = [p for p in person if p not in mine]
        copied_from = _consents(tx.session, theirs)
        for pid in theirs:
            _restore(tx, pid, [], joined_at)
        for pid in mine:
            _restore(tx, pid, copied_from, joined_at)
        # told it was the same person as someone forgotten: the worker has decided
        same_person.untell_forgotten(tx.session, other.id)
        tx.audit(AuditAction.SEPARATE, "participant", other.id)
        return Outcome(participants.to_participant(other), tx.changes)


def _consents(s: Session, ids: list[str]) -> list[ConsentRow]:
    if not ids:
        return []
    return list(
        s.scalars(
            select(ConsentRow).where(
                ConsentRow.participant_id.in_(ids), ConsentRow.deleted.is_(False)
            )
        )
    )


def _decision(row: ConsentRow) -> tuple[Any, ...]:
    return (row.scope, row.given, row.recorded_on, row.method, row.note)


def _restore(tx: WriteTx, pid: str, copied_from: list[ConsentRow], joined_at: str) -> None:
    """Give each scope of ``pid`` back the decision that is its own, as a new version
    (the latest decides; nothing is deleted). Not its own: a withdrawal this merge recorded
    (``MERGE_NOTE``), and a "given" written on it while joined that the other side holds
    too (``record_consent`` records the person's consent on each record: a copy of a
    decision recorded for the other record). With none of its own left, a scope goes back
    to not given. Any other withdrawal stands: a person who said stop while joined meant it
    (safety first), whichever record it was recorded on."""
    copies = {_decision(r) for r in copied_from if r.given and r.hlc > joined_at}
    by_scope: dict[str, list[ConsentRow]] = {}
    for r in _consents(tx.session, [pid]):
        by_scope.setdefault(r.scope, []).append(r)
    for scope, held in by_scope.items():
        held.sort(key=lambda r: registry.consent_rank(r.version, r.hlc))
        latest = held[-1]
        own = [
            r
            for r in held
            if r.hlc <= joined_at
            or (r.given and _decision(r) not in copies)
            or (not r.given and r.note != MERGE_NOTE)
        ]
        given = bool(own and own[-1].given)
        if given == latest.given:
            continue
        write_consent(
            tx,
            ConsentRow(
                participant_id=pid,
                scope=scope,
                given=given,
                version=latest.version + 1,
                recorded_on=records.today(),
                method=(own[-1] if own else latest).method,
                note=UNDO_NOTE,
            ),
        )
