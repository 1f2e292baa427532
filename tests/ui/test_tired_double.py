"""Asked twice while the vault is busy: one booking, one outcome dialog, one offer to book again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import morning_of_a_booking, today_at_a_booking
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from screens_kit import person, schedule, settle
from shell_kit import call_casework
from test_tired_saves import busy_vault

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import OutcomeDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.diary import week_start

pytestmark = pytest.mark.gui


def ok_each_outcome_dialog() -> tuple[list[OutcomeDialog], list[bool]]:
    """Every Record outcome dialog that opens is answered OK at once: (those seen, a flag
    to empty to stop watching)."""
    opened: list[OutcomeDialog] = []

    def poll() -> None:
        up = QApplication.activeModalWidget()
        if isinstance(up, OutcomeDialog) and up not in opened:
            opened.append(up)
            up.buttons.button(up.buttons.StandardButton.Ok).click()
        if len(opened) < 3 and watching:
            QTimer.singleShot(20, poll)

    watching = [True]
    QTimer.singleShot(0, poll)
    return opened, watching


def pressed_twice(qtbot: Any, session: UiSession, press: Any) -> None:
    """``press()`` twice while the vault is busy: the first has not come back yet."""
    with busy_vault(session):
        press()
        qtbot.wait(100)
        press()
    settle(qtbot, session)
    qtbot.wait(500)
    settle(qtbot, session)


def test_record_outcome_asked_twice_on_today_opens_one_dialog(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, booked, _today = today_at_a_booking(qtbot, window, ui_session)
    opened, watching = ok_each_outcome_dialog()
    pressed_twice(qtbot, ui_session, window.action_record_outcome.trigger)
    watching.clear()
    assert len(opened) == 1
    listed = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert next(c for c in listed if c.id == booked.id).status is ContactStatus.ATTENDED


def test_enter_twice_on_the_booked_row_of_the_record_asks_once(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, booked = morning_of_a_booking(qtbot, ui_session)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    timeline = window.participant_view.timeline
    assert timeline.select_id(booked.id)
    timeline.table.setFocus()
    opened, watching = ok_each_outcome_dialog()
    pressed_twice(qtbot, ui_session, lambda: qtbot.keyClick(timeline.table, Qt.Key.Key_Return))
    watching.clear()
    assert len(opened) == 1
    listed = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert next(c for c in listed if c.id == booked.id).status is ContactStatus.ATTENDED


def test_did_not_attend_clicked_twice_in_the_diary_offers_one_booking_again(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    ailsa = person(qtbot, ui_session)
    # last week's Tuesday: this week's is still to come on a Monday, and cannot be missed
    monday = week_start(dt.date.today()) - dt.timedelta(days=7)
    at = dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(10))
    schedule(qtbot, ui_session, ailsa.id, at)
    window.show_view("diary")
    diary = window.diary_view
    diary.show_week(monday)
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: diary.day_proxies[1].rowCount() == 1, timeout=20_000)
    diary.day_lists[1].setCurrentIndex(diary.day_proxies[1].index(0, 0))
    offers: list[Any] = []
    monkeypatch.setattr(diary, "ask_schedule_again", lambda e: offers.append(e) or False)
    with busy_vault(ui_session):
        qtbot.mouseClick(diary.dna_button, Qt.MouseButton.LeftButton)
        qtbot.wait(100)
        qtbot.mouseClick(diary.dna_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    assert len(offers) == 1
