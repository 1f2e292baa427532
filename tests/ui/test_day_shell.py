"""A links worker's day in the window: named dialogs, who-for, dates, keyboard, lock and unlock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from day_kit import Keys, finished, morning_of_a_booking, on_modal, record_dialogs, stored
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication
from screens_kit import goal, person, settle
from shell_kit import FakeClock, call_casework

from linksdesk.casework import notes
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.date_field import DateField
from linksdesk.ui.dialogs.contact import ContactDialog, OutcomeDialog
from linksdesk.ui.dialogs.erasure import ErasureDialog
from linksdesk.ui.dialogs.goal import GoalDialog, StepDialog
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.dialogs.person_chooser import PersonChooser
from linksdesk.ui.views.participant_note_editor import NoteEditor

pytestmark = pytest.mark.gui

NAME = "Ailsa Testington"


def open_record(qtbot: Any, window: Any, pid: str) -> None:
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(pid)


def test_every_dialog_that_writes_to_the_record_names_the_person(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    who = person(qtbot, ui_session)
    g = goal(qtbot, ui_session, who.id, "Walk to the shop")
    open_record(qtbot, unlocked_window, who.id)
    view = unlocked_window.participant_view
    pid = view.data.participant.programme_id
    made = [*record_dialogs(view, g), ErasureDialog(pid, {"contacts": 0}, view)]
    for dialog in made:
        qtbot.addWidget(dialog)
        assert dialog.windowTitle().endswith(f" — {NAME} ({pid})"), type(dialog).__name__
    # the directory is the team's: a resource dialog names nobody
    assert NAME not in ParticipantDialog(parent=unlocked_window).windowTitle()


def test_new_contact_from_resources_asks_who_with_the_quick_filter(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    window = unlocked_window
    ailsa = person(qtbot, ui_session)
    brodie = person(qtbot, ui_session, "Brodie", "Samplewood")
    open_record(qtbot, window, ailsa.id)  # the last one viewed
    window.show_view("resources")
    keys = Keys(qtbot, window)

    def choose(dialog: PersonChooser) -> None:
        assert "who is it for" in dialog.windowTitle()
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
        keys.type("Brod", dialog.filter_edit)
        keys.press(Qt.Key.Key_Return, widget=dialog.filter_edit)

    contact_titles: list[str] = []
    chooser = on_modal(choose, kind=PersonChooser)
    contact = on_modal(
        lambda d: (contact_titles.append(d.windowTitle()), d.reject()), kind=ContactDialog
    )
    window.action_new_contact.trigger()
    finished(qtbot, chooser)
    finished(qtbot, contact)
    assert window.participant_view.participant_id == brodie.id  # never silently Ailsa
    assert contact_titles and "Brodie Samplewood" in contact_titles[0]
    contact_list, _use, _notes = stored(qtbot, ui_session, brodie.id)
    assert contact_list == []  # cancelled: nothing written


def test_empty_date_pickers_default_sensibly(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    who = person(qtbot, ui_session)
    with qtbot.waitSignal(ui_session.sig_settings_changed, timeout=20_000):
        ui_session.update_settings({"review_goals_every_weeks": 4})
    open_record(qtbot, unlocked_window, who.id)
    view = unlocked_window.participant_view
    today = dt.date.today()
    goal_dialog = GoalDialog(view.goals)
    step_dialog = StepDialog(view.goals)
    for d in (goal_dialog, step_dialog):
        qtbot.addWidget(d)
    assert goal_dialog.values()["review_on"] == today + dt.timedelta(weeks=4)
    assert step_dialog.values()["due_on"] == today
    # an optional date left empty (date of birth) still opens its calendar at today
    new_person = ParticipantDialog(parent=unlocked_window)
    qtbot.addWidget(new_person)
    birth = new_person.widget("date_of_birth")
    assert isinstance(birth, DateField) and new_person.values()["date_of_birth"] is None
    calendar = birth.calendarWidget()
    QApplication.sendEvent(calendar, QShowEvent())  # as when its popup opens
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    calendar.close()
    assert birth.value() is None  # still "no date" until one is picked


def test_caseload_filter_enter_opens_and_down_moves_to_the_match(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    window = unlocked_window
    person(qtbot, ui_session)
    brodie = person(qtbot, ui_session, "Brodie", "Samplewood")
    window.show_view("caseload")
    caseload = window.caseload_view
    settle(qtbot, ui_session)
    keys = Keys(qtbot, window)
    keys.type("Brod", caseload.filter_edit)
    keys.press(Qt.Key.Key_Down, widget=caseload.filter_edit)
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: caseload.table.hasFocus())
    assert caseload.current_participant() == brodie.id
    caseload.filter_edit.setFocus()
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        keys.press(Qt.Key.Key_Return, widget=caseload.filter_edit)
    assert window.current_view_key() == "record"
    assert window.participant_view.participant_id == brodie.id


def test_focus_returns_after_the_search_palette_and_hits_open_at_the_entry(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session)
    note = call_casework(qtbot, ui_session, notes.write_note, who.id, "Enjoyed the pottery class.")
    for day in range(8):  # a few newer notes, so the hit is not simply the first row
        call_casework(qtbot, ui_session, notes.write_note, who.id, f"Phoned on day {day}.")
    g = goal(qtbot, ui_session, who.id, "Join the knitting circle")
    goal(qtbot, ui_session, who.id, "Walk to the shop")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    palette = window.search_palette

    def search(text: str) -> None:
        qtbot.keyClick(
            window.focusWidget() or window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier
        )
        qtbot.waitUntil(palette.isVisible)
        qtbot.keyClicks(palette.edit, text)

        def answered() -> bool:
            first = palette.model.hit_at(0)
            found = first is not None and text in (first.hit.title + first.hit.snippet).lower()
            return found and not palette._timer.isActive()

        qtbot.waitUntil(answered)  # the hits of this search, not of the one before
        palette.results.setCurrentIndex(palette.model.index(0, 0))

    # Esc: the focus is back in the window and its shortcuts work again
    search("pottery")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not palette.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
    focus = QApplication.focusWidget()
    assert focus is not None and focus.window() is window
    qtbot.keyClick(focus, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_key() == "caseload"

    # a note: the Timeline, at that note, selected
    search("pottery")
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    settle(qtbot, ui_session)
    view = window.participant_view
    assert view.tabs.currentWidget() is view.timeline
    item = view.timeline.current_item()
    assert item is not None and item.id == note.value.id
    assert QApplication.focusWidget() is view.timeline.table

    # a goal: the Goals tab, at that goal
    search("knitting")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    settle(qtbot, ui_session)
    assert view.tabs.currentWidget() is view.goals
    index = view.goals.goals_table.currentIndex()
    assert view.goals.goals_proxy.row_at(index.row()).id == g.id
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_key() == "today"


def test_discarding_a_note_asks_first(
    qtbot: Any, unlocked_window: Any, ui_session: Any, monkeypatch: Any
) -> None:
    who = person(qtbot, ui_session)
    open_record(qtbot, unlocked_window, who.id)
    editor = unlocked_window.participant_view.timeline.editor
    answers = [False, True]
    asked: list[bool] = []
    monkeypatch.setattr(
        NoteEditor, "ask_discard", lambda self: asked.append(True) or answers.pop(0)
    )
    editor.text_edit.setPlainText("Half a thought about the garden group.")
    qtbot.mouseClick(editor.discard_button, Qt.MouseButton.LeftButton)
    assert editor.text_edit.toPlainText() == "Half a thought about the garden group."
    qtbot.mouseClick(editor.discard_button, Qt.MouseButton.LeftButton)
    assert editor.text_edit.toPlainText() == "" and len(asked) == 2


def test_unlock_after_an_auto_lock_returns_to_the_page_and_person(
    qtbot: Any, unlocked_window: Any, ui_session: Any, clock: FakeClock, tmp_path: Path
) -> None:
    from test_shell_lock import unlock_again

    window = unlocked_window
    who = person(qtbot, ui_session)
    open_record(qtbot, window, who.id)
    window.show_view("resources")  # looking something up for them
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)
    assert window.windowTitle() == "Locked — LinksDesk"  # not "LinksDesk — Locked — LinksDesk"
    # kept in memory only while locked: no file holds the id in the clear
    for f in tmp_path.rglob("*"):
        if f.is_file():
            assert who.id.encode() not in f.read_bytes(), f.name
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        unlock_again(qtbot, window, ui_session)
    assert window.current_view_key() == "resources"
    assert window.participant_view.participant_id == who.id
    assert window._resume is None  # dropped once used

    window.show_view("record")
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        unlock_again(qtbot, window, ui_session)
    assert window.current_view_key() == "record"
    assert window.windowTitle() == "Participant record — LinksDesk"


def test_record_menu_records_the_booked_outcome(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    window = unlocked_window
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Record")
    assert window.action_record_outcome in menu.actions()
    assert window.action_record_outcome.text() == "Record &outcome…"
    who, booked = morning_of_a_booking(qtbot, ui_session)
    open_record(qtbot, window, who.id)
    state = on_modal(
        lambda d: (
            qtbot.keyClicks(d.note_edit, "Seen at the library."),
            qtbot.keyClick(d.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier),
        ),
        kind=OutcomeDialog,
    )
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.action_record_outcome.trigger()
    finished(qtbot, state)
    contact_list, use, note_list = stored(qtbot, ui_session, who.id)
    assert next(c for c in contact_list if c.id == booked.id).status is ContactStatus.ATTENDED
    assert (len(contact_list), use.used, [n.contact_id for n in note_list]) == (4, 4, [booked.id])


def test_walk_through_from_the_caseload_in_six_key_presses(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    """Caseload → today's booked appointment recorded as attended with a 2-line note."""
    window = unlocked_window
    who, booked = morning_of_a_booking(qtbot, ui_session)
    person(qtbot, ui_session, "Brodie", "Samplewood")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    keys = Keys(qtbot, window)
    keys.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 1: the caseload
    assert window.current_view_key() == "caseload"
    qtbot.waitUntil(lambda: window.caseload_view.filter_edit.hasFocus())
    keys.type("Ailsa")  # the name filter (not counted)

    def note(dialog: OutcomeDialog) -> None:
        keys.type("Walked to the library together.\nBooked the chair yoga taster.")
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 4: save

    state = on_modal(note, kind=OutcomeDialog)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        keys.press(Qt.Key.Key_Return)  # 2: open the match
    keys.press(
        Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )  # 3
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert keys.presses <= 6
    contact_list, use, note_list = stored(qtbot, ui_session, who.id)
    assert next(c for c in contact_list if c.id == booked.id).status is ContactStatus.ATTENDED
    assert (len(contact_list), use.used) == (4, 4)
    assert [(n.contact_id, n.text) for n in note_list] == [
        (booked.id, "Walked to the library together.\nBooked the chair yoga taster.")
    ]


def test_nothing_is_cut_at_1200_by_780(qtbot: Any, unlocked_window: Any, ui_session: Any) -> None:
    window = unlocked_window
    window.resize(1200, 780)
    who, _booked = morning_of_a_booking(qtbot, ui_session)
    window.show_view("caseload")
    settle(qtbot, ui_session)
    table = window.caseload_view.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()  # every column in view
    assert not table.horizontalScrollBar().isVisible()
    open_record(qtbot, window, who.id)
    timeline = window.participant_view.timeline.table
    settle(qtbot, ui_session)
    detail = timeline.horizontalHeader()
    assert detail.sectionViewportPosition(3) + detail.sectionSize(3) <= timeline.viewport().width()
    assert detail.sectionSize(3) >= 200  # "Detail" has room to be read
