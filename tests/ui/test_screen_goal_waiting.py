"""A goal's steps whose goal this laptop does not hold stay in sight on the Goals tab.

Pulled rows are kept as they came (``storage.waiting``): a step can be here without its goal
(the server no longer holds it, or it is still to come). The tab lists it under "(a goal not
on this laptop)", and asking to edit that goal says plainly that it is not here. The goal is
taken out of the vault as a pull that never brought it leaves it (foreign keys off, as
pulled rows are written).
"""

from __future__ import annotations

from typing import Any

import pytest
from screens_kit import goal, person, settle, texts
from shell_kit import call_casework
from sqlalchemy import text
from test_screen_goal_steps import open_goals, select_step, steps_shown

from linksdesk.casework import goals
from linksdesk.core.errors import NotFoundError

pytestmark = pytest.mark.gui


def _goal_never_pulled(cb: Any, goal_id: str) -> None:
    with cb.store.applying() as s:
        s.execute(text("DELETE FROM goal WHERE id = :id"), {"id": goal_id})


def test_steps_whose_goal_is_not_here_are_listed_under_a_goal_not_on_this_laptop(
    qtbot: Any, unlocked: Any
) -> None:
    ailsa = person(qtbot, unlocked)
    kept = goal(qtbot, unlocked, ailsa.id, "Join a choir", steps=["Find one"])
    gone = goal(qtbot, unlocked, ailsa.id, "Walk to the shops", steps=["Bus pass", "Walk"])
    call_casework(qtbot, unlocked, _goal_never_pulled, gone.id)

    view = open_goals(qtbot, unlocked, ailsa.id)
    tab = view.goals
    titles = texts(tab.goals_proxy, 0)
    assert sorted(titles) == sorted(["Join a choir", goals.GONE_GOAL])
    tab.goals_table.setCurrentIndex(tab.goals_proxy.index(titles.index(goals.GONE_GOAL), 0))
    qtbot.waitUntil(lambda: [s for _n, s in steps_shown(tab)] == ["Bus pass", "Walk"])
    # shown, not offered to change: this laptop could not save a change to that goal
    select_step(tab, "Bus pass")
    offered = (tab.review_button, tab.step_button, tab.done_button, tab.remove_button)
    assert [b.isEnabled() for b in offered] == [False] * 4
    assert tab.set_button.isEnabled()  # a new goal can still be set
    tab.toggle_step()  # Enter on the step: nothing is changed
    settle(qtbot, unlocked)
    assert texts(tab.steps_proxy, 1) == ["", ""]  # neither step marked done
    with pytest.raises(NotFoundError):
        call_casework(qtbot, unlocked, goals.edit_goal, gone.id, title="Walk further")
    assert kept.id in {g.id for g in call_casework(qtbot, unlocked, goals.list_goals, ailsa.id)}
