"""Outside check 20: a goal's second review, its next review typed with last year's digits.

The user guide: "a goal's review before the day it is set" is refused with the dialog still
open, and Set a goal does so (tests/ui/test_outside17_goal_review_day.py). At the turn of
the year a tired worker reviews a goal set in the autumn and types the next review with the
old year ("5/1/26" for January next year, a date in full that no yearless reading moves on).
Review goal took it: the goal's review was set before the goal itself, so it stood overdue on
Today from then on, and the progress and status chosen were saved with it, unasked.
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
from linksdesk.core.vocab import GoalStatus
from linksdesk.ui.dialogs.goal import ReviewDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_a_next_review_before_the_goal_was_set_keeps_review_goal_open(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "goals")
    today = dt.date.today()
    set_on = today - dt.timedelta(days=40)
    made = call_casework(
        qtbot, ui_session, goals.set_goal, who.id, "Walk to the shop on my own", set_on=set_on
    ).value
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.goals)
    mistyped = set_on - dt.timedelta(days=300)  # the old year's digits
    later = today + dt.timedelta(days=42)
    seen: dict[str, Any] = {}

    def second_review(dialog: ReviewDialog) -> None:
        dialog.set_values({"progress": 6, "status": GoalStatus.ON_HOLD})
        review = dialog.widget("next_review_on")
        review.edit.setText(f"{mistyped.day}/{mistyped.month}/{mistyped.year}")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["first"] = (dialog.isVisible(), dialog.message.text(), dialog.values())
        review.edit.setText(f"{later.day}/{later.month}/{later.year}")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(second_review, kind=ReviewDialog)
    qtbot.mouseClick(view.goals.review_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, values = seen["first"]
    assert still_open, (
        f"Review goal closed on a review before the goal was set: {view.message.text()}"
    )
    assert "before the goal was set" in said
    assert (values["progress"], values["status"]) == (6, GoalStatus.ON_HOLD)  # nothing lost
    kept = call_casework(qtbot, ui_session, goals.get_goal, made.id)
    assert (kept.review_on, kept.progress, kept.status) == (later, 6, GoalStatus.ON_HOLD)
