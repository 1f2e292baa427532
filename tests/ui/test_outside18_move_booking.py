"""Outside check 18: an appointment moved to another day, from the record and from the Diary.

casework has an edit for contacts, but the window offered none: a moved appointment had to
be recorded as cancelled and booked again, so the person's record and the figures said they
cancelled when they did not. "Move booking…" moves the booking itself (the same contact, a
change in the audit log as any edit), refused before its dialog closes when casework would
refuse what is typed (a venue pasted whole), and not offered for a contact whose outcome is
recorded or that is entered in error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import contact_menu, finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import person, schedule, settle
from shell_kit import call_casework
from sqlalchemy import select

from linksdesk.casework import contacts
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ContactStatus
from linksdesk.storage.tables import AuditEvent
from linksdesk.ui.dialogs import contact as contact_dialogs
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

MOVE = "Move booking"


def changes_to(cb: Casebook, contact_id: str) -> list[str]:
    with cb.store.read() as s:
        return list(
            s.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.entity == "contact", AuditEvent.entity_id == contact_id
                )
            )
        )


def offered(menu: Any) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if a.text()]


def move_to(qtbot: Any, when: dt.datetime, venue: str, seen: dict[str, Any]) -> Any:
    def fill(dialog: Any) -> None:
        at = dialog.widget("at")
        at.edit.clear()
        qtbot.keyClicks(at.edit, f"{when.day}/{when.month}/{when.year}")
        at.time_edit.clear()
        qtbot.keyClicks(at.time_edit, f"{when:%H:%M}")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        dialog.set_values({"venue": "x" * 300})  # a whole address pasted: too long to keep
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["refused"] = (dialog.isVisible(), dialog.message.text())
        dialog.set_values({"venue": venue})
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    return on_modal(fill, kind=contact_dialogs.MoveBookingDialog)


def test_a_booking_is_moved_from_the_record_not_cancelled_and_booked_again(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who = person(qtbot, ui_session)
    first = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(10))
    booked = schedule(qtbot, ui_session, who.id, first, venue="Library")
    menu = contact_menu(qtbot, unlocked_window, who.id, booked.id)
    (action,) = [a for text, a in menu.items() if text.startswith(MOVE)]
    later = first + dt.timedelta(days=5, hours=4)
    seen: dict[str, Any] = {}
    state = move_to(qtbot, later, "Community hub", seen)
    action.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said = seen["refused"]
    assert still_open and "Venue" in said, said
    (moved,) = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert (moved.id, moved.status, moved.at, moved.venue) == (
        booked.id,
        ContactStatus.SCHEDULED,
        later,
        "Community hub",
    )
    actions = call_casework(qtbot, ui_session, changes_to, booked.id)
    assert actions.count("change") == 1, actions


def test_a_booking_is_moved_from_the_diary_into_another_week(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who = person(qtbot, ui_session)
    first = dt.datetime.combine(dt.date.today(), dt.time(23, 30))
    booked = schedule(qtbot, ui_session, who.id, first)
    window = unlocked_window
    window.go_actions["diary"].trigger()
    diary = window.diary_view
    settle(qtbot, ui_session)
    column = diary.day_lists[dt.date.today().weekday()]
    column.setCurrentIndex(column.model().index(0, 0))
    assert diary.move_button.isEnabled()
    later = first + dt.timedelta(days=14)
    seen: dict[str, Any] = {}
    state = move_to(qtbot, later, "Health centre", seen)
    qtbot.mouseClick(diary.move_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["refused"][0]
    (moved,) = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert (moved.id, moved.status, moved.at) == (booked.id, ContactStatus.SCHEDULED, later)
    # gone from this week's column, without the week being loaded again by hand
    assert column.model().rowCount() == 0


def test_a_contact_already_recorded_or_in_error_is_not_moved(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who = person(qtbot, ui_session)
    at = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(10))
    seen_one = schedule(qtbot, ui_session, who.id, at)
    call_casework(qtbot, ui_session, contacts.record_outcome, seen_one.id, ContactStatus.ATTENDED)
    wrong = schedule(qtbot, ui_session, who.id, at + dt.timedelta(days=3))
    call_casework(qtbot, ui_session, contacts.mark_in_error, wrong.id, "booked on the wrong person")
    view = unlocked_window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        unlocked_window.open_participant(who.id)
    timeline = view.timeline
    for contact in (seen_one, wrong):
        timeline.select_id(contact.id)
        assert not any(
            t.startswith(MOVE) for t in offered(timeline.context_menu(timeline.current_item()))
        )
    # and casework itself refuses, whatever way it is asked (a stale window, a second laptop)
    for contact in (seen_one, wrong):
        with pytest.raises(Exception) as refused:
            call_casework(
                qtbot, ui_session, contacts.move_booking, contact.id, at=at + dt.timedelta(days=9)
            )
        assert "booked" in str(refused.value) or "error" in str(refused.value)
