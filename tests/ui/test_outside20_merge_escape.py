"""Outside check 20: Escape in "Merge both versions" after the worker has written the merge.

The user guide: "Pressing Escape (or Cancel) with words written in a dialog — a note, a goal
in the person's own words, a concern, and a single line too … — asks before throwing them
away (Enter or Escape there keeps them)." On the Conflicts page, Merge both versions… opens an
editor with a case note's two versions, which the worker edits into one (often rewriting
most of it). One Escape, from the keyboard, closed it and the merged words were gone, unasked.
"""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_tired_outcome_note import answer_box

from linksdesk.ui.dialogs.conflict_merge import ConflictMergeDialog

pytestmark = pytest.mark.gui

MINE = "Met at the library; talked about the walking group."
THEIRS = "Met at the library; she would like to try the Tuesday walk."
MERGED = " Both: Tuesday walk, library first."


@pytest.mark.xfail(
    strict=True,
    reason="outside20: Escape in Merge both versions closes it at once and the merged "
    "words written there are lost, unasked (ConflictMergeDialog has no reject check)",
)
def test_escape_after_writing_a_merge_asks_before_the_words_go(
    qtbot: Any, unlocked_window: Any
) -> None:
    view = unlocked_window.conflicts_view
    seen: dict[str, Any] = {}

    def merge_then_escape(dialog: ConflictMergeDialog) -> None:
        qtbot.keyClick(dialog.editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(dialog.editor, MERGED)
        answer_box(QMessageBox.StandardButton.Cancel, seen)
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)
        seen["kept"] = dialog.isVisible() and dialog.editor.toPlainText().endswith(MERGED)
        seen["asked"] = seen.pop("question", "")
        answer_box(QMessageBox.StandardButton.Discard, seen)
        qtbot.keyClick(dialog.editor, Qt.Key.Key_Escape)

    state = on_modal(merge_then_escape, kind=ConflictMergeDialog)
    merged = ConflictMergeDialog.ask(MINE, THEIRS, "Case note", view)
    finished(qtbot, state)
    assert "Discard" in seen["asked"], "one Escape threw the merged words away, unasked"
    assert seen["kept"] is True
    assert merged is None  # Discard, asked and answered: nothing merged
