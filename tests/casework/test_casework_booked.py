"""Booked contacts: their outcome recorded once with its case note; the limit before saving."""

from __future__ import annotations

import datetime as dt

import pytest

from linksdesk.casework import contacts as K
from linksdesk.casework import notes as N
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import AppointmentLimitWarning, AppointmentUse, Contact, Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ContactKind, ContactStatus

AT = dt.datetime(2025, 3, 3, 14, 30)


def test_near_a_booked_one_is_that_booking(cb: Casebook, person: Participant) -> None:
    booked = K.schedule_contact(cb, person.id, kind=ContactKind.APPOINTMENT, at=AT).value
    K.schedule_contact(cb, person.id, kind="phone", at=AT + dt.timedelta(days=1))
    assert K.booked_near(cb, person.id, AT + dt.timedelta(minutes=20)) == booked
    assert K.booked_near(cb, person.id, AT - dt.timedelta(hours=2, minutes=59)) == booked
    # too far away, or another day, is a different contact
    assert K.booked_near(cb, person.id, AT + dt.timedelta(hours=3, minutes=1)) is None
    assert K.booked_near(cb, person.id, AT.replace(hour=23) + dt.timedelta(hours=1)) is None
    # once its outcome is recorded it is no longer booked
    K.record_booked_outcome(cb, booked.id, ContactStatus.ATTENDED, minutes=40)
    assert K.booked_near(cb, person.id, AT) is None


def _appointment(
    i: str, at: dt.datetime, status: ContactStatus = ContactStatus.SCHEDULED
) -> Contact:
    """An appointment as casework returns it, made without a database."""
    return Contact(
        i,
        "p",
        ContactKind.APPOINTMENT,
        status,
        at,
        None,
        None,
        None,
        True,
        in_error_at=None,
        in_error_reason=None,
    )


def test_the_closest_booking_wins_without_a_database() -> None:
    c = _appointment
    morning, noon = c("a", AT.replace(hour=10)), c("b", AT.replace(hour=12))
    done = c("x", AT.replace(hour=11), ContactStatus.ATTENDED)
    assert K.nearest_booking([morning, noon, done], AT.replace(hour=11, minute=10)) == morning
    assert K.nearest_booking([morning, noon, done], AT.replace(hour=11, minute=40)) == noon
    assert K.nearest_booking([done], AT.replace(hour=11)) is None


def test_record_booked_outcome_once_with_its_note(cb: Casebook, person: Participant) -> None:
    for days in (7, 14, 21):
        K.schedule_contact(cb, person.id, kind="appointment", at=AT - dt.timedelta(days=days))
    booked = K.schedule_contact(cb, person.id, kind="appointment", at=AT, venue="Library").value
    assert K.appointment_use(cb, person.id).used == 4

    done = K.record_booked_outcome(
        cb, booked.id, "attended", minutes=50, note="Went well.\nBooked the walking group."
    )
    contact, note = done.value.contact, done.value.note
    assert (contact.id, contact.status, contact.minutes, contact.venue) == (
        booked.id,
        ContactStatus.ATTENDED,
        50,
        "Library",
    )
    assert note is not None and note.contact_id == booked.id
    assert done.changes.touched("contact") and done.changes.touched("note")
    stored = K.list_contacts(cb, person.id)
    assert len(stored) == 4  # no second contact beside the booking
    assert K.appointment_use(cb, person.id).used == 4  # count unchanged
    assert [n.contact_id for n in N.list_notes(cb, person.id)] == [booked.id]

    with pytest.raises(ValidationError, match="already recorded"):
        K.record_booked_outcome(cb, booked.id, "attended", note="Again")
    assert len(N.list_notes(cb, person.id)) == 1  # the refused write left no note behind


def test_did_not_attend_and_cancelled(cb: Casebook, person: Participant) -> None:
    a = K.schedule_contact(cb, person.id, kind="appointment", at=AT).value
    b = K.schedule_contact(cb, person.id, kind="appointment", at=AT + dt.timedelta(days=1)).value
    assert K.record_booked_outcome(cb, a.id, ContactStatus.DID_NOT_ATTEND).value.note is None
    assert K.record_booked_outcome(cb, b.id, "cancelled", note=" ").value.contact.status is (
        ContactStatus.CANCELLED
    )
    assert K.appointment_use(cb, person.id).used == 1  # a cancelled one was never used
    with pytest.raises(ValidationError, match="What happened"):
        K.record_booked_outcome(cb, a.id, ContactStatus.SCHEDULED)


def test_limit_position_before_saving() -> None:
    use = AppointmentUse(used=6, limit=6)
    assert K.appointment_number(use, "appointment", "attended") == 7
    assert K.limit_text(use, 7) == (
        "This will be the 7th of 6 appointments — over the programme's limit."
    )
    booked = Contact(
        "a",
        "p",
        ContactKind.APPOINTMENT,
        ContactStatus.SCHEDULED,
        AT,
        0,
        None,
        None,
        True,
        in_error_at=None,
        in_error_reason=None,
    )
    assert K.appointment_number(use, "appointment", "attended", booked) == 6
    assert K.appointment_number(use, "supported_visit", "attended") is None
    assert K.appointment_number(use, "appointment", "cancelled") is None
    assert K.limit_text(AppointmentUse(2, 6), 3) == "This will be the 3rd of 6 appointments."
    assert [K.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


def test_which_booking_record_outcome_means() -> None:
    c = _appointment
    last_week = c("w", AT - dt.timedelta(days=7))
    today = c("t", AT)
    tomorrow = c("m", AT + dt.timedelta(days=1))
    done = c("d", AT - dt.timedelta(days=1), ContactStatus.ATTENDED)
    everything = [tomorrow, today, done, last_week]
    assert K.booking_to_record(everything, AT + dt.timedelta(minutes=5)) == today
    assert K.booking_to_record(everything, AT, selected=tomorrow) == tomorrow
    assert K.booking_to_record(everything, AT, selected=done) == today  # not booked: ignored
    # early morning, nothing near: the latest booking whose time has passed
    assert K.booking_to_record(everything, AT.replace(hour=8)) == last_week
    assert K.booking_to_record([tomorrow, done], AT) is None


def test_an_outcome_over_the_limit_warns_however_it_is_recorded(
    cb: Casebook, person: Participant
) -> None:
    cb.update_settings(appointment_limit=1)
    first, second, third = (
        K.schedule_contact(cb, person.id, kind="appointment", at=AT + dt.timedelta(days=d)).value
        for d in range(3)
    )
    attended = ContactStatus.ATTENDED
    for out in (
        K.record_outcome(cb, second.id, attended),
        K.record_booked_outcome(cb, third.id, attended, note="Went well"),
    ):
        (warning,) = out.changes.warnings
        assert isinstance(warning, AppointmentLimitWarning)
        assert (warning.used, warning.limit) == (3, 1)
    # a cancelled one no longer counts: no warning, whichever way it is recorded
    assert K.record_booked_outcome(cb, first.id, "cancelled").changes.warnings == []
    assert K.record_outcome(cb, second.id, "cancelled").changes.warnings == []
