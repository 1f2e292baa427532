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


def contact_outcome(kind: ContactKind, status: ContactStatus) -> str:
    """What came of a contact, in words. An attempted contact is kept as attended (the
    attempt happened) but reached nobody: it reads "Not reached", never "Attended"."""
    return NOT_REACHED if kind is ContactKind.ATTEMPTED else status.label


def was_seen(kind: str, status: str) -> bool:
    """Whether a contact saw the person (stored values or members): attended, and not an
    attempt, which is kept as attended but reached nobody. Every count of people seen or
    worked with, and every wait to a first contact, goes by this."""
    return status == ContactStatus.ATTENDED and kind != ContactKind.ATTEMPTED
