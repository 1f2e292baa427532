"""Words typed into a dialog (an outcome's note, a goal): not lost to Escape or the idle lock."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import (
    finished,
    morning_of_a_booking,
    on_modal,
    select_todays_row,
    stored,
    today_at_a_booking,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from screens_kit import settle
from shell_kit import PASSPHRASE, FakeClock

from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import OutcomeDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

NOTE = "Talked about the walking group.\nWill try Tuesday's walk."


def on_booked_row(qtbot: Any, window: Any, session: UiSession) -> tuple[Any, Any]:
    """The person's record open in the window, the booked appointment selected."""
    who, booked = morning_of_a_booking(qtbot, session)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    timeline = window.participant_view.timeline
    assert timeline.select_id(booked.id)
    timeline.table.setFocus()
    return who, booked


def type_note(qtbot: Any, dialog: OutcomeDialog) -> None:
    for i, line in enumerate(NOTE.split("\n")):
        if i:
            qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.note_edit, line)


def answer_box(button: QMessageBox.StandardButton, seen: dict[str, Any]) -> None:
    """The question that comes up next is answered with ``button`` (its words noted)."""

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, poll)
            return
        seen["question"] = f"{box.windowTitle()}\n{box.text()}"
        box.button(button).click()  # the box deletes itself once answered

    QTimer.singleShot(0, poll)


def test_escape_with_a_note_typed_asks_before_throwing_it_away(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, booked = on_booked_row(qtbot, window, ui_session)
    seen: dict[str, Any] = {}

    def escape_twice(dialog: OutcomeDialog) -> None:
        try:
            escape_then_save(dialog)
        except BaseException:
            dialog.note_edit.clear()  # so that the failing test's own Escape is not asked
            raise

    def escape_then_save(dialog: OutcomeDialog) -> None:
        type_note(qtbot, dialog)
        # a tired Escape: the question comes, "Cancel" keeps the worker in the dialog
        answer_box(QMessageBox.StandardButton.Cancel, seen)
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Escape)
        assert "question" in seen
        assert dialog.isVisible() and dialog.note_edit.toPlainText() == NOTE
        # then recorded after all
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(escape_twice, kind=OutcomeDialog)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000, raising=False):
        qtbot.keyClick(window.participant_view.timeline.table, Qt.Key.Key_Return)
    finished(qtbot, state)
    assert "Discard" in seen["question"]
    contact_list, _use, note_list = stored(qtbot, ui_session, who.id)
    assert next(c for c in contact_list if c.id == booked.id).status is ContactStatus.ATTENDED
    assert [(n.contact_id, n.text) for n in note_list] == [(booked.id, NOTE)]


