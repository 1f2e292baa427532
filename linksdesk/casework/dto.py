"""Frozen data transfer objects the casework use cases return (no SQLAlchemy rows leave here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from linksdesk.core.changes import Changes
from linksdesk.core.details import MeasureDetails, PersonDetails

# the participant's records, declared in core so their own record document lists the same ones
from linksdesk.core.records import Concern as Concern
from linksdesk.core.records import Consent as Consent
from linksdesk.core.records import Contact as Contact
from linksdesk.core.records import Goal as Goal
from linksdesk.core.records import GoalStep as GoalStep
from linksdesk.core.records import Marked, ParticipantRecord
from linksdesk.core.records import OnwardReferral as OnwardReferral
from linksdesk.core.records import Referral as Referral
from linksdesk.core.records import Relationship as Relationship
from linksdesk.core.records import StatusChange as StatusChange
from linksdesk.core.vocab import (
    Change,
    GoalStatus,
    OnwardKind,
    OnwardStatus,
    ParticipantStatus,
    ResourceCapacity,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a write returns: the DTO it produced and the summary views refresh from."""

    value: T
    changes: Changes

    def __iter__(self) -> Iterator[Any]:
        # lets callers write ``person, changes = create_participant(...)``
        yield self.value
        yield self.changes


# -- warnings (plain-words strings that views may recognise by type) --------------------------
class CaseWarning(str):
    """A warning for ``Changes.warnings``: a message for people, never blocking."""

    __slots__ = ()


class DuplicateWarning(CaseWarning):
    participant_ids: tuple[str, ...]

    def __new__(cls, participant_ids: tuple[str, ...]) -> DuplicateWarning:
        n = len(participant_ids)
        who = "someone" if n == 1 else f"{n} people"
        self = super().__new__(
            cls,
            f"There is already {who} with the same names and date of birth. "
            "Check this is not the same person before carrying on.",
        )
        object.__setattr__(self, "participant_ids", participant_ids)
        return self


class AppointmentLimitWarning(CaseWarning):
    participant_id: str
    used: int
    limit: int

    def __new__(cls, participant_id: str, used: int, limit: int) -> AppointmentLimitWarning:
        self = super().__new__(
            cls,
            f"This makes {used} appointments, more than the programme's limit of {limit}. "
            "It has been saved; check with your supervisor if more are needed.",
        )
        object.__setattr__(self, "participant_id", participant_id)
        object.__setattr__(self, "used", used)
        object.__setattr__(self, "limit", limit)
        return self


class ConcurrentRevisionWarning(CaseWarning):
    note_id: str

    def __new__(cls, note_id: str) -> ConcurrentRevisionWarning:
        self = super().__new__(
            cls,
            "This note was changed since you opened it. Both versions are kept in its history.",
        )
        object.__setattr__(self, "note_id", note_id)
        return self


# -- the vault ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckReport:
    ok: bool
    message: str
    damaged_pages: int
    structure_problems: int
    audit_events: int
    audit_broken_at: int | None


@dataclass(frozen=True)
class PassphraseStrength:
    score: int  # 0 (too easy) to 4 (strong)
    acceptable: bool  # advice only: a vault refuses only passphrases under 8 characters
    message: str


# -- participants ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParticipantSummary:
    id: str
    programme_id: str
    display_name: str
    status: ParticipantStatus
    date_of_birth: dt.date | None


@dataclass(frozen=True)
class Participant(PersonDetails):
    id: str
    display_name: str


# -- contacts ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AppointmentUse:
    used: int
    limit: int | None

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.used > self.limit


@dataclass(frozen=True)
class BookedOutcome:
    """A booked contact's outcome and the case note written about it (if any)."""

    contact: Contact
    note: Note | None


# -- notes -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoteRevision:
    id: str
    note_id: str
    participant_id: str
    revision: int
    base_revision_id: str | None
    text: str
    written_at: dt.datetime


@dataclass(frozen=True)
class Note(ParticipantRecord, Marked):
    """Marked (written in the wrong participant's record, or twice): the note and every
    revision of it reach nothing outside the worker's record view."""

    contact_id: str | None
    written_at: dt.datetime
    private: bool
    latest: NoteRevision
    revision_count: int
    has_concurrent_revisions: bool

    @property
    def text(self) -> str:
        return self.latest.text


# -- resources and onward referrals ------------------------------------------------------------
@dataclass(frozen=True)
class ProblemReport:
    id: str
    reported_on: dt.date
    text: str
    resolved_on: dt.date | None


