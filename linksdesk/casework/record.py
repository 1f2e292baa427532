"""A participant's whole record as the record view shows it, read at one moment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from linksdesk.casework import (
    concerns,
    consent,
    contacts,
    goals,
    measures,
    merging,
    notes,
    onward,
    participants,
    records,
    referrals,
    relationships,
)
from linksdesk.casework import dto as d
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConsentScope


@dataclass(frozen=True)
class RecordData:
    """Everything the record shows about one person, loaded in one job."""

    participant: d.Participant
    consent: dict[ConsentScope, d.Consent | None]
    consent_history: list[d.Consent]
    status_history: list[d.StatusChange]
    appointments: d.AppointmentUse
    contacts: list[d.Contact]
    notes: list[d.Note]
    goals: list[d.Goal]
    measures: list[d.MeasureRecord]
    relationships: list[d.Relationship]
    referrals: list[d.Referral]
    onward: list[d.OnwardReferral]
    concerns: list[d.Concern]
    taxonomy: tuple[str, ...]
    # handed to a colleague and kept here read-only: shown, never changed
    read_only: bool = False
    # the person's other records, merged into this one (casework.merging): their ids are
    # the person's too, their history is in every list above
    same_person: tuple[d.ParticipantSummary, ...] = ()

    def erasure_counts(self, tr: Any = str) -> dict[str, int]:
        """What erasure destroys, by kind, for the confirmation (each kind named as its
        count is read: "1 contact", "2 contacts")."""
        revisions = sum(n.revision_count for n in self.notes)
        steps = sum(len(g.steps) for g in self.goals)

        def one(n: int, single: str, many: str) -> str:
            return single if n == 1 else many

        kinds = [
            (
                len(self.notes),
                one(len(self.notes), tr("case note"), tr("case notes"))
                + " ("
                + one(revisions, tr("{n} revision"), tr("{n} revisions")).format(n=revisions)
                + ")",
            ),
            (len(self.contacts), one(len(self.contacts), tr("contact"), tr("contacts"))),
            (
                len(self.goals),
                one(len(self.goals), tr("goal"), tr("goals"))
                + " ("
                + one(steps, tr("{n} step"), tr("{n} steps")).format(n=steps)
                + ")",
            ),
            (
                len(self.measures),
                one(len(self.measures), tr("wellbeing score"), tr("wellbeing scores")),
            ),
            (
                len(self.relationships),
                one(
                    len(self.relationships),
                    tr("person or service in their network"),
                    tr("people and services in their network"),
                ),
            ),
            (len(self.referrals), one(len(self.referrals), tr("referral in"), tr("referrals in"))),
            (
                len(self.onward),
                one(len(self.onward), tr("onward referral"), tr("onward referrals")),
            ),
            (len(self.concerns), one(len(self.concerns), tr("concern"), tr("concerns"))),
            (
                len(self.consent_history),
                one(len(self.consent_history), tr("consent record"), tr("consent records")),
            ),
            (
                len(self.status_history),
                one(len(self.status_history), tr("status change"), tr("status changes")),
            ),
        ]
        return {label: n for n, label in kinds}


def _person(cb: Casebook, pid: str) -> d.Participant:
    # read without a "viewed" audit event (get_participant records one): a reload is no
    # viewing. A record merged into another shows as the person's kept record.
    with cb.store.read() as s:
        return participants.to_participant(records.participant(s, records.person_ids(s, pid)[0]))


# how each part of RecordData is read (all of them when the record opens; the record view
# reads some again after its own saves)
READERS: Mapping[str, Callable[[Casebook, str], Any]] = {
    "participant": _person,
    "consent": consent.current_consent,
    "consent_history": consent.consent_history,
    "status_history": participants.status_history,
    "appointments": contacts.appointment_use,
    "read_only": lambda cb, pid: pid in cb.read_only_participants(),
    "contacts": contacts.list_contacts,
    "notes": notes.list_notes,
    "goals": goals.list_goals,
    "measures": measures.list_measures,
    "relationships": relationships.list_relationships,
    "referrals": referrals.list_referrals,
    "onward": onward.list_onward_referrals,
    "concerns": concerns.list_concerns,
    "taxonomy": lambda cb, _pid: tuple(cb.settings().concern_taxonomy),
    "same_person": lambda cb, pid: tuple(merging.same_person_records(cb, pid)),
}


def read_parts(cb: Casebook, participant_id: str, parts: Iterable[str]) -> dict[str, Any]:
    """The named parts of one person's record, read in one snapshot (no audit)."""
    with cb.store.snapshot():
        return {part: READERS[part](cb, participant_id) for part in parts}


def open_record(cb: Casebook, participant_id: str, *, opening: bool = True) -> RecordData:
    """Everything the record view shows about one person, read in one snapshot (one read
    transaction, so its parts agree with each other even while a sync writes).

    ``opening`` records the view in the audit log: once when the worker opens the record,
    not again on the reloads that follow each save or sync.
    """
    data = RecordData(**read_parts(cb, participant_id, READERS))
    if opening:
        cb.audit_view("participant", data.participant.id)
    return data