def test_escape_on_an_empty_note_closes_without_a_question(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, booked = on_booked_row(qtbot, window, ui_session)
    state = on_modal(lambda d: qtbot.keyClick(d.note_edit, Qt.Key.Key_Escape), kind=OutcomeDialog)
    qtbot.keyClick(window.participant_view.timeline.table, Qt.Key.Key_Return)
    finished(qtbot, state)
    assert QApplication.activeModalWidget() is None
    contact_list, _use, note_list = stored(qtbot, ui_session, who.id)
    assert next(c for c in contact_list if c.id == booked.id).status is ContactStatus.SCHEDULED
    assert note_list == []


def test_the_idle_lock_keeps_the_typed_note_as_a_draft_of_the_record(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    who, booked = on_booked_row(qtbot, window, ui_session)

    def typed_then_walked_away(dialog: OutcomeDialog) -> None:
        type_note(qtbot, dialog)
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)  # the worker is called away

    state = on_modal(typed_then_walked_away, kind=OutcomeDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        qtbot.keyClick(window.participant_view.timeline.table, Qt.Key.Key_Return)
    finished(qtbot, state)
    assert window.stack.currentWidget() is window.unlock_screen
    assert not any(
        isinstance(w, OutcomeDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )

    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, ui_session)
    # back on the record, the note is in its editor, said to be kept; nothing recorded yet
    editor = window.participant_view.timeline.editor
    qtbot.waitUntil(lambda: editor.text_edit.toPlainText() == NOTE, timeout=20_000)
    assert "kept" in window.participant_view.message.text()
    contact_list, _use, note_list = stored(qtbot, ui_session, who.id)
    assert next(c for c in contact_list if c.id == booked.id).status is ContactStatus.SCHEDULED
    assert note_list == []


def test_a_note_started_in_the_record_and_one_in_record_outcome_are_both_kept(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    _who, _booked = on_booked_row(qtbot, window, ui_session)
    editor = window.participant_view.timeline.editor
    editor.text_edit.setPlainText("Phoned her GP surgery first.")

    def typed_then_locked(dialog: OutcomeDialog) -> None:
        type_note(qtbot, dialog)
        window.action_lock.trigger()  # Ctrl+L from the menu, the dialog still open

    state = on_modal(typed_then_locked, kind=OutcomeDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        qtbot.keyClick(window.participant_view.timeline.table, Qt.Key.Key_Return)
    finished(qtbot, state)
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    qtbot.waitUntil(lambda: bool(editor.text_edit.toPlainText()), timeout=20_000)
    assert editor.text_edit.toPlainText() == f"Phoned her GP surgery first.\n\n{NOTE}"


def test_escape_on_a_goal_in_the_persons_own_words_asks_first(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    from screens_kit import on_record_tab
    from shell_kit import call_casework

    from linksdesk.casework import goals
    from linksdesk.ui.dialogs.goal import GoalDialog

    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "goals")
    tab = window.participant_view.goals
    words = "Get back to the allotment by spring"
    seen: dict[str, Any] = {}

    def written_then_escape(dialog: GoalDialog) -> None:
        field = dialog.widget("title")
        try:
            qtbot.keyClicks(field, words)
            answer_box(QMessageBox.StandardButton.Cancel, seen)
            qtbot.keyClick(field, Qt.Key.Key_Escape)
            assert "question" in seen and dialog.isVisible()  # still there, words and all
            ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        except BaseException:
            field.clear()  # so that the failing test's own Escape is not asked
            raise

    state = on_modal(written_then_escape, kind=GoalDialog)
    qtbot.mouseClick(tab.set_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    assert seen["question"].startswith("Discard what you have written?")
    settle(qtbot, ui_session)
    saved = call_casework(qtbot, ui_session, goals.list_goals, who.id)
    assert [g.title for g in saved] == [words]


def test_a_note_kept_from_todays_outcome_comes_back_in_record_outcome_and_is_saved_once(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    who, booked, today = today_at_a_booking(qtbot, window, ui_session)

    def on_todays_row() -> None:
        select_todays_row(today)

    def typed_then_walked_away(dialog: OutcomeDialog) -> None:
        type_note(qtbot, dialog)
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)

    on_todays_row()
    state = on_modal(typed_then_walked_away, kind=OutcomeDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_record_outcome.trigger()
    finished(qtbot, state)
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, ui_session)
    assert window.current_view_key() == "today"  # back where the worker was

    seen: dict[str, str] = {}

    def kept_here(dialog: OutcomeDialog) -> None:
        seen["note"] = dialog.note_edit.toPlainText()
        seen["said"] = dialog.message.text()
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    on_todays_row()
    state = on_modal(kept_here, kind=OutcomeDialog)
    window.action_record_outcome.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["note"] == NOTE and "kept" in seen["said"]
    _contacts, _use, note_list = stored(qtbot, ui_session, who.id)
    assert [(n.contact_id, n.text) for n in note_list] == [(booked.id, NOTE)]
    # the record offers nothing to save a second time, now or after the next lock
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    assert window.participant_view.timeline.editor.text_edit.toPlainText() == ""
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_lock.trigger()
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.passphrase.setText(PASSPHRASE)
        page.unlock_button.click()
    cb = ui_session.require_casebook()
    from shell_kit import on_db_thread

    assert on_db_thread(qtbot, ui_session, cb.drafts) == []


def test_the_idle_lock_during_a_question_opens_no_dialog_over_the_locked_window(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    """ "Record the booked contact?" open, the worker called away: the lock answers it No,
    which went on to open Record contact over the unlock screen (its input then went nowhere)."""
    window = unlocked_window
    who, _booked = morning_of_a_booking(qtbot, ui_session)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    seen: list[str] = []
    watching = [True]

    def poll() -> None:
        if not watching[0]:
            return
        up = QApplication.activeModalWidget()
        if isinstance(up, QMessageBox) and not seen:
            seen.append(up.text())
            clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)  # walked away
        elif up is not None and seen and not isinstance(up, QMessageBox):
            seen.append(f"{type(up).__name__} opened while locked")
            up.reject()
            return
        if len(seen) < 2:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        qtbot.mouseClick(window.participant_view.timeline.record_button, Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    watching[0] = False
    assert seen and "booked" in seen[0]
    assert seen[1:] == []  # nothing opened after the lock
    assert QApplication.activeModalWidget() is None
    assert window.stack.currentWidget() is window.unlock_screen
