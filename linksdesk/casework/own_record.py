"""A participant's own record: everything held about them, read in one snapshot, as a PDF.

``gather_record`` reads every part of one person's record in a single read transaction (so
the document never mixes two moments) and fills the plain dataclasses that
``linksdesk.reports`` renders. ``private`` items are left out, and counted, unless the worker
confirmed them with the person. ``record_pdf`` is the use case behind File › Print record…
and ``linksdesk record-pdf``: it renders the PDF and writes one audit event (who, when, which
participant, whether private items were in it; never content).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.casework import common, contacts, dto, goals, measures, onward, records
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.convert import to_dto
from linksdesk.casework.notes import _order as revision_order
from linksdesk.core.details import PersonDetails
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.vocab import AuditAction, Sharing
from linksdesk.reports import participant_record as doc
from linksdesk.storage.tables import Concern as ConcernRow
from linksdesk.storage.tables import Consent as ConsentRow
from linksdesk.storage.tables import Contact as ContactRow
from linksdesk.storage.tables import Goal as GoalRow
from linksdesk.storage.tables import GoalStep as StepRow
from linksdesk.storage.tables import Measure as MeasureRow
from linksdesk.storage.tables import Note as NoteRow
from linksdesk.storage.tables import NoteRevision as RevisionRow
from linksdesk.storage.tables import OnwardReferral as OnwardRow
from linksdesk.storage.tables import Participant as ParticipantRow
from linksdesk.storage.tables import ReferralIn as ReferralRow
from linksdesk.storage.tables import Relationship as RelationshipRow
from linksdesk.storage.tables import Resource as ResourceRow
from linksdesk.storage.tables import StatusChange as StatusRow
from linksdesk.storage.tables import SyncColumns, SyncConflict

# audit entities (ids and actions only): whether private items were in it is part of the name
AUDIT_RECORD: Final = "participant_record"
AUDIT_RECORD_PRIVATE: Final = "participant_record+private"


def is_private(row: SyncColumns) -> bool:
    return row.sharing == Sharing.PRIVATE.value


def find_by_programme_id(cb: Casebook, programme_id: str) -> str:
    """The participant's id from the short programme id a worker types (``P1042``)."""
    wanted = records.text_arg(programme_id, "Participant", required=True, max_len=16)
    with cb.store.read() as s:
        row = s.scalar(
            select(ParticipantRow).where(
                ParticipantRow.programme_id == str(wanted).upper(),
                ParticipantRow.deleted.is_(False),
            )
        )
    if row is None:
        raise NotFoundError(f"There is no participant {wanted} in this vault.")
    return row.id


@dataclass
class _Rows:
    """Every live row of one participant, read in one transaction."""

    person: ParticipantRow
    others: list[ParticipantRow]  # the person's other records (found to be one person)
    statuses: list[StatusRow]
    consents: list[ConsentRow]
    referrals: list[ReferralRow]
    concerns: list[ConcernRow]
    contacts: list[ContactRow]
    notes: list[NoteRow]
    revisions: dict[str, list[RevisionRow]]
    goals: list[GoalRow]
    steps: dict[str, list[StepRow]]
    steps_without_goal: dict[str, list[StepRow]]  # by the id of a goal this vault lacks
    measures: list[MeasureRow]
    onward: list[tuple[OnwardRow, ResourceRow | None]]
    network: list[RelationshipRow]
    conflicts: list[SyncConflict]


def _live(
    s: Session, table: Any, pid: tuple[str, ...], *order: Any, where: Any = None
) -> list[Any]:
    more = () if where is None else (where,)
    return list(
        s.scalars(
            select(table)
            .where(table.participant_id.in_(pid), table.deleted.is_(False), *more)
            .order_by(*order, table.hlc)
        )
    )


