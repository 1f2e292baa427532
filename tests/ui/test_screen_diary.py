"""Diary: a week of contacts by day; an outcome in one step; did not attend offers a new one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from screens_kit import person, schedule, settle
from shell_kit import call_casework

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.views.diary import DiaryView, week_start

pytestmark = pytest.mark.gui


def test_diary_places_contacts_by_day_and_records_outcomes(
    qtbot: Any, unlocked: Any, monkeypatch: Any, qtmodeltester: Any
) -> None:
    # last week: a Wednesday of this week may be still to come, and cannot be missed
    monday = week_start(dt.date.today()) - dt.timedelta(days=7)
    ailsa = person(qtbot, unlocked)
    wednesday = dt.datetime.combine(monday + dt.timedelta(days=2), dt.time(10, 0))
    schedule(qtbot, unlocked, ailsa.id, wednesday, venue="Craigbank Library")
    view = DiaryView(unlocked)
    qtbot.addWidget(view)
    unlocked.sig_changed.connect(view.on_changes)
    with qtbot.waitSignal(view.sig_week_shown, timeout=20_000):
        view.show_week(monday)
    counts = [p.rowCount() for p in view.day_proxies]
    assert counts == [0, 0, 1, 0, 0, 0, 0]
    assert "(1)" in view.day_labels[2].text()
    assert "Ailsa Testington" in view.day_proxies[2].index(0, 0).data()
    qtmodeltester.check(view.model)
    for p in view.day_proxies:
        qtmodeltester.check(p)

    # did not attend, then the offer to schedule again (accepted, dialog answered)
    view.day_lists[2].setCurrentIndex(view.day_proxies[2].index(0, 0))
    assert view.dna_button.isEnabled()
    offered: list[Any] = []
    monkeypatch.setattr(view, "ask_schedule_again", lambda e: offered.append(e) or True)
    again = wednesday + dt.timedelta(days=7)
    monkeypatch.setattr(
        ContactDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, schedule=False, prefill=None: {
                **prefill,
                "at": again,
                "minutes": None,
            }
        ),
    )
    view.dna_button.click()
    settle(qtbot, unlocked)
    assert [e.contact_id for e in offered] and offered[0].participant_id == ailsa.id
    listed = call_casework(qtbot, unlocked, contacts.list_contacts, ailsa.id)
    assert sorted((c.at, c.status) for c in listed) == [
        (wednesday, ContactStatus.DID_NOT_ATTEND),
        (again, ContactStatus.SCHEDULED),
    ]
    assert listed[0].kind is ContactKind.APPOINTMENT and listed[0].venue == "Craigbank Library"
    settle(qtbot, unlocked)
    assert "Did not attend" in view.day_proxies[2].index(0, 0).data()

    # next week shows the new appointment
    with qtbot.waitSignal(view.sig_week_shown, timeout=20_000):
        view.next_button.click()
    assert [p.rowCount() for p in view.day_proxies] == [0, 0, 1, 0, 0, 0, 0]
    view.clear()
    assert view.model.rowCount() == 0 and not view.attended_button.isEnabled()


def test_an_attempt_recorded_from_the_record_offers_no_outcome_in_the_diary(
    qtbot: Any, unlocked: Any
) -> None:
    # a tired worker picks the unanswered call in the Diary and presses Did not attend:
    # the call was stored as a missed booking, and counted as one
    ailsa = person(qtbot, unlocked)
    now = dt.datetime.now().replace(second=0, microsecond=0)
    call_casework(qtbot, unlocked, contacts.record_attempted_contact, ailsa.id, at=now)
    view = DiaryView(unlocked)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.sig_week_shown, timeout=20_000):
        view.refresh()
    column = now.weekday()
    view.day_lists[column].setCurrentIndex(view.day_proxies[column].index(0, 0))
    buttons = (view.attended_button, view.dna_button, view.cancelled_button)
    assert [b.isEnabled() for b in buttons] == [False, False, False]
    assert "Not reached — an attempted contact has no outcome" in view.selected_label.text()
    view.record(ContactStatus.DID_NOT_ATTEND)  # the keyboard's way round the buttons
    settle(qtbot, unlocked)
    (kept,) = call_casework(qtbot, unlocked, contacts.list_contacts, ailsa.id)
    assert (kept.kind, kept.status) == (ContactKind.ATTEMPTED, ContactStatus.ATTENDED)


def test_a_long_name_wraps_in_its_day_without_a_sideways_scroll_bar(
    qtbot: Any, unlocked: Any
) -> None:
    """A long single-word surname (a day column is a seventh of the window) put a sideways
    scroll bar under its day and hid the end of the next booking's line."""
    monday = week_start(dt.date.today()) - dt.timedelta(days=7)
    long = person(qtbot, unlocked, "Anastasia", "Christodoulopoulou")
    other = person(qtbot, unlocked)
    tuesday = dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(9, 30))
    schedule(qtbot, unlocked, long.id, tuesday, venue="Craigbank Community Library")
    schedule(qtbot, unlocked, other.id, tuesday + dt.timedelta(hours=1), venue="By phone")
    view = DiaryView(unlocked)
    qtbot.addWidget(view)
    view.resize(1000, 700)  # a 1200-pixel window, less the sidebar
    view.show()
    with qtbot.waitSignal(view.sig_week_shown, timeout=20_000):
        view.show_week(monday)
    qtbot.wait(50)
    day = view.day_lists[1]
    assert view.day_proxies[1].rowCount() == 2
    assert not day.horizontalScrollBar().isVisible()
    # each booking's line is whole in its column: none wider than the day's list
    widths = [day.visualRect(view.day_proxies[1].index(r, 0)).width() for r in range(2)]
    assert max(widths) <= day.viewport().width()
    # a wider window: the bookings take the room (laid out again, fewer lines each)
    tall = day.visualRect(view.day_proxies[1].index(0, 0)).height()
    view.resize(1400, 700)
    qtbot.waitUntil(lambda: day.visualRect(view.day_proxies[1].index(0, 0)).height() < tall)
    assert day.visualRect(view.day_proxies[1].index(0, 0)).width() > max(widths)
