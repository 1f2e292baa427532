"""An attempted contact (a call not answered, a knock with no reply) is stored as attended
but reached nobody. The supervisor's reports counted it as seeing the person: someone only
ever phoned without answer was "worked with" and "seen", and their wait ended at the first
unanswered call. Synthetic data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from small_team import laptop_and_supervisor, sharing_person
from test_reports_period_only import figures, seen

from linksdesk.casework import contacts, participants, referrals
from linksdesk.core.vocab import ContactKind, ContactStatus, ReferralSource
from linksdesk.reports.scope import Period
from linksdesk.storage.tables import Contact
from linksdesk.sync.totals import monthly_counts

Q1 = Period.parse("2026-01..2026-03")
REFERRED = dt.date(2026, 2, 2)
ATTEMPTED = list(ContactKind).index(ContactKind.ATTEMPTED)


def test_an_unanswered_call_never_counts_as_seeing_the_person(tmp_path: Path) -> None:
    with laptop_and_supervisor(tmp_path) as (laptop, sup, carry):
        reached = sharing_person(laptop, 1, REFERRED)
        never = sharing_person(laptop, 2, REFERRED)
        hidden = participants.create_participant(
            laptop, given_name="Test", family_name="Unshared", referred_on=REFERRED
        ).value.id  # no consent to share: counted on the laptop only
        for pid in (reached, never, hidden):
            referrals.record_referral(laptop, pid, source=ReferralSource.GP, received_on=REFERRED)
            for day in (3, 5):
                at = dt.datetime(2026, 2, day, 10)
                contacts.record_attempted_contact(laptop, pid, at=at)
        seen(laptop, reached, dt.date(2026, 2, 20))  # first real contact: 18 days on
        carry()
        got = figures(sup, Q1, dt.date(2026, 4, 2), audience="internal")

    assert got[("caseload", "worked_with")][-1] == 1
    assert got[("timeliness", "seen")][-1] == 1
    assert got[("timeliness", "not_yet_seen")][-1] == 1
    assert got[("timeliness", "median_days")][-1] == 18
    # the contacts table lists the attempts as not reached, never as attendances
    assert got[("contacts_by_kind", "attended")][ATTEMPTED] == 0
    assert got[("contacts_by_kind", "not_reached")][ATTEMPTED] == 4
    assert got[("contacts_by_kind", "attended")][-1] == 1
    # nor do the laptop's anonymous totals of what stays on it count them as attended
    assert got[("unshared", "contacts")][-1] == 0


def test_an_attempt_a_merge_left_beside_did_not_attend_is_still_not_reached(
    tmp_path: Path,
) -> None:
    # casework refuses it, but the worker's two laptops can each make an allowed edit (one
    # turns a phone call into an attempt, the other records it missed) that merge into one
    with laptop_and_supervisor(tmp_path) as (laptop, sup, carry):
        shared = sharing_person(laptop, 1, REFERRED)
        hidden = participants.create_participant(
            laptop, given_name="Test", family_name="Unshared", referred_on=REFERRED
        ).value.id
        for pid in (shared, hidden):
            tried = contacts.record_attempted_contact(laptop, pid, at=dt.datetime(2026, 2, 3, 10))
            with laptop.store.write() as tx:  # as the merge leaves it
                row = tx.session.get_one(Contact, tried.value.id)
                tx.update(row, status=ContactStatus.DID_NOT_ATTEND.value)
        carry()
        got = figures(sup, Q1, dt.date(2026, 4, 2), audience="internal")
        with laptop.store.read() as s:
            month = monthly_counts(s, dt.date(2026, 4, 2))["2026-02"]

    assert got[("contacts_by_kind", "did_not_attend")][ATTEMPTED] == 0
    assert got[("contacts_by_kind", "not_reached")][ATTEMPTED] == 1
    # nor is it a did not attend in the laptop's anonymous totals of what stays on it
    assert (month["contacts"], month["did_not_attend"]) == (0, 0)
