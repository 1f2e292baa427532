"""A team whose participants reach both the board and the evaluation files, for checks an
evaluator makes from outside: each worker's laptop is filled through casework, then exports a
supervision bundle and an evaluation bundle (signed, encrypted), and the supervisor's vault
imports both. Everyone consents to team sharing and to evaluation, and everyone is alike on
the quasi-identifiers (age band, no postcode, referred by a GP, in the first quarter), so the
evaluation bundles keep them all and every figure can be counted both ways. Synthetic data.

Each worker's people include a second referral (a person has one referral period, and each
of their referrals counts as a referral), an attempted contact (a call not answered) and a
did not attend. The first worker also has someone referred in February and first seen in
May (after the quarter), someone referred three days before the quarter ends and never
seen, and two people who share nothing with the team (their laptop's monthly totals only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bundle_kit import PROGRAMME_KEY
from team_kit import PASSPHRASE

from linksdesk.casework import (
    bundles,
    consent,
    contacts,
    goals,
    onward,
    participants,
    referrals,
    resources,
)
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.participants import NEXT_NUMBER_KEY
from linksdesk.core.vocab import (
    ConsentScope,
    ContactKind,
    ContactStatus,
    GoalStatus,
    OnwardKind,
    OnwardStatus,
    ReferralSource,
)
from linksdesk.storage.tables import LocalSetting
from linksdesk.sync import state
from linksdesk.sync.bundle import keys
from linksdesk.sync.totals import update_monthly_totals

PEOPLE = 8  # per worker: at least 5 alike, so the evaluation bundles keep them all
WORKERS = 3
PERIOD = "2026-01..2026-03"  # a quarter: the evaluation bundles' dates are quarters


@dataclass
class EvalTeam:
    supervisor: Casebook
    root: Path
    recipient: str  # the supervisor's bundle key
    workers: list[str] = field(default_factory=list)
    people: dict[str, list[str]] = field(default_factory=dict)  # worker -> participant ids

    def later(self, worker: int, change: Callable[[Casebook], object]) -> None:
        """A worker records ``change`` on their laptop after the first bundles, and their next
        supervision bundle brings it to the supervisor's vault, as a late bundle does."""
        cb = Casebook.unlock(self.root / f"worker{worker}.vault", PASSPHRASE)
        try:
            change(cb)
            out = self.root / f"worker{worker}-later{len(list(self.root.glob('*later*.age')))}.age"
            bundles.export_bundle(cb, out, kind="supervision", recipients=[self.recipient])
        finally:
            cb.lock()
        bundles.import_file(self.supervisor, out)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 30))


# each worker's onward referrals, by person (n): the steps taken and their days, in the
# quarter (a referral still suggested at its end is made in April: ``EvalTeam.later``)
ONWARD: dict[int, tuple[tuple[OnwardStatus, dt.date], ...]] = {
    0: ((OnwardStatus.MADE, dt.date(2026, 1, 8)), (OnwardStatus.ATTENDED, dt.date(2026, 2, 10))),
    3: ((OnwardStatus.SUGGESTED, dt.date(2026, 1, 12)),
        (OnwardStatus.DECLINED, dt.date(2026, 1, 20))),
    5: ((OnwardStatus.SUGGESTED, dt.date(2026, 3, 16)), (OnwardStatus.MADE, dt.date(2026, 3, 25))),
    6: ((OnwardStatus.SUGGESTED, dt.date(2026, 1, 19)),),
}  # fmt: skip


def refer(
    cb: Casebook, pid: str, resource_id: str, steps: tuple[tuple[OnwardStatus, dt.date], ...]
) -> str:
    """An onward referral taken through ``steps`` (the first its start) on their days."""
    (first, on), *later = steps
    o = onward.refer_onward(cb, pid, resource_id, OnwardKind.REFERRAL, status=first, on=on).value
    for status, day in later:
        onward.update_onward(cb, o.id, status, on=day)
    return o.id


