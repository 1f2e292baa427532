"""The field's vocabulary as enums: stored by value, shown by label."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A StrEnum whose members carry a label for people (the value is what is stored)."""

    @property
    def label(self) -> str:
        # keyed by the enum as well: equal values of two enums (ConsentScope.GP and
        # ReferralSource.GP are both "gp") compare and hash alike
        found = _LABELS.get((type(self), self.value))
        return found if found is not None else self.value.replace("_", " ").capitalize()


class Sharing(Labelled):
    TEAM = "team"
    PRIVATE = "private"


class ParticipantStatus(Labelled):
    REFERRED = "referred"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class ConsentScope(Labelled):
    RECORD = "record"  # to keep a record at all
    TEAM = "team"  # to share with the team (and so sync)
    GP = "gp"  # to share with the GP practice
    EVALUATION = "evaluation"  # to be counted in evaluation


class ConsentMethod(Labelled):
    VERBAL = "verbal"
    WRITTEN = "written"
    DIGITAL = "digital"
    BY_REFERRER = "by_referrer"


class ReferralSource(Labelled):
    GP = "gp"
    PRACTICE_STAFF = "practice_staff"
    COMMUNITY_ORGANISATION = "community_organisation"
    HOUSING = "housing"
    FACTORING_SERVICE = "factoring_service"
    SELF = "self"
    FAMILY = "family"
    OTHER = "other"


class ConcernStage(Labelled):
    AT_REFERRAL = "at_referral"
    LATER = "later"


class ContactKind(Labelled):
    APPOINTMENT = "appointment"
    PHONE = "phone"
    HOME_VISIT = "home_visit"
    SUPPORTED_VISIT = "supported_visit"
    GROUP = "group"
    ATTEMPTED = "attempted"


class ContactStatus(Labelled):
    SCHEDULED = "scheduled"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED = "cancelled"


class GoalStatus(Labelled):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    ON_HOLD = "on_hold"
    STOPPED = "stopped"


class RelationshipKind(Labelled):
    FAMILY = "family"
    FRIEND = "friend"
    NEIGHBOUR = "neighbour"
    GROUP = "group"
    SERVICE = "service"
    OTHER = "other"


class OnwardKind(Labelled):
    SIGNPOST = "signpost"
    REFERRAL = "referral"
    SUPPORTED_VISIT = "supported_visit"


class OnwardStatus(Labelled):
    SUGGESTED = "suggested"
    MADE = "made"
    ATTENDED = "attended"
    DECLINED = "declined"
    NO_CAPACITY = "no_capacity"


class ResourceCapacity(Labelled):
    OPEN = "open"
    LIMITED = "limited"
    WAITING_LIST = "waiting_list"
    FULL = "full"
    UNKNOWN = "unknown"


class MeasureKind(Labelled):
    WEMWBS = "wemwbs"
    SWEMWBS = "swemwbs"
    ONS4 = "ons4"


class MeasureContext(Labelled):
    BASELINE = "baseline"
    REVIEW = "review"
    CLOSING = "closing"


class Change(Labelled):
    """How a wellbeing score moved against an earlier one (thresholds in docs/measures.md)."""

    NONE = "none"
    POSSIBLE = "possible"
    CLEAR = "clear"


class AuditAction(Labelled):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"
    IMPORT = "import"
    ERASE = "erase"
    UNLOCK = "unlock"
    LOCK = "lock"
    PASSPHRASE = "passphrase"
    MERGE = "merge"  # two records found to be one person (casework.merging)
    SEPARATE = "separate"  # not the same person after all


DEFAULT_CONCERNS: tuple[str, ...] = (
    "Money and benefits",
    "Debt",
    "Housing",
    "Food",
    "Fuel",
    "Isolation",
    "Mental health",
    "Physical health",
    "Bereavement",
    "Caring",
    "Family",
    "Alcohol and drugs",
    "Employment",
    "Learning",
    "Digital access",
    "Other",
)

