"""A note half written when the worker opens another person's record: kept for the first
person, never lost, never carried into the second record."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import call_casework, on_db_thread
from test_tired_saves import NOTE, activate

from linksdesk.casework import notes
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def opened(qtbot: Any, window: Any, pid: str) -> Any:
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(pid)
    activate(qtbot, window)
    return window.participant_view.timeline.editor


def test_a_note_half_written_is_kept_for_its_person_when_another_record_opens(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    ailsa = person(qtbot, ui_session)
    brodie = person(qtbot, ui_session, "Brodie", "Samplewood")
    editor = opened(qtbot, window, ailsa.id)
    qtbot.keyClicks(editor.text_edit, NOTE)
    # a call comes in: the worker searches for Brodie and opens his record
    editor = opened(qtbot, window, brodie.id)
    assert editor.text_edit.toPlainText() == ""  # nothing of Ailsa's in Brodie's record
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert "a case note for Ailsa Testington" in bar.said()
    editor = opened(qtbot, window, ailsa.id)
    qtbot.waitUntil(lambda: editor.text_edit.toPlainText() == NOTE, timeout=20_000)
    assert "kept" in window.participant_view.message.text()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=20_000)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    assert [n.text for n in call_casework(qtbot, ui_session, notes.list_notes, ailsa.id)] == [NOTE]
    assert call_casework(qtbot, ui_session, notes.list_notes, brodie.id) == []
    cb = ui_session.require_casebook()
    assert on_db_thread(qtbot, ui_session, cb.drafts) == []  # saved: no draft left behind
