"""One worker, two laptops: team consent withdrawn on one while the other holds the worker's
unsaved words about that person (kept at a lock). The withdrawal takes from the other laptop
what came to it from elsewhere; the words were typed there and never sent (rule 7), so they
stay, to copy and discard. Real vaults, the casework use cases and a real server."""

from __future__ import annotations

from collections.abc import Callable

from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess

from linksdesk.casework.consent import record_consent
from linksdesk.casework.notes import write_note
from linksdesk.casework.participants import find_participants
from linksdesk.core.vocab import ConsentScope

WORDS = "Talked about moving nearer her sister; she wants time to think"


def test_a_withdrawal_from_the_other_laptop_leaves_this_laptops_unsaved_words(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Isla")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    write_note(a, pid, "first meeting at the library")
    assert office.sync().verified and venues.sync().verified
    assert [p.id for p in find_participants(b, "Isla")] == [pid]
    key = f"note/{pid}/new"
    b.save_draft(key, WORDS)  # the venues laptop locked while a note was being typed

    record_consent(a, pid, ConsentScope.TEAM, False)
    assert office.sync().verified
    report = venues.sync()
    assert report.verified, report.message
    assert "withdrawn on your other laptop for 1 participant" in report.message
    assert "their record, which came from elsewhere, was removed" in report.message

    assert find_participants(b, "Isla") == []  # nothing of theirs that came from elsewhere
    assert b.load_draft(key) == WORDS  # the worker's own words, typed here: theirs to discard
    assert a.load_draft(key) is None  # and never shared
