"""The year of contacts one demo participant has, and how their case stands today.

A case takes one of a few paths (never engaged, short, regular, long, drifted away, paused);
contacts are booked, attended, missed and tried again along it; some cases close and a few
come back ("the door is always open") with a new referral.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import (
    ContactKind,
    ContactStatus,
    ParticipantStatus,
    ReferralSource,
    was_seen,
)
from linksdesk.demo import words
from linksdesk.demo.dice import WEIGHTS, Dice, weekday, weighted
from linksdesk.storage.tables import ReferralIn, Resource, StatusChange

DIARY_DAYS = 14  # next bookings fall within the coming fortnight
# the word list a referral in from each of these sources names its referrer from
_REFERRERS: Final[dict[ReferralSource, tuple[str, ...]]] = {
    ReferralSource.PRACTICE_STAFF: words.PRACTICE_STAFF_ROLES,
    ReferralSource.HOUSING: words.HOUSING_REFERRERS,
    ReferralSource.FACTORING_SERVICE: words.FACTORING_REFERRERS,
    ReferralSource.FAMILY: words.FAMILY_REFERRERS,
    ReferralSource.SELF: words.SELF_REFERRAL_NOTES,
}


@dataclass
class Session:
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


@dataclass(frozen=True)
class Standing:
    """How a case stands today, and the referral in that reopened it, if one did."""

    status: ParticipantStatus
    closed_on: dt.date | None
    close_reason: str | None
    reopened_by: ReferralIn | None


class Timeline(Dice):
    """The contacts of a participant's year and the status changes they lead to."""

    resources: list[Resource]  # the directory: community organisations refer people in too

    def _contacts(
        self, age: int, practice: str, referred_on: dt.date
    ) -> tuple[list[Session], str, str]:
        """The contacts along the path the case takes, with the usual venue and the path."""
        rng = self.rng
        today = self.today
        base_venue = self._home_venue(practice)
        housebound = age >= 70 and self.chance(0.25)
        path = weighted(
            rng,
            {"never": 8, "short": 24, "regular": 44, "long": 13, "drifted": 6, "paused": 5},
        )
        sessions: list[Session] = []
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
        day = weekday(referred_on + self.days(5, 20))
        attended = 0
        dna_run = 0
        p_dna = 0.8 if path == "never" else 0.15
        first = True
        while used < cap:
            if day >= today:
                # the next booking sits in the diary (today's are still to come) unless winding down
                if first or (path in ("short", "regular", "long") and attended < planned):
                    kind = ContactKind.HOME_VISIT if housebound else ContactKind.APPOINTMENT
                    if not first and self.chance(0.25):
                        kind = ContactKind.PHONE
                    when = self.at(min(day, today + dt.timedelta(days=DIARY_DAYS)))
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
                kind = weighted(
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
            sessions.append(self._session(kind, outcome, self.at(day), base_venue, purpose=purpose))
            if outcome is not ContactStatus.CANCELLED:
                used += 1
            if outcome is ContactStatus.ATTENDED:
                attended += 1
                dna_run = 0
                first = False
                day = weekday(day + self.days(*gap))
            elif outcome is ContactStatus.DID_NOT_ATTEND:
                dna_run += 1
                attempt_day = weekday(day + self.days(1, 4))
                if attempt_day < today:
                    sessions.append(self._attempt(attempt_day))
                day = weekday(day + self.days(5, 12))
            else:
                day = weekday(day + self.days(3, 10))
        return sessions, base_venue, path

    def _standing(
        self,
        pid: str,
        path: str,
        sessions: list[Session],
        statuses: list[StatusChange],
        base_venue: str,
    ) -> Standing:
        """Close, pause or reopen the case as its contacts left it (adds to both lists)."""
        rng = self.rng
        today = self.today
        reopened_by: ReferralIn | None = None
        seen = [
            s for s in sessions if was_seen(s.kind, s.status, in_error=False)
        ]  # attempts saw nobody
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
                nxt = weekday(last_day + self.days(3, 10))
                if nxt < today:
                    sessions.append(self._attempt(nxt))
                    last_day = nxt
            end = last_day + self.days(7, 14)
            if end <= today:
                reason = "No longer wishes support" if seen else "Unable to make contact"
                status, closed_on, close_reason = ParticipantStatus.CLOSED, end, reason
        elif path == "drifted" and last_day is not None and seen:
            # not seen for many weeks: a couple of tries that came to nothing, none booked
            nxt = last_day
            for _ in range(rng.randint(1, 2)):
                nxt = weekday(nxt + self.days(14, 35))
                if nxt < today:
                    sessions.append(self._attempt(nxt))
        elif path == "paused" and seen and last_day is not None and not future:
            pause_on = min(today, last_day + self.days(3, 14))
            status = ParticipantStatus.PAUSED
            statuses.append(
                self._status(
                    pid,
                    ParticipantStatus.ACTIVE,
                    ParticipantStatus.PAUSED,
                    self.pick(words.PAUSE_REASONS),
                    pause_on,
                )
            )
        elif path in ("short", "regular", "long") and seen and not future and last_day is not None:
            end = last_day + self.days(7, 28)
            if end <= today:
                close_reason = weighted(rng, WEIGHTS["close_reason"])
                status, closed_on = ParticipantStatus.CLOSED, end
                if close_reason in ("Goals met", "Connected to community support"):
                    seen[-1].note = [self.pick(words.CLOSING_NOTES[:2])]
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
            reopen_on = closed_on + self.days(30, 120)
            if self.chance(0.14) and reopen_on <= today - dt.timedelta(days=7):
                # the door is always open: back with a new referral, work picks up again
                status, closed_on = ParticipantStatus.ACTIVE, None
                statuses.append(
                    self._status(
                        pid,
                        ParticipantStatus.CLOSED,
                        ParticipantStatus.ACTIVE,
                        self.pick(words.REOPEN_REASONS),
                        reopen_on,
                    )
                )
                extra = self._referral(
                    pid, reopen_on, weighted(rng, words.CONCERN_WEIGHTS), again=True
                )
                reopened_by = extra
                day = weekday(reopen_on + self.days(2, 10))
                for i in range(rng.randint(1, 3)):
                    if day >= today:
                        sessions.append(
                            self._session(
                                ContactKind.APPOINTMENT,
                                ContactStatus.SCHEDULED,
                                self.at(min(day, today + dt.timedelta(days=DIARY_DAYS))),
                                base_venue,
                            )
                        )
                        break
                    s = self._session(
                        ContactKind.APPOINTMENT,
                        ContactStatus.ATTENDED,
                        self.at(day),
                        base_venue,
                        purpose="Catch-up after reopening" if i == 0 else "Review",
                    )
                    if i == 0:
                        s.note = [self.pick(words.REOPEN_NOTES)]
                    sessions.append(s)
                    day = weekday(day + self.days(10, 21))
        return Standing(status, closed_on, close_reason, reopened_by)

    # -- pieces ---------------------------------------------------------------------------------
    def _home_venue(self, practice: str) -> str:
        # the worker sits in the first two practices; elsewhere they meet in the community
        base = practice if practice in words.GP_PRACTICES[:2] else words.GP_PRACTICES[0]
        return weighted(
            self.rng,
            {
                base: 55,
                self.pick(words.LIBRARIES): 20,
                self.pick(words.COMMUNITY_CENTRES): 13,
                self.pick(words.CAFES): 12,
            },
        )

    def _purpose(self, kind: ContactKind) -> str:
        if kind is ContactKind.PHONE:
            return self.pick(("Phone check-in", "Follow-up call", "Phone catch-up"))
        if kind is ContactKind.GROUP:
            return self.pick(("Practice walking group", "Friday coffee morning"))
        return self.pick(
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
    ) -> Session:
        venue: str | None
        if kind is ContactKind.PHONE:
            venue, minutes = None, self.rng.randint(10, 25)
        elif kind is ContactKind.HOME_VISIT:
            venue, minutes = words.HOME_VISIT, self.rng.randint(50, 90)
        elif kind is ContactKind.GROUP:
            venue, minutes = words.GP_PRACTICES[0], self.rng.randint(60, 90)
        else:
            venue, minutes = base_venue, self.pick((30, 40, 45, 50, 60, 60))
        return Session(at, kind, status, venue, minutes, purpose or self._purpose(kind))

    def _attempt(self, day: dt.date) -> Session:
        # as record_attempted_contact stores it: the attempt was made, nobody was seen
        return Session(
            self.at(day),
            ContactKind.ATTEMPTED,
            ContactStatus.ATTENDED,
            None,
            None,
            self.pick(("Tried to phone", "Text to rebook", "Letter sent")),
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
        source = weighted(
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
        return ReferralIn(
            id=uuid7(),
            participant_id=pid,
            received_on=on,
            source=source.value,
            referrer=self._referrer(source),
            reason=self.pick(words.REFERRAL_REASONS[concern]),
        )

    def _referrer(self, source: ReferralSource) -> str | None:
        """Who made a referral in from ``source``: a GP by name, an organisation of the
        directory, or a role or note from the source's word list (none for "other")."""
        if source is ReferralSource.GP:
            return f"Dr {self.pick(words.SURNAMES)}"
        if source is ReferralSource.COMMUNITY_ORGANISATION:
            org = self.pick(self.resources) if self.resources else None
            return org.organisation if org else None
        listed = _REFERRERS.get(source)
        return self.pick(listed) if listed is not None else None