def fill(cb: Casebook, number: int) -> list[str]:
    """``PEOPLE`` participants, all alike on the quasi-identifiers, with varied contacts."""
    people = []
    club = resources.add_resource(cb, organisation=f"Club {number}", service="Walking").value
    for n in range(PEOPLE):
        received = dt.date(2026, 1 + n % 3, 5 + 2 * n)
        pid = _person(cb, received, f"Evalkit{number}{n}")
        people.append(pid)
        if n in ONWARD:
            refer(cb, pid, club.id, ONWARD[n])
        if n == 0:  # referred again in the period: two referrals, one person
            again = received + dt.timedelta(days=40)
            referrals.record_referral(cb, pid, source=ReferralSource.SELF, received_on=again)
        if n == 1:  # a call not answered, and nothing else
            contacts.record_contact(
                cb, pid, kind=ContactKind.ATTEMPTED, at=_at(received + dt.timedelta(days=2))
            )
            continue
        if n == 3:  # a goal set and achieved in the quarter
            g = goals.set_goal(cb, pid, "Join the walking group", set_on=received).value
            achieved = received + dt.timedelta(days=20)
            goals.change_goal_status(cb, g.id, GoalStatus.ACHIEVED, on=achieved)
        if n == 4:  # a goal set in the quarter, still in progress when it ends
            goals.set_goal(cb, pid, "Sort out the gas bill", set_on=received)
        if n == 2:  # did not attend, then seen
            contacts.record_contact(
                cb, pid, kind=ContactKind.APPOINTMENT, at=_at(received + dt.timedelta(days=3)),
                status=ContactStatus.DID_NOT_ATTEND,
            )  # fmt: skip
        if n == PEOPLE - 1 and number == 0:  # referred late in March, seen in May
            contacts.record_contact(
                cb, pid, kind=ContactKind.APPOINTMENT, at=_at(dt.date(2026, 5, 20))
            )
            continue
        contacts.record_contact(
            cb, pid, kind=ContactKind.APPOINTMENT, at=_at(received + dt.timedelta(days=6 + n))
        )
    if number == 0:
        # referred three days before the quarter ends and not seen since: waiting over the
        # target only in a report written more than 11 days after the referral
        people.append(_person(cb, dt.date(2026, 3, 28), f"Evalkit{number}late"))
        for n in range(2):  # not shared with the team: the laptop's monthly totals only
            p = participants.create_participant(
                cb, given_name="Iain", family_name=f"Evalkit{number}own{n}",
                date_of_birth=dt.date(1980, 6, 1), referred_on=KEPT_ON_LAPTOP,
            ).value  # fmt: skip
            consent.record_consent(cb, p.id, ConsentScope.TEAM, False, recorded_on=KEPT_ON_LAPTOP)
            referrals.record_referral(
                cb, p.id, source=ReferralSource.GP, received_on=KEPT_ON_LAPTOP
            )
    return people


KEPT_ON_LAPTOP = dt.date(2026, 2, 2)  # when the people who share nothing were referred


def _person(cb: Casebook, received: dt.date, family_name: str) -> str:
    p = participants.create_participant(
        cb, given_name="Morag", family_name=family_name, date_of_birth=dt.date(1980, 6, 1),
        referred_on=received,
    ).value  # fmt: skip
    for scope in (ConsentScope.TEAM, ConsentScope.EVALUATION):
        consent.record_consent(cb, p.id, scope, True, recorded_on=received)
    referrals.record_referral(cb, p.id, source=ReferralSource.GP, received_on=received)
    return p.id


def build_eval_team(root: Path) -> EvalTeam:
    """``WORKERS`` laptops' supervision and evaluation bundles, imported into a supervisor's
    vault, as a programme manager's vault is fed."""
    sup, _ = bundles.create_vault(root / "supervisor.vault", PASSPHRASE, supervisor=True)
    recipient = bundles.new_bundle_key(sup)
    team = EvalTeam(sup, root, recipient)
    for w in range(WORKERS):
        cb, _key = bundles.create_vault(root / f"worker{w}.vault", PASSPHRASE)
        with cb.store.write() as tx:
            tx.session.merge(LocalSetting(key=NEXT_NUMBER_KEY, value=10_000 * (w + 1)))
            state.put(tx.session, keys.PROGRAMME_KEY, PROGRAMME_KEY)  # as sync hands it over
        try:
            team.workers.append(cb.worker_id)
            team.people[cb.worker_id] = fill(cb, w)
            update_monthly_totals(cb.store, cb.worker_id)
            fingerprint = bundles.show_keys(cb).signing.fingerprint
            for kind in ("supervision", "evaluation"):
                out = root / f"worker{w}-{kind}.age"
                bundles.export_bundle(cb, out, kind=kind, recipients=[recipient])
                bundles.import_file(sup, out, trust=fingerprint)
        finally:
            cb.lock()
    return team
