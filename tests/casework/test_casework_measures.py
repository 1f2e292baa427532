"""Measures: scored with core.measures, stored with items, compared with the baseline."""

from __future__ import annotations

import datetime as dt

import pytest

from linksdesk.casework import measures as M
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.measures import MeasureItemError
from linksdesk.core.vocab import Change, MeasureContext, MeasureKind

D = dt.date(2025, 1, 1)


def test_wemwbs_change_against_baseline(cb: Casebook, person: Participant) -> None:
    base = M.record_measure(
        cb, person.id, MeasureKind.WEMWBS, [3] * 14, context="baseline", taken_on=D, assisted=True
    ).value
    assert (base.total, base.metric, base.is_baseline, base.assisted) == (42, None, True, True)
    small = [3] * 12 + [4, 4]  # +2: no meaningful change
    possible = [4] * 5 + [3] * 9  # +5: possible
    clear = [4] * 14  # +14: clear
    for i, items in enumerate((small, possible, clear), start=1):
        M.record_measure(
            cb,
            person.id,
            "wemwbs",
            items,
            context=MeasureContext.REVIEW,
            taken_on=D + dt.timedelta(weeks=6 * i),
        )
    listed = M.list_measures(cb, person.id, MeasureKind.WEMWBS)
    assert [m.total for m in listed] == [42, 44, 47, 56]
    changes = [m.vs_baseline.change if m.vs_baseline else None for m in listed]
    assert changes == [None, Change.NONE, Change.POSSIBLE, Change.CLEAR]
    assert listed[3].vs_baseline is not None and listed[3].vs_baseline.direction == 1
    assert listed[3].vs_baseline.summary.startswith("Clear improvement")


def test_swemwbs_uses_metric_score(cb: Casebook, person: Participant) -> None:
    M.record_measure(cb, person.id, "swemwbs", [3] * 7, context="baseline", taken_on=D)
    later = M.record_measure(
        cb, person.id, "swemwbs", [3] * 6 + [4], context="closing", taken_on=D + dt.timedelta(60)
    ).value
    assert (later.total, later.metric) == (22, 19.98)
    assert later.vs_baseline is not None
    assert later.vs_baseline.difference == pytest.approx(0.73)
    assert later.vs_baseline.change is Change.NONE


def test_ons4_is_kept_per_question(cb: Casebook, person: Participant) -> None:
    M.record_measure(cb, person.id, "ons4", [4, 5, 6, 8], context="baseline", taken_on=D)
    later = M.record_measure(
        cb, person.id, "ons4", [6, 5, 7, 3], context="review", taken_on=D + dt.timedelta(30)
    ).value
    assert later.total is None and later.vs_baseline is None
    assert later.item_differences == (2, 0, 1, -5)


def test_missing_items_are_refused_naming_the_item(cb: Casebook, person: Participant) -> None:
    with pytest.raises(MeasureItemError) as info:
        M.record_measure(cb, person.id, "swemwbs", [3, 3, None, 3, 3, 3, 3], context="baseline")
    assert info.value.item_numbers == (3,) and "relaxed" in str(info.value)
    with pytest.raises(ValidationError, match="future"):
        M.record_measure(
            cb,
            person.id,
            "ons4",
            [1, 1, 1, 1],
            context="review",
            taken_on=dt.date.today() + dt.timedelta(days=1),
        )
    assert M.list_measures(cb, person.id) == []


def test_baseline_is_the_marked_one_else_the_earliest(cb: Casebook, person: Participant) -> None:
    M.record_measure(cb, person.id, "wemwbs", [2] * 14, context="review", taken_on=D)
    marked = M.record_measure(
        cb, person.id, "wemwbs", [3] * 14, context="baseline", taken_on=D + dt.timedelta(1)
    ).value
    listed = M.list_measures(cb, person.id)
    assert [m.is_baseline for m in listed] == [False, True]
    assert listed[1].id == marked.id
    assert listed[0].vs_baseline is not None and listed[0].vs_baseline.direction == -1
    M.remove_measure(cb, marked.id)
    assert M.list_measures(cb, person.id)[0].is_baseline
