"""Onward referrals: the status lifecycle, outcomes, and the awaiting-outcome list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from linksdesk.casework import lists, onward, participants, resources
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import OnwardKind, OnwardStatus
from linksdesk.storage import migrate

S = OnwardStatus
PASS = "correct horse battery staple"
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


# -- each step keeps its own day -------------------------------------------------------------
def test_a_later_step_never_moves_an_earlier_steps_day(
    cb: Casebook, person: Participant, resource_id: str
) -> None:
    """Suggested on 2 June, made on the 9th, attended on the 30th: the record keeps the
    three days (before, making it moved its one date to the 9th and the 2nd was lost)."""
    o = onward.refer_onward(cb, person.id, resource_id, OnwardKind.REFERRAL, on=DAY).value
    assert (o.suggested_on, o.made_on, o.outcome_on, o.started_on) == (DAY, None, None, DAY)
    made = onward.update_onward(cb, o.id, S.MADE, on=DAY + dt.timedelta(days=7)).value
    assert (made.suggested_on, made.made_on) == (DAY, DAY + dt.timedelta(days=7))
    done = onward.update_onward(cb, o.id, S.ATTENDED, on=DAY + dt.timedelta(days=28)).value
    assert (done.suggested_on, done.made_on, done.outcome_on) == (
        DAY,
        DAY + dt.timedelta(days=7),
        DAY + dt.timedelta(days=28),
    )
    # one made straight away was never suggested; a suggestion declined was never made
    straight = onward.refer_onward(cb, person.id, resource_id, "signpost", status=S.MADE, on=DAY)
    assert (straight.value.suggested_on, straight.value.made_on) == (None, DAY)
    no = onward.refer_onward(cb, person.id, resource_id, "signpost", on=DAY).value
    no = onward.update_onward(cb, no.id, S.DECLINED, on=DAY + dt.timedelta(days=1)).value
    assert (no.suggested_on, no.made_on, no.outcome_on) == (DAY, None, DAY + dt.timedelta(days=1))


def test_a_step_cannot_be_dated_before_the_one_it_follows(
    cb: Casebook, person: Participant, resource_id: str
) -> None:
    o = onward.refer_onward(cb, person.id, resource_id, OnwardKind.REFERRAL, on=DAY).value
    with pytest.raises(ValidationError, match="cannot be made before it was suggested"):
        onward.update_onward(cb, o.id, S.MADE, on=DAY - dt.timedelta(days=1))
    onward.update_onward(cb, o.id, S.MADE, on=DAY + dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="before the referral was made"):
        onward.update_onward(cb, o.id, S.ATTENDED, on=DAY + dt.timedelta(days=4))
    [kept] = onward.list_onward_referrals(cb, person.id)
    assert (kept.status, kept.suggested_on, kept.made_on) == (
        S.MADE,
        DAY,
        DAY + dt.timedelta(days=5),
    )


def test_the_awaiting_list_counts_from_the_step_each_is_at(
    cb: Casebook, person: Participant, resource_id: str
) -> None:
    suggested = onward.refer_onward(cb, person.id, resource_id, "signpost", on=DAY).value
    made = onward.refer_onward(cb, person.id, resource_id, "referral", on=DAY).value
    onward.update_onward(cb, made.id, S.MADE, on=DAY + dt.timedelta(days=6))
    rows = lists.awaiting_outcome(cb, today=DAY + dt.timedelta(days=10))
    assert [(r.onward_id, r.days_waiting, r.since) for r in rows] == [
        (suggested.id, 10, DAY),
        (made.id, 4, DAY + dt.timedelta(days=6)),
    ]


def test_rows_recorded_before_the_suggested_day_was_kept(tmp_path: Path) -> None:
    """A vault of the version before (migration 0010) upgrades with its rows as they were
    recorded, read by one rule: a row still suggested has its one date as the day it was
    suggested; one that had moved on has it as the day it was made. Marking the old
    suggestion made keeps that day as the day it was suggested."""
    path = tmp_path / "before.vault"
    cb, _ = Casebook.create(path, PASS)
    p = participants.create_participant(cb, given_name="Ann", family_name="Before").value
    rid = resources.add_resource(cb, organisation="Shed", service="Woodwork").value.id
    waiting = onward.refer_onward(cb, p.id, rid, "referral", on=DAY).value
    moved = onward.refer_onward(cb, p.id, rid, "referral", on=DAY).value
    onward.update_onward(cb, moved.id, S.MADE, on=DAY + dt.timedelta(days=3))
    with cb.vault.engine.connect() as conn:
        command.downgrade(migrate._config(conn), "0010")
        conn.commit()
    with cb.store.read() as s:  # one date each, as the version before kept them
        held = {r[0]: r[1] for r in s.execute(text("SELECT id, made_on FROM onward_referral"))}
    assert held == {waiting.id: DAY.isoformat(), moved.id: (DAY + dt.timedelta(days=3)).isoformat()}
    cb.lock()

    with Casebook.unlock(path, PASS) as again:
        assert migrate.current_revision(again.vault.engine) == migrate.head_revision()
        with again.store.read() as s:  # nothing rewritten by the upgrade
            kept = s.execute(text("SELECT id, suggested_on, made_on FROM onward_referral"))
            assert {r[0]: (r[1], r[2]) for r in kept} == {
                waiting.id: (None, DAY.isoformat()),
                moved.id: (None, (DAY + dt.timedelta(days=3)).isoformat()),
            }
        by_id = {o.id: o for o in onward.list_onward_referrals(again, p.id)}
        assert (by_id[waiting.id].suggested_on, by_id[waiting.id].made_on) == (DAY, None)
        assert (by_id[moved.id].suggested_on, by_id[moved.id].made_on) == (
            None,
            DAY + dt.timedelta(days=3),
        )
        made = onward.update_onward(again, waiting.id, S.MADE, on=DAY + dt.timedelta(days=8))
        assert (made.value.suggested_on, made.value.made_on) == (DAY, DAY + dt.timedelta(days=8))
