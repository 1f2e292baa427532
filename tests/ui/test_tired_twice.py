"""One meeting recorded twice by two routes (Today, then the record): asked, not counted twice."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, morning_of_a_booking, on_modal, stored
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox
from screens_kit import settle

from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog, OutcomeDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.participant_timeline import TimelineTab

pytestmark = pytest.mark.gui


def recorded_from_today(
    qtbot: Any, window: Any, session: UiSession, status: ContactStatus
) -> tuple[Any, Any]:
    """This morning's booking, its outcome recorded from Today (Record › Record outcome)."""
    who, booked = morning_of_a_booking(qtbot, session)
    window.show_view("today")
    today = window.today_view
    settle(qtbot, session)
    table = today.todays_section.table
    table.setFocus()
    table.setCurrentIndex(today.proxies[0].index(0, 0))

    def choose(dialog: OutcomeDialog) -> None:
        box = dialog.widget("status")
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(status))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    state = on_modal(choose, kind=OutcomeDialog)
    window.action_record_outcome.trigger()
    finished(qtbot, state)
    settle(qtbot, session)
    return who, booked


def record_contact_from_the_record(
    qtbot: Any, window: Any, session: UiSession, pid: str, status: ContactStatus
) -> None:
    """Later, on the person's record: Record contact…, the time left at now, OK."""
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(pid)

    def fill(dialog: ContactDialog) -> None:
        box = dialog.widget("status")
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(status))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    state = on_modal(fill, kind=ContactDialog)
    qtbot.mouseClick(window.participant_view.timeline.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, session)


@pytest.mark.parametrize("status", [ContactStatus.ATTENDED, ContactStatus.DID_NOT_ATTEND])
def test_a_meeting_recorded_from_today_then_from_the_record_is_asked_about_not_counted_twice(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any, status: ContactStatus
) -> None:
    window = unlocked_window
    # a did not attend recorded on Today is offered another appointment (not taken here)
    monkeypatch.setattr(window.today_view, "ask_schedule_again", lambda _entry: False)
    who, booked = recorded_from_today(qtbot, window, ui_session, status)
    asked: list[Any] = []
    monkeypatch.setattr(
        TimelineTab, "ask_record_again", lambda self, c: asked.append(c) or False, raising=False
    )
    record_contact_from_the_record(qtbot, window, ui_session, who.id, status)
    contact_list, use, _notes = stored(qtbot, ui_session, who.id)
    assert len(contact_list) == 4  # no second contact for the same meeting
    assert [c.id for c in asked] == [booked.id]  # the one already recorded is named
    mine = next(c for c in contact_list if c.id == booked.id)
    assert mine.status is status
    assert use.used == 4  # still "4 of 6", attended or missed alike

    # a second meeting the same morning that really happened: "Yes" records it
    monkeypatch.setattr(
        TimelineTab, "ask_record_again", lambda self, c: asked.append(c) or True, raising=False
    )
    record_contact_from_the_record(qtbot, window, ui_session, who.id, ContactStatus.ATTENDED)
    contact_list, use, _notes = stored(qtbot, ui_session, who.id)
    assert len(contact_list) == 5 and use.used == 5


