"""A tired worker types dates as they would write them: each is kept as meant, or refused
with the dialog still open; none is silently turned into another day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal, stored
from PySide6.QtCore import Qt
from screens_kit import on_record_tab, settle, unlock_again
from shell_kit import FakeClock, call_casework, on_db_thread

from linksdesk.casework import lists, participants
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.ui.date_field import DateField
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def everyone(qtbot: Any, session: UiSession) -> set[str]:
    query = CaseloadQuery(include_closed=True)
    return set(call_casework(qtbot, session, lists.caseload_ids, query))


def type_into(qtbot: Any, field: Any, text: str) -> None:
    line = field.edit if isinstance(field, DateField) else field
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)


@pytest.mark.parametrize("typed", ["14/03/1958", "14 Mar 1958", "14/3/58", "140358"])
def test_a_date_of_birth_typed_into_the_empty_field_is_saved_as_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, typed: str
) -> None:
    before = everyone(qtbot, ui_session)
    seen: dict[str, str] = {}

    def fill(dialog: ParticipantDialog) -> None:
        type_into(qtbot, dialog.widget("given_name"), "Ailsa")
        type_into(qtbot, dialog.widget("family_name"), "Testperson")
        birth = dialog.widget("date_of_birth")
        type_into(qtbot, birth, typed)
        seen["reading"] = birth.reading.text()
        qtbot.keyClick(birth.edit, Qt.Key.Key_Tab)  # typing ends: written out in full
        seen["shown"] = birth.edit.text()
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    state = on_modal(fill, kind=ParticipantDialog)
    with qtbot.waitSignal(unlocked_window.participant_view.sig_loaded, timeout=20_000):
        unlocked_window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    (new,) = everyone(qtbot, ui_session) - before
    saved = call_casework(qtbot, ui_session, participants.get_participant, new)
    assert saved.date_of_birth == dt.date(1958, 3, 14)
    assert seen["reading"] == "Friday 14 March 1958"
    assert seen["shown"] == "14 Mar 1958"


def test_a_date_it_cannot_read_keeps_the_dialog_open_with_the_words_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    before = everyone(qtbot, ui_session)
    seen: dict[str, Any] = {}

    def fill(dialog: ParticipantDialog) -> None:
        type_into(qtbot, dialog.widget("given_name"), "Ailsa")
        type_into(qtbot, dialog.widget("family_name"), "Testperson")
        birth = dialog.widget("date_of_birth")
        type_into(qtbot, birth, "14/13/1958")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        ok.click()
        seen["open"] = dialog.isVisible()
        seen["message"] = dialog.message.text()
        seen["kept"] = birth.edit.text()
        seen["reading"] = birth.reading.text()
        type_into(qtbot, birth, "14/3/1958")  # put right, then saved
        ok.click()

    state = on_modal(fill, kind=ParticipantDialog)
    with qtbot.waitSignal(unlocked_window.participant_view.sig_loaded, timeout=20_000):
        unlocked_window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["open"] and seen["kept"] == "14/13/1958"
    assert seen["message"].startswith("Date of birth: ")
    assert "not a date" in seen["message"] and "not a date" in seen["reading"]
    (new,) = everyone(qtbot, ui_session) - before
    saved = call_casework(qtbot, ui_session, participants.get_participant, new)
    assert saved.date_of_birth == dt.date(1958, 3, 14)


def test_the_calendar_writes_the_day_picked_and_an_emptied_field_holds_no_date(
    qtbot: Any,
) -> None:
    field = DateField(dt.date(2026, 3, 9))
    qtbot.addWidget(field)
    calendar = field.calendarWidget()
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 3)
    calendar.clicked.emit(calendar.selectedDate().addDays(2))  # as a click on the 11th
    assert field.value() == dt.date(2026, 3, 11) and field.edit.text() == "11 Mar 2026"
    field.edit.clear()
    assert field.value() is None and field.problem() is None


def next_week_on(days: int = 9) -> dt.date:
    return dt.date.today() + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("day", "time"),
    [
        ("{d:%a} {d.day} {d:%b %Y} 14:00", None),  # all in the day's box, as it is shown
        ("{d.day}/{d.month}/{d.year}", "2pm"),
        ("{d.day}/{d.month} 2pm", None),
    ],
)
def test_a_booking_typed_by_keyboard_is_made_for_the_day_and_time_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, day: str, time: str | None
) -> None:
    """Qt's date-time section editor took "Wed 9 Dec 2026 14:00" typed over When as
    Wed 2 Dec at 20:26, and "9/12/2026 14:00" as nothing at all: the booking kept the
    time the dialog opened with, and nothing said so."""
    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "timeline")
    meant = dt.datetime.combine(next_week_on(), dt.time(14, 0))
    seen: dict[str, str] = {}

    def fill(dialog: ContactDialog) -> None:
        when = dialog.widget("at")
        type_into(qtbot, when, day.format(d=meant))
        if time is not None:
            type_into(qtbot, when.time_edit, time)
        seen["reading"] = when.reading.text()
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    state = on_modal(fill, kind=ContactDialog)
    window.participant_view.timeline.schedule_contact()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    (booked,), _use, _notes = stored(qtbot, ui_session, who.id)
    assert booked.at == meant
    assert seen["reading"] == f"{meant:%A} {meant.day} {meant:%B %Y} at 14:00"


def test_a_time_it_cannot_read_keeps_the_booking_open_and_says_why(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "timeline")
    seen: dict[str, Any] = {}

    def fill(dialog: ContactDialog) -> None:
        when = dialog.widget("at")
        type_into(qtbot, when.time_edit, "25:00")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        ok.click()
        seen["open"], seen["message"] = dialog.isVisible(), dialog.message.text()
        seen["kept"] = when.time_edit.text()
        type_into(qtbot, when.time_edit, "11:30")
        ok.click()

    state = on_modal(fill, kind=ContactDialog)
    window.participant_view.timeline.schedule_contact()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["open"] and seen["kept"] == "25:00"
    assert seen["message"] == "When: There is no such time. Type it as 14:30."
    (booked,), _use, _notes = stored(qtbot, ui_session, who.id)
    assert booked.at.time() == dt.time(11, 30)


def test_a_booking_half_typed_at_the_lock_comes_back_with_its_day_and_time_as_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    on_record_tab(qtbot, window, ui_session, "timeline")

    def called_away(dialog: ContactDialog) -> None:
        when = dialog.widget("at")
        type_into(qtbot, when, "Thurs")  # not finished: no day read yet
        type_into(qtbot, when.time_edit, "2pm")
        type_into(qtbot, dialog.widget("venue"), "Craigbank Library")
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)

    state = on_modal(called_away, kind=ContactDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.participant_view.timeline.schedule_contact()
    finished(qtbot, state)
    unlock_again(qtbot, window, ui_session)
    (key,) = on_db_thread(qtbot, ui_session, ui_session.require_casebook().drafts)
    seen: dict[str, str] = {}

    def look(dialog: ContactDialog) -> None:
        when = dialog.widget("at")
        seen.update(day=when.edit.text(), time=when.time_edit.text())
        seen["venue"] = dialog.widget("venue").text()
        dialog.done(0)

    state = on_modal(look, kind=ContactDialog)
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    bar.label.linkActivated.emit(key)
    finished(qtbot, state)
    assert seen == {"day": "Thurs", "time": "2pm", "venue": "Craigbank Library"}