@dataclass(frozen=True)
class Resource:
    id: str
    organisation: str
    service: str
    description: str | None
    categories: tuple[str, ...]
    address: str | None
    postcode: str | None
    area: str | None
    when: str | None
    who_for: str | None
    cost: str | None
    accessibility: str | None
    how_to_refer: str | None
    phone: str | None
    email: str | None
    website: str | None
    capacity: ResourceCapacity
    last_verified: dt.date | None
    problem_reports: tuple[ProblemReport, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.organisation} — {self.service}"

    @property
    def open_problems(self) -> tuple[ProblemReport, ...]:
        return tuple(p for p in self.problem_reports if p.resolved_on is None)


@dataclass(frozen=True)
class ImportProblem:
    """Why a row of an imported file was refused, and where it is: ``row`` in the file opened
    as a spreadsheet (the header is row 1), ``line`` where it starts in the file as text. The
    two part when a cell above holds line breaks (an address over two lines)."""

    row: int
    line: int
    reason: str


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    problems: tuple[ImportProblem, ...] = ()
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.cancelled


@dataclass(frozen=True)
class ExportReport:
    written: int
    cancelled: bool = False


@dataclass(frozen=True)
class ResourceDemand:
    resource_id: str
    organisation: str
    service: str
    last_30_days: int
    last_90_days: int


# -- measures ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BaselineChange:
    difference: float
    change: Change
    direction: int
    summary: str


@dataclass(frozen=True)
class MeasureRecord(ParticipantRecord, MeasureDetails, Marked):
    """Marked (a score typed wrong, on the wrong participant): in no episode, compared with
    nothing and counted nowhere."""

    is_baseline: bool = False
    vs_baseline: BaselineChange | None = None
    item_differences: tuple[int, ...] | None = None
    # which episode of support (1, 2, …; core.episodes: a new one where the person came back)
    episode: int = 1


# -- lists -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiaryEntry(Contact):
    """A contact as the diary lists it: with who it is about."""

    programme_id: str
    display_name: str

    @property
    def contact_id(self) -> str:
        return self.id


class CaseloadSort(StrEnum):
    NAME = "name"
    PROGRAMME_ID = "programme_id"
    STATUS = "status"
    LAST_CONTACT = "last_contact"
    NEXT_CONTACT = "next_contact"
    APPOINTMENTS_USED = "appointments_used"
    OPEN_GOALS = "open_goals"
    REFERRED_ON = "referred_on"


@dataclass(frozen=True)
class CaseloadQuery:
    """Filter, sort and page of the caseload; an empty ``statuses`` means all but closed."""

    statuses: frozenset[ParticipantStatus] = field(default_factory=frozenset)
    include_closed: bool = False
    include_handed_over: bool = False  # cases moved to a colleague, kept here read-only
    text: str = ""
    sort: CaseloadSort = CaseloadSort.NAME
    descending: bool = False
    offset: int = 0
    limit: int | None = None
    today: dt.date | None = None


@dataclass(frozen=True)
class CaseloadRow:
    participant_id: str
    programme_id: str
    display_name: str
    status: ParticipantStatus
    referred_on: dt.date | None
    last_contact: dt.datetime | None
    next_contact: dt.datetime | None
    appointments_used: int
    appointment_limit: int | None
    open_goals: int

    @property
    def over_limit(self) -> bool:
        return self.appointment_limit is not None and self.appointments_used > (
            self.appointment_limit
        )


@dataclass(frozen=True)
class CaseloadPage:
    rows: tuple[CaseloadRow, ...]
    total: int
    offset: int


@dataclass(frozen=True)
class ReengagementRow:
    participant_id: str
    programme_id: str
    display_name: str
    status: ParticipantStatus
    last_seen: dt.datetime | None
    weeks_since: int | None
    next_contact: dt.datetime | None


@dataclass(frozen=True)
class GoalReviewRow:
    goal_id: str
    participant_id: str
    programme_id: str
    display_name: str
    title: str
    review_on: dt.date
    progress: int
    status: GoalStatus


@dataclass(frozen=True)
class AwaitingOutcomeRow:
    onward_id: str
    participant_id: str
    programme_id: str
    display_name: str
    resource_id: str
    resource_name: str
    kind: OnwardKind
    status: OnwardStatus
    since: dt.date | None  # the day of the step it is at (core.onward.Steps.current_on)
    days_waiting: int


# -- erasure and search ------------------------------------------------------------------------
@dataclass(frozen=True)
class ErasureReceipt:
    id: str
    participant_id: str
    erased_at: dt.datetime
    rows_removed: int


@dataclass(frozen=True)
class SearchHit:
    kind: str  # participant | note | goal | resource
    row_id: str
    participant_id: str | None
    title: str
    snippet: str
    rank: float
