"""Goals: review dates from settings, steps, progress, reviews and status."""

from __future__ import annotations

import datetime as dt

import pytest

from linksdesk.casework import goals as G
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import GoalStatus

DAY = dt.date(2025, 4, 1)


def test_review_date_defaults_from_settings(cb: Casebook, person: Participant) -> None:
    goal = G.set_goal(cb, person.id, "Feel less alone", set_on=DAY).value
    assert goal.review_on == DAY + dt.timedelta(weeks=6)
    cb.update_settings(review_goals_every_weeks=2)
    other = G.set_goal(cb, person.id, "Sort the bills", set_on=DAY, why_it_matters="Less worry")
    assert other.value.review_on == DAY + dt.timedelta(weeks=2)
    explicit = G.set_goal(cb, person.id, "x", set_on=DAY, review_on=DAY + dt.timedelta(days=3))
    assert explicit.value.review_on == DAY + dt.timedelta(days=3)
    with pytest.raises(ValidationError, match="Review on"):
        G.set_goal(cb, person.id, "x", set_on=DAY, review_on=DAY - dt.timedelta(days=1))
    # changed afterwards through the programme interface: the same rule, nothing written
    for change in ({"review_on": DAY - dt.timedelta(days=1)}, {"set_on": DAY + dt.timedelta(4)}):
        with pytest.raises(ValidationError, match="Review on cannot be before"):
            G.edit_goal(cb, explicit.value.id, **change)
    kept = G.edit_goal(cb, explicit.value.id, title="y", set_on=DAY + dt.timedelta(days=3)).value
    assert (kept.title, kept.set_on, kept.review_on) == (
        "y",
        kept.review_on,
        explicit.value.review_on,
    )


def test_steps_add_reorder_complete_remove(cb: Casebook, person: Participant) -> None:
    goal = G.set_goal(cb, person.id, "Join a group", steps=["Look", "Phone"]).value
    assert [s.description for s in goal.steps] == ["Look", "Phone"]
    visit = G.add_step(cb, goal.id, "Go along", due_on=DAY).value
    assert visit.position == 3
    order = [visit.id, goal.steps[0].id, goal.steps[1].id]
    reordered = G.reorder_steps(cb, goal.id, order).value
    assert [s.id for s in reordered.steps] == order
    assert [s.position for s in reordered.steps] == [1, 2, 3]
    with pytest.raises(ValidationError, match="exactly this goal's steps"):
        G.reorder_steps(cb, goal.id, order[:2])
    done = G.complete_step(cb, visit.id, on=DAY).value
    assert done.done and done.done_on == DAY
    assert not G.complete_step(cb, visit.id, done=False).value.done
    G.edit_step(cb, visit.id, description="Go along with the worker")
    G.remove_step(cb, goal.steps[0].id)
    assert [s.description for s in G.get_goal(cb, goal.id).steps] == [
        "Go along with the worker",
        "Phone",
    ]


def test_progress_review_and_status(cb: Casebook, person: Participant) -> None:
    goal = G.set_goal(cb, person.id, "Walk daily", set_on=DAY).value
    assert G.rate_progress(cb, goal.id, 4).value.progress == 4
    with pytest.raises(ValidationError, match="Progress"):
        G.rate_progress(cb, goal.id, 11)
    reviewed = G.review_goal(cb, goal.id, progress=6, on=DAY + dt.timedelta(days=40)).value
    assert reviewed.progress == 6
    assert reviewed.review_on == DAY + dt.timedelta(days=40, weeks=6)
    achieved = G.change_goal_status(cb, goal.id, GoalStatus.ACHIEVED, on=DAY).value
    assert achieved.closed_on == DAY
    partly = G.change_goal_status(cb, goal.id, "partly_achieved", on=DAY + dt.timedelta(1)).value
    assert partly.closed_on == DAY  # still closed since the first day
    assert G.list_goals(cb, person.id, include_closed=False) == []
    reopened = G.change_goal_status(cb, goal.id, GoalStatus.ACTIVE).value
    assert reopened.closed_on is None
    assert [g.id for g in G.list_goals(cb, person.id, include_closed=False)] == [goal.id]
    with pytest.raises(ValidationError, match="Goal status"):
        G.change_goal_status(cb, goal.id, "finished")