def _read(s: Session, participant_id: str) -> _Rows:
    # every record of the person (two found to be one person): the kept one's details, the
    # history of both
    pid = records.person_ids(s, participant_id)
    person = records.participant(s, pid[0])
    # a conflict about a note names the note (its revisions' ``row_id``), about a goal the goal
    marked = {
        row_id
        for table in (NoteRow, GoalRow, ReferralRow, OnwardRow, ConcernRow)
        for row_id in s.scalars(
            select(table.id).where(table.participant_id.in_(pid), ~common.standing(table))
        )
    }
    revisions: dict[str, list[RevisionRow]] = defaultdict(list)
    for r in _live(s, RevisionRow, pid):
        revisions[r.note_id].append(r)
    steps: dict[str, list[StepRow]] = defaultdict(list)
    for st in _live(s, StepRow, pid, StepRow.position):
        steps[st.goal_id].append(st)
    onward_rows = _live(s, OnwardRow, pid, onward.started_on(), where=common.standing(OnwardRow))
    resources = {o.resource_id: s.get(ResourceRow, o.resource_id) for o in onward_rows}
    return _Rows(
        person=person,
        others=[records.participant(s, other) for other in pid[1:]],
        statuses=_live(s, StatusRow, pid, StatusRow.changed_on),
        consents=_live(s, ConsentRow, pid, ConsentRow.recorded_on, ConsentRow.version),
        # an entry marked entered in error (a referral recorded twice, a note written in the
        # wrong record, perhaps about someone else, a goal set or a concern added by mistake)
        # is in neither the person's own record nor the GP summary made from it: nor is any
        # revision of such a note, a step of such a goal, or a conflict kept about either
        referrals=_live(
            s, ReferralRow, pid, ReferralRow.received_on, where=common.standing(ReferralRow)
        ),
        concerns=_live(
            s, ConcernRow, pid, ConcernRow.identified_on, where=common.standing(ConcernRow)
        ),
        # a contact entered in error (perhaps someone else's) is in neither the person's own
        # record nor the GP summary made from it
        contacts=_live(
            s, ContactRow, pid, ContactRow.scheduled_at, where=contacts.standing_clause()
        ),
        notes=_live(s, NoteRow, pid, NoteRow.written_at, where=common.standing(NoteRow)),
        revisions=revisions,
        goals=_live(s, GoalRow, pid, GoalRow.set_on, where=common.standing(GoalRow)),
        steps=steps,
        steps_without_goal=goals.steps_without_goal(s, steps),
        measures=_live(s, MeasureRow, pid, MeasureRow.taken_on, where=common.standing(MeasureRow)),
        onward=[(o, resources.get(o.resource_id)) for o in onward_rows],
        network=_live(s, RelationshipRow, pid),
        conflicts=[
            c
            for c in s.scalars(
                select(SyncConflict)
                .where(SyncConflict.participant_id.in_(pid), SyncConflict.resolved_at.is_(None))
                .order_by(SyncConflict.detected_at, SyncConflict.id)
            )
            if c.row_id not in marked
        ],
    )


def _note_private(note: NoteRow, revisions: list[RevisionRow]) -> bool:
    return is_private(note) or any(is_private(r) for r in revisions)


def _singles(rows: _Rows) -> list[tuple[str, list[Any]]]:
    """Each kind of item (a key of ``ITEM_WORDS``) whose rows are private or not on their own
    (notes, private when any version is, and goal steps aside)."""
    return [
        ("status_change", rows.statuses),
        ("consent", rows.consents),
        ("referral", rows.referrals),
        ("concern", rows.concerns),
        ("contact", rows.contacts),
        ("goal", rows.goals),
        ("measure", rows.measures),
        ("onward_referral", [o for o, _r in rows.onward]),
        ("relationship", rows.network),
    ]


def _private_counts(rows: _Rows) -> Counter[str]:
    """How many private items of each kind the record holds (a private goal's steps go with
    it, so they are not counted again)."""
    counts: Counter[str] = Counter()
    for kind, items in _singles(rows):
        counts[kind] += sum(1 for item in items if is_private(item))
    counts["note"] += sum(1 for n in rows.notes if _note_private(n, rows.revisions[n.id]))
    for goal in rows.goals:
        if not is_private(goal):
            counts["goal_step"] += sum(1 for st in rows.steps[goal.id] if is_private(st))
    return +counts  # drop the zeros


def _private_ids(rows: _Rows) -> frozenset[str]:
    """The ids of every item of the record that is marked private."""
    ids = {r.id for _kind, items in _singles(rows) for r in items if is_private(r)}
    ids.update(st.id for steps in rows.steps.values() for st in steps if is_private(st))
    ids.update(n.id for n in rows.notes if _note_private(n, rows.revisions[n.id]))
    return frozenset(ids)


def private_items(cb: Casebook, participant_id: str) -> dict[str, int]:
    """Private items in the person's record by kind (a key of ``ITEM_WORDS``); empty when none.

    The desktop asks before printing only when this is not empty.
    """
    with cb.store.read() as s:
        return dict(_private_counts(_read(s, participant_id)))


