"""Contacts: scheduling, recording what happened, attempted contact, the appointment limit."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linksdesk.casework import contacts as K
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import AppointmentLimitWarning, Participant
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.vocab import ContactKind, ContactStatus

AT = dt.datetime(2025, 3, 3, 10, 30)


def test_schedule_then_record_outcome_in_one_call(cb: Casebook, person: Participant) -> None:
    planned = K.schedule_contact(
        cb, person.id, kind=ContactKind.APPOINTMENT, at=AT, venue="Library", purpose="Catch up"
    ).value
    assert planned.status is ContactStatus.SCHEDULED and planned.counts_towards_limit
    done = K.record_outcome(cb, planned.id, ContactStatus.ATTENDED, minutes=45, venue="Café")
    assert (done.value.status, done.value.minutes, done.value.venue) == (
        ContactStatus.ATTENDED,
        45,
        "Café",
    )
    assert done.changes.touched("contact") and person.id in done.changes.participants
    missed = K.schedule_contact(cb, person.id, kind="phone", at=AT + dt.timedelta(days=7)).value
    assert K.record_outcome(cb, missed.id, "did_not_attend").value.status is (
        ContactStatus.DID_NOT_ATTEND
    )
    cancelled = K.schedule_contact(cb, person.id, kind="home_visit", at=AT).value
    assert not K.record_outcome(cb, cancelled.id, "cancelled").value.counts_towards_limit
    with pytest.raises(ValidationError, match="What happened"):
        K.record_outcome(cb, cancelled.id, ContactStatus.SCHEDULED)
    with pytest.raises(ValidationError, match="Minutes"):
        K.record_outcome(cb, missed.id, ContactStatus.ATTENDED, minutes=-5)
    assert K.list_contacts(cb, person.id)[0].id == missed.id  # newest first


def test_reschedule_and_remove(cb: Casebook, person: Participant) -> None:
    c = K.schedule_contact(cb, person.id, kind=ContactKind.GROUP, at=AT).value
    moved = K.edit_contact(cb, c.id, at=AT + dt.timedelta(days=1), venue="Hall").value
    assert moved.at == AT + dt.timedelta(days=1) and moved.venue == "Hall"
    K.remove_contact(cb, c.id)
    assert K.list_contacts(cb, person.id) == []
    with pytest.raises(NotFoundError):
        K.record_outcome(cb, c.id, ContactStatus.ATTENDED)


def test_attempted_contact_is_not_an_appointment(cb: Casebook, person: Participant) -> None:
    tried = K.record_attempted_contact(cb, person.id, at=AT, purpose="Phoned, no answer").value
    assert tried.kind is ContactKind.ATTEMPTED and not tried.counts_towards_limit
    assert K.appointment_use(cb, person.id).used == 0
    with pytest.raises(ValidationError):
        K.schedule_contact(cb, person.id, kind=ContactKind.ATTEMPTED, at=AT)


def test_limit_warns_never_blocks_and_supported_visits_do_not_count(
    cb: Casebook, person: Participant
) -> None:
    cb.update_settings(appointment_limit=2)
    for day in range(2):
        out = K.schedule_contact(cb, person.id, kind="appointment", at=AT + dt.timedelta(days=day))
        assert out.changes.warnings == []
    visit = K.schedule_contact(cb, person.id, kind=ContactKind.SUPPORTED_VISIT, at=AT)
    assert visit.changes.warnings == []
    third = K.schedule_contact(cb, person.id, kind="home_visit", at=AT + dt.timedelta(days=9))
    (warning,) = third.changes.warnings
    assert isinstance(warning, AppointmentLimitWarning)
    assert (warning.used, warning.limit, warning.participant_id) == (3, 2, person.id)
    assert "Morag" not in warning
    use = K.appointment_use(cb, person.id)
    assert (use.used, use.limit, use.over_limit, use.remaining) == (3, 2, True, 0)
    cb.update_settings(appointment_limit=None)
    more = K.schedule_contact(cb, person.id, kind="appointment", at=AT)
    assert more.changes.warnings == [] and not K.appointment_use(cb, person.id).over_limit


KINDS = [k for k in ContactKind if k is not ContactKind.ATTEMPTED]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    limit=st.integers(min_value=1, max_value=4),
    plan=st.lists(
        st.tuples(st.sampled_from(KINDS), st.sampled_from([None, *K.OUTCOMES])),
        min_size=1,
        max_size=9,
    ),
)
def test_warn_exactly_when_counted_appointments_exceed_the_limit(
    cb: Casebook, limit: int, plan: list[tuple[ContactKind, ContactStatus | None]]
) -> None:
    cb.update_settings(appointment_limit=limit)
    pid = P.create_participant(cb, given_name="Lim", family_name="It").value.id
    counted = 0
    for i, (kind, outcome) in enumerate(plan):
        at = AT + dt.timedelta(days=i)
        if outcome is None:
            result = K.schedule_contact(cb, pid, kind=kind, at=at)
        else:
            result = K.record_contact(cb, pid, kind=kind, at=at, status=outcome)
        counts = kind is not ContactKind.SUPPORTED_VISIT and outcome is not ContactStatus.CANCELLED
        assert result.value.counts_towards_limit is counts
        counted += counts
        warned = [w for w in result.changes.warnings if isinstance(w, AppointmentLimitWarning)]
        assert bool(warned) is (counts and counted > limit)
        assert K.appointment_use(cb, pid).used == counted
    assert len(K.list_contacts(cb, pid)) == len(plan)  # nothing was ever blocked
