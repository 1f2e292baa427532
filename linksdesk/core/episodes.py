"""Episodes of support: the one order of a person's scores of one measure, and the one rule
that splits them where the person came back. The supervisor's reports
(``reports.wellbeing``), the participant's own Wellbeing tab and record
(``casework.measures``) and the GP summary all order and pair by these alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
D = TypeVar("D", dt.date, str)  # a day, or its ISO text (which sorts as the day does)


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
    is_baseline: Callable[[T], bool],
    recorded: Callable[[T], str],
) -> list[list[T]]:
    """A person's scores of one measure in episodes of support, each oldest first
    (``in_order``): a score marked baseline on a later day than its episode's first starts
    the next (the person came back). Same-day scores stay together; a first score need
    not be a baseline."""
    out: list[list[T]] = []
    for score in in_order(scores, day, recorded):
        if not out or (is_baseline(score) and day(score) > day(out[-1][0])):
            out.append([score])
        else:
            out[-1].append(score)
    return out