def gather_record(
    cb: Casebook,
    participant_id: str,
    *,
    include_private: bool,
    produced_at: dt.datetime | None = None,
) -> doc.ParticipantRecord:
    """Everything held about one person, read in one snapshot, in time order per section.

    With ``include_private`` False, private items are left out and counted in ``left_out``.
    """
    if not isinstance(include_private, bool):
        raise ValidationError("Whether to include private items must be yes or no.")
    programme_name = cb.settings().programme_name
    with cb.store.read() as s:
        rows = _read(s, participant_id)

    def keep(row: SyncColumns) -> bool:
        return include_private or not is_private(row)

    left_out = {} if include_private else _private_counts(rows)
    plain = {
        section: tuple(to_dto(record, r) for r in getattr(rows, held) if keep(r))
        for section, (held, record) in _PLAIN_SECTIONS.items()
    }
    return doc.ParticipantRecord(
        programme_name=programme_name,
        produced_at=produced_at or records.now(),
        person=to_dto(PersonDetails, rows.person),
        other_records=tuple(to_dto(PersonDetails, o) for o in rows.others),
        contacts=tuple(contacts.to_contact(r) for r in rows.contacts if keep(r)),
        notes=tuple(
            _note(n, rows.revisions[n.id])
            for n in rows.notes
            if rows.revisions[n.id]
            and (include_private or not _note_private(n, rows.revisions[n.id]))
        ),
        goals=tuple(
            goals.to_goal(g, [st for st in rows.steps[g.id] if keep(st)])
            for g in rows.goals
            if keep(g)
        )
        + tuple(
            goals.waiting_goal(goal_id, kept)
            for goal_id, steps in rows.steps_without_goal.items()
            if (kept := [st for st in steps if keep(st)])
        ),
        # change is worked out among the scores in the document only, so a score left out
        # cannot show through as another's baseline
        measures=_measures([m for m in rows.measures if keep(m)]),
        onward=tuple(onward.to_onward(o, res) for o, res in rows.onward if keep(o)),
        unreconciled=tuple(_unreconciled(c) for c in rows.conflicts),
        left_out=dict(left_out),
        private_included=include_private,
        private_ids=_private_ids(rows) if include_private else frozenset(),
        **plain,
    )


# the sections whose items are casework's records as stored: section → (rows held, record)
_PLAIN_SECTIONS: dict[str, tuple[str, type[Any]]] = {
    "status_history": ("statuses", dto.StatusChange),
    "consents": ("consents", dto.Consent),
    "referrals": ("referrals", dto.Referral),
    "concerns": ("concerns", dto.Concern),
    "network": ("network", dto.Relationship),
}


def _note(row: NoteRow, revisions: list[RevisionRow]) -> doc.NoteEntry:
    return doc.NoteEntry(
        id=row.id,
        written_at=row.written_at,
        contact_id=row.contact_id,
        revisions=tuple(
            doc.NoteRevisionEntry(revision=r.revision, written_at=r.written_at, text=r.body)
            for r in revision_order(revisions)
        ),
    )


def _measures(rows: list[MeasureRow]) -> tuple[doc.MeasureEntry, ...]:
    out = []
    for m in measures.compared(rows):  # within each episode of support, as the record shows
        change = m.vs_baseline.summary if m.vs_baseline is not None else None
        out.append(to_dto(doc.MeasureEntry, m, change=change))
    return tuple(out)


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _unreconciled(row: SyncConflict) -> doc.UnreconciledEntry:
    what = row.table_name.replace("_", " ").capitalize()
    if row.field and row.field != "body":
        what += f": {row.field.replace('_', ' ')}"
    return doc.UnreconciledEntry(
        detected_at=row.detected_at,
        what=what,
        this_device=_value_text(row.local_value),
        other_device=_value_text(row.remote_value),
    )


@dataclass(frozen=True)
class RecordDocument:
    """A produced record: the PDF, what it holds, and a file name without personal data."""

    pdf: bytes
    record: doc.ParticipantRecord

    @property
    def file_name(self) -> str:
        produced = self.record.produced_at
        return f"record-{self.record.person.programme_id}-{produced:%Y-%m-%d}.pdf"


def record_pdf(cb: Casebook, participant_id: str, *, include_private: bool) -> RecordDocument:
    """The participant's own record as a PDF; the production is written to the audit log."""
    record = gather_record(cb, participant_id, include_private=include_private)
    pdf = doc.render_record_pdf(record)
    with cb.store.write() as tx:
        tx.audit(
            AuditAction.EXPORT,
            AUDIT_RECORD_PRIVATE if include_private else AUDIT_RECORD,
            participant_id,
        )
    return RecordDocument(pdf=pdf, record=record)
