"""Onward referrals: the status lifecycle, outcomes, and the awaiting-outcome list."""

from __future__ import annotations

import datetime as dt

import pytest

from linksdesk.casework import lists, onward, resources
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import OnwardKind, OnwardStatus

S = OnwardStatus
DAY = dt.date(2025, 6, 2)


@pytest.fixture
def resource_id(cb: Casebook) -> str:
    return resources.add_resource(cb, organisation="Men's Shed", service="Woodwork").value.id


def test_lifecycle_with_outcome(cb: Casebook, person: Participant, resource_id: str) -> None:
    o = onward.refer_onward(cb, person.id, resource_id, OnwardKind.REFERRAL, on=DAY).value
    assert o.status is S.SUGGESTED and o.resource_name == "Men's Shed — Woodwork"
    made = onward.update_onward(cb, o.id, S.MADE, on=DAY + dt.timedelta(days=2)).value
    assert made.made_on == DAY + dt.timedelta(days=2)
    done = onward.update_onward(
        cb, o.id, S.ATTENDED, outcome="Goes every week", on=DAY + dt.timedelta(days=20)
    ).value
    assert (done.status, done.outcome, done.outcome_on) == (
        S.ATTENDED,
        "Goes every week",
        DAY + dt.timedelta(days=20),
    )
    fixed = onward.update_onward(cb, o.id, S.ATTENDED, outcome="Goes twice a week").value
    assert fixed.outcome == "Goes twice a week" and fixed.outcome_on == done.outcome_on
    assert onward.list_onward_referrals(cb, person.id) == [fixed]


ALLOWED = {
    (S.SUGGESTED, S.MADE),
    (S.SUGGESTED, S.DECLINED),
    (S.MADE, S.ATTENDED),
    (S.MADE, S.DECLINED),
    (S.MADE, S.NO_CAPACITY),
}


@pytest.mark.parametrize("start", [S.SUGGESTED, S.MADE])
def test_only_lifecycle_transitions_are_allowed(
    cb: Casebook, person: Participant, resource_id: str, start: OnwardStatus
) -> None:
    for target in S:
        if target is start:
            continue
        o = onward.refer_onward(cb, person.id, resource_id, "signpost", status=start, on=DAY)
        if (start, target) in ALLOWED:
            assert onward.update_onward(cb, o.value.id, target, on=DAY).value.status is target
            for after in S:
                if after is not target and (target, after) not in ALLOWED:
                    with pytest.raises(ValidationError, match="cannot go from"):
                        onward.update_onward(cb, o.value.id, after, on=DAY)
        else:
            with pytest.raises(ValidationError, match="cannot go from"):
                onward.update_onward(cb, o.value.id, target, on=DAY)


def test_cannot_start_at_an_outcome(cb: Casebook, person: Participant, resource_id: str) -> None:
    with pytest.raises(ValidationError, match="start as suggested or made"):
        onward.refer_onward(cb, person.id, resource_id, "referral", status=S.ATTENDED)


def test_awaiting_outcome_list(cb: Casebook, person: Participant, resource_id: str) -> None:
    waiting = onward.refer_onward(
        cb, person.id, resource_id, OnwardKind.SUPPORTED_VISIT, status=S.MADE, on=DAY
    ).value
    closed = onward.refer_onward(cb, person.id, resource_id, "signpost", on=DAY).value
    onward.update_onward(cb, closed.id, S.DECLINED, on=DAY)
    rows = lists.awaiting_outcome(cb, today=DAY + dt.timedelta(days=10))
    assert [(r.onward_id, r.days_waiting, r.programme_id) for r in rows] == [
        (waiting.id, 10, person.programme_id)
    ]
