"""A worker is revising a case note when it is marked entered in error: from the Timeline
(a colleague at the same laptop, or the worker in a hurry) or by the other laptop, whose sync
lands just before Save. Saving was refused with the bare "cannot be changed" of any marked
row, leaving the worker to guess what happened to their words. Now the editor says what
happened and what they can do, the words are never lost (in the editor, and in the vault as a
draft at a lock), and "Keep as a new note" turns them into a new case note to save."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import PASSPHRASE, call_casework, on_db_thread

from linksdesk.casework import notes
from linksdesk.casework.casebook import draft_key
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

FIRST = "Talked about the walking group."
ADDED = " She went on Tuesday and wants to go again."
WRITTEN = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)


def _revising(qtbot: Any, window: Any, ui_session: UiSession) -> tuple[Any, Any, Any]:
    """A person's note being revised in the window, words added and not saved:
    (the person, the note, the Timeline)."""
    who = person(qtbot, ui_session)
    note = call_casework(
        qtbot, ui_session, notes.write_note, who.id, FIRST, written_at=WRITTEN
    ).value
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    timeline = view.timeline
    view.tabs.setCurrentWidget(timeline)
    assert timeline.select_id(note.id)
    qtbot.mouseClick(timeline.revise_button, Qt.MouseButton.LeftButton)
    editor = timeline.editor
    assert editor.editing is not None and editor.editing.id == note.id
    editor.text_edit.moveCursor(editor.text_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.text_edit, ADDED)
    return who, note, timeline


def _press_save(qtbot: Any, ui_session: UiSession, editor: Any) -> None:
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)


def _saved(qtbot: Any, ui_session: UiSession, pid: str) -> list[tuple[str, int, bool]]:
    return [
        (n.text, n.revision_count, n.in_error)
        for n in call_casework(qtbot, ui_session, notes.list_notes, pid)
    ]


def test_marked_by_the_other_laptop_just_before_save_the_words_stay_and_it_says_why(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, note, timeline = _revising(qtbot, window, ui_session)
    editor = timeline.editor
    # the other laptop's mark reaches this vault (a sync) before the window reads it again
    call_casework(qtbot, ui_session, notes.mark_in_error, note.id, "Written twice")
    _press_save(qtbot, ui_session, editor)

    message = window.participant_view.message
    assert message.kind == "warning"
    said = message.text()
    # what happened, why, and what the worker can do, in their terms
    assert "marked entered in error" in said and "Written twice" in said
    assert "your words are still in the editor" in said
    assert "Keep as a new note" in said and "Not in error after all" in said
    assert "cannot be changed" not in said
    assert editor.text_edit.toPlainText() == FIRST + ADDED
    assert editor.keep_new_button.isVisible()
    assert _saved(qtbot, ui_session, who.id) == [(FIRST, 1, True)]

    # a second tired Save (Ctrl+Enter) is refused the same way, asking nothing of the vault
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ui_session)
    assert editor.text_edit.toPlainText() == FIRST + ADDED
    assert "Written twice" in message.text()

    # locked now, the words are kept in the vault as the revision's draft, and come back
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_lock.trigger()
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    cb = ui_session.require_casebook()
    key = draft_key("note", who.id, note.id)
    assert on_db_thread(qtbot, ui_session, lambda: cb.load_draft(key)) == FIRST + ADDED
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: editor.text_edit.toPlainText() == FIRST + ADDED, timeout=20_000)
    assert "Written twice" in window.participant_view.message.text()

    # the simplest way on: the words as a new case note, saved with Save note
    qtbot.mouseClick(editor.keep_new_button, Qt.MouseButton.LeftButton)
    assert editor.editing is None and editor.text_edit.toPlainText() == FIRST + ADDED
    _press_save(qtbot, ui_session, editor)
    assert sorted(_saved(qtbot, ui_session, who.id)) == [
        (FIRST, 1, True),
        (FIRST + ADDED, 1, False),
    ]
    assert editor.text_edit.toPlainText() == ""
    assert on_db_thread(qtbot, ui_session, lambda: cb.drafts("note")) == []


def test_marked_here_while_revising_is_refused_and_a_mark_from_elsewhere_taken_off_saves_it(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    who, note, timeline = _revising(qtbot, window, ui_session)
    editor = timeline.editor
    message = window.participant_view.message

    # marking it here while its revision is unsaved is refused: the words stay, nothing marked
    assert timeline.select_id(note.id)
    qtbot.mouseClick(timeline.in_error_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    assert "save or discard your changes first" in message.text()
    assert _saved(qtbot, ui_session, who.id) == [(FIRST, 1, False)]
    assert editor.text_edit.toPlainText() == FIRST + ADDED

    # the other laptop's mark arrives; Save is refused and says why
    call_casework(qtbot, ui_session, notes.mark_in_error, note.id, "Written twice")
    _press_save(qtbot, ui_session, editor)
    assert "Written twice" in message.text() and "still in the editor" in message.text()
    assert "marked entered in error" in editor.title.text()
    assert _saved(qtbot, ui_session, who.id) == [(FIRST, 1, True)]
    assert editor.text_edit.toPlainText() == FIRST + ADDED

    # the mark was the mistake: taken off here (allowed while revising), the revision saves
    monkeypatch.setattr(timeline, "ask_restore_note", lambda _what, _why: True)
    assert timeline.select_id(note.id)
    qtbot.mouseClick(timeline.in_error_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    assert not editor.keep_new_button.isVisible()
    assert editor.text_edit.toPlainText() == FIRST + ADDED
    _press_save(qtbot, ui_session, editor)
    assert _saved(qtbot, ui_session, who.id) == [(FIRST + ADDED, 2, False)]


def test_moved_to_the_right_record_its_words_are_not_offered_as_a_note_here(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    right = person(qtbot, ui_session, "Ashby", "Rightrecord")
    who, note, timeline = _revising(qtbot, window, ui_session)
    editor = timeline.editor
    call_casework(qtbot, ui_session, notes.move_note, note.id, right.id)
    _press_save(qtbot, ui_session, editor)

    said = window.participant_view.message.text()
    assert "moved to the right participant's record" in said
    assert "your words are still in the editor" in said and "copy them" in said
    assert editor.text_edit.toPlainText() == FIRST + ADDED
    assert not editor.keep_new_button.isVisible()
    assert _saved(qtbot, ui_session, who.id) == [(FIRST, 1, True)]
