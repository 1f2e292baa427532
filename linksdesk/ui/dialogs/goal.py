"""Dialogs for goals: set one in the person's own words, add a step, review progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from linksdesk.casework import goals
from linksdesk.ui.dialogs.form import Field, FormDialog, enum_choice, review_weeks


class GoalDialog(FormDialog):
    """A new goal, with its first steps (one per line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(
            tr("Set a goal"),
            [
                Field("title", tr("Goal, in the person's own words"), "text", required=True),
                Field("why_it_matters", tr("Why it matters to them"), "text"),
                review_field("review_on", tr("Review on"), tr, parent),
                Field("progress", tr("Where they are now (0–10)"), "int", 0, maximum=10),
                Field("steps", tr("Steps, one per line"), "text"),
            ],
            parent,
            # refused by casework (a review day before today): said here, the words kept
            validate=goals.goal_problem,
        )

    def values(self) -> dict[str, Any]:
        out = super().values()
        out["steps"] = [s.strip() for s in (out.get("steps") or "").splitlines() if s.strip()]
        return out

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> dict[str, Any] | None:
        """Keyword arguments for set_goal (title first), or None."""
        return cls(parent).run()


class StepDialog(FormDialog):
    """A step of ``goal``: what is typed at a lock is kept for that goal, and comes back to it
    whichever goal is selected when it is taken up (without a goal it keeps nothing)."""

    def __init__(self, parent: QWidget | None = None, goal: Any = None) -> None:
        tr = self.tr
        super().__init__(
            tr("Add a step"),
            [
                Field("description", tr("Step"), "text", required=True),
                Field("due_on", tr("Due on"), "optional_date", dt.date.today(), ahead=True),
            ],
            parent,
            validate=goals.step_problem,
        )
        self.keeps_draft = goal is not None
        self.about = goal.id if goal is not None else ""

    @classmethod
    def ask(cls, parent: QWidget | None, goal: Any) -> dict[str, Any] | None:
        return cls(parent, goal).run()


class ReviewDialog(FormDialog):
    """Review a goal: progress now, its status, and when to look at it again."""

    def __init__(self, goal: Any, parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(
            tr("Review goal"),
            [
                Field("progress", tr("Progress now (0–10)"), "int", goal.progress, maximum=10),
                enum_choice("status", tr("Status"), goal.status),
                review_field("next_review_on", tr("Next review"), tr, parent),
            ],
            parent,
            intro=goal.title,
            # refused by casework (a next review before the goal was set): said here, the
            # progress and status chosen kept
            validate=lambda values: goals.review_problem(goal.set_on, values),
        )
        self.about = goal.id

    @classmethod
    def ask(cls, parent: QWidget | None, goal: Any) -> dict[str, Any] | None:
        return cls(goal, parent).run()


def default_review(on: dt.date, weeks: int) -> dt.date:
    return on + dt.timedelta(weeks=weeks)


def review_field(key: str, label: str, tr: Callable[[str], str], parent: QWidget | None) -> Field:
    """When to look at the goal again: the programme's usual review interval from today."""
    return Field(
        key,
        label,
        "optional_date",
        default_review(dt.date.today(), review_weeks(parent)),
        help=tr("Set to the programme's usual review interval from today."),
        ahead=True,
    )
