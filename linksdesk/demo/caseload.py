"""The plan of a synthetic demo caseload: a year of a links worker's work, seeded and reproducible.

Nothing here is about real people: names are common first names and surnames picked at
random, places and organisations are invented, phone numbers are from the ranges reserved for
drama, and every sentence comes from the word lists in :mod:`linksdesk.demo.words`.

:class:`DemoGenerator` makes each participant's rows (not yet written); the rows that carry
casework rules (case notes and their revisions, scored measures) come from the same row
factories the use cases write with. :mod:`linksdesk.demo.build` writes them.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, TypeVar

from linksdesk.casework import measures, notes
from linksdesk.casework.participants import FIRST_PROGRAMME_NUMBER, PROGRAMME_PREFIX
from linksdesk.core.datafiles import load_toml
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import (
    ConcernStage,
    ConsentMethod,
    ConsentScope,
    ContactKind,
    ContactStatus,
    GoalStatus,
    MeasureContext,
    MeasureKind,
    OnwardKind,
    OnwardStatus,
    ParticipantStatus,
    ReferralSource,
    RelationshipKind,
    ResourceCapacity,
)
from linksdesk.demo import words
from linksdesk.storage.tables import (
    Concern,
    Consent,
    Contact,
    Goal,
    GoalStep,
    Measure,
    OnwardReferral,
    Participant,
    ReferralIn,
    Relationship,
    Resource,
    StatusChange,
    SyncColumns,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

RESOURCE_COUNT = 200
REVIEW_WEEKS = 6
DIARY_DAYS = 14  # next bookings fall within the coming fortnight


# -- the plan of one participant's year ---------------------------------------------------------
@dataclass
class _Session:
    """One contact in the participant's timeline, before it becomes rows."""

    at: dt.datetime
    kind: ContactKind
    status: ContactStatus
    venue: str | None
    minutes: int | None
    purpose: str
    note: list[str] = field(default_factory=list)
    private: bool = False
    contact_id: str = ""


@dataclass
class Case:
    """Every row of one participant, in an order that satisfies the foreign keys."""

    participant: Participant
    consents: list[Consent]  # first versions, asked at the first meeting
    rows: list[SyncColumns]
    later_consents: list[Consent] = field(default_factory=list)  # changes of mind
    past_booked: int = 0
    did_not_attend: int = 0


def _weighted(rng: random.Random, choices: dict[T, int] | Sequence[tuple[T, int]]) -> T:
    items = list(choices.items()) if isinstance(choices, dict) else list(choices)
    return rng.choices([c for c, _ in items], weights=[w for _, w in items], k=1)[0]


# how often each choice comes up where the weights are fixed: data, in weights.toml
_WEIGHTS: Final[dict[str, dict[str, int]]] = load_toml("linksdesk.demo", "weights.toml")
E = TypeVar("E", bound=StrEnum)


def _weights(vocab: type[E], table: str) -> dict[E, int]:
    """The weights of ``table`` keyed by the members of ``vocab`` they name."""
    return {vocab(value): weight for value, weight in _WEIGHTS[table].items()}


