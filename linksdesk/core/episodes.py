"""Episodes of support: the one rule that splits a person's scores of one measure where they
came back. The supervisor's reports (``reports.figures``) and the participant's own
Wellbeing tab (``casework.measures``) both pair within an episode, by this rule alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
D = TypeVar("D", dt.date, str)  # a day, or its ISO text (which sorts as the day does)


def episodes(
    scores: Iterable[T], day: Callable[[T], D], is_baseline: Callable[[T], bool]
) -> list[list[T]]:
    """A person's scores of one measure, oldest first, in episodes of support: a score
    marked baseline on a later day than its episode's first starts the next (the person
    came back). Same-day scores stay together; a first score need not be a baseline."""
    out: list[list[T]] = []
    for score in scores:
        if not out or (is_baseline(score) and day(score) > day(out[-1][0])):
            out.append([score])
        else:
            out[-1].append(score)
    return out