def test_the_question_names_the_meeting_already_recorded(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, booked = recorded_from_today(qtbot, window, ui_session, ContactStatus.ATTENDED)
    seen: dict[str, str] = {}

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer_no)
            return
        seen["text"] = f"{box.windowTitle()}\n{box.text()}"
        seen["default"] = box.defaultButton().text().replace("&", "")
        box.button(QMessageBox.StandardButton.No).click()

    from PySide6.QtCore import QTimer

    def fill(dialog: ContactDialog) -> None:
        QTimer.singleShot(0, answer_no)
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    state = on_modal(fill, kind=ContactDialog)
    qtbot.mouseClick(window.participant_view.timeline.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    qtbot.waitUntil(lambda: "text" in seen, timeout=10_000)
    assert "already recorded" in seen["text"]
    assert f"{booked.at:%H:%M}" in seen["text"] and "attended" in seen["text"]
    assert seen["default"] == "No"
    contact_list, use, _notes = stored(qtbot, ui_session, who.id)
    assert len(contact_list) == 4 and use.used == 4
    assert ContactKind.APPOINTMENT.label in seen["text"]


def test_attempted_contact_clicked_twice_records_one_attempt(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    import threading

    from screens_kit import person

    window = unlocked_window
    who = person(qtbot, ui_session)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    button = window.participant_view.timeline.attempt_button
    asked: list[Any] = []
    monkeypatch.setattr(TimelineTab, "ask_record_again", lambda self, c: asked.append(c) or False)

    # a double click: the second click comes once the first attempt is on the timeline
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    session = ui_session
    settle(qtbot, session)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, session)
    contact_list, _use, _notes = stored(qtbot, session, who.id)
    assert [c.kind for c in contact_list] == [ContactKind.ATTEMPTED]
    assert [c.id for c in asked] == [contact_list[0].id]  # "already recorded" was asked

    # the vault busy: the second click comes before the first attempt is written
    other = person(qtbot, session, "Brodie", "Samplewood")
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(other.id)
    gate = threading.Event()
    session.runner.submit(lambda: gate.wait(20))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.wait(150)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    gate.set()
    settle(qtbot, session)
    contact_list, _use, _notes = stored(qtbot, session, other.id)
    assert [c.kind for c in contact_list] == [ContactKind.ATTEMPTED]

    # a real second try straight after (rang again): asked, and "Yes" records it
    monkeypatch.setattr(TimelineTab, "ask_record_again", lambda self, c: asked.append(c) or True)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, session)
    contact_list, _use, _notes = stored(qtbot, session, other.id)
    assert len(contact_list) == 2  # "Yes, another one" records it


def test_a_booking_still_to_come_cannot_be_recorded_as_attended_or_missed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The wrong row picked: next week's booking recorded as missed put a DNA in the figures."""
    import datetime as dt

    from screens_kit import person, schedule

    window = unlocked_window
    who = person(qtbot, ui_session)
    later = (dt.datetime.now() + dt.timedelta(days=7)).replace(hour=10, minute=0, second=0)
    booked = schedule(qtbot, ui_session, who.id, later, venue="Craigbank Library")
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    timeline = window.participant_view.timeline
    assert timeline.select_id(booked.id)
    seen: dict[str, Any] = {}

    def missed_then_cancelled(dialog: OutcomeDialog) -> None:
        box = dialog.widget("status")
        assert isinstance(box, QComboBox)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        for status in (ContactStatus.DID_NOT_ATTEND, ContactStatus.ATTENDED):
            box.setCurrentIndex(box.findData(status))
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
            seen[status] = (dialog.isVisible(), dialog.message.text())
        # cancelling ahead of time is what can be done now
        box.setCurrentIndex(box.findData(ContactStatus.CANCELLED))
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(missed_then_cancelled, kind=OutcomeDialog)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        qtbot.keyClick(timeline.table, Qt.Key.Key_Return)
    finished(qtbot, state)
    for status in (ContactStatus.DID_NOT_ATTEND, ContactStatus.ATTENDED):
        still_open, said = seen[status]
        assert still_open and "still to come" in said, said
    contact_list, use, _notes = stored(qtbot, ui_session, who.id)
    assert [c.status for c in contact_list] == [ContactStatus.CANCELLED]
    assert use.used == 0

    # Record contact… with next week's date and "attended" is refused the same way
    def next_week(dialog: ContactDialog) -> None:
        dialog.set_values({"at": later, "status": ContactStatus.ATTENDED})
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["record"] = (dialog.isVisible(), dialog.message.text())
        dialog.set_values({"at": later - dt.timedelta(days=8)})  # the day it really was
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(next_week, kind=ContactDialog)
    qtbot.mouseClick(timeline.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said = seen["record"]
    assert still_open and "still to come" in said, said
    contact_list, use, _notes = stored(qtbot, ui_session, who.id)
    assert len(contact_list) == 2 and use.used == 1
