"""One worker, two laptops: the same booked contact given an outcome on both while apart.

Real vaults, the casework use cases the Today and Diary views call, and a real server on
127.0.0.1. What happened at a contact (attended or not, for how long, where) is one
decision: whichever laptop's outcome wins, all of it must come from that laptop, on both
laptops and the server, and the note written with the other outcome is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess, assert_replica_matches, later_by_the_clock

from linksdesk.casework.contacts import (
    list_contacts,
    record_booked_outcome,
    record_outcome,
    schedule_contact,
)
from linksdesk.casework.notes import list_notes
from linksdesk.core.vocab import ContactKind, ContactStatus

BOOKED_AT = dt.datetime(2026, 3, 2, 10, 0)


@pytest.mark.parametrize("record", ["booked", "outcome"])
def test_attended_on_one_laptop_and_missed_on_the_other_never_mixes_the_two(
    shared_server: ServerProcess, devices: Callable[[str], Dev], record: str
) -> None:
    shared = a_shared_person(shared_server, devices, "Robin")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    booking = schedule_contact(
        a, pid, kind=ContactKind.APPOINTMENT, at=BOOKED_AT, minutes=30, venue="Library"
    ).value
    for dev in (office, venues):
        assert dev.sync().verified

    # on the office laptop: attended, longer, somewhere else; later, on the other laptop,
    # the same booking is put down as missed
    if record == "booked":
        record_booked_outcome(
            a,
            booking.id,
            ContactStatus.ATTENDED,
            minutes=45,
            venue="Community centre",
            note="met at the community centre instead",
        )
        later_by_the_clock(a, b)
        record_booked_outcome(b, booking.id, ContactStatus.DID_NOT_ATTEND)
    else:
        record_outcome(a, booking.id, ContactStatus.ATTENDED, minutes=45, venue="Community centre")
        later_by_the_clock(a, b)
        record_outcome(b, booking.id, ContactStatus.DID_NOT_ATTEND)
    for dev in (office, venues, office):
        report = dev.sync()
        assert report.verified and not report.attention, report.message

    for cb in (a, b):
        [contact] = list_contacts(cb, pid)
        assert (contact.status, contact.minutes, contact.venue) == (
            ContactStatus.DID_NOT_ATTEND,
            30,
            "Library",
        )
    if record == "booked":  # the note written with the losing outcome stays
        for cb in (a, b):
            assert [n.latest.text for n in list_notes(cb, pid)] == [
                "met at the community centre instead"
            ]
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)
