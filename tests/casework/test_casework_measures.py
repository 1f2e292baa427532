"""Measures: scored with core.measures, stored with items, compared with the baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from linksdesk.casework import measures as M
from linksdesk.casework import participants, referrals
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.measures import MeasureItemError
from linksdesk.core.vocab import Change, MeasureContext, MeasureKind
from linksdesk.storage.tables import Measure as MeasureRow

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


def test_a_person_who_came_back_is_compared_within_their_new_episode(
    cb: Casebook, person: Participant
) -> None:
    """The reports' rule (core.episodes): a score marked baseline on a later day starts a new
    episode of support, and later scores are compared with it, not with the first ever."""
    day = dt.date(2025, 1, 10)
    for weeks, total, context in ((0, 40, "baseline"), (12, 48, "review"),
                                  (80, 36, "baseline"), (92, 45, "review")):  # fmt: skip
        items = [3] * 14
        for n in range(total - 42 if total > 42 else 0):
            items[n] += 1
        for n in range(42 - total if total < 42 else 0):
            items[n] -= 1
        M.record_measure(cb, person.id, "wemwbs", items, context=context,
                         taken_on=day + dt.timedelta(weeks=weeks))  # fmt: skip
    listed = M.list_measures(cb, person.id)
    assert [(m.total, m.episode, m.is_baseline) for m in listed] == [
        (40, 1, True), (48, 1, False), (36, 2, True), (45, 2, False)
    ]  # fmt: skip
    differences = [m.vs_baseline.difference if m.vs_baseline else None for m in listed]
    assert differences == [None, 8, None, 9]  # 45 against 36, not against 40
    # the participant's record (PDF) says the same as the tab
    from linksdesk.casework.own_record import _measures

    with cb.store.read() as s:
        rows = list(s.scalars(select(MeasureRow).order_by(MeasureRow.taken_on)))
    assert [e.change is None for e in _measures(rows)] == [True, False, True, False]


def test_a_form_dated_before_the_first_baseline_joins_its_episode(
    cb: Casebook, person: Participant
) -> None:
    """A paper form from the first meeting, typed in weeks later as a review, is dated a
    fortnight before the baseline: it used to be episode 1 and the baseline episode 2, as if
    the person had left and come back. Only a baseline after an earlier baseline or closing
    score starts a new episode; one who closed with reviews only and came back still does."""
    other = participants.create_participant(cb, given_name="Ailsa", family_name="Testother").value
    for who, contexts in ((person, ("review", "baseline", "review", "closing", "baseline")),
                          (other, ("review", "closing", "baseline"))):  # fmt: skip
        for n, context in enumerate(contexts):
            M.record_measure(cb, who.id, "wemwbs", [2 + n % 4] * 14, context=context,
                             taken_on=D + dt.timedelta(weeks=[0, 2, 10, 20, 60][n]))  # fmt: skip
    listed = M.list_measures(cb, person.id)
    assert [m.episode for m in listed] == [1, 1, 1, 1, 2]
    assert [m.vs_baseline.difference if m.vs_baseline else None for m in listed] == [
        None,
        14,
        28,
        42,
        None,
    ]  # fmt: skip: each against the paper form, the episode's first
    assert [m.episode for m in M.list_measures(cb, other.id)] == [1, 1, 2]


def test_a_new_form_is_a_baseline_when_the_person_came_back(
    cb: Casebook, person: Participant
) -> None:
    first = M.record_measure(cb, person.id, "wemwbs", [3] * 14, context="baseline",
                             taken_on=D).value  # fmt: skip
    ons4 = MeasureKind.ONS4
    wemwbs, scores = MeasureKind.WEMWBS, [first]
    assert M.context_for_next(wemwbs, scores, [], []) is MeasureContext.REVIEW
    assert M.context_for_next(ons4, scores, [], []) is MeasureContext.BASELINE  # none yet
    participants.close_participant(cb, person.id, "finished", on=D + dt.timedelta(30))
    back = participants.reopen_participant(cb, person.id, on=D + dt.timedelta(200))
    assert back.value.status.value == "active"
    statuses = participants.status_history(cb, person.id)
    assert M.context_for_next(wemwbs, scores, statuses, []) is MeasureContext.BASELINE
    # closed and reopened before the last score: that score was the new baseline
    later = replace(first, taken_on=D + dt.timedelta(210))
    assert M.context_for_next(wemwbs, [later], statuses, []) is MeasureContext.REVIEW
    again = referrals.record_referral(cb, person.id, source="gp",
                                      received_on=D + dt.timedelta(220)).value  # fmt: skip
    assert M.context_for_next(wemwbs, [later], statuses, [again]) is MeasureContext.BASELINE
