"""A half-filled wellbeing form and a Record outcome note outlive the lock, and are named after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from day_kit import finished, on_modal, stored, today_at_a_booking
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from screens_kit import on_record_tab, person, settle, unlock_again
from shell_kit import PASSPHRASE, FakeClock, call_casework, on_db_thread
from test_tired_outcome_note import NOTE, answer_box, type_note

from linksdesk.casework import measures
from linksdesk.ui.dialogs.contact import OutcomeDialog
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

TICKED = [4, 3, 5, 2, 4, 3, 3, 4, 2]  # nine of WEMWBS's fourteen, then the worker is called away


def on_wellbeing(qtbot: Any, window: Any, session: UiSession) -> Any:
    return on_record_tab(qtbot, window, session, "wellbeing")


def tick(dialog: MeasureDialog, answers: list[int], start: int = 0) -> None:
    """Click the radio buttons, as the worker does (one per item)."""
    for group, value in zip(dialog.groups[start:], answers, strict=False):
        group.button(value).click()


def kept_keys(qtbot: Any, session: UiSession) -> list[str]:
    return list(on_db_thread(qtbot, session, session.require_casebook().drafts))


def test_the_idle_lock_keeps_a_half_filled_wemwbs_and_offers_it_back_after_unlock(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock, vault_file: Path
) -> None:
    window = unlocked_window
    who = on_wellbeing(qtbot, window, ui_session)

    def half_filled_then_walked_away(dialog: MeasureDialog) -> None:
        tick(dialog, TICKED)
        dialog.assisted_check.setChecked(True)
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)

    state = on_modal(half_filled_then_walked_away, kind=MeasureDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        qtbot.mouseClick(window.participant_view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    assert window.stack.currentWidget() is window.unlock_screen
    assert QApplication.activeModalWidget() is None
    # kept inside the encrypted vault only: no file beside it holds the answers in plain
    for path in vault_file.parent.rglob("*"):
        if path.is_file():
            assert b'"items"' not in path.read_bytes(), path.name

    unlock_again(qtbot, window, ui_session)
    assert kept_keys(qtbot, ui_session) == [f"measure/{who.id}/wemwbs"]
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert "WEMWBS answers (9 of 14)" in bar.said() and "Ailsa Testington" in bar.said()

    seen: dict[str, Any] = {}

    def carried_on(dialog: MeasureDialog) -> None:
        seen["answers"] = dialog.answers()
        seen["assisted"] = dialog.assisted_check.isChecked()
        seen["said"] = dialog.kept_label.text()
        tick(dialog, [3] * 5, start=9)
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(box.StandardButton.Save), Qt.MouseButton.LeftButton)

    state = on_modal(carried_on, kind=MeasureDialog)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        bar.label.linkActivated.emit(f"measure/{who.id}/wemwbs")  # the person's name, clicked
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["answers"] == [*TICKED, None, None, None, None, None]
    assert seen["assisted"] is True and "kept" in seen["said"]
    saved = call_casework(qtbot, ui_session, measures.list_measures, who.id)
    assert [(list(r.items), r.assisted) for r in saved] == [([*TICKED, 3, 3, 3, 3, 3], True)]
    assert not bar.isVisible()
    assert kept_keys(qtbot, ui_session) == []  # never offered a second time


def test_escape_on_a_half_filled_form_asks_before_throwing_the_answers_away(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = on_wellbeing(qtbot, window, ui_session)
    seen: dict[str, Any] = {}

    def ticked_then_escape(dialog: MeasureDialog) -> None:
        tick(dialog, TICKED)
        answer_box(QMessageBox.StandardButton.Cancel, seen)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        seen["open after Cancel"] = dialog.isVisible() and dialog.answers()[:9] == TICKED
        seen.pop("question")
        answer_box(QMessageBox.StandardButton.Discard, seen)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    state = on_modal(ticked_then_escape, kind=MeasureDialog)
    qtbot.mouseClick(window.participant_view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    assert seen["open after Cancel"] is True
    assert "answers you have ticked will be lost" in seen["question"]
    settle(qtbot, ui_session)
    assert call_casework(qtbot, ui_session, measures.list_measures, who.id) == []


def test_a_record_outcome_note_kept_at_the_lock_is_named_on_today_after_unlock(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    who, booked, _today = today_at_a_booking(qtbot, window, ui_session)

    def typed_then_walked_away(dialog: OutcomeDialog) -> None:
        type_note(qtbot, dialog)
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)

    state = on_modal(typed_then_walked_away, kind=OutcomeDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_record_outcome.trigger()
    finished(qtbot, state)
    unlock_again(qtbot, window, ui_session)
    assert window.current_view_key() == "today"
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert "a case note for Ailsa Testington" in bar.said()
    assert NOTE.split("\n")[0] not in bar.said()  # the bar names the person, not the words

    # the name, clicked: the record, the note back in its editor; the bar has said its piece
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        bar.label.linkActivated.emit(f"note/{who.id}/new")
    editor = window.participant_view.timeline.editor
    qtbot.waitUntil(lambda: editor.text_edit.toPlainText() == NOTE, timeout=20_000)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=20_000)
    contact_list, _use, note_list = stored(qtbot, ui_session, who.id)
    assert note_list == [] and booked.id in {c.id for c in contact_list}


def test_a_measure_of_another_person_is_not_offered_back_on_the_wrong_record(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    ailsa = on_wellbeing(qtbot, window, ui_session)

    def half_filled_then_locked(dialog: MeasureDialog) -> None:
        tick(dialog, TICKED)
        window.action_lock.trigger()

    state = on_modal(half_filled_then_locked, kind=MeasureDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        qtbot.mouseClick(window.participant_view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    unlock_again(qtbot, window, ui_session)
    brodie = person(qtbot, ui_session, "Brodie", "Samplewood")
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(brodie.id)
    window.participant_view.tabs.setCurrentWidget(window.participant_view.wellbeing)
    seen: dict[str, Any] = {}

    def look(dialog: MeasureDialog) -> None:
        seen["answers"] = dialog.answers()
        dialog.reject()

    state = on_modal(look, kind=MeasureDialog)
    qtbot.mouseClick(window.participant_view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    assert seen["answers"] == [None] * 14  # Brodie's form is empty: Ailsa's answers wait
    assert kept_keys(qtbot, ui_session) == [f"measure/{ailsa.id}/wemwbs"]
    assert window.kept_drafts.isVisible()


def test_closing_the_window_over_a_half_filled_form_keeps_its_answers(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, vault_file: Path
) -> None:
    window = unlocked_window
    who = on_wellbeing(qtbot, window, ui_session)

    def half_filled_then_closed(dialog: MeasureDialog) -> None:
        tick(dialog, TICKED)
        window.close()  # the end of the day: the laptop's lid, the window's cross

    state = on_modal(half_filled_then_closed, kind=MeasureDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        qtbot.mouseClick(window.participant_view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(vault_file, PASSPHRASE)
    assert ui_session.drafts.pending.keys() == {f"measure/{who.id}/wemwbs"}
