"""Outside check 17: the Diary's own outcome buttons and next week's booking.

The user guide: "A contact on a later day can be cancelled ahead of time but not recorded as
attended or did not attend." Record outcome… and Record contact… hold to it (tests in
test_tired_twice.py); a tired worker in the Diary, a week ahead to see what is coming,
clicks **Did not attend** on the row chosen instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from screens_kit import person, schedule, settle
from shell_kit import call_casework

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def next_weeks_booking_chosen(qtbot: Any, window: Any, session: UiSession) -> tuple[Any, Any]:
    """Next week's booking, chosen in the Diary's week; returns the person and the Diary."""
    who = person(qtbot, session)
    later = (dt.datetime.now() + dt.timedelta(days=7)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    schedule(qtbot, session, who.id, later, venue="Craigbank Library")
    window.show_view("diary")
    diary = window.diary_view
    qtbot.mouseClick(diary.next_button, Qt.MouseButton.LeftButton)
    settle(qtbot, session)
    (day_list,) = [v for v in diary.day_lists if v.model().rowCount()]
    day_list.setFocus()
    qtbot.keyClick(day_list, Qt.Key.Key_Down)  # the keyboard chooses the row
    assert "Ailsa Testington" in diary.selected_label.text()
    return who, diary


@pytest.mark.parametrize(
    "button", ["attended_button", "dna_button"], ids=["attended", "did-not-attend"]
)
def test_next_weeks_booking_cannot_be_recorded_from_the_diary_buttons(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, button: str, monkeypatch: Any
) -> None:
    who, diary = next_weeks_booking_chosen(qtbot, unlocked_window, ui_session)
    offered: list[Any] = []  # "did not attend. Offer another appointment?" (answered no)
    monkeypatch.setattr(diary, "ask_schedule_again", lambda e: offered.append(e) or False)
    qtbot.mouseClick(getattr(diary, button), Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    got = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert [c.status for c in got] == [ContactStatus.SCHEDULED]
    assert "still to come" in diary.message.text()
    assert offered == []  # no second appointment offered for one not missed
    use = call_casework(qtbot, ui_session, contacts.appointment_use, who.id)
    assert use.used == 1  # the booking, counted once as booked


def test_next_weeks_booking_can_still_be_cancelled_from_the_diary(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who, diary = next_weeks_booking_chosen(qtbot, unlocked_window, ui_session)
    qtbot.mouseClick(diary.cancelled_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    got = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert [c.status for c in got] == [ContactStatus.CANCELLED]
