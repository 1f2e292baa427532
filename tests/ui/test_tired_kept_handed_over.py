"""A form kept at a lock for a case handed over since: the bar says so, and the words stay
reachable (shown, to copy) until the worker discards them."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtGui import QGuiApplication
from screens_kit import on_record_tab, settle
from shell_kit import FakeClock, on_db_thread
from test_screen_read_only import hand_over_keeping_a_copy
from test_tired_kept_dialogs import goal_typed_then_locked
from test_tired_kept_forms import kept_keys

from linksdesk.core.changes import Changes
from linksdesk.ui.dialogs.kept_text import KeptTextDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

WORDS = "Get back to the allotment on Saturdays"


def goal_kept_at_a_lock(
    qtbot: Any, window: Any, ui_session: UiSession, clock: FakeClock
) -> tuple[Any, str]:
    """A goal typed on a record's Goals tab and kept at the idle lock: whose, and its key."""
    who = on_record_tab(qtbot, window, ui_session, "goals")
    key = goal_typed_then_locked(qtbot, window, ui_session, clock, WORDS)
    qtbot.waitUntil(window.kept_drafts.isVisible, timeout=20_000)
    return who, key


def shown_and_copied(qtbot: Any, bar: Any, key: str) -> dict[str, Any]:
    """The kept words' link in the bar, clicked: what its dialog showed, whether Keep was
    the default, and what Copy put on the clipboard (then Keep)."""
    seen: dict[str, Any] = {}

    def looked_and_copied(dialog: KeptTextDialog) -> None:
        seen["shown"] = dialog.text_view.toPlainText()
        seen["default"] = dialog.keep_button.isDefault()
        dialog.copy_button.click()
        seen["copied"] = QGuiApplication.clipboard().text()
        dialog.keep_button.click()

    state = on_modal(looked_and_copied, kind=KeptTextDialog)
    bar.label.linkActivated.emit(key)
    finished(qtbot, state)
    return seen


def test_a_goal_kept_for_a_case_handed_over_since_is_named_so_and_can_be_copied_then_discarded(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock, monkeypatch: Any
) -> None:
    window = unlocked_window
    who, key = goal_kept_at_a_lock(qtbot, window, ui_session, clock)
    bar = window.kept_drafts
    assert "handed over" not in bar.said()

    # the case is handed over to a colleague by the next sync
    cb = ui_session.require_casebook()
    on_db_thread(qtbot, ui_session, hand_over_keeping_a_copy, cb, who.id)
    ui_session.sig_changed.emit(Changes())  # what a finished sync announces
    qtbot.waitUntil(lambda: "handed over" in bar.said(), timeout=20_000)
    assert "Set a goal" in bar.said() and "Ailsa Testington" in bar.said()

    # the link shows the words (the record cannot take them), to copy; kept is the default
    seen = shown_and_copied(qtbot, bar, key)
    assert window.participant_view.participant_id == who.id and window.participant_view.read_only
    assert WORDS in seen["shown"] and WORDS in seen["copied"] and seen["default"]
    settle(qtbot, ui_session)
    assert kept_keys(qtbot, ui_session) == [key]  # closing keeps it
    assert "handed over" in bar.said()

    # it goes only when the worker says so, and after asking
    answers = iter([False, True])
    monkeypatch.setattr(KeptTextDialog, "confirm_discard", classmethod(lambda c, p: next(answers)))

    def discarded_on_second_thought(dialog: KeptTextDialog) -> None:
        dialog.discard_button.click()
        seen["still_open"] = dialog.isVisible()
        dialog.discard_button.click()

    state = on_modal(discarded_on_second_thought, kind=KeptTextDialog)
    bar.label.linkActivated.emit(key)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["still_open"]
    assert kept_keys(qtbot, ui_session) == []
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=20_000)


def test_a_kept_goal_taken_up_before_the_open_record_reads_the_handover_shows_the_words(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    """The bar's link pressed at once after a sync handed the case over, before the open
    record has read itself again: the words are shown to copy, never the goal form, which
    could not save them."""
    window = unlocked_window
    who, key = goal_kept_at_a_lock(qtbot, window, ui_session, clock)
    assert not window.participant_view.read_only
    cb = ui_session.require_casebook()
    on_db_thread(qtbot, ui_session, hand_over_keeping_a_copy, cb, who.id)
    state = on_modal(lambda dialog: dialog.reject())  # whichever dialog comes up
    ui_session.sig_changed.emit(Changes())  # the sync's news: the record reads itself again
    window.kept_drafts.label.linkActivated.emit(key)  # pressed before that read is back
    finished(qtbot, state)
    assert isinstance(state["dialog"], KeptTextDialog), type(state["dialog"]).__name__
    assert window.participant_view.read_only
    settle(qtbot, ui_session)
    assert kept_keys(qtbot, ui_session) == [key]  # closed, not discarded: still kept
