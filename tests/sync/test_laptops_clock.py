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


def _notes(dev: Dev, pid: str) -> set[str]:
    return {n.text for n in list_notes(Casebook(dev.vault), pid)}


def test_work_stamped_hours_ahead_offline_reaches_the_other_laptop_once_the_clock_is_right(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a = Casebook(office.vault)
    pid = create_participant(a, given_name="Alex", family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    for dev in (office, venues):
        assert dev.sync().verified

    # offline, the venues laptop's clock runs three hours ahead (a flat battery, a wrong
    # time zone); the worker records a visit and a new phone number
    real = venues.vault.clock._now_ms
    venues.vault.clock._now_ms = lambda: real() + HOURS_AHEAD_MS
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
