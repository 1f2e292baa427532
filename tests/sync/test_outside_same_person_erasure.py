"""From the outside: one worker, two laptops, a real server on 127.0.0.1. A person was
registered twice (once on each laptop); the office laptop finds the two records to be one
person (Same person as…) while the venues laptop, not knowing, forgets the kept record
(the person asked to be forgotten). Whichever laptop syncs first, the person asked to be
forgotten: no record of theirs may stay on a laptop or the server.

Nothing is erased without the worker's say (the merge may have been wrong, and an erasure
is for good), so every laptop holding the other record tells the worker plainly, at every
sync, that it is still kept and what to do; the syncs agree with the server meanwhile (no
"still differ"); once the worker erases it, as told, nothing of the person is left."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from laptops_kit import a_person_registered_twice
from sync_kit import Dev, ServerProcess

from linksdesk.casework import erasure, merging
from linksdesk.storage.tables import Participant


@pytest.mark.parametrize("first_to_sync", ["office", "venues"])
def test_a_person_forgotten_on_one_laptop_leaves_no_record_the_other_found_to_be_them(
    shared_server: ServerProcess, devices: Callable[[str], Dev], first_to_sync: str
) -> None:
    shared, second = a_person_registered_twice(shared_server, devices)
    first = shared.pid
    with shared.b.store.read() as s:
        code = s.get(Participant, second).programme_id
    merging.merge_records(shared.a, first, second)  # the office laptop, offline
    erasure.erase_participant(shared.b, first)  # the venues laptop, offline, not knowing
    order = (shared.office, shared.venues)
    for dev in (*(order if first_to_sync == "office" else order[::-1]), *order):
        dev.sync()
    for dev in order:  # settled: every sync now agrees with the server, and says so
        report = dev.sync()
        assert report.verified, f"the {dev.label} laptop's check still differs"
        assert "still differ" not in report.message
        assert code in report.message, f"the {dev.label} laptop's sync does not say it"
        told = [a.reason for a in dev.attention() if a.row_id == second]
        assert len(told) == 1, f"the {dev.label} laptop does not list the record kept"
        assert code in told[0] and "forgotten" in told[0]
        assert "Forget this participant" in told[0] and "Not the same person" in told[0]
        assert "team consent" not in told[0]
    on_server = set(shared_server.records(shared.office.worker_id).get("participant", {}))
    assert second in on_server and first not in on_server, "erased without the worker's say"

    erasure.erase_participant(shared.a, second)  # the worker does as the office laptop said
    for dev in (*order, *order):
        dev.sync()

    for cb in (shared.a, shared.b):
        with cb.store.read() as s:
            kept_here = [p for p in (first, second) if s.get(Participant, p) is not None]
        assert kept_here == [], "a record of the person forgotten is still on a laptop"
    on_server = set(shared_server.records(shared.office.worker_id).get("participant", {}))
    assert not {first, second} & on_server, "a record of the person forgotten is on the server"
    for dev in order:
        assert not [a for a in dev.attention() if a.row_id == second], "told after erasing"


def test_when_the_erasure_syncs_first_the_merging_laptop_is_not_told_to_record_consent(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """The laptop whose mark arrives after the erasure must not advise recording team
    consent for a person who asked to be forgotten: its mark is taken (no refusal), and
    what it lists says what is true."""
    shared, second = a_person_registered_twice(shared_server, devices)
    merging.merge_records(shared.a, shared.pid, second)
    erasure.erase_participant(shared.b, shared.pid)
    for dev in (shared.venues, shared.office):
        dev.sync()
    advice = [a.reason for a in shared.office.attention()]
    assert not any("team consent" in r for r in advice), "advised to record consent"
    assert [a.row_id for a in shared.office.attention()] == [second]
    assert all("forgotten" in r for r in advice)
