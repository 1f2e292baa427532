"""Outside check 20: "Merge both versions" from the keyboard alone.

The user guide: "Pressing Escape (or Cancel) with words written in a dialog — a note, a goal
in the person's own words, a concern, and a single line too … — asks before throwing them
away (Enter or Escape there keeps them)." On the Conflicts page, Merge both versions… opens an
editor with a case note's two versions, which the worker edits into one (often rewriting
most of it). One Escape, from the keyboard, closed it and the merged words were gone, unasked.
The same guide: "Tab moves through every button, list and field of a page or dialog", and
"in a field of several lines Enter starts a new line, and Ctrl+Enter is OK from anywhere in
the dialog". In the merge editor Tab typed a tab character into the case note and the focus
stayed; Ctrl+Enter did nothing. The lock still closes it without asking (a question over the
unlock screen would be worse).
"""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import active, finished, on_modal
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from test_tired_outcome_note import answer_box

from linksdesk.ui.dialogs.conflict_merge import ConflictMergeDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

MINE = "Met at the library; talked about the walking group."
THEIRS = "Met at the library; she would like to try the Tuesday walk."
MERGED = " Both: Tuesday walk, library first."


def answer_for_a_while(seen: dict[str, Any], tries: int = 100) -> None:
    """Cancel the next question, if one comes within a second, noting its words."""

    def poll(left: int) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen["question"] = box.text()
            box.button(QMessageBox.StandardButton.Cancel).click()
        elif left:
            QTimer.singleShot(10, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))


def test_merging_by_keys_tab_leaves_ctrl_enter_saves_escape_asks(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    view = window.conflicts_view
    seen: dict[str, Any] = {}

    def merge_by_keys(dialog: ConflictMergeDialog) -> None:
        editor = dialog.editor
        qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(editor, MERGED)
        qtbot.keyClick(editor, Qt.Key.Key_Tab)  # on to the buttons, as in every dialog
        seen["tab"] = (QApplication.focusWidget() is editor, "\t" in editor.toPlainText())
        editor.setFocus()
        answer_box(QMessageBox.StandardButton.Cancel, seen)
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        seen["kept"] = dialog.isVisible() and editor.toPlainText().endswith(MERGED)
        seen["asked"] = seen.pop("question", "")
        if not dialog.isVisible():
            return  # gone on one Escape: said below
        active(qtbot, dialog)  # the question gone, as a window manager would
        qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen["saved"] = not dialog.isVisible()
        if dialog.isVisible():
            dialog.done(0)  # so a failing test ends

    state = on_modal(merge_by_keys, kind=ConflictMergeDialog)
    merged = ConflictMergeDialog.ask(MINE, THEIRS, "Case note", view)
    finished(qtbot, state)
    assert seen["tab"] == (False, False), "Tab typed a tab into the merge, focus stayed"
    assert "Discard" in seen["asked"], "one Escape threw the merged words away, unasked"
    assert seen["kept"] is True
    assert seen.get("saved") is True, "Ctrl+Enter did not save the merged version"
    assert merged is not None and merged.endswith(MERGED.strip()) and MINE in merged

    def typed_then_locked(dialog: ConflictMergeDialog) -> None:
        qtbot.keyClicks(dialog.editor, MERGED)
        # the lock closes it without asking over the unlock screen (a question, were one
        # put, would be answered and noted here, so the test fails rather than hangs)
        answer_for_a_while(seen)
        window.action_lock.trigger()

    state = on_modal(typed_then_locked, kind=ConflictMergeDialog)
    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        merged = ConflictMergeDialog.ask(MINE, THEIRS, "Case note", view)
    finished(qtbot, state)
    assert merged is None and "question" not in seen  # closed by the lock, nothing asked
