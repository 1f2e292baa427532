"""Outside check 17: a goal set in December, its review typed as "6/1".

A day and month without a year are read in this year (the user guide's dates rule), so "6/1"
typed on a December day is last January, and casework refuses a review before the goal was
set. The goal is in the person's own words, which the user guide keeps even across a lock;
COMMON's rule: bad input gets a clear message and loses nothing. Refused after Set a goal
closed, the words went with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import on_record_tab, settle
from shell_kit import call_casework

from linksdesk.casework import goals
from linksdesk.ui.dialogs.goal import GoalDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

WORDS = "I want to get back to the bowling club before the summer"


def test_a_review_day_before_today_keeps_set_a_goal_open_with_the_persons_words(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "goals")
    view = window.participant_view
    before = dt.date.today() - dt.timedelta(days=30)
    seen: dict[str, Any] = {}

    def typed(dialog: GoalDialog) -> None:
        dialog.set_values({"title": WORDS, "steps": "Phone the club\nFind the shoes"})
        review = dialog.widget("review_on")
        review.edit.setText(f"{before.day}/{before.month}/{before.year}")  # as typed
        assert review.value() == before
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["first"] = (dialog.isVisible(), dialog.message.text(), dialog.values())
        later = dt.date.today() + dt.timedelta(days=30)
        review.edit.setText(f"{later.day}/{later.month}/{later.year}")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(typed, kind=GoalDialog)
    qtbot.mouseClick(view.goals.set_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, values = seen["first"]
    assert still_open, f"Set a goal closed; the record said: {view.message.text()}"
    assert "Review on" in said
    assert values["title"] == WORDS and values["steps"] == ["Phone the club", "Find the shoes"]
    (kept,) = call_casework(qtbot, ui_session, goals.list_goals, who.id)
    assert kept.title == WORDS and len(kept.steps) == 2
