"""Every form outlives the lock: a new participant's details typed at a first meeting, and a
goal in the person's own words, come back after unlock instead of being thrown away."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtWidgets import QApplication
from screens_kit import on_record_tab, settle, unlock_again
from shell_kit import FakeClock, call_casework
from test_tired_dates import everyone, type_into
from test_tired_kept_forms import kept_keys

from linksdesk.casework import goals, participants
from linksdesk.ui.dialogs.goal import GoalDialog
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

PHONE = "07700 900123"  # an Ofcom drama number: synthetic


def walked_away(clock: FakeClock, session: UiSession) -> None:
    clock.advance(session.settings.auto_lock_minutes * 60 + 1)


def goal_typed_then_locked(
    qtbot: Any, window: Any, session: UiSession, clock: FakeClock, words: str
) -> str:
    """On the open record's Goals tab: Set a goal…, ``words`` typed as its title, then the
    idle lock while the dialog is open, and the unlock; the key the words are kept under."""

    def typed_then_called_away(dialog: GoalDialog) -> None:
        type_into(qtbot, dialog.widget("title"), words)
        walked_away(clock, session)

    state = on_modal(typed_then_called_away, kind=GoalDialog)
    with qtbot.waitSignal(session.sig_closed, timeout=20_000):
        window.participant_view.goals.set_goal()
    finished(qtbot, state)
    unlock_again(qtbot, window, session)
    (key,) = kept_keys(qtbot, session)
    return key


def test_a_new_participants_details_typed_before_the_idle_lock_are_back_after_unlock(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock, vault_file: Path
) -> None:
    window = unlocked_window
    before = everyone(qtbot, ui_session)

    def typed_then_called_away(dialog: ParticipantDialog) -> None:
        type_into(qtbot, dialog.widget("given_name"), "Ailsa")
        type_into(qtbot, dialog.widget("family_name"), "Testperson")
        type_into(qtbot, dialog.widget("date_of_birth"), "14/3/58")
        type_into(qtbot, dialog.widget("phone"), PHONE)
        walked_away(clock, ui_session)

    state = on_modal(typed_then_called_away, kind=ParticipantDialog)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_new_participant.trigger()
    finished(qtbot, state)
    assert window.stack.currentWidget() is window.unlock_screen
    assert QApplication.activeModalWidget() is None
    # kept inside the encrypted vault only
    for path in vault_file.parent.rglob("*"):
        if path.is_file():
            assert PHONE.encode() not in path.read_bytes(), path.name

    unlock_again(qtbot, window, ui_session)
    (key,) = kept_keys(qtbot, ui_session)
    assert key.startswith("form/-/ParticipantDialog.")
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert "New participant" in bar.said()

    seen: dict[str, Any] = {}

    def carried_on(dialog: ParticipantDialog) -> None:
        seen["values"] = dialog.values()
        seen["said"] = dialog.message.text()
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    state = on_modal(carried_on, kind=ParticipantDialog)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        bar.label.linkActivated.emit(key)  # "New participant", clicked
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert "kept" in seen["said"]
    assert seen["values"]["given_name"] == "Ailsa" and seen["values"]["phone"] == PHONE
    (new,) = everyone(qtbot, ui_session) - before
    saved = call_casework(qtbot, ui_session, participants.get_participant, new)
    assert (saved.family_name, saved.date_of_birth) == ("Testperson", dt.date(1958, 3, 14))
    assert not bar.isVisible()
    assert kept_keys(qtbot, ui_session) == []  # never offered a second time


def test_a_goal_in_the_persons_words_comes_back_in_the_set_a_goal_dialog_of_that_record(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "goals")
    words = "Get back to the allotment on Saturdays"
    key = goal_typed_then_locked(qtbot, window, ui_session, clock, words)
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert "Set a goal" in bar.said() and "Ailsa Testington" in bar.said()
    assert key.startswith(f"form/{who.id}/GoalDialog.")

    def carried_on(dialog: GoalDialog) -> None:
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    state = on_modal(carried_on, kind=GoalDialog)
    bar.label.linkActivated.emit(key)  # the person's name, clicked
    finished(qtbot, state)
    settle(qtbot, ui_session)
    saved = call_casework(qtbot, ui_session, goals.list_goals, who.id)
    assert [g.title for g in saved] == [words]
    assert kept_keys(qtbot, ui_session) == []
