"""A case note being revised when the vault locks: the revision is kept and comes back."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import PASSPHRASE, FakeClock, call_casework, on_db_thread

from linksdesk.casework import notes
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

FIRST = "Talked about the walking group."
ADDED = " She went on Tuesday and wants to go again."


def _note_selected(qtbot: Any, window: Any, ui_session: UiSession) -> tuple[Any, Any, Any]:
    """A person with one case note, their record open and the note's row selected:
    (the person, the note, the record's timeline)."""
    who = person(qtbot, ui_session)
    note = call_casework(qtbot, ui_session, notes.write_note, who.id, FIRST).value
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    timeline = window.participant_view.timeline
    assert timeline.select_id(note.id)
    return who, note, timeline


def test_a_revision_interrupted_by_the_idle_lock_is_back_when_the_note_is_revised_again(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    who, note, timeline = _note_selected(qtbot, window, ui_session)
    editor = timeline.editor
    qtbot.mouseClick(timeline.revise_button, Qt.MouseButton.LeftButton)
    assert editor.text_edit.toPlainText() == FIRST
    editor.text_edit.moveCursor(editor.text_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.text_edit, ADDED)

    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: window.participant_view.data is not None, timeout=20_000)

    # back on the record, the revision is taken up again with the words typed before the lock
    qtbot.waitUntil(lambda: editor.editing is not None, timeout=20_000)
    assert editor.editing.id == note.id
    assert editor.text_edit.toPlainText() == FIRST + ADDED
    assert "kept" in window.participant_view.message.text()
    # a tired double-click on the note's row (Revise again) keeps them too
    assert timeline.select_id(note.id)
    index = timeline.table.currentIndex()
    timeline.table.activated.emit(index)
    qtbot.mouseClick(timeline.revise_button, Qt.MouseButton.LeftButton)
    assert editor.text_edit.toPlainText() == FIRST + ADDED
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = call_casework(qtbot, ui_session, notes.list_notes, who.id)
    assert [(n.text, n.revision_count) for n in saved] == [(FIRST + ADDED, 2)]
    settle(qtbot, ui_session)
    # nothing of it is left behind in the vault as a draft once saved (after the next lock)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_lock.trigger()
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    cb = ui_session.require_casebook()
    assert on_db_thread(qtbot, ui_session, cb.drafts) == []


def test_double_clicking_the_row_being_revised_keeps_what_was_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    _who, note, timeline = _note_selected(qtbot, window, ui_session)
    editor = timeline.editor
    table = timeline.table
    rect = table.visualRect(table.currentIndex())

    def double_click() -> None:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    double_click()
    assert editor.editing is not None and editor.editing.id == note.id
    editor.text_edit.moveCursor(editor.text_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.text_edit, ADDED)
    double_click()  # the row double-clicked again, as a tired worker does
    assert editor.text_edit.toPlainText() == FIRST + ADDED
    assert editor.editing is not None and editor.editing.id == note.id
