"""A booked contact's outcome, recorded once where the worker is: Timeline, Today, Diary."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import Keys, finished, morning_of_a_booking, on_modal, stored, today_row_menu
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QMenu
from screens_kit import schedule, settle

from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog, OutcomeDialog
from linksdesk.ui.views.diary import DiaryView
from linksdesk.ui.views.participant import ParticipantView
from linksdesk.ui.views.participant_timeline import TimelineTab
from linksdesk.ui.views.today import TodayView

pytestmark = pytest.mark.gui

NAME = "Ailsa Testington"


def open_view(qtbot: Any, session: Any, pid: str) -> ParticipantView:
    view = ParticipantView(session)
    qtbot.addWidget(view)
    session.sig_changed.connect(view.on_changes)
    view.resize(1200, 780)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(pid)
    return view


def select_row(view: ParticipantView, row_id: str) -> Any:
    assert view.timeline.select_id(row_id)
    return view.timeline.table.currentIndex()


def ok_button(dialog: Any) -> Any:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_enter_on_the_booked_row_records_it_once_with_its_note(qtbot: Any, unlocked: Any) -> None:
    who, booked = morning_of_a_booking(qtbot, unlocked)
    view = open_view(qtbot, unlocked, who.id)
    assert "4 of 6" in view.appointments_label.text()
    select_row(view, booked.id)
    view.timeline.table.setFocus()
    keys = Keys(qtbot)
    seen: dict[str, Any] = {}

    def fill(dialog: OutcomeDialog) -> None:
        seen["limit"] = dialog.limit_label.text()
        seen["focus"] = QApplication.focusWidget() is dialog.note_edit
        keys.type("Talked about the walking group.\nWill try Tuesday's walk.")
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    state = on_modal(fill, kind=OutcomeDialog)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        keys.press(Qt.Key.Key_Return, widget=view.timeline.table)
    finished(qtbot, state)
    assert NAME in state["title"] and state["title"].startswith("Record outcome")
    assert seen == {"limit": "This will be the 4th of 6 appointments.", "focus": True}

    contact_list, use, note_list = stored(qtbot, unlocked, who.id)
    assert len(contact_list) == 4  # recorded once: no second contact beside the booking
    mine = next(c for c in contact_list if c.id == booked.id)
    assert (mine.status, mine.minutes) == (ContactStatus.ATTENDED, 45)
    assert use.used == 4  # count unchanged
    assert [(n.contact_id, n.text) for n in note_list] == [
        (booked.id, "Talked about the walking group.\nWill try Tuesday's walk.")
    ]
    # the saved note says which contact it is about
    settle(qtbot, unlocked)
    note_row = view.timeline.model.row_of_id(note_list[0].id)
    assert "About: Appointment" in view.timeline.model.row_at(note_row).detail
    view.timeline.select_id(note_list[0].id)
    qtbot.waitUntil(lambda: "About:" in view.timeline.detail.toPlainText())
    assert "Craigbank Library" in view.timeline.detail.toPlainText()
    assert "Attended" in view.timeline.detail.toPlainText()


def test_double_click_records_did_not_attend_by_mouse(
    qtbot: Any, unlocked: Any, monkeypatch: Any
) -> None:
    who, booked = morning_of_a_booking(qtbot, unlocked)
    view = open_view(qtbot, unlocked, who.id)
    offered: list[Any] = []
    monkeypatch.setattr(TimelineTab, "ask_schedule_again", lambda self, c: offered.append(c))
    index = select_row(view, booked.id)

    def by_mouse(dialog: OutcomeDialog) -> None:
        box = dialog.widget("status")
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(ContactStatus.DID_NOT_ATTEND))
        assert not dialog.widget("minutes").isEnabled()  # no time spent together
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    state = on_modal(by_mouse, kind=OutcomeDialog)
    rect = view.timeline.table.visualRect(index)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        viewport = view.timeline.table.viewport()
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    finished(qtbot, state)
    contact_list, use, note_list = stored(qtbot, unlocked, who.id)
    mine = next(c for c in contact_list if c.id == booked.id)
    assert (len(contact_list), mine.status, mine.minutes) == (4, ContactStatus.DID_NOT_ATTEND, None)
    assert use.used == 4 and note_list == []
    assert [c.id for c in offered] == [booked.id]  # and another appointment is offered


def test_context_menu_records_cancelled(qtbot: Any, unlocked: Any) -> None:
    who, booked = morning_of_a_booking(qtbot, unlocked)
    view = open_view(qtbot, unlocked, who.id)
    index = select_row(view, booked.id)
    table = view.timeline.table
    pos = table.visualRect(index).center()
    QApplication.sendEvent(
        table.viewport(),
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, table.viewport().mapToGlobal(pos)),
    )
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert texts == [
        "Record outcome: attended…",
        "Record outcome: did not attend…",
        "Record outcome: cancelled…",
        "Move booking…",  # the booking itself moved, not cancelled and booked again
        "",  # a separator, then what puts a mistake right
        "Entered in error…",
    ]
    state = on_modal(
        lambda d: qtbot.keyClick(
            d.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    )
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        menu.actions()[2].trigger()
        menu.close()
    finished(qtbot, state)
    contact_list, use, _notes = stored(qtbot, unlocked, who.id)
    assert next(c for c in contact_list if c.id == booked.id).status is ContactStatus.CANCELLED
    assert len(contact_list) == 4 and use.used == 3  # a cancelled appointment was never used


def test_record_contact_near_a_booking_offers_it(
    qtbot: Any, unlocked: Any, monkeypatch: Any
) -> None:
    who, booked = morning_of_a_booking(qtbot, unlocked)
    view = open_view(qtbot, unlocked, who.id)
    offers: list[str] = []
    monkeypatch.setattr(TimelineTab, "ask_use_booking", lambda self, c: offers.append(c.id) or True)
    state = on_modal(
        lambda d: (
            qtbot.keyClicks(d.note_edit, "Short catch-up."),
            qtbot.keyClick(d.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier),
        ),
        kind=OutcomeDialog,
    )
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.mouseClick(view.timeline.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    assert offers == [booked.id]
    contact_list, use, note_list = stored(qtbot, unlocked, who.id)
    assert len(contact_list) == 4 and use.used == 4  # was 5 of 6 with a duplicate
    assert [n.contact_id for n in note_list] == [booked.id]

    # a time chosen in the dialog near another booking (yesterday's, never recorded)
    # (at noon: the same day twenty minutes on, whatever the hour the test runs at)
    yesterday = dt.datetime.combine(booked.at.date() - dt.timedelta(days=1), dt.time(12, 0))
    missed = schedule(qtbot, unlocked, who.id, yesterday)
    settle(qtbot, unlocked)
    monkeypatch.setattr(
        ContactDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, schedule=False, prefill=None: {
                "kind": "appointment",
                "status": ContactStatus.ATTENDED,
                "at": yesterday + dt.timedelta(minutes=20),
                "minutes": 30,
                "venue": None,
                "purpose": None,
            }
        ),
    )
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.timeline.record_contact()
    assert offers == [booked.id, missed.id]
    contact_list, use, _n = stored(qtbot, unlocked, who.id)
    assert len(contact_list) == 5 and use.used == 5
    mine = next(c for c in contact_list if c.id == missed.id)
    assert (mine.status, mine.minutes) == (ContactStatus.ATTENDED, 30)


def test_the_limit_shows_seventh_of_six_before_saving(qtbot: Any, unlocked: Any) -> None:
    from shell_kit import call_casework

    from linksdesk.casework import contacts

    who, _booked = morning_of_a_booking(qtbot, unlocked)
    for days in (1, 2):
        call_casework(
            qtbot,
            unlocked,
            contacts.record_contact,
            who.id,
            kind="appointment",
            at=dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=days),
        )
    view = open_view(qtbot, unlocked, who.id)
    assert "6 of 6" in view.appointments_label.text()
    dialog = ContactDialog(False, parent=view.timeline)
    qtbot.addWidget(dialog)
    assert NAME in dialog.windowTitle()
    assert "7th of 6" in dialog.limit_label.text() and "over" in dialog.limit_label.text()
    kind = dialog.widget("kind")
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData("supported_visit"))
    assert dialog.limit_label.text() == "Does not count towards the appointment limit."


def test_today_lists_record_outcomes(qtbot: Any, unlocked: Any) -> None:
    who, booked = morning_of_a_booking(qtbot, unlocked)
    past = schedule(qtbot, unlocked, who.id, booked.at - dt.timedelta(days=2))
    view = TodayView(unlocked)
    qtbot.addWidget(view)
    # the did-not-attend below is offered another appointment (not taken here)
    view.ask_schedule_again = lambda _entry: False  # type: ignore[method-assign]
    unlocked.sig_changed.connect(view.on_changes)
    view.show()
    view.refresh()
    settle(qtbot, unlocked)
    assert view.todays_model.rowCount() == 1 and view.follow_model.rowCount() == 1

    # "Today's contacts": the context menu of the row (mouse)
    menu = today_row_menu(view, "todays_section", 0)
    state = on_modal(
        lambda d: (
            qtbot.keyClicks(d.note_edit, "Came in person."),
            qtbot.mouseClick(ok_button(d), Qt.MouseButton.LeftButton),
        ),
        kind=OutcomeDialog,
    )
    menu.actions()[0].trigger()
    menu.close()
    finished(qtbot, state)
    assert NAME in state["title"]
    assert "5th of 6" in state["dialog"].limit_label.text()  # both bookings count already
    settle(qtbot, unlocked)

    # "Outcomes to record": the selected row, by keyboard (Record › Record outcome)
    follow = view.follow_section.table
    follow.setFocus()
    follow.setCurrentIndex(view.proxies[2].index(0, 0))

    def missed(dialog: OutcomeDialog) -> None:
        box = dialog.widget("status")
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)  # attended → did not attend
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    state = on_modal(missed, kind=OutcomeDialog)
    assert view.record_outcome_selected()
    finished(qtbot, state)
    settle(qtbot, unlocked)
    contact_list, use, note_list = stored(qtbot, unlocked, who.id)
    status = {c.id: c.status for c in contact_list}
    assert status[booked.id] is ContactStatus.ATTENDED
    assert status[past.id] is ContactStatus.DID_NOT_ATTEND
    assert len(contact_list) == 5 and use.used == 5
    assert [n.contact_id for n in note_list] == [booked.id]
    assert view.follow_model.rowCount() == 0  # nothing left to record


def test_diary_records_an_outcome_with_a_note(qtbot: Any, unlocked: Any, monkeypatch: Any) -> None:
    who, booked = morning_of_a_booking(qtbot, unlocked)
    view = DiaryView(unlocked)
    qtbot.addWidget(view)
    unlocked.sig_changed.connect(view.on_changes)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.sig_week_shown, timeout=20_000):
        view.refresh()
    day = booked.at.weekday()
    lst = view.day_lists[day]
    qtbot.mouseClick(
        lst.viewport(),
        Qt.MouseButton.LeftButton,
        pos=lst.visualRect(lst.model().index(0, 0)).center(),
    )
    assert view._selected is not None and view._selected.contact_id == booked.id
    state = on_modal(
        lambda d: (
            qtbot.keyClicks(d.note_edit, "Met at the library."),
            qtbot.keyClick(d.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier),
        ),
        kind=OutcomeDialog,
    )
    with qtbot.waitSignal(view.sig_week_shown, timeout=20_000):
        assert view.record_outcome_selected()
        finished(qtbot, state)
    assert NAME in state["title"]
    contact_list, use, note_list = stored(qtbot, unlocked, who.id)
    assert next(c for c in contact_list if c.id == booked.id).status is ContactStatus.ATTENDED
    assert len(contact_list) == 4 and use.used == 4
    assert [(n.contact_id, n.text) for n in note_list] == [(booked.id, "Met at the library.")]
    # already recorded: offering it again records nothing twice
    assert not view.record_outcome_selected()
