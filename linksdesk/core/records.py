"""A participant's records as casework returns them and their own record document lists them.

Declared once: casework's use cases return these (``linksdesk.casework.dto`` re-exports them)
and the own-record document (``linksdesk.reports.participant_record``) lays the same records
out, so the two never describe one record twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from linksdesk.core import vocab
from linksdesk.core.details import GoalDetails


@dataclass(frozen=True)
class ParticipantRecord:
    """An entry in one participant's record: its own id and the participant's (the row's
    ``participant_id``, which routing, consent and erasure follow: core/registry.toml)."""

    id: str
    participant_id: str


@dataclass(frozen=True, kw_only=True)
class Marked:
    """An entry a worker can mark entered in error (a contact, a score, a case note, a
    referral in, a goal, an onward referral, a concern): when, and the worker's reason. Such
    an entry is kept, struck through, and counted nowhere (``vocab.IN_ERROR_COLUMN``); what
    else that means for each kind is said where the kind is declared."""

    in_error_at: dt.datetime | None
    in_error_reason: str | None

    @property
    def in_error(self) -> bool:
        return self.in_error_at is not None


@dataclass(frozen=True)
class StatusChange(ParticipantRecord):
    from_status: vocab.ParticipantStatus | None
    to_status: vocab.ParticipantStatus
    reason: str | None
    changed_on: dt.date


@dataclass(frozen=True)
class Consent(ParticipantRecord):
    scope: vocab.ConsentScope
    given: bool
    version: int
    recorded_on: dt.date
    method: vocab.ConsentMethod
    note: str | None


@dataclass(frozen=True)
class Referral(ParticipantRecord, Marked):
    """Marked (recorded twice, on the wrong participant): in no referral count, wait, report
    or evaluation."""

    source: vocab.ReferralSource
    received_on: dt.date
    referrer: str | None
    reason: str | None


@dataclass(frozen=True)
class Concern(ParticipantRecord, Marked):
    """Marked (added to the wrong participant, or twice): in no GP summary, own record,
    report or evaluation file, and resolved or reopened no more."""

    category: str
    stage: vocab.ConcernStage
    identified_on: dt.date
    detail: str | None
    resolved_on: dt.date | None

    @property
    def resolved(self) -> bool:
        return self.resolved_on is not None


@dataclass(frozen=True)
class Relationship(ParticipantRecord):
    kind: vocab.RelationshipKind
    name: str
    detail: str | None
    phone: str | None
    supportive: bool


@dataclass(frozen=True)
class Contact(ParticipantRecord, Marked):
    kind: vocab.ContactKind
    status: vocab.ContactStatus
    at: dt.datetime
    minutes: int | None
    venue: str | None
    purpose: str | None
    counts_towards_limit: bool

    @property
    def outcome(self) -> str:
        """What came of it, in words (``vocab.contact_outcome``)."""
        return vocab.contact_outcome(self.kind, self.status, in_error=self.in_error)


@dataclass(frozen=True)
class GoalStep:
    id: str
    goal_id: str
    participant_id: str
    position: int
    description: str
    due_on: dt.date | None
    done_on: dt.date | None

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass(frozen=True)
class Goal(ParticipantRecord, GoalDetails, Marked):
    """Marked (set by mistake): the goal and its steps count in no goal report or evaluation
    and are in no document."""

    steps: tuple[GoalStep, ...] = ()
    held: bool = True  # False: not on this laptop, named only to show its steps under


@dataclass(frozen=True)
class OnwardReferral(ParticipantRecord, Marked):
    """Marked (recorded on the wrong participant, or twice): in no GP summary, own record,
    count of referrals made or waiting, resource's demand, report or evaluation file, and
    moved along its steps no further."""

    resource_id: str
    resource_name: str
    kind: vocab.OnwardKind
    status: vocab.OnwardStatus
    # each step's day as core.onward.steps reads the row (None: not taken, or not known)
    suggested_on: dt.date | None
    made_on: dt.date | None
    outcome: str | None
    outcome_on: dt.date | None

    @property
    def started_on(self) -> dt.date | None:
        """The day it was first recorded (suggested, or made straight away)."""
        return self.suggested_on if self.suggested_on is not None else self.made_on
