"""The days an onward referral's steps happened, and its status as at a day: one rule for
casework, the worker's screens, the supervisor's reports and the evaluation files.

An onward referral is suggested, then made, then ends (attended, declined, no capacity);
it may start as made, and a suggestion may be declined. Each step keeps its own day in
the row (``suggested_on``, ``made_on``, ``outcome_on``): none is moved by a later step.

Rows recorded before the suggested day was kept (vault migration 0013) hold one day only,
``made_on``, which moved to the day the referral was made when it was. They are read as
they were recorded, by this rule, never rewritten: a row still suggested has its
``made_on`` as the day it was suggested (it was not made); a row that had moved on has its
``made_on`` as the day it was made, and no known day of suggestion (it may have started
as made), so it counts from that day and is in no time from suggestion to made. Its next
step, recorded with this version, writes the days in their own columns.

Days may be ``datetime.date`` or ISO text (the reports read rows as text): both order the
same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from linksdesk.core.vocab import OnwardStatus

D = TypeVar("D")  # a datetime.date or an ISO date's text

SUGGESTED = OnwardStatus.SUGGESTED.value
MADE = OnwardStatus.MADE.value
FINAL = frozenset({OnwardStatus.ATTENDED.value, OnwardStatus.DECLINED.value,
                   OnwardStatus.NO_CAPACITY.value})  # fmt: skip


@dataclass(frozen=True)
class Steps(Generic[D]):
    """An onward referral's status now and the day of each step (None: not taken, or for a
    row recorded before the suggested day was kept, not known)."""

    status: str
    suggested_on: D | None
    made_on: D | None
    outcome_on: D | None

    @property
    def started_on(self) -> D | None:
        """The day it was first recorded: suggested, or made straight away. It never moves,
        so the month an onward referral counts in never does."""
        return self.suggested_on if self.suggested_on is not None else self.made_on

    @property
    def current_on(self) -> D | None:
        """The day of the step it is at now (what a list of those awaiting an outcome counts
        the wait from)."""
        if self.status in FINAL and self.outcome_on is not None:
            return self.outcome_on
        return self.made_on if self.made_on is not None else self.suggested_on

    def status_at(self, day: D) -> str | None:
        """Its status as at the end of ``day``; None if it was not yet recorded then. A final
        status with no day (a row from a device that wrote none) counts as it is."""
        start = self.started_on
        if start is not None and start > day:  # type: ignore[operator]
            return None
        if self.status in FINAL and (self.outcome_on is None or self.outcome_on <= day):  # type: ignore[operator]
            return self.status
        if self.made_on is not None and self.made_on <= day:  # type: ignore[operator]
            return MADE
        if self.status == MADE and self.suggested_on is None:
            return MADE  # no day at all: as it is
        return SUGGESTED


def steps(status: str, suggested_on: D | None, made_on: D | None, outcome_on: D | None) -> Steps[D]:
    """The row's days by the rule above (a row recorded before 0013 read as it was)."""
    if suggested_on is None and status == SUGGESTED:
        # recorded before the suggested day was kept: made_on was the day it was suggested
        return Steps(status, made_on, None, outcome_on)
    return Steps(status, suggested_on, made_on, outcome_on)
