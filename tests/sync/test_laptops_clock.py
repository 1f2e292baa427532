"""A laptop whose clock ran hours ahead while offline, corrected before it syncs.

Real vaults, the casework use cases and a real server on 127.0.0.1. The server refuses
clocks more than 5 minutes ahead of its own; a worker whose laptop had the wrong time while
offline, and the right time when it syncs, must not lose the work of those hours to that
rule, nor go on stamping new work hours ahead.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sync_kit import Dev, ServerProcess, assert_agrees_with_server, two_laptops

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.notes import list_notes, write_note
from linksdesk.casework.participants import create_participant, edit_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.sync.client import list_attention

HOURS_AHEAD_MS = 3 * 3600 * 1000
OLD, NEW = "07700 900111", "07700 900222"


def _notes(dev: Dev, pid: str) -> set[str]:
    return {n.text for n in list_notes(Casebook(dev.vault), pid)}


def _a_case_on_two_laptops(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> tuple[Dev, Dev, Casebook, str]:
    """A worker's two laptops, both synced with one shared case: (office, venues, the office
    laptop's casebook, the case's id)."""
    office, venues = two_laptops(server, devices)
    a = Casebook(office.vault)
    pid = create_participant(a, given_name="Alex", family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    for dev in (office, venues):
        assert dev.sync().verified
    return office, venues, a, pid


def _clock_ahead(dev: Dev) -> Callable[[], int]:
    """The laptop's clock runs three hours ahead from now on; returns the real one."""
    real = dev.vault.clock._now_ms
    dev.vault.clock._now_ms = lambda: real() + HOURS_AHEAD_MS
    return real


def test_work_stamped_hours_ahead_offline_reaches_the_other_laptop_once_the_clock_is_right(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues, _a, pid = _a_case_on_two_laptops(shared_server, devices)

    # offline, the venues laptop's clock runs three hours ahead (a flat battery, a wrong
    # time zone); the worker records a visit and a new phone number
    real = _clock_ahead(venues)
    b = Casebook(venues.vault)
    write_note(b, pid, "visit recorded while the clock was wrong")
    edit_participant(b, pid, phone="07700 900456")
    # back online, the laptop's clock is put right before it syncs; a new note after that
    venues.vault.clock._now_ms = real
    venues.reopen()
    b = Casebook(venues.vault)
    write_note(b, pid, "written after the clock was put right")

    report = venues.sync()
    assert report.verified and not report.attention, report.message
    assert list_attention(venues.store) == [] and venues.outbox() == 0
    assert office.sync().verified
    assert _notes(office, pid) == {
        "visit recorded while the clock was wrong",
        "written after the clock was put right",
    }
    assert office.get("participant", pid).phone == "07700 900456"
    # and what the laptop writes now is stamped by the right time
    write_note(b, pid, "the next day")
    stamp = max(r.hlc for r in [venues.get("participant", pid)])
    assert int(stamp.split("-")[0]) < time.time() * 1000 + 60_000
    assert venues.sync().verified and office.sync().verified
    for dev in (office, venues):
        assert_agrees_with_server(dev, shared_server)


def test_an_edit_made_while_the_clock_ran_ahead_does_not_outrank_a_later_one(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """Outside check 20. Out on a visit, with the venues laptop's clock three hours ahead,
    the worker types the participant's phone number. Back at the office, later that
    morning, the participant rings with a new number and the worker types it on the office
    laptop, which syncs. When the venues laptop syncs (its clock put right), the stamps it
    made while ahead are moved back: to "now" they outranked the office's later edit, and
    the old number silently replaced the new one on both laptops. Moved back to just after
    the last stamp the venues laptop held from before, the office's edit, whose time is
    known, stands."""
    office, venues, a, pid = _a_case_on_two_laptops(shared_server, devices)
    real = _clock_ahead(venues)
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
    assert _notes(office, pid) == {"visit recorded while the clock was wrong"}  # nothing lost
    for dev in (office, venues):
        assert_agrees_with_server(dev, shared_server)


def test_a_laptop_clock_hours_behind_is_told_and_its_next_edit_outranks_earlier_ones(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """The venues laptop's clock is three hours behind (a flat battery, a wrong time zone).
    The worker typed a phone number at the office earlier, not synced yet. On a visit, the
    venues laptop syncs, and then the participant gives a newer number there. Stamped by the
    laptop's clock, the newer number was three hours "older" than the office's and gave way
    to it on both laptops, and nothing said why. The sync now says the clock is behind, and
    what the laptop writes after it is stamped no earlier than the server's time."""
    office, venues, a, pid = _a_case_on_two_laptops(shared_server, devices)
    edit_participant(a, pid, phone=OLD)  # at the office, earlier, the right time
    real = venues.vault.clock._now_ms
    venues.vault.clock._now_ms = lambda: real() - HOURS_AHEAD_MS

    report = venues.sync()
    assert report.verified, report.message
    assert "clock is about 3 hours behind the sync server's" in report.message
    edit_participant(Casebook(venues.vault), pid, phone=NEW)  # later, on the visit
    assert venues.sync().verified and office.sync().verified
    assert office.get("participant", pid).phone == NEW
    assert venues.get("participant", pid).phone == NEW
    assert "clock" not in office.sync().message  # a right clock is not warned