_LABELS: dict[tuple[type[StrEnum], str], str] = {
    (type(member), member.value): text
    for member, text in (
        (ConsentScope.RECORD, "Keep a record"),
        (ConsentScope.TEAM, "Share with the team"),
        (ConsentScope.GP, "Share with the GP practice"),
        (ConsentScope.EVALUATION, "Count in evaluation"),
        (ReferralSource.GP, "GP"),
        (ConcernStage.AT_REFERRAL, "At referral"),
        (ConcernStage.LATER, "Identified later"),
        (ContactStatus.DID_NOT_ATTEND, "Did not attend"),
        (ContactKind.ATTEMPTED, "Attempted contact"),
        (MeasureKind.WEMWBS, "WEMWBS"),
        (MeasureKind.SWEMWBS, "SWEMWBS"),
        (MeasureKind.ONS4, "ONS4"),
        (OnwardStatus.NO_CAPACITY, "No capacity"),
    )
}

NOT_REACHED = "Not reached"
NOT_REACHED_KEY = "not_reached"
# An entry the worker marked "entered in error" (booked on the wrong participant, recorded
# twice) stays in the record, struck through, with when and why; it counts nowhere: not as
# seen, missed or cancelled, not against the appointment limit, in no total, report, GP
# summary or the person's own record. ``IN_ERROR_COLUMN`` is the column that marks it
# (core/registry.toml), with the worker's reason beside it; a mark made by mistake can be
# taken off again (casework.contacts.restore_contact), and both stay in the audit trail.
ENTERED_IN_ERROR = "Entered in error"
ENTERED_IN_ERROR_KEY = "entered_in_error"
IN_ERROR_COLUMN = "in_error_at"
# the mark: when, and the worker's reason; one decision, always written together
IN_ERROR_FIELDS = (IN_ERROR_COLUMN, "in_error_reason")
# the reason kept on a case note moved to the right participant's record
WRONG_RECORD = "Written in the wrong participant's record"
# An attempt to reach someone (a call not answered, a knock with no reply) is kept as
# attended, since the try was made, and reached nobody. Casework stores an attempt with no
# other status (``casework.contacts.attempt_problem``), but two devices' edits merged field
# by field, or an older version, can still leave one beside a did not attend: whatever its
# status, a contact of these kinds saw no one and missed nothing.
NEVER_SEEN_KINDS: frozenset[str] = frozenset({ContactKind.ATTEMPTED})


def outcome_key(kind: str, status: str, *, in_error: bool) -> str:
    """What came of a contact, as stored values or members: its status's value,
    ``NOT_REACHED_KEY`` for an attempt, ``ENTERED_IN_ERROR_KEY`` for an entry marked
    entered in error (``in_error``: its ``IN_ERROR_COLUMN`` is set). The one rule every
    count of contacts goes by (seen, did not attend, cancelled, not reached, not counted)."""
    if in_error:
        return ENTERED_IN_ERROR_KEY
    return NOT_REACHED_KEY if kind in NEVER_SEEN_KINDS else str(status)


def contact_outcome(kind: ContactKind, status: ContactStatus, *, in_error: bool) -> str:
    """What came of a contact, in words: an attempt reads "Not reached", never "Attended";
    an entry in error reads "Entered in error", whatever it said."""
    key = outcome_key(kind, status, in_error=in_error)
    if key == ENTERED_IN_ERROR_KEY:
        return ENTERED_IN_ERROR
    return NOT_REACHED if key == NOT_REACHED_KEY else ContactStatus(key).label


# Supported visits never count towards the programme's appointment limit, and an attempted
# contact is not an appointment; a cancelled one was never used.
NOT_COUNTED_KINDS: frozenset[str] = frozenset({ContactKind.SUPPORTED_VISIT, ContactKind.ATTEMPTED})
NOT_COUNTED_STATUSES: frozenset[str] = frozenset({ContactStatus.CANCELLED})


def counts_towards_limit(kind: str, status: str, *, in_error: bool) -> bool:
    """Whether a contact (stored values or members) uses one of the person's appointments:
    the worker's warning and the reports' figures go by this; its SQL twin is
    ``casework.contacts.counted_clause``. An entry in error uses none."""
    return not in_error and kind not in NOT_COUNTED_KINDS and status not in NOT_COUNTED_STATUSES


def was_seen(kind: str, status: str, *, in_error: bool) -> bool:
    """Whether a contact saw the person (stored values or members): attended, not an
    attempt, and not entered in error. Every count of people seen or worked with, and every
    wait to a first contact, goes by this; its SQL twin is ``casework.contacts.seen_clause``
    (a test holds the two to agree on every kind, status and mark)."""
    return outcome_key(kind, status, in_error=in_error) == ContactStatus.ATTENDED.value
