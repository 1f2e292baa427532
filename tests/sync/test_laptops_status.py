"""One worker, two laptops: a case's status changed on both while apart (issue 8's checks).

Real vaults, the casework use cases the app calls and a real server on 127.0.0.1. A status,
its reason and its closed date are one decision: whichever laptop's change wins, all three
must come from it, on both laptops and the server, and the history keeps both changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sync_kit import Dev, ServerProcess, assert_replica_matches, later_by_the_clock, two_laptops

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.goals import change_goal_status, get_goal, reorder_steps, set_goal
from linksdesk.casework.onward import list_onward_referrals, refer_onward, update_onward
from linksdesk.casework.participants import (
    change_status,
    close_participant,
    create_participant,
    get_participant,
    reopen_participant,
    status_history,
)
from linksdesk.casework.resources import add_resource
from linksdesk.core.vocab import (
    ConsentScope,
    GoalStatus,
    OnwardKind,
    OnwardStatus,
    ParticipantStatus,
)
from linksdesk.server.models import Record

CLOSED_ON = dt.date(2026, 3, 2)


def _shared_person(cb: Casebook) -> str:
    person = create_participant(
        cb, given_name="Robin", family_name="Example", status=ParticipantStatus.ACTIVE
    ).value
    record_consent(cb, person.id, ConsentScope.TEAM, True)
    return person.id


def _server_fields(server: ServerProcess, table: str, row_id: str) -> dict[str, object]:
    with server.db.reading() as s:
        rec = s.get(Record, (table, row_id))
        assert rec is not None
        return dict(rec.fields)


def _sync_all(*laptops: Dev) -> None:
    for dev in laptops:
        report = dev.sync()
        assert report.verified and not report.attention, report.message
        assert dev.outbox() == 0


def test_closed_on_one_laptop_paused_on_the_other_never_mixes_the_two(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = _shared_person(a)
    _sync_all(office, venues)

    # apart: the office laptop closes the case, then the venues laptop pauses it
    close_participant(a, pid, "moved out of the area", on=CLOSED_ON)
    later_by_the_clock(a, b)  # the pause is the later decision, by the clock
    change_status(b, pid, ParticipantStatus.PAUSED, on=dt.date(2026, 3, 3))
    assert office.outbox() > 0 and venues.outbox() > 0

    _sync_all(office, venues, office)

    # the later decision wins whole: paused, with no closed date and no closing reason
    for cb in (a, b):
        person = get_participant(cb, pid)
        assert person.status is ParticipantStatus.PAUSED
        assert person.closed_on is None and person.status_reason is None
    fields = _server_fields(shared_server, "participant", pid)
    assert (fields["status"], fields["closed_on"], fields["status_reason"]) == (
        "paused",
        None,
        None,
    )
    # both decisions are in the history, the same on both laptops, the pause last
    histories = [[(h.from_status, h.to_status) for h in status_history(cb, pid)] for cb in (a, b)]
    assert histories[0] == histories[1]
    assert set(histories[0][1:]) == {
        (ParticipantStatus.ACTIVE, ParticipantStatus.CLOSED),
        (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED),
    }
    assert histories[0][-1][1] is ParticipantStatus.PAUSED
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)


def test_reopened_on_both_laptops_months_later_while_apart(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """Closed on the office laptop; months later the venues laptop reopens it with a reason
    (the door is always open), and the office laptop, not synced since, reopens it too, as
    referred, with none: the later reopening wins whole."""
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = _shared_person(a)
    close_participant(a, pid, "no contact for three months", on=CLOSED_ON)
    _sync_all(office, venues)
    assert get_participant(b, pid).status is ParticipantStatus.CLOSED

    reopen_participant(b, pid, reason="referred again by the GP", on=dt.date(2026, 9, 1))
    _sync_all(venues)
    later_by_the_clock(a, b)
    # the office laptop has not synced: it still sees the case closed and reopens it too
    reopen_participant(a, pid, to_status=ParticipantStatus.REFERRED, on=dt.date(2026, 9, 2))
    _sync_all(office, venues, office)

    for cb in (a, b):
        person = get_participant(cb, pid)
        assert person.status is ParticipantStatus.REFERRED
        assert person.closed_on is None
        assert person.status_reason is None  # the office laptop's reopening gave none
    assert len(status_history(a, pid)) == len(status_history(b, pid)) == 4
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)


def test_a_goal_achieved_on_one_laptop_and_put_on_hold_on_the_other(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = _shared_person(a)
    goal = set_goal(a, pid, "Join the walking group", set_on=dt.date(2026, 1, 5)).value
    _sync_all(office, venues)

    change_goal_status(a, goal.id, GoalStatus.ACHIEVED, on=CLOSED_ON)
    later_by_the_clock(a, b)
    change_goal_status(b, goal.id, GoalStatus.ON_HOLD, on=dt.date(2026, 3, 3))
    _sync_all(office, venues, office)

    for cb in (a, b):
        now = get_goal(cb, goal.id)
        assert now.status is GoalStatus.ON_HOLD
        assert now.closed_on is None  # on hold is open: no closed date from the other laptop
    fields = _server_fields(shared_server, "goal", goal.id)
    assert (fields["status"], fields["closed_on"]) == ("on_hold", None)
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)


def test_an_onward_referral_made_on_one_laptop_and_declined_on_the_other(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = _shared_person(a)
    place = add_resource(a, organisation="Walking for Health", service="Tuesday walk").value
    suggested_on = dt.date(2026, 2, 1)
    onward = refer_onward(a, pid, place.id, OnwardKind.SIGNPOST, on=suggested_on).value
    _sync_all(office, venues)

    update_onward(a, onward.id, OnwardStatus.MADE, on=CLOSED_ON)
    later_by_the_clock(a, b)
    update_onward(b, onward.id, OnwardStatus.DECLINED, outcome="not for now", on=CLOSED_ON)
    _sync_all(office, venues, office)

    # declined straight from suggested: never "made", so no made date from the other laptop,
    # and the day it was suggested stays
    for cb in (a, b):
        [now] = list_onward_referrals(cb, pid)
        assert (now.status, now.suggested_on, now.made_on, now.outcome_on, now.outcome) == (
            OnwardStatus.DECLINED,
            suggested_on,
            None,
            CLOSED_ON,
            "not for now",
        )
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)


def test_each_step_of_an_onward_referral_keeps_its_day_on_both_laptops_and_the_server(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """Suggested at the office on 2 February, made from the venue laptop on the 9th,
    attended (recorded at the office) on 2 March: each laptop and the server hold the three
    days, none moved by the next step (before, making it moved its one date to the 9th)."""
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = _shared_person(a)
    place = add_resource(a, organisation="Men's Shed", service="Woodwork").value
    days = (dt.date(2026, 2, 2), dt.date(2026, 2, 9), dt.date(2026, 3, 2))
    onward = refer_onward(a, pid, place.id, OnwardKind.REFERRAL, on=days[0]).value
    _sync_all(office, venues)
    update_onward(b, onward.id, OnwardStatus.MADE, on=days[1])
    _sync_all(venues, office)
    update_onward(a, onward.id, OnwardStatus.ATTENDED, outcome="goes weekly", on=days[2])
    _sync_all(office, venues)

    for cb in (a, b):
        [now] = list_onward_referrals(cb, pid)
        assert (now.status, now.suggested_on, now.made_on, now.outcome_on) == (
            OnwardStatus.ATTENDED,
            *days,
        )
    fields = _server_fields(shared_server, "onward_referral", onward.id)
    assert (fields["suggested_on"], fields["made_on"], fields["outcome_on"]) == tuple(
        d.isoformat() for d in days
    )
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)


def test_steps_reordered_on_both_laptops_keep_one_order(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = _shared_person(a)
    goal = set_goal(a, pid, "Get back to work", steps=["CV", "Job centre", "Interview"]).value
    cv, centre, interview = (s.id for s in goal.steps)
    _sync_all(office, venues)

    reorder_steps(a, goal.id, [centre, cv, interview])
    later_by_the_clock(a, b)
    reorder_steps(b, goal.id, [cv, interview, centre])  # the later order, decided apart
    _sync_all(office, venues, office)

    for cb in (a, b):
        steps = get_goal(cb, goal.id).steps
        assert [s.position for s in steps] == [1, 2, 3]
        assert [s.id for s in steps] == [cv, interview, centre]
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)
