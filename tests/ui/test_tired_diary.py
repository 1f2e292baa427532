"""The Diary at the end of a day: did not attend, booked again, for the right person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import person, schedule, settle
from shell_kit import call_casework

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.diary import week_start

pytestmark = pytest.mark.gui


def test_booking_again_after_did_not_attend_names_the_person_it_is_for(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    # last week: a Tuesday of this week is still to come on a Monday, and cannot be missed
    monday = week_start(dt.date.today()) - dt.timedelta(days=7)
    ailsa = person(qtbot, ui_session)
    brodie = person(qtbot, ui_session, "Brodie", "Samplewood")
    at = dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(10, 0))
    schedule(qtbot, ui_session, brodie.id, at + dt.timedelta(hours=2), venue="Craigbank Library")
    schedule(qtbot, ui_session, ailsa.id, at, venue="Craigbank Library")
    window.show_view("diary")
    diary = window.diary_view
    diary.show_week(monday)
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: diary.day_proxies[1].rowCount() == 2, timeout=20_000)
    diary.day_lists[1].setFocus()
    diary.day_lists[1].setCurrentIndex(diary.day_proxies[1].index(0, 0))
    assert "Ailsa" in diary.day_proxies[1].index(0, 0).data()
    monkeypatch.setattr(diary, "ask_schedule_again", lambda _entry: True)
    seen: dict[str, str] = {}

    def book_next_week(dialog: ContactDialog) -> None:
        seen["title"] = dialog.windowTitle()
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(book_next_week, kind=ContactDialog)
    qtbot.mouseClick(diary.dna_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["title"].startswith("Schedule contact — Ailsa Testington (")
    booked = call_casework(qtbot, ui_session, contacts.list_contacts, ailsa.id)
    assert len(booked) == 2
    assert {c.status for c in booked} == {ContactStatus.SCHEDULED, ContactStatus.DID_NOT_ATTEND}
    assert len(call_casework(qtbot, ui_session, contacts.list_contacts, brodie.id)) == 1
