"""A laptop whose clock ran hours ahead offline, put right before it syncs, against the
worker's other laptop whose clock was right all along. Real vaults, the casework use cases
and a real server on 127.0.0.1.

Out on a visit, with the venues laptop's clock three hours ahead, the worker types the
participant's phone number. Back at the office, later that morning, the participant rings
with a new number and the worker types it on the office laptop, which syncs. When the venues
laptop syncs (its clock put right), the stamps it made while ahead are moved back: to "now"
they outranked the office's later edit, and the old number silently replaced the new one
on both laptops. Moved back to just after the last stamp the venues laptop held from
before, the office's edit, whose time is known, stands."""

from __future__ import annotations

from collections.abc import Callable

from sync_kit import Dev, ServerProcess, assert_agrees_with_server, two_laptops

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.notes import list_notes, write_note
from linksdesk.casework.participants import create_participant, edit_participant
from linksdesk.core.vocab import ConsentScope

HOURS_AHEAD_MS = 3 * 3600 * 1000
OLD, NEW = "07700 900111", "07700 900222"


def test_an_edit_made_while_the_clock_ran_ahead_does_not_outrank_a_later_one(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a = Casebook(office.vault)
    pid = create_participant(a, given_name="Alex", family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    for dev in (office, venues):
        assert dev.sync().verified

    real = venues.vault.clock._now_ms
    venues.vault.clock._now_ms = lambda: real() + HOURS_AHEAD_MS
    b = Casebook(venues.vault)
    edit_participant(b, pid, phone=OLD)  # on the visit, clock three hours ahead
    write_note(b, pid, "visit recorded while the clock was wrong")
    edit_participant(a, pid, phone=NEW)  # later, at the office, the right time
    assert office.sync().verified
    venues.vault.clock._now_ms = real  # put right before it syncs
    venues.reopen()

    report = venues.sync()
    assert report.verified and not report.attention, report.message
    assert office.sync().verified
    assert office.get("participant", pid).phone == NEW
    assert venues.get("participant", pid).phone == NEW
    texts = {n.text for n in list_notes(Casebook(office.vault), pid)}
    assert texts == {"visit recorded while the clock was wrong"}  # nothing else is lost
    for dev in (office, venues):
        assert_agrees_with_server(dev, shared_server)