def _weekday(day: dt.date) -> dt.date:
    """Links workers see people on weekdays: a weekend date moves to the Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


class DemoGenerator:
    """Makes the rows; all randomness comes from one seeded ``random.Random``."""

    def __init__(self, seed: int, today: dt.date, first_number: int = FIRST_PROGRAMME_NUMBER):
        self.rng = random.Random(seed)
        self.today = today
        self.next_number = first_number
        self.resources: list[Resource] = []
        self._by_concern: dict[str, list[Resource]] = {}
        self._kind_of: dict[str, str] = {}  # resource id → kind of service

    # -- small helpers ----------------------------------------------------------------------
    def _pick(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _days(self, lo: int, hi: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(lo, hi))

    def _at(self, day: dt.date) -> dt.datetime:
        day = _weekday(day)
        slot = self.rng.randint(0, 13)  # 09:30 to 16:00 in half hours
        return dt.datetime.combine(day, dt.time(9 + (slot + 1) // 2, 30 if slot % 2 == 0 else 0))

    def _mobile(self) -> str:
        return f"07700 900{self.rng.randint(0, 999):03d}"

    def _landline(self) -> str:
        return f"0141 496 0{self.rng.randint(0, 999):03d}"

    def _postcode(self, district: str | None = None) -> str:
        letters = words.POSTCODE_LETTERS
        return (
            f"{district or self._pick(words.POSTCODE_DISTRICTS)} {self.rng.randint(1, 9)}"
            f"{self._pick(letters)}{self._pick(letters)}"
        )

    def _street(self) -> str:
        return f"{self._pick(words.STREET_STEMS)} {self._pick(words.STREET_KINDS)}"

    def _address(self, area: str) -> str:
        number = self.rng.randint(1, 180)
        if self._chance(0.45):  # tenement flats: floor/flat numbering
            flat = f"{self.rng.randint(0, 3)}/{self.rng.randint(1, 3)}"
            return f"Flat {flat}, {number} {self._street()}, {area}"
        return f"{number} {self._street()}, {area}"

    @staticmethod
    def _slug(text: str) -> str:
        return (
            "".join(ch if ch.isalnum() else "-" for ch in text.lower())
            .strip("-")
            .replace("--", "-")
        )

    # -- the resource directory -------------------------------------------------------------
    def make_resources(self, count: int = RESOURCE_COUNT) -> list[Resource]:
        seen: set[tuple[str, str]] = set()
        out: list[Resource] = []
        kinds = words.RESOURCE_KINDS
        attempts = 0
        while len(out) < count and attempts < count * 20:
            attempts += 1
            kind, categories, concerns, services, organisations = kinds[len(out) % len(kinds)]
            area = self._pick(words.AREAS)
            organisation = self._pick(organisations).format(area=area)
            service = self._pick(services)
            if (organisation, service) in seen:
                continue
            seen.add((organisation, service))
            slug = self._slug(organisation)
            verified = self.today - self._days(3, 540)
            problems: list[dict[str, Any]] = []
            if self._chance(0.06):
                reported = min(self.today, verified + self._days(10, 120))
                problems.append(
                    {
                        "id": uuid7(),
                        "reported_on": reported.isoformat(),
                        "text": self._pick(words.PROBLEM_REPORTS),
                        "resolved_on": None,
                    }
                )
            row = Resource(
                id=uuid7(),
                organisation=organisation,
                service=service,
                description=self._pick(words.RESOURCE_DESCRIPTIONS),
                categories=list(categories),
                address=f"{self.rng.randint(1, 240)} {self._street()}, {area}",
                postcode=self._postcode(),
                area=area,
                when=self._pick(words.RESOURCE_WHEN),
                who_for=self._pick(words.RESOURCE_WHO_FOR).format(area=area),
                cost=self._pick(words.RESOURCE_COST),
                accessibility=self._pick(words.RESOURCE_ACCESS),
                how_to_refer=self._pick(words.RESOURCE_HOW_TO_REFER),
                phone=self._landline(),
                email=f"hello@{slug}.example.org",
                website=f"https://{slug}.example.org",
                capacity=_weighted(self.rng, _weights(ResourceCapacity, "resource_capacity")).value,
                last_verified=verified,
                problem_reports=problems,
            )
            out.append(row)
            self._kind_of[row.id] = kind
            for concern in concerns:
                self._by_concern.setdefault(concern, []).append(row)
        self.resources = out
        return out

    def _resource_for(self, concern: str) -> Resource | None:
        options = self._by_concern.get(concern)
        return self._pick(options) if options else None

    # -- one participant --------------------------------------------------------------------
    def make_case(self) -> Case:
        rng = self.rng
        today = self.today
        pid = uuid7()
        number = self.next_number
        self.next_number += 1

        age = max(18, min(94, round(rng.gauss(52, 15))))
        dob = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        if age >= 62:
            pool = _weighted(rng, {words.FIRST_NAMES_OLDER: 75, words.FIRST_NAMES_MIDDLE: 25})
        elif age >= 38:
            pool = _weighted(
                rng,
                {
                    words.FIRST_NAMES_MIDDLE: 70,
                    words.FIRST_NAMES_OLDER: 15,
                    words.FIRST_NAMES_YOUNGER: 15,
                },
            )
        else:
            pool = _weighted(rng, {words.FIRST_NAMES_YOUNGER: 80, words.FIRST_NAMES_MIDDLE: 20})
        given = self._pick(pool)
        family = self._pick(words.SURNAMES)
        nickname = words.NICKNAMES.get(given)
        preferred = nickname if nickname and self._chance(0.4) else None
        area = _weighted(rng, list(zip(words.AREAS[:7], (30, 22, 14, 10, 9, 8, 7), strict=True)))
        practice = _weighted(
            rng, list(zip(words.GP_PRACTICES, words.GP_PRACTICE_WEIGHTS, strict=True))
        )
        referred_on = today - self._days(0, 365)
        email = None
        if self._chance(0.35):
            email = f"{given.lower()}.{self._slug(family)}{rng.randint(1, 99)}@example.com"

        person = Participant(
            id=pid,
            programme_id=f"{PROGRAMME_PREFIX}{number}",
            given_name=given,
            family_name=family,
            preferred_name=preferred,
            date_of_birth=dob,
            phone=self._mobile() if self._chance(0.9) else self._landline(),
            email=email,
            address=self._address(area),
            postcode=self._postcode(),
            gp_practice=practice,
            contact_preferences=self._pick(words.CONTACT_PREFERENCES)
            if self._chance(0.3)
            else None,
            risk_summary=self._pick(words.RISK_SUMMARIES) if self._chance(0.07) else None,
            status=ParticipantStatus.REFERRED.value,
            status_reason=None,
            referred_on=referred_on,
            closed_on=None,
            created_on=referred_on,
        )
        rows: list[SyncColumns] = []
        statuses: list[StatusChange] = [
            StatusChange(
                id=uuid7(),
                participant_id=pid,
                from_status=None,
                to_status=ParticipantStatus.REFERRED.value,
                reason=None,
                changed_on=referred_on,
            )
        ]

        # -- what brought them, and the concerns named at referral ---------------------------
        first_concern = _weighted(rng, words.CONCERN_WEIGHTS)
        concerns: list[str] = [first_concern]
        if self._chance(0.45):
            second = _weighted(rng, words.CONCERN_WEIGHTS)
            if second not in concerns:
                concerns.append(second)
        referral = self._referral(pid, referred_on, first_concern)

        # -- the timeline of contacts --------------------------------------------------------
        base_venue = self._home_venue(practice)
        housebound = age >= 70 and self._chance(0.25)
        path = _weighted(
            rng,
            {"never": 8, "short": 24, "regular": 44, "long": 13, "drifted": 6, "paused": 5},
        )
        sessions: list[_Session] = []
        # the programme's appointment limit (6): every contact counts except supported visits,
        # attempts and cancellations, so most cases wind down within it; a few complex ones
        # run over (the limit warns, it never blocks)
        cap = rng.choice((6, 6, 7, 8, 9)) if path == "long" else 6
        used = 0
        planned = {
            "never": 0,
            "short": rng.randint(2, 4),
            "regular": rng.randint(4, 6),
            "long": cap,
            "drifted": rng.randint(2, 4),
            "paused": rng.randint(2, 5),
        }[path]
        gap = (21, 42) if path == "long" else (7, 24)
        day = _weekday(referred_on + self._days(5, 20))
        attended = 0
        dna_run = 0
        p_dna = 0.8 if path == "never" else 0.15
        first = True
        while used < cap:
            if day >= today:
                # the next booking sits in the diary (today's are still to come) unless winding down
                if first or (path in ("short", "regular", "long") and attended < planned):
                    kind = ContactKind.HOME_VISIT if housebound else ContactKind.APPOINTMENT
                    if not first and self._chance(0.25):
                        kind = ContactKind.PHONE
                    when = self._at(min(day, today + dt.timedelta(days=DIARY_DAYS)))
                    purpose = "First meeting" if first else None
                    sessions.append(
                        self._session(
                            kind, ContactStatus.SCHEDULED, when, base_venue, purpose=purpose
                        )
                    )
                break
            if path == "never" and (dna_run >= 2 or attended >= 1):
                break
            if path != "never" and attended >= planned:
                break
            kind = ContactKind.APPOINTMENT
            if not first:
                kind = _weighted(
                    rng,
                    {
                        ContactKind.APPOINTMENT: 62,
                        ContactKind.PHONE: 24,
                        ContactKind.HOME_VISIT: 10 if age >= 65 else 3,
                        ContactKind.GROUP: 4,
                    },
                )
            if kind is ContactKind.APPOINTMENT and housebound:
                kind = ContactKind.HOME_VISIT
            roll = rng.random()
            if roll < p_dna:
                outcome = ContactStatus.DID_NOT_ATTEND
            elif roll < p_dna + 0.07:
                outcome = ContactStatus.CANCELLED
            else:
                outcome = ContactStatus.ATTENDED
            purpose = "First meeting" if first else None
            sessions.append(
                self._session(kind, outcome, self._at(day), base_venue, purpose=purpose)
            )
            if outcome is not ContactStatus.CANCELLED:
                used += 1
            if outcome is ContactStatus.ATTENDED:
                attended += 1
                dna_run = 0
                first = False
                day = _weekday(day + self._days(*gap))
            elif outcome is ContactStatus.DID_NOT_ATTEND:
                dna_run += 1
                attempt_day = _weekday(day + self._days(1, 4))
                if attempt_day < today:
                    sessions.append(self._attempt(attempt_day))
                day = _weekday(day + self._days(5, 12))
            else:
                day = _weekday(day + self._days(3, 10))

        # -- how the case stands today -------------------------------------------------------
        seen = [s for s in sessions if s.status is ContactStatus.ATTENDED]
        last_day = max((s.at.date() for s in sessions if s.at.date() < today), default=None)
        status = ParticipantStatus.REFERRED
        closed_on: dt.date | None = None
        close_reason: str | None = None
        if seen:
            status = ParticipantStatus.ACTIVE
            statuses.append(
                self._status(
                    pid,
                    ParticipantStatus.REFERRED,
                    ParticipantStatus.ACTIVE,
                    None,
                    seen[0].at.date(),
                )
            )
        future = [s for s in sessions if s.status is ContactStatus.SCHEDULED]
        if path == "never" and last_day is not None and not future:
            # three tries, then a letter: the door stays open
            for _ in range(2):
                nxt = _weekday(last_day + self._days(3, 10))
                if nxt < today:
                    sessions.append(self._attempt(nxt))
                    last_day = nxt
            end = last_day + self._days(7, 14)
            if end <= today:
                reason = "No longer wishes support" if seen else "Unable to make contact"
                status, closed_on, close_reason = ParticipantStatus.CLOSED, end, reason
        elif path == "drifted" and last_day is not None and seen:
            # not seen for many weeks: a couple of tries that came to nothing, none booked
            nxt = last_day
            for _ in range(rng.randint(1, 2)):
                nxt = _weekday(nxt + self._days(14, 35))
                if nxt < today:
                    sessions.append(self._attempt(nxt))
        elif path == "paused" and seen and last_day is not None and not future:
            pause_on = min(today, last_day + self._days(3, 14))
            status = ParticipantStatus.PAUSED
            statuses.append(
                self._status(
                    pid,
                    ParticipantStatus.ACTIVE,
                    ParticipantStatus.PAUSED,
                    self._pick(words.PAUSE_REASONS),
                    pause_on,
                )
            )
        elif path in ("short", "regular", "long") and seen and not future and last_day is not None:
            end = last_day + self._days(7, 28)
            if end <= today:
                close_reason = _weighted(rng, _WEIGHTS["close_reason"])
                status, closed_on = ParticipantStatus.CLOSED, end
                if close_reason in ("Goals met", "Connected to community support"):
                    seen[-1].note = [self._pick(words.CLOSING_NOTES[:2])]
                    seen[-1].purpose = "Final session"

        if close_reason == "Unable to make contact":
            tries = [s for s in sessions if s.kind is ContactKind.ATTEMPTED]
            if tries:
                tries[-1].note = [words.CLOSING_NOTES[2]]
        if status is ParticipantStatus.CLOSED and closed_on is not None:
            statuses.append(
                self._status(
                    pid,
                    self._status_before_close(statuses),
                    ParticipantStatus.CLOSED,
                    close_reason,
                    closed_on,
                )
            )
            reopen_on = closed_on + self._days(30, 120)
            if self._chance(0.14) and reopen_on <= today - dt.timedelta(days=7):
                # the door is always open: back with a new referral, work picks up again
                status, closed_on = ParticipantStatus.ACTIVE, None
                statuses.append(
                    self._status(
                        pid,
                        ParticipantStatus.CLOSED,
                        ParticipantStatus.ACTIVE,
                        self._pick(words.REOPEN_REASONS),
                        reopen_on,
                    )
                )
                extra = self._referral(
                    pid, reopen_on, _weighted(rng, words.CONCERN_WEIGHTS), again=True
                )
                rows.append(extra)
                day = _weekday(reopen_on + self._days(2, 10))
                for i in range(rng.randint(1, 3)):
                    if day >= today:
                        sessions.append(
                            self._session(
                                ContactKind.APPOINTMENT,
                                ContactStatus.SCHEDULED,
                                self._at(min(day, today + dt.timedelta(days=DIARY_DAYS))),
                                base_venue,
                            )
                        )
                        break
                    s = self._session(
                        ContactKind.APPOINTMENT,
                        ContactStatus.ATTENDED,
                        self._at(day),
                        base_venue,
                        purpose="Catch-up after reopening" if i == 0 else "Review",
                    )
                    if i == 0:
                        s.note = [self._pick(words.REOPEN_NOTES)]
                    sessions.append(s)
                    day = _weekday(day + self._days(10, 21))

        person.status = status.value
        person.closed_on = closed_on
        person.status_reason = close_reason if status is ParticipantStatus.CLOSED else None

        sessions.sort(key=lambda s: s.at)
        seen = [
            s
            for s in sessions
            if s.status is ContactStatus.ATTENDED and s.kind is not ContactKind.ATTEMPTED
        ]

        # -- consent: asked at the first meeting (or passed on by the referrer) --------------
        consent_day = seen[0].at.date() if seen else referred_on
        consents = self._consents(pid, consent_day, seen)

        # -- concerns surfacing over the sessions ("peeling the onion") ----------------------
        concern_rows: list[Concern] = []
        concern_on: dict[str, int] = {}  # category → index of the session it came up in
        for c in concerns:
            concern_rows.append(self._concern(pid, c, ConcernStage.AT_REFERRAL, referred_on))
            concern_on[c] = 0
        if len(seen) >= 2:
            for _ in range(rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]):
                weights = {
                    k: w * (3 if k in words.SURFACE_LATER else 1)
                    for k, w in words.CONCERN_WEIGHTS.items()
                }
                later = _weighted(rng, weights)
                if later in concern_on:
                    continue
                idx = rng.randint(1, len(seen) - 1)
                concern_on[later] = idx
                concern_rows.append(
                    self._concern(pid, later, ConcernStage.LATER, seen[idx].at.date())
                )

        # -- notes for what happened ---------------------------------------------------------
        for i, s in enumerate(seen):
            if s.note:
                continue
            if i == 0:
                parts = [
                    self._pick(words.FIRST_SESSION),
                    self._pick(words.CONCERN_SENTENCES[concerns[0]]),
                ]
            else:
                opening = self._pick(words.FOLLOW_UP_OPENINGS)
                raised = [c for c, at in concern_on.items() if at == i]
                topic = raised[0] if raised else self._pick(list(concern_on))
                parts = [opening] if opening else []
                if s.kind is ContactKind.PHONE:
                    parts = [self._pick(words.PHONE_NOTES)]
                elif s.kind is ContactKind.HOME_VISIT:
                    parts = [self._pick(words.HOME_VISIT_NOTES)]
                elif s.kind is ContactKind.GROUP:
                    parts = [self._pick(words.GROUP_NOTES)]
                else:
                    parts.append(self._pick(words.CONCERN_SENTENCES[topic]))
                    if self._chance(0.5):
                        parts.append(self._pick(words.STRENGTHS))
            parts.append(self._pick(words.NEXT_STEPS))
            s.note = parts
            if self._chance(0.03):
                s.private = True
                s.note = [*parts, self._pick(words.PRIVATE_NOTE_ADDITIONS)]

        # -- goals, set early, in their own words --------------------------------------------
        goal_rows: list[SyncColumns] = []
        goal_count = 0
        if seen:
            goal_count = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
        outcome_good = close_reason in ("Goals met", "Connected to community support")
        used_titles: set[str] = set()
        set_idx = min(len(seen) - 1, 1)
        known = [c for c, at in concern_on.items() if at <= set_idx and c in words.GOALS]
        for _ in range(goal_count):
            category = self._pick(known)
            title, why, steps = self._pick(words.GOALS[category])
            if title in used_titles:
                continue
            used_titles.add(title)
            set_on = seen[set_idx].at.date()
            goal_rows.extend(
                self._goal(pid, title, why, steps, set_on, seen, status, outcome_good, closed_on)
            )

        # -- wellbeing measures: baseline, review, closing -----------------------------------
        measure_rows = self._measures(pid, seen, status, outcome_good)

        # -- onward referrals and signposting ------------------------------------------------
        onward_rows: list[SyncColumns] = []
        for category, idx in concern_on.items():
            if not seen or not self._chance(0.7):
                continue
            resource = self._resource_for(category)
            if resource is None:
                continue
            made_idx = min(len(seen) - 1, idx + rng.randint(0, 1))
            made_on = seen[made_idx].at.date()
            onward, visit = self._onward(pid, resource, made_on)
            onward_rows.append(onward)
            if visit is not None:
                sessions.append(visit)

        # -- the people and services around them ---------------------------------------------
        relation_rows = [
            self._relationship(pid)
            for _ in range(rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0])
        ]

        # -- notes on missed, cancelled and attempted contacts -------------------------------
        for s in sessions:
            if s.note or s.status is ContactStatus.SCHEDULED:
                continue
            if s.kind is ContactKind.ATTEMPTED and self._chance(0.4):
                s.note = [self._pick(words.ATTEMPT_NOTES)]
            elif s.status is ContactStatus.DID_NOT_ATTEND and self._chance(0.55):
                s.note = [self._pick(words.DNA_NOTES)]
            elif s.status is ContactStatus.CANCELLED and self._chance(0.35):
                s.note = [self._pick(words.CANCELLED_NOTES)]

        # -- rows, parents first -------------------------------------------------------------
        sessions.sort(key=lambda s: s.at)
        rows[:0] = [*statuses, referral, *concern_rows]
        contact_rows: list[SyncColumns] = []
        note_rows: list[SyncColumns] = []
        case = Case(
            participant=person,
            consents=[c for c in consents if c.version == 1],
            rows=rows,
            later_consents=[c for c in consents if c.version > 1],
        )
        for s in sessions:
            s.contact_id = uuid7()
            contact_rows.append(
                Contact(
                    id=s.contact_id,
                    participant_id=pid,
                    kind=s.kind.value,
                    status=s.status.value,
                    scheduled_at=s.at,
                    minutes=s.minutes if s.status is ContactStatus.ATTENDED else None,
                    venue=s.venue,
                    purpose=s.purpose,
                )
            )
            if (
                s.at.date() <= today
                and s.kind is not ContactKind.ATTEMPTED
                and s.status
                in (ContactStatus.ATTENDED, ContactStatus.DID_NOT_ATTEND, ContactStatus.CANCELLED)
            ):
                case.past_booked += 1
                case.did_not_attend += s.status is ContactStatus.DID_NOT_ATTEND
            if s.note:
                note_rows.extend(self._note(pid, s))
        rows.extend(contact_rows)
        rows.extend(note_rows)
        rows.extend(goal_rows)
        rows.extend(measure_rows)
        rows.extend(onward_rows)
        rows.extend(relation_rows)
        return case

    # -- pieces ---------------------------------------------------------------------------------
    def _home_venue(self, practice: str) -> str:
        # the worker sits in the first two practices; elsewhere they meet in the community
        base = practice if practice in words.GP_PRACTICES[:2] else words.GP_PRACTICES[0]
        return _weighted(
            self.rng,
            {
                base: 55,
                self._pick(words.LIBRARIES): 20,
                self._pick(words.COMMUNITY_CENTRES): 13,
                self._pick(words.CAFES): 12,
            },
        )

    def _purpose(self, kind: ContactKind) -> str:
        if kind is ContactKind.PHONE:
            return self._pick(("Phone check-in", "Follow-up call", "Phone catch-up"))
        if kind is ContactKind.GROUP:
            return self._pick(("Practice walking group", "Friday coffee morning"))
        return self._pick(
            (
                "Follow-up",
                "Review goals",
                "Benefits forms",
                "Catch-up",
                "Check-in",
                "Letters and forms",
            )
        )

    def _session(
        self,
        kind: ContactKind,
        status: ContactStatus,
        at: dt.datetime,
        base_venue: str,
        *,
        purpose: str | None = None,
    ) -> _Session:
        venue: str | None
        if kind is ContactKind.PHONE:
            venue, minutes = None, self.rng.randint(10, 25)
        elif kind is ContactKind.HOME_VISIT:
            venue, minutes = words.HOME_VISIT, self.rng.randint(50, 90)
        elif kind is ContactKind.GROUP:
            venue, minutes = words.GP_PRACTICES[0], self.rng.randint(60, 90)
        else:
            venue, minutes = base_venue, self._pick((30, 40, 45, 50, 60, 60))
        return _Session(at, kind, status, venue, minutes, purpose or self._purpose(kind))

    def _attempt(self, day: dt.date) -> _Session:
        # as record_attempted_contact stores it: the attempt was made, nobody was seen
        return _Session(
            self._at(day),
            ContactKind.ATTEMPTED,
            ContactStatus.ATTENDED,
            None,
            None,
            self._pick(("Tried to phone", "Text to rebook", "Letter sent")),
        )

    def _status(
        self,
        pid: str,
        before: ParticipantStatus | None,
        after: ParticipantStatus,
        reason: str | None,
        on: dt.date,
    ) -> StatusChange:
        return StatusChange(
            id=uuid7(),
            participant_id=pid,
            from_status=before.value if before else None,
            to_status=after.value,
            reason=reason,
            changed_on=on,
        )

    @staticmethod
    def _status_before_close(statuses: list[StatusChange]) -> ParticipantStatus:
        return ParticipantStatus(statuses[-1].to_status)

    def _referral(self, pid: str, on: dt.date, concern: str, *, again: bool = False) -> ReferralIn:
        rng = self.rng
        source = _weighted(
            rng,
            {
                ReferralSource.GP: 52 if not again else 30,
                ReferralSource.PRACTICE_STAFF: 20,
                ReferralSource.SELF: 9 if not again else 40,
                ReferralSource.COMMUNITY_ORGANISATION: 7,
                ReferralSource.HOUSING: 5,
                ReferralSource.FACTORING_SERVICE: 2,
                ReferralSource.FAMILY: 3,
                ReferralSource.OTHER: 2,
            },
        )
        referrer: str | None
        if source is ReferralSource.GP:
            referrer = f"Dr {self._pick(words.SURNAMES)}"
        elif source is ReferralSource.PRACTICE_STAFF:
            referrer = self._pick(words.PRACTICE_STAFF_ROLES)
        elif source is ReferralSource.COMMUNITY_ORGANISATION:
            org = self._pick(self.resources) if self.resources else None
            referrer = org.organisation if org else None
        elif source is ReferralSource.HOUSING:
            referrer = self._pick(words.HOUSING_REFERRERS)
        elif source is ReferralSource.FACTORING_SERVICE:
            referrer = self._pick(words.FACTORING_REFERRERS)
        elif source is ReferralSource.FAMILY:
            referrer = self._pick(words.FAMILY_REFERRERS)
        elif source is ReferralSource.SELF:
            referrer = self._pick(words.SELF_REFERRAL_NOTES)
        else:
            referrer = None
        return ReferralIn(
            id=uuid7(),
            participant_id=pid,
            received_on=on,
            source=source.value,
            referrer=referrer,
            reason=self._pick(words.REFERRAL_REASONS[concern]),
        )

    def _consents(self, pid: str, on: dt.date, seen: list[_Session]) -> list[Consent]:
        rng = self.rng
        method = _weighted(rng, _weights(ConsentMethod, "consent_method"))
        if not seen:
            method = ConsentMethod.BY_REFERRER
        team = self._chance(0.86)
        given = {
            ConsentScope.TEAM: team,  # first: once it is given, what follows can sync
            ConsentScope.RECORD: True,
            ConsentScope.GP: self._chance(0.8),
            ConsentScope.EVALUATION: self._chance(0.8 if team else 0.3),
        }
        out = [
            Consent(
                id=uuid7(),
                participant_id=pid,
                scope=scope.value,
                given=value,
                version=1,
                recorded_on=on,
                method=method.value,
                note=None,
            )
            for scope, value in given.items()
        ]
        if len(seen) >= 3 and self._chance(0.07):
            # people change their minds: a later version decides
            scope = self._pick((ConsentScope.EVALUATION, ConsentScope.GP, ConsentScope.TEAM))
            out.append(
                Consent(
                    id=uuid7(),
                    participant_id=pid,
                    scope=scope.value,
                    given=not given[scope],
                    version=2,
                    recorded_on=seen[rng.randint(2, len(seen) - 1)].at.date(),
                    method=ConsentMethod.VERBAL.value,
                    note="Changed their mind at review" if self._chance(0.5) else None,
                )
            )
        return out

    def _concern(self, pid: str, category: str, stage: ConcernStage, on: dt.date) -> Concern:
        resolved = None
        if self._chance(0.3):
            resolved = min(self.today, on + self._days(20, 150))
        return Concern(
            id=uuid7(),
            participant_id=pid,
            category=category,
            stage=stage.value,
            identified_on=on,
            detail=self._pick(words.CONCERN_DETAIL[category]) if self._chance(0.8) else None,
            resolved_on=resolved,
        )

    def _note(self, pid: str, s: _Session) -> list[SyncColumns]:
        written_at = s.at + dt.timedelta(minutes=(s.minutes or 10) + self.rng.randint(5, 90))
        text = " ".join(p for p in s.note if p)
        note, first = notes.note_rows(
            pid, text, written_at=written_at, contact_id=s.contact_id, private=s.private
        )
        out: list[SyncColumns] = [note, first]
        if self._chance(0.03):
            more = text + self._pick(words.REVISION_ADDITIONS)
            later = written_at + dt.timedelta(hours=self.rng.randint(1, 30))
            out.append(notes.revision_row(note, first, more, revision=2, written_at=later))
        return out

    def _goal(
        self,
        pid: str,
        title: str,
        why: str,
        steps: Sequence[str],
        set_on: dt.date,
        seen: list[_Session],
        status: ParticipantStatus,
        outcome_good: bool,
        closed_on: dt.date | None,
    ) -> list[SyncColumns]:
        rng = self.rng
        last_seen = seen[-1].at.date()
        if status is ParticipantStatus.CLOSED:
            goal_status = (
                _weighted(rng, {GoalStatus.ACHIEVED: 65, GoalStatus.PARTLY_ACHIEVED: 35})
                if outcome_good
                else _weighted(rng, {GoalStatus.STOPPED: 60, GoalStatus.PARTLY_ACHIEVED: 40})
            )
        elif status is ParticipantStatus.PAUSED:
            goal_status = GoalStatus.ON_HOLD
        else:
            goal_status = _weighted(
                rng, {GoalStatus.ACTIVE: 75, GoalStatus.ACHIEVED: 15, GoalStatus.ON_HOLD: 10}
            )
        progress = {
            GoalStatus.ACHIEVED: rng.randint(8, 10),
            GoalStatus.PARTLY_ACHIEVED: rng.randint(4, 7),
            GoalStatus.STOPPED: rng.randint(0, 3),
            GoalStatus.ON_HOLD: rng.randint(1, 5),
            GoalStatus.ACTIVE: rng.randint(1, 7),
        }[goal_status]
        ended = goal_status in (GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.STOPPED)
        goal_closed = (closed_on or last_seen) if ended else None
        if goal_closed is not None and goal_closed < set_on:
            goal_closed = set_on
        review_on = None
        if goal_status in (GoalStatus.ACTIVE, GoalStatus.ON_HOLD):
            # reviewed every six weeks from when it was set; some reviews are due or overdue
            review_on = set_on + dt.timedelta(weeks=REVIEW_WEEKS)
            while review_on < last_seen:
                review_on += dt.timedelta(weeks=REVIEW_WEEKS)
        goal = Goal(
            id=uuid7(),
            participant_id=pid,
            title=title,
            why_it_matters=why if self._chance(0.85) else None,
            status=goal_status.value,
            set_on=set_on,
            review_on=review_on,
            progress=progress,
            closed_on=goal_closed,
        )
        out: list[SyncColumns] = [goal]
        done_count = {
            GoalStatus.ACHIEVED: len(steps),
            GoalStatus.PARTLY_ACHIEVED: max(1, len(steps) - 1),
        }.get(goal_status, rng.randint(0, max(0, len(steps) - 1)))
        span = max(1, (last_seen - set_on).days)
        elapsed = 0
        for pos, text in enumerate(steps, start=1):
            done_on = None
            if pos <= done_count:
                # ticked off in order, never after the last time the person was seen
                elapsed = min(span, elapsed + rng.randint(3, 21))
                done_on = set_on + dt.timedelta(days=elapsed)
            out.append(
                GoalStep(
                    id=uuid7(),
                    goal_id=goal.id,
                    participant_id=pid,
                    position=pos,
                    description=text,
                    due_on=set_on + dt.timedelta(days=14 * pos),
                    done_on=done_on,
                )
            )
        return out

    def _items(self, kind: MeasureKind, target: int) -> list[int]:
        """Item answers summing to ``target``, spread the way real answers spread."""
        if kind is MeasureKind.ONS4:
            return [self.rng.randint(2, 8) for _ in range(3)] + [self.rng.randint(3, 9)]
        n = 14 if kind is MeasureKind.WEMWBS else 7
        target = max(n, min(5 * n, target))
        items = [max(1, min(5, round(target / n + self.rng.uniform(-1, 1)))) for _ in range(n)]
        while sum(items) != target:
            i = self.rng.randrange(n)
            if sum(items) < target and items[i] < 5:
                items[i] += 1
            elif sum(items) > target and items[i] > 1:
                items[i] -= 1
        return items

    def _measure(
        self,
        pid: str,
        kind: MeasureKind,
        items: list[int],
        on: dt.date,
        context: MeasureContext,
        assisted: bool,
    ) -> Measure:
        return measures.measure_row(
            pid, kind, items, context=context, taken_on=on, assisted=assisted
        )

    def _measures(
        self, pid: str, seen: list[_Session], status: ParticipantStatus, outcome_good: bool
    ) -> list[SyncColumns]:
        rng = self.rng
        if not seen or not self._chance(0.85):
            return []
        kind = MeasureKind.SWEMWBS if self._chance(0.6) else MeasureKind.WEMWBS
        assisted = self._chance(0.25)
        wemwbs = kind is MeasureKind.WEMWBS
        # people referred to a links worker start well below the population mean (≈ 50 / 23.5)
        base = round(rng.gauss(38, 8)) if wemwbs else round(rng.gauss(18.5, 4))
        start = seen[0].at.date()
        out: list[SyncColumns] = [
            self._measure(
                pid, kind, self._items(kind, base), start, MeasureContext.BASELINE, assisted
            )
        ]
        if self._chance(0.12):
            out.append(
                self._measure(
                    pid,
                    MeasureKind.ONS4,
                    self._items(MeasureKind.ONS4, 0),
                    start,
                    MeasureContext.BASELINE,
                    assisted,
                )
            )
        review = next((s for s in seen if (s.at.date() - start).days >= 70), None)
        if review is not None and self._chance(0.8):
            gain = rng.gauss(4.5, 7) if wemwbs else rng.gauss(2.2, 3.4)
            out.append(
                self._measure(
                    pid,
                    kind,
                    self._items(kind, round(base + gain)),
                    review.at.date(),
                    MeasureContext.REVIEW,
                    assisted,
                )
            )
        if status is ParticipantStatus.CLOSED and outcome_good and self._chance(0.7):
            gain = rng.gauss(6.5, 7) if wemwbs else rng.gauss(3.2, 3.5)
            end = seen[-1].at.date()
            if end > start:
                out.append(
                    self._measure(
                        pid,
                        kind,
                        self._items(kind, round(base + gain)),
                        end,
                        MeasureContext.CLOSING,
                        assisted,
                    )
                )
        return out

    def _onward(
        self, pid: str, resource: Resource, made_on: dt.date
    ) -> tuple[OnwardReferral, _Session | None]:
        rng = self.rng
        kind = _weighted(
            rng, {OnwardKind.SIGNPOST: 45, OnwardKind.REFERRAL: 40, OnwardKind.SUPPORTED_VISIT: 15}
        )
        full = resource.capacity in (
            ResourceCapacity.FULL.value,
            ResourceCapacity.WAITING_LIST.value,
        )
        if (self.today - made_on).days < 14:
            status = _weighted(rng, {OnwardStatus.SUGGESTED: 40, OnwardStatus.MADE: 60})
        else:
            status = _weighted(
                rng,
                {
                    OnwardStatus.ATTENDED: 45,
                    OnwardStatus.DECLINED: 15,
                    OnwardStatus.MADE: 12,
                    OnwardStatus.SUGGESTED: 10,
                    OnwardStatus.NO_CAPACITY: 30 if full else 6,
                },
            )
        if kind is OnwardKind.SIGNPOST and status is OnwardStatus.NO_CAPACITY:
            status = OnwardStatus.SUGGESTED
        final = status in (OnwardStatus.ATTENDED, OnwardStatus.DECLINED, OnwardStatus.NO_CAPACITY)
        outcome_on = min(self.today, made_on + self._days(5, 42)) if final else None
        outcomes = words.OUTCOMES[status.value]
        if status is OnwardStatus.ATTENDED and self._kind_of.get(resource.id) in words.ADVICE_KINDS:
            outcomes = words.ADVICE_ATTENDED
        outcome = self._pick(outcomes) if final or self._chance(0.4) else None
        row = OnwardReferral(
            id=uuid7(),
            participant_id=pid,
            resource_id=resource.id,
            kind=kind.value,
            status=status.value,
            made_on=made_on,
            outcome=outcome,
            outcome_on=outcome_on,
        )
        visit = None
        if kind is OnwardKind.SUPPORTED_VISIT:
            day = _weekday(made_on + self._days(4, 12))
            if day <= self.today + dt.timedelta(days=14):
                contact_status = (
                    ContactStatus.SCHEDULED if day >= self.today else ContactStatus.ATTENDED
                )
                visit = _Session(
                    self._at(day),
                    ContactKind.SUPPORTED_VISIT,
                    contact_status,
                    resource.organisation[:200],
                    self.rng.randint(60, 120),
                    f"Supported visit: {resource.service}",
                )
                if contact_status is ContactStatus.ATTENDED:
                    visit.note = [
                        self._pick(words.SUPPORTED_VISIT_NOTES).format(
                            resource=resource.organisation
                        )
                    ]
        return row, visit

    def _relationship(self, pid: str) -> Relationship:
        rng = self.rng
        kind = _weighted(rng, _weights(RelationshipKind, "relationship_kind"))
        phone: str | None = None
        supportive = True
        if kind is RelationshipKind.FAMILY:
            relation = self._pick(words.FAMILY_RELATIONS)
            pool: Sequence[str]
            if relation in words.FEMALE_RELATIONS:
                pool = words.FEMALE_NAMES
            elif relation in words.MALE_RELATIONS:
                pool = words.MALE_NAMES
            else:
                pool = words.FIRST_NAMES
            name = f"{self._pick(pool)} ({relation.lower()})"
            detail = self._pick(words.FAMILY_DETAILS)
            supportive = detail != "Contact is difficult at the moment"
            phone = self._mobile() if self._chance(0.5) else None
        elif kind is RelationshipKind.FRIEND:
            name = self._pick(words.FIRST_NAMES)
            detail = self._pick(words.FRIEND_DETAILS)
        elif kind is RelationshipKind.NEIGHBOUR:
            name = self._pick(words.FIRST_NAMES)
            detail = self._pick(words.NEIGHBOUR_DETAILS)
        elif kind is RelationshipKind.SERVICE:
            name, detail = self._pick(words.SERVICE_CONTACTS)
            phone = self._landline() if self._chance(0.6) else None
        else:
            name, detail = self._pick(words.GROUP_CONTACTS)
        return Relationship(
            id=uuid7(),
            participant_id=pid,
            kind=kind.value,
            name=name,
            detail=detail,
            phone=phone,
            supportive=supportive,
        )
