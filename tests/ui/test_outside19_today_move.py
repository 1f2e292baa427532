"""Outside check 19: an appointment moved from Today, and a move half typed when it locks.

A worker most often learns that today's appointment must move while looking at Today (the
person rings in the morning). "Move booking…" was offered on the record's Timeline and in the
Diary, not on Today's list of the day's bookings: there the only choices were the outcomes,
and "cancelled" said the person cancelled. And a Move booking dialog half typed when the
vault locked was closed with nothing kept, where every other form keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal, today_at_a_booking, today_row_menu
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from screens_kit import person, schedule, settle, unlock_again
from shell_kit import FakeClock, call_casework, on_db_thread
from test_tired_outcome_note import answer_box

from linksdesk.casework import contacts
from linksdesk.core.changes import Changes
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import MoveBookingDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.diary import week_start

pytestmark = pytest.mark.gui

NAME = "Ailsa Testington"


def todays_row_menu(today: Any, section: str = "todays_section", model: int = 0) -> dict[str, Any]:
    """Right-click on the first row of "Today's contacts" (or another of Today's lists of
    bookings): its menu's actions by their words."""
    menu = today_row_menu(today, section, model)
    menu.close()
    return {a.text().replace("&", ""): a for a in menu.actions()}


def type_day(qtbot: Any, dialog: MoveBookingDialog, when: dt.datetime) -> None:
    at = dialog.widget("at")
    at.edit.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(at.edit, f"{when.day}/{when.month}/{when.year}")  # type: ignore[attr-defined]
    at.time_edit.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(at.time_edit, f"{when:%H:%M}")  # type: ignore[attr-defined]


def ok(qtbot: Any, dialog: MoveBookingDialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def move_to(qtbot: Any, action: Any, when: dt.datetime) -> dict[str, Any]:
    """Move booking… from a row's menu, the new day and time typed, OK pressed; what the
    dialog showed (its title) is in the state returned."""

    def moved(dialog: MoveBookingDialog) -> None:
        type_day(qtbot, dialog, when)
        ok(qtbot, dialog)

    state = on_modal(moved, kind=MoveBookingDialog)
    action.trigger()
    finished(qtbot, state)
    return state


def test_todays_booking_is_moved_from_todays_list(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who, booked, today = today_at_a_booking(qtbot, unlocked_window, ui_session)
    actions = todays_row_menu(today)
    assert "Move booking…" in actions, list(actions)
    later = dt.datetime.combine(dt.date.today() + dt.timedelta(days=9), dt.time(11, 30))
    state = move_to(qtbot, actions["Move booking…"], later)
    assert NAME in state["title"]  # a list of many people's bookings: the dialog names whose
    settle(qtbot, ui_session)
    (kept,) = [
        c
        for c in call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
        if c.id == booked.id
    ]
    assert (kept.status, kept.at) == (ContactStatus.SCHEDULED, later)
    # gone from today's list at once, not shown still due at its old time
    qtbot.waitUntil(lambda: today.todays_model.rowCount() == 0, timeout=20_000)


def test_a_move_half_typed_when_it_locks_is_kept_and_comes_back(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    who, booked, _today = today_at_a_booking(qtbot, window, ui_session)
    window.show_view("diary")
    diary = window.diary_view
    settle(qtbot, ui_session)
    column = diary.day_lists[dt.date.today().weekday()]
    column.setCurrentIndex(column.model().index(0, 0))
    later = dt.datetime.combine(dt.date.today() + dt.timedelta(days=12), dt.time(14))

    def typed_then_called_away(dialog: MoveBookingDialog) -> None:
        type_day(qtbot, dialog, later)
        dialog.set_values({"venue": "Community hub"})
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)

    state = on_modal(typed_then_called_away, kind=MoveBookingDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        qtbot.mouseClick(diary.move_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    unlock_again(qtbot, window, ui_session)
    drafts = on_db_thread(qtbot, ui_session, ui_session.require_casebook().drafts)
    (key,) = drafts
    assert key.startswith(f"form/{who.id}/MoveBookingDialog.")
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert "Move booking" in bar.said() and NAME in bar.said()

    seen: dict[str, Any] = {}

    def carried_on(dialog: MoveBookingDialog) -> None:
        seen["at"], seen["venue"] = dialog.values()["at"], dialog.values()["venue"]
        ok(qtbot, dialog)

    state = on_modal(carried_on, kind=MoveBookingDialog)
    bar.label.linkActivated.emit(key)  # the person's name, clicked
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert (seen["at"], seen["venue"]) == (later, "Community hub")
    (kept,) = [
        c
        for c in call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
        if c.id == booked.id
    ]
    assert (kept.status, kept.at, kept.venue) == (ContactStatus.SCHEDULED, later, "Community hub")
    assert on_db_thread(qtbot, ui_session, ui_session.require_casebook().drafts) == []
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=20_000)

    # the second time: a move kept again, then the booking cancelled meanwhile (on the other
    # laptop): its link asks before what was typed goes; Cancel keeps it, Discard lets it go
    timeline = window.participant_view.timeline
    timeline.select_id(booked.id)
    (move,) = [
        a
        for a in timeline.context_menu(timeline.current_item()).actions()
        if a.text().replace("&", "").startswith("Move booking")
    ]

    def again_then_called_away(dialog: MoveBookingDialog) -> None:
        type_day(qtbot, dialog, later + dt.timedelta(days=1))
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)

    state = on_modal(again_then_called_away, kind=MoveBookingDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        move.trigger()
    finished(qtbot, state)
    unlock_again(qtbot, window, ui_session)
    call_casework(qtbot, ui_session, contacts.record_outcome, booked.id, ContactStatus.CANCELLED)
    ui_session.sig_changed.emit(Changes())  # what the sync that brought it announces
    settle(qtbot, ui_session)
    for answer in (QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard):
        asked: dict[str, Any] = {}
        answer_box(answer, asked)
        bar.label.linkActivated.emit(key)
        qtbot.waitUntil(lambda asked=asked: "question" in asked, timeout=20_000)
        settle(qtbot, ui_session)
        assert "cannot be moved" in asked["question"]
        left = on_db_thread(qtbot, ui_session, ui_session.require_casebook().drafts)
        assert left == ([key] if answer is QMessageBox.StandardButton.Cancel else [])


def test_a_booking_later_this_week_is_moved_from_today(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    # Today as seen on a Wednesday still to come (its "Later this week": Thursday to Sunday)
    wednesday = week_start(dt.date.today()) + dt.timedelta(days=9)
    who = person(qtbot, ui_session, "Ailsa", "Testington")
    thursday = dt.datetime.combine(wednesday + dt.timedelta(days=1), dt.time(10))
    booked = schedule(qtbot, ui_session, who.id, thursday)
    today = unlocked_window.today_view
    today._today_override = wednesday
    today._now_override = dt.datetime.combine(wednesday, dt.time(9))
    unlocked_window.show_view("today")
    today.refresh()
    settle(qtbot, ui_session)
    assert [e.contact_id for e in today.week_model.rows()] == [booked.id]
    actions = todays_row_menu(today, "week_section", 1)
    assert {"Move booking…", "Record outcome: cancelled…"} <= set(actions), list(actions)
    later = thursday + dt.timedelta(days=7)
    state = move_to(qtbot, actions["Move booking…"], later)
    assert NAME in state["title"]
    settle(qtbot, ui_session)
    (kept,) = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert (kept.id, kept.status, kept.at) == (booked.id, ContactStatus.SCHEDULED, later)
    qtbot.waitUntil(lambda: today.week_model.rowCount() == 0, timeout=20_000)
