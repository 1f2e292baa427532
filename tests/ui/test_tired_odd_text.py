"""Odd text pasted into a dialog (a hidden null from a PDF, a note far too long, emoji,
right-to-left, tabs): refused with the dialog still open and the words kept, or kept whole."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, morning_of_a_booking, on_modal, stored
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit
from screens_kit import on_record_tab, settle
from shell_kit import call_casework

from linksdesk.casework import goals
from linksdesk.casework.notes import MAX_NOTE
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import OutcomeDialog
from linksdesk.ui.dialogs.goal import GoalDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

FROM_A_PDF = "Talked about the walking group.\x00 Will try Tuesday."
ODD = "Walk\tTuesday 🚶‍♀️ — مجموعة المشي — שלום\nא\u200fב"


def outcome_with_note(qtbot: Any, window: Any, session: UiSession, note: str) -> dict[str, Any]:
    """Record outcome on the booked row, ``note`` pasted, OK pressed once, then (if still
    open) what it said, and Cancel."""
    who, booked = morning_of_a_booking(qtbot, session)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    timeline = window.participant_view.timeline
    assert timeline.select_id(booked.id)
    seen: dict[str, Any] = {"who": who, "booked": booked}

    def paste_then_ok(dialog: OutcomeDialog) -> None:
        dialog.note_edit.setPlainText(note)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["open"] = dialog.isVisible()
        seen["said"] = dialog.message.text()
        seen["kept"] = dialog.note_edit.toPlainText() == note
        if dialog.isVisible():
            dialog.note_edit.clear()
            dialog.reject()

    state = on_modal(paste_then_ok, kind=OutcomeDialog)
    timeline.record_outcome()
    finished(qtbot, state)
    settle(qtbot, session)
    return seen


def test_a_hidden_null_pasted_into_record_outcome_is_refused_with_the_note_kept(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    seen = outcome_with_note(qtbot, unlocked_window, ui_session, FROM_A_PDF)
    assert seen["open"] and seen["kept"]
    assert "hidden null character" in seen["said"] and "Case note" in seen["said"]
    assert FROM_A_PDF[:10] not in seen["said"]  # the message names the field, not the words
    contact_list, _use, note_list = stored(qtbot, ui_session, seen["who"].id)
    assert note_list == []
    mine = next(c for c in contact_list if c.id == seen["booked"].id)
    assert mine.status is ContactStatus.SCHEDULED


def test_a_note_too_long_for_record_outcome_is_refused_with_the_note_kept(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    seen = outcome_with_note(qtbot, unlocked_window, ui_session, "x" * (MAX_NOTE + 1))
    assert seen["open"] and seen["kept"]
    assert "too long" in seen["said"]


def test_emoji_right_to_left_and_tabs_are_kept_exactly(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    seen = outcome_with_note(qtbot, unlocked_window, ui_session, ODD)
    assert seen["open"] is False
    _contacts, _use, note_list = stored(qtbot, ui_session, seen["who"].id)
    assert [n.text for n in note_list] == [ODD]


def test_a_goal_with_a_hidden_null_stays_in_its_dialog(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "goals")
    tab = window.participant_view.goals
    seen: dict[str, Any] = {}

    def paste_then_ok(dialog: GoalDialog) -> None:
        field = dialog.widget("title")
        assert isinstance(field, QPlainTextEdit)
        field.setPlainText("Back to the allotment\x00")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["open"] = dialog.isVisible()
        seen["said"] = dialog.message.text()
        if dialog.isVisible():
            field.clear()
            dialog.reject()

    state = on_modal(paste_then_ok, kind=GoalDialog)
    qtbot.mouseClick(tab.set_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["open"] and "hidden null character" in seen["said"]
    assert call_casework(qtbot, ui_session, goals.list_goals, who.id) == []
