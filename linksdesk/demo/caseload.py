"""The plan of a synthetic demo caseload: a year of a links worker's work, seeded and reproducible.

Nothing here is about real people: names are common first names and surnames picked at
random, places and organisations are invented, phone numbers are from the ranges reserved for
drama, and every sentence comes from the word lists in :mod:`linksdesk.demo.words`.

:class:`DemoGenerator` makes each participant's rows (not yet written), along the timeline of
:mod:`linksdesk.demo.timeline` and with the goals and scores of :mod:`linksdesk.demo.progress`;
the rows that carry casework rules (case notes and their revisions, scored measures) come from
the same row factories the use cases write with. :mod:`linksdesk.demo.build` writes them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from linksdesk.casework import notes
from linksdesk.casework.participants import FIRST_PROGRAMME_NUMBER, PROGRAMME_PREFIX
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import (
    ConcernStage,
    ConsentMethod,
    ConsentScope,
    ContactKind,
    ContactStatus,
    OnwardKind,
    OnwardStatus,
    ParticipantStatus,
    RelationshipKind,
    ResourceCapacity,
    was_seen,
)
from linksdesk.demo import words
from linksdesk.demo.dice import weekday, weighted, weights
from linksdesk.demo.progress import Progress
from linksdesk.demo.timeline import Session, Timeline
from linksdesk.storage.tables import (
    Concern,
    Consent,
    Contact,
    OnwardReferral,
    Participant,
    Relationship,
    Resource,
    SyncColumns,
)

log = logging.getLogger(__name__)

RESOURCE_COUNT = 200


@dataclass
class Case:
    """Every row of one participant, in an order that satisfies the foreign keys."""

    participant: Participant
    consents: list[Consent]  # first versions, asked at the first meeting
    rows: list[SyncColumns]
    later_consents: list[Consent] = field(default_factory=list)  # changes of mind
    past_booked: int = 0
    did_not_attend: int = 0


class Referred(NamedTuple):
    """A new participant, and what the rest of their year is planned from."""

    person: Participant
    age: int
    practice: str
    referred_on: dt.date


class DemoGenerator(Timeline, Progress):
    """Makes the rows; all randomness comes from one seeded ``random.Random``."""

    def __init__(self, seed: int, today: dt.date, first_number: int = FIRST_PROGRAMME_NUMBER):
        super().__init__(seed, today)
        self.next_number = first_number
        self.resources: list[Resource] = []
        self._by_concern: dict[str, list[Resource]] = {}
        self._kind_of: dict[str, str] = {}  # resource id → kind of service

    # -- the resource directory -------------------------------------------------------------
    def make_resources(self, count: int = RESOURCE_COUNT) -> list[Resource]:
        seen: set[tuple[str, str]] = set()
        out: list[Resource] = []
        kinds = words.RESOURCE_KINDS
        attempts = 0
        while len(out) < count and attempts < count * 20:
            attempts += 1
            kind, categories, concerns, services, organisations = kinds[len(out) % len(kinds)]
            area = self.pick(words.AREAS)
            organisation = self.pick(organisations).format(area=area)
            service = self.pick(services)
            if (organisation, service) in seen:
                continue
            seen.add((organisation, service))
            slug = self.slug(organisation)
            verified = self.today - self.days(3, 540)
            problems: list[dict[str, Any]] = []
            if self.chance(0.06):
                reported = min(self.today, verified + self.days(10, 120))
                problems.append(
                    {
                        "id": uuid7(),
                        "reported_on": reported.isoformat(),
                        "text": self.pick(words.PROBLEM_REPORTS),
                        "resolved_on": None,
                    }
                )
            row = Resource(
                id=uuid7(),
                organisation=organisation,
                service=service,
                description=self.pick(words.RESOURCE_DESCRIPTIONS),
                categories=list(categories),
                address=f"{self.rng.randint(1, 240)} {self.street()}, {area}",
                postcode=self.postcode(),
                area=area,
                when=self.pick(words.RESOURCE_WHEN),
                who_for=self.pick(words.RESOURCE_WHO_FOR).format(area=area),
                cost=self.pick(words.RESOURCE_COST),
                accessibility=self.pick(words.RESOURCE_ACCESS),
                how_to_refer=self.pick(words.RESOURCE_HOW_TO_REFER),
                phone=self.landline(),
                email=f"hello@{slug}.example.org",
                website=f"https://{slug}.example.org",
                capacity=weighted(self.rng, weights(ResourceCapacity, "resource_capacity")).value,
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
        return self.pick(options) if options else None

    # -- one participant --------------------------------------------------------------------
    def _person(self) -> Referred:
        """A new participant as referred."""
        rng = self.rng
        today = self.today
        pid = uuid7()
        number = self.next_number
        self.next_number += 1

        age = max(18, min(94, round(rng.gauss(52, 15))))
        dob = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        if age >= 62:
            pool = weighted(rng, {words.FIRST_NAMES_OLDER: 75, words.FIRST_NAMES_MIDDLE: 25})
        elif age >= 38:
            pool = weighted(
                rng,
                {
                    words.FIRST_NAMES_MIDDLE: 70,
                    words.FIRST_NAMES_OLDER: 15,
                    words.FIRST_NAMES_YOUNGER: 15,
                },
            )
        else:
            pool = weighted(rng, {words.FIRST_NAMES_YOUNGER: 80, words.FIRST_NAMES_MIDDLE: 20})
        given = self.pick(pool)
        family = self.pick(words.SURNAMES)
        nickname = words.NICKNAMES.get(given)
        preferred = nickname if nickname and self.chance(0.4) else None
        area = weighted(rng, list(zip(words.AREAS[:7], (30, 22, 14, 10, 9, 8, 7), strict=True)))
        practice = weighted(
            rng, list(zip(words.GP_PRACTICES, words.GP_PRACTICE_WEIGHTS, strict=True))
        )
        referred_on = today - self.days(0, 365)
        email = None
        if self.chance(0.35):
            email = f"{given.lower()}.{self.slug(family)}{rng.randint(1, 99)}@example.com"

        person = Participant(
            id=pid,
            programme_id=f"{PROGRAMME_PREFIX}{number}",
            given_name=given,
            family_name=family,
            preferred_name=preferred,
            date_of_birth=dob,
            phone=self.mobile() if self.chance(0.9) else self.landline(),
            email=email,
            address=self.address(area),
            postcode=self.postcode(),
            gp_practice=practice,
            contact_preferences=self.pick(words.CONTACT_PREFERENCES) if self.chance(0.3) else None,
            risk_summary=self.pick(words.RISK_SUMMARIES) if self.chance(0.07) else None,
            status=ParticipantStatus.REFERRED.value,
            status_reason=None,
            referred_on=referred_on,
            closed_on=None,
            created_on=referred_on,
        )
        return Referred(person, age, practice, referred_on)

    def make_case(self) -> Case:
        rng = self.rng
        today = self.today
        person, age, practice, referred_on = self._person()
        pid = person.id
        rows: list[SyncColumns] = []
        statuses = [self._status(pid, None, ParticipantStatus.REFERRED, None, referred_on)]

        # -- what brought them, and the concerns named at referral ---------------------------
        first_concern = weighted(rng, words.CONCERN_WEIGHTS)
        concerns: list[str] = [first_concern]
        if self.chance(0.45):
            second = weighted(rng, words.CONCERN_WEIGHTS)
            if second not in concerns:
                concerns.append(second)
        referral = self._referral(pid, referred_on, first_concern)

        # -- the timeline of contacts, and how the case stands today -------------------------
        sessions, base_venue, path = self._contacts(age, practice, referred_on)
        standing = self._standing(pid, path, sessions, statuses, base_venue)
        if standing.reopened_by is not None:
            rows.append(standing.reopened_by)
        status, closed_on = standing.status, standing.closed_on
        close_reason = standing.close_reason

        person.status = status.value
        person.closed_on = closed_on
        person.status_reason = close_reason if status is ParticipantStatus.CLOSED else None

        sessions.sort(key=lambda s: s.at)
        seen = [s for s in sessions if was_seen(s.kind, s.status, in_error=False)]

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
                later = weighted(rng, weights)
                if later in concern_on:
                    continue
                idx = rng.randint(1, len(seen) - 1)
                concern_on[later] = idx
                concern_rows.append(
                    self._concern(pid, later, ConcernStage.LATER, seen[idx].at.date())
                )

        self._write_up(seen, concerns, concern_on)

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
            category = self.pick(known)
            title, why, steps = self.pick(words.GOALS[category])
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
            if not seen or not self.chance(0.7):
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

        self._write_up_the_rest(sessions)

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
    def _write_up(
        self, seen: list[Session], concerns: list[str], concern_on: dict[str, int]
    ) -> None:
        """A case note for each contact the person came to, about what came up then."""
        for i, s in enumerate(seen):
            if s.note:
                continue
            if i == 0:
                parts = [
                    self.pick(words.FIRST_SESSION),
                    self.pick(words.CONCERN_SENTENCES[concerns[0]]),
                ]
            else:
                opening = self.pick(words.FOLLOW_UP_OPENINGS)
                raised = [c for c, at in concern_on.items() if at == i]
                topic = raised[0] if raised else self.pick(list(concern_on))
                parts = [opening] if opening else []
                if s.kind is ContactKind.PHONE:
                    parts = [self.pick(words.PHONE_NOTES)]
                elif s.kind is ContactKind.HOME_VISIT:
                    parts = [self.pick(words.HOME_VISIT_NOTES)]
                elif s.kind is ContactKind.GROUP:
                    parts = [self.pick(words.GROUP_NOTES)]
                else:
                    parts.append(self.pick(words.CONCERN_SENTENCES[topic]))
                    if self.chance(0.5):
                        parts.append(self.pick(words.STRENGTHS))
            parts.append(self.pick(words.NEXT_STEPS))
            s.note = parts
            if self.chance(0.03):
                s.private = True
                s.note = [*parts, self.pick(words.PRIVATE_NOTE_ADDITIONS)]

    def _write_up_the_rest(self, sessions: list[Session]) -> None:
        """Notes on some missed, cancelled and attempted contacts."""
        for s in sessions:
            if s.note or s.status is ContactStatus.SCHEDULED:
                continue
            if s.kind is ContactKind.ATTEMPTED and self.chance(0.4):
                s.note = [self.pick(words.ATTEMPT_NOTES)]
            elif s.status is ContactStatus.DID_NOT_ATTEND and self.chance(0.55):
                s.note = [self.pick(words.DNA_NOTES)]
            elif s.status is ContactStatus.CANCELLED and self.chance(0.35):
                s.note = [self.pick(words.CANCELLED_NOTES)]

    def _consents(self, pid: str, on: dt.date, seen: list[Session]) -> list[Consent]:
        rng = self.rng
        method = weighted(rng, weights(ConsentMethod, "consent_method"))
        if not seen:
            method = ConsentMethod.BY_REFERRER
        team = self.chance(0.86)
        given = {
            ConsentScope.TEAM: team,  # first: once it is given, what follows can sync
            ConsentScope.RECORD: True,
            ConsentScope.GP: self.chance(0.8),
            ConsentScope.EVALUATION: self.chance(0.8 if team else 0.3),
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
        if len(seen) >= 3 and self.chance(0.07):
            # people change their minds: a later version decides
            scope = self.pick((ConsentScope.EVALUATION, ConsentScope.GP, ConsentScope.TEAM))
            out.append(
                Consent(
                    id=uuid7(),
                    participant_id=pid,
                    scope=scope.value,
                    given=not given[scope],
                    version=2,
                    recorded_on=seen[rng.randint(2, len(seen) - 1)].at.date(),
                    method=ConsentMethod.VERBAL.value,
                    note="Changed their mind at review" if self.chance(0.5) else None,
                )
            )
        return out

    def _concern(self, pid: str, category: str, stage: ConcernStage, on: dt.date) -> Concern:
        resolved = None
        if self.chance(0.3):
            resolved = min(self.today, on + self.days(20, 150))
        return Concern(
            id=uuid7(),
            participant_id=pid,
            category=category,
            stage=stage.value,
            identified_on=on,
            detail=self.pick(words.CONCERN_DETAIL[category]) if self.chance(0.8) else None,
            resolved_on=resolved,
        )

    def _note(self, pid: str, s: Session) -> list[SyncColumns]:
        written_at = s.at + dt.timedelta(minutes=(s.minutes or 10) + self.rng.randint(5, 90))
        text = " ".join(p for p in s.note if p)
        note, first = notes.note_rows(
            pid, text, written_at=written_at, contact_id=s.contact_id, private=s.private
        )
        out: list[SyncColumns] = [note, first]
        if self.chance(0.03):
            more = text + self.pick(words.REVISION_ADDITIONS)
            later = written_at + dt.timedelta(hours=self.rng.randint(1, 30))
            out.append(notes.revision_row(note, first, more, revision=2, written_at=later))
        return out

    def _onward(
        self, pid: str, resource: Resource, made_on: dt.date
    ) -> tuple[OnwardReferral, Session | None]:
        rng = self.rng
        kind = weighted(
            rng, {OnwardKind.SIGNPOST: 45, OnwardKind.REFERRAL: 40, OnwardKind.SUPPORTED_VISIT: 15}
        )
        full = resource.capacity in (
            ResourceCapacity.FULL.value,
            ResourceCapacity.WAITING_LIST.value,
        )
        if (self.today - made_on).days < 14:
            status = weighted(rng, {OnwardStatus.SUGGESTED: 40, OnwardStatus.MADE: 60})
        else:
            status = weighted(
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
        outcome_on = min(self.today, made_on + self.days(5, 42)) if final else None
        outcomes = words.OUTCOMES[status.value]
        if status is OnwardStatus.ATTENDED and self._kind_of.get(resource.id) in words.ADVICE_KINDS:
            outcomes = words.ADVICE_ATTENDED
        outcome = self.pick(outcomes) if final or self.chance(0.4) else None
        # each step's day (core.onward): two in three were suggested first and made some days
        # later (worked out from the day, so the demo's other draws stay as they were)
        first = made_on
        suggested_on: dt.date | None = first
        made: dt.date | None = None
        if status is OnwardStatus.DECLINED and first.toordinal() % 5 == 0:
            pass  # declined when it was suggested
        elif status is not OnwardStatus.SUGGESTED:
            if first.toordinal() % 3:
                lag = min(first.toordinal() % 7, ((outcome_on or self.today) - first).days)
                made = first + dt.timedelta(days=max(lag, 0))
            else:
                suggested_on, made = None, first
        row = OnwardReferral(
            id=uuid7(),
            participant_id=pid,
            resource_id=resource.id,
            kind=kind.value,
            status=status.value,
            suggested_on=suggested_on,
            made_on=made,
            outcome=outcome,
            outcome_on=outcome_on,
        )
        visit = None
        if kind is OnwardKind.SUPPORTED_VISIT:
            day = weekday(made_on + self.days(4, 12))
            if day <= self.today + dt.timedelta(days=14):
                contact_status = (
                    ContactStatus.SCHEDULED if day >= self.today else ContactStatus.ATTENDED
                )
                visit = Session(
                    self.at(day),
                    ContactKind.SUPPORTED_VISIT,
                    contact_status,
                    resource.organisation[:200],
                    self.rng.randint(60, 120),
                    f"Supported visit: {resource.service}",
                )
                if contact_status is ContactStatus.ATTENDED:
                    visit.note = [
                        self.pick(words.SUPPORTED_VISIT_NOTES).format(
                            resource=resource.organisation
                        )
                    ]
        return row, visit

    def _relationship(self, pid: str) -> Relationship:
        rng = self.rng
        kind = weighted(rng, weights(RelationshipKind, "relationship_kind"))
        phone: str | None = None
        supportive = True
        if kind is RelationshipKind.FAMILY:
            relation = self.pick(words.FAMILY_RELATIONS)
            pool: Sequence[str]
            if relation in words.FEMALE_RELATIONS:
                pool = words.FEMALE_NAMES
            elif relation in words.MALE_RELATIONS:
                pool = words.MALE_NAMES
            else:
                pool = words.FIRST_NAMES
            name = f"{self.pick(pool)} ({relation.lower()})"
            detail = self.pick(words.FAMILY_DETAILS)
            supportive = detail != "Contact is difficult at the moment"
            phone = self.mobile() if self.chance(0.5) else None
        elif kind is RelationshipKind.FRIEND:
            name = self.pick(words.FIRST_NAMES)
            detail = self.pick(words.FRIEND_DETAILS)
        elif kind is RelationshipKind.NEIGHBOUR:
            name = self.pick(words.FIRST_NAMES)
            detail = self.pick(words.NEIGHBOUR_DETAILS)
        elif kind is RelationshipKind.SERVICE:
            name, detail = self.pick(words.SERVICE_CONTACTS)
            phone = self.landline() if self.chance(0.6) else None
        else:
            name, detail = self.pick(words.GROUP_CONTACTS)
        return Relationship(
            id=uuid7(),
            participant_id=pid,
            kind=kind.value,
            name=name,
            detail=detail,
            phone=phone,
            supportive=supportive,
        )
