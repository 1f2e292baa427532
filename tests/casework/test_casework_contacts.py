"""Contacts: scheduling, recording what happened, attempted contact, the appointment limit."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from linksdesk.casework import contacts as K
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import AppointmentLimitWarning, Participant
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.vocab import ContactKind, ContactStatus, counts_towards_limit, was_seen
from linksdesk.storage.tables import Contact as ContactRow

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


def test_an_attempt_has_no_outcome_minutes_or_venue_however_it_is_recorded(
    cb: Casebook, person: Participant
) -> None:
    # an attempt stored as did not attend or cancelled counted among the missed bookings
    for status in (ContactStatus.DID_NOT_ATTEND, ContactStatus.CANCELLED):
        with pytest.raises(ValidationError, match="reached nobody, so it has no outcome"):
            K.record_contact(cb, person.id, kind="attempted", at=AT, status=status)
    with pytest.raises(ValidationError, match="no minutes or venue"):
        K.record_contact(cb, person.id, kind=ContactKind.ATTEMPTED, at=AT, minutes=10)
    with pytest.raises(ValidationError, match="no minutes or venue"):
        K.record_contact(cb, person.id, kind=ContactKind.ATTEMPTED, at=AT, venue="Library")
    assert K.list_contacts(cb, person.id) == []  # nothing half-stored
    # as the Record contact dialog sends it: attended, nothing else
    tried = K.record_contact(cb, person.id, kind=ContactKind.ATTEMPTED, at=AT).value
    assert (tried.status, tried.minutes, tried.venue) == (ContactStatus.ATTENDED, None, None)


def test_an_attempt_changed_after_the_fact_stays_an_attempt_or_becomes_a_contact(
    cb: Casebook, person: Participant
) -> None:
    tried = K.record_attempted_contact(cb, person.id, at=AT).value
    # Did not attend pressed on it in the Diary, or a crafted outcome with minutes
    with pytest.raises(ValidationError, match="has no outcome"):
        K.record_outcome(cb, tried.id, ContactStatus.DID_NOT_ATTEND)
    with pytest.raises(ValidationError, match="no minutes or venue"):
        K.record_outcome(cb, tried.id, ContactStatus.ATTENDED, minutes=20)
    with pytest.raises(ValidationError, match="no minutes or venue"):
        K.edit_contact(cb, tried.id, venue="Library")
    (kept,) = K.list_contacts(cb, person.id)
    assert (kept.kind, kept.status, kept.minutes, kept.venue) == (
        ContactKind.ATTEMPTED, ContactStatus.ATTENDED, None, None
    )  # fmt: skip
    # they did answer after all: the attempt becomes the phone call it was
    called = K.edit_contact(cb, tried.id, kind=ContactKind.PHONE, minutes=15).value
    assert (called.kind, called.status, called.minutes) == (
        ContactKind.PHONE, ContactStatus.ATTENDED, 15
    )  # fmt: skip


def test_a_booking_or_a_missed_contact_cannot_be_turned_into_an_attempt(
    cb: Casebook, person: Participant
) -> None:
    booked = K.schedule_contact(cb, person.id, kind="phone", at=AT).value
    with pytest.raises(ValidationError, match="cannot be booked"):
        K.edit_contact(cb, booked.id, kind=ContactKind.ATTEMPTED)
    missed = K.record_contact(cb, person.id, kind="phone", at=AT, status="did_not_attend").value
    with pytest.raises(ValidationError, match="has no outcome"):
        K.edit_contact(cb, missed.id, kind=ContactKind.ATTEMPTED)
    met = K.record_contact(cb, person.id, kind="phone", at=AT, minutes=5, venue="Home").value
    with pytest.raises(ValidationError, match="no minutes or venue"):
        K.edit_contact(cb, met.id, kind=ContactKind.ATTEMPTED)  # its venue is not dropped unasked
    tried = K.edit_contact(cb, met.id, kind=ContactKind.ATTEMPTED, minutes=None, venue=None)
    assert tried.value.kind is ContactKind.ATTEMPTED
    kinds = {c.id: c.kind for c in K.list_contacts(cb, person.id)}
    assert kinds == {
        booked.id: ContactKind.PHONE, missed.id: ContactKind.PHONE, met.id: ContactKind.ATTEMPTED
    }  # fmt: skip


def test_seen_and_counted_in_sql_and_in_python_agree_on_every_kind_and_status(
    cb: Casebook, person: Participant
) -> None:
    # every pair, an attempt beside a did not attend among them (a merge of two laptops'
    # edits field by field can leave one), each also marked entered in error: the
    # caseload's "last seen" and the reports agree, and so do the worker's appointment
    # count and the reports' appointments used
    stored = {}
    with cb.store.write() as tx:
        for kind, status, marked in itertools.product(ContactKind, ContactStatus, (False, True)):
            row = ContactRow(
                participant_id=person.id,
                kind=kind,
                status=status,
                scheduled_at=AT,
                in_error_at=AT if marked else None,
                in_error_reason="recorded twice" if marked else None,
            )
            stored[tx.insert(row).id] = (kind.value, status.value, marked)
    with cb.store.read() as s:
        in_sql = set(s.scalars(select(ContactRow.id).where(K.seen_clause())))
        counted = set(s.scalars(select(ContactRow.id).where(K.counted_clause())))
    assert counted == {
        i for i, (k, st, e) in stored.items() if counts_towards_limit(k, st, in_error=e)
    }
    assert {stored[i][0] for i in counted} == {
        k.value
        for k in ContactKind
        if k not in (ContactKind.SUPPORTED_VISIT, ContactKind.ATTEMPTED)
    }
    assert ContactStatus.CANCELLED.value not in {stored[i][1] for i in counted}
    assert not any(stored[i][2] for i in counted | in_sql)  # an entry in error counts nowhere
    assert in_sql == {i for i, (kind, st, e) in stored.items() if was_seen(kind, st, in_error=e)}
    assert {stored[i] for i in in_sql} == {
        (k.value, ContactStatus.ATTENDED.value, False)
        for k in ContactKind
        if k is not ContactKind.ATTEMPTED
    }


def test_an_attempt_a_merge_left_missed_can_be_moved_and_put_right(
    cb: Casebook, person: Participant
) -> None:
    tried = K.record_attempted_contact(cb, person.id, at=AT).value
    with cb.store.write() as tx:  # as two laptops' allowed edits merge, field by field
        tx.update(tx.session.get_one(ContactRow, tried.id), status="did_not_attend")
    moved = K.edit_contact(cb, tried.id, purpose="Phoned twice, no answer").value
    assert moved.purpose == "Phoned twice, no answer"  # not stuck behind the rule
    with pytest.raises(ValidationError, match="has no outcome"):
        K.edit_contact(cb, tried.id, minutes=None)  # a change the rule is about checks it
    fixed = K.record_outcome(cb, tried.id, ContactStatus.ATTENDED).value
    assert (fixed.kind, fixed.status) == (ContactKind.ATTEMPTED, ContactStatus.ATTENDED)


def test_an_outcome_detail_not_known_is_said_plainly_and_the_booking_stays_booked(
    cb: Casebook, person: Participant
) -> None:
    # "mins" for minutes, from a script or a form field misnamed: a message in the worker's
    # terms, never a Python error, and neither way of recording an outcome writes anything
    booked = K.schedule_contact(cb, person.id, kind=ContactKind.APPOINTMENT, at=AT).value
    with pytest.raises(ValidationError, match="'mins' is not a contact detail"):
        K.record_outcome(cb, booked.id, ContactStatus.ATTENDED, **{"mins": 30})
    with pytest.raises(ValidationError, match="'mins' is not a contact detail"):
        K.record_booked_outcome(cb, booked.id, "attended", note="Went well", **{"mins": 30})
    (kept,) = K.list_contacts(cb, person.id)
    assert kept.status is ContactStatus.SCHEDULED and kept.minutes is None
    # the details it does know are kept as ever
    done = K.record_booked_outcome(cb, booked.id, "attended", minutes=30, venue="Hall")
    assert (done.value.contact.minutes, done.value.contact.venue) == (30, "Hall")
