"""Today screen: every list fills from the vault, rows open the person, lock clears it all."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from screens_kit import goal, person, resource, schedule, settle, texts
from shell_kit import call_casework

from linksdesk.casework import onward, participants
from linksdesk.core.vocab import OnwardKind, OnwardStatus
from linksdesk.ui.views.today import TodayView

pytestmark = pytest.mark.gui


def test_today_lists_contacts_reviews_waiting_referrals_and_people_not_seen(
    qtbot: Any, unlocked: Any, qtmodeltester: Any
) -> None:
    today = dt.date.today()
    ailsa = person(qtbot, unlocked, "Ailsa", "Testington")
    schedule(qtbot, unlocked, ailsa.id, dt.datetime.combine(today, dt.time(10, 30)), venue="Hub")
    schedule(
        qtbot, unlocked, ailsa.id, dt.datetime.combine(today + dt.timedelta(days=3), dt.time(9))
    )
    goal(qtbot, unlocked, ailsa.id, "Get out of the house more", review_on=today)
    place = resource(qtbot, unlocked, "Craigbank Library", "Digital drop-in")
    call_casework(
        qtbot,
        unlocked,
        onward.refer_onward,
        ailsa.id,
        place.id,
        OnwardKind.REFERRAL,
        status=OnwardStatus.MADE,
    )
    brodie = call_casework(
        qtbot,
        unlocked,
        participants.create_participant,
        given_name="Brodie",
        family_name="Samplewood",
        referred_on=today - dt.timedelta(weeks=10),
    ).value

    view = TodayView(unlocked)
    qtbot.addWidget(view)
    view._now_override = dt.datetime.combine(today, dt.time(8, 0))
    view.refresh()
    settle(qtbot, unlocked)

    assert texts(view.todays_model) == ["10:30"]
    assert "Ailsa Testington" in view.todays_model.index(0, 1).data()
    # the later contact shows under "later this week" only when it is this week's day
    in_this_week = today.weekday() + 3 <= 6
    assert view.week_model.rowCount() == (1 if in_this_week else 0)
    assert texts(view.reviews_model, 2) == ["Get out of the house more"]
    assert texts(view.awaiting_model, 2) == ["Craigbank Library — Digital drop-in"]
    assert brodie.programme_id in " ".join(texts(view.not_seen_model, 2))
    assert "door is always open" in view.not_seen_section.subtitle.text()
    assert not view.conflicts_section.isVisible()
    for m in view.models + view.proxies:
        qtmodeltester.check(m)

    # Enter on a row opens that person's record
    with qtbot.waitSignal(view.sig_open_participant) as opened:
        view.todays_section.table.activated.emit(view.proxies[0].index(0, 1))
    assert opened.args == [ailsa.id]

    # lock: every row of personal data goes
    view.clear()
    assert all(m.rowCount() == 0 for m in view.models)


def test_today_shows_a_past_contact_without_outcome_as_a_follow_up(
    qtbot: Any, unlocked: Any
) -> None:
    today = dt.date.today()
    ailsa = person(qtbot, unlocked)
    when = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(14, 0))
    schedule(qtbot, unlocked, ailsa.id, when)
    view = TodayView(unlocked)
    qtbot.addWidget(view)
    view.refresh()
    settle(qtbot, unlocked)
    assert view.follow_model.rowCount() == 1
    assert view.follow_model.index(0, 3).data() == "Record the outcome"
