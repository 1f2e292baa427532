"""Episodes of support: the one order of a person's scores of one measure, and the one rule
that splits them where the person came back. The supervisor's reports
(``reports.sections.wellbeing``), the participant's own Wellbeing tab and record
(``casework.measures``) and the GP summary all order and pair by these alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from linksdesk.core.vocab import MeasureContext

T = TypeVar("T")
D = TypeVar("D", dt.date, str)  # a day, or its ISO text (which sorts as the day does)

BASELINE = MeasureContext.BASELINE.value
# scores that mark where an episode of support starts or ends
MARKED = frozenset({BASELINE, MeasureContext.CLOSING.value})


def order_key(day: dt.date | str, recorded: str) -> str:
    """Where a score stands among a person's scores, as text that sorts as ``in_order``
    does (a table's sort role takes it as it is): the day taken, then when recorded."""
    return f"{day if isinstance(day, str) else day.isoformat()} {recorded}"


def in_order(scores: Iterable[T], day: Callable[[T], D], recorded: Callable[[T], str]) -> list[T]:
    """Scores oldest first: by the day taken, and scores of one day in the order they were
    recorded (``recorded``: the score's id, a uuid7, which begins with the time it was
    made). A review and a closing score taken at one last meeting pair as the worker
    recorded them, never by which is higher."""
    return sorted(scores, key=lambda s: order_key(day(s), recorded(s)))


def episodes(
    scores: Iterable[T],
    day: Callable[[T], D],
    context: Callable[[T], str],
    recorded: Callable[[T], str],
) -> list[list[T]]:
    """A person's scores of one measure in episodes of support, each oldest first
    (``in_order``): a score marked baseline starts the next (the person came back) when it
    is on a later day than its episode's first and an earlier day holds a score marked
    baseline or closing. Same-day scores stay together; a first score need not be a
    baseline; and a form from before the first baseline (one from a first meeting, typed in
    late as a review) joins that baseline's episode rather than making one of its own."""
    out: list[list[T]] = []
    marked: D | None = None  # the first day with a score marked baseline or closing
    for score in in_order(scores, day, recorded):
        taken, kind = day(score), context(score)
        came_back = kind == BASELINE and marked is not None and marked < taken
        if not out or (came_back and taken > day(out[-1][0])):
            out.append([score])
        else:
            out[-1].append(score)
        if marked is None and kind in MARKED:
            marked = taken
    return out
