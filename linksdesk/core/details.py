"""What is held about a participant, detail by detail: the declarations casework's records
and the participant's own record document share (each adds what is its own: ids, a display
name, the change since the first score). The records both use whole are in ``core/records.py``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from linksdesk.core.vocab import GoalStatus, MeasureContext, MeasureKind, ParticipantStatus


@dataclass(frozen=True)
class PersonDetails:
    programme_id: str
    given_name: str
    family_name: str
    preferred_name: str | None
    date_of_birth: dt.date | None
    phone: str | None
    email: str | None
    address: str | None
    postcode: str | None
    gp_practice: str | None
    contact_preferences: str | None
    risk_summary: str | None
    status: ParticipantStatus
    status_reason: str | None
    referred_on: dt.date | None
    closed_on: dt.date | None
    created_on: dt.date

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True)
class GoalDetails:
    title: str
    why_it_matters: str | None
    status: GoalStatus
    set_on: dt.date
    review_on: dt.date | None
    progress: int
    closed_on: dt.date | None


@dataclass(frozen=True)
class MeasureDetails:
    kind: MeasureKind
    taken_on: dt.date
    context: MeasureContext
    assisted: bool
    items: tuple[int, ...]
    total: int | None
    metric: float | None
