"""A new laptop for an enrolled worker: enrol and sync bring the whole shared caseload down;
what is private stays on the old laptop, and the old laptop says how much, before it is wiped."""

from __future__ import annotations

from collections.abc import Callable

from sync_kit import Dev, ServerProcess, assert_replica_matches, normalise

from linksdesk.casework.backup import local_only
from linksdesk.casework.casebook import Casebook


def test_new_laptop_gets_the_shared_caseload_and_the_old_one_says_what_stays(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    team = server.team()
    worker = server.worker(team)
    old = devices("old-laptop")
    old.enrol(server, worker)
    shared = [old.participant(given_name=f"Shared{i}") for i in range(3)]
    for pid in shared:
        old.contact(pid, purpose="first meeting")
        old.note(pid, "walked to the library together")
    note_id, _rev = old.note(shared[0], "my own reminder", private=True)
    not_sharing = old.participant(given_name="NotSharing", shared=False)
    old.note(not_sharing, "met at the drop-in")
    assert old.sync().verified

    before = local_only(Casebook(old.vault))
    assert before.enrolled and before.waiting_changes == 0
    assert before.unshared_participants == 1
    assert before.private_records == 1  # the private note (its revision is part of it)
    assert before.anything

    new = devices("new-laptop")
    new.enrol(server, worker)
    report = new.sync()
    assert report.verified and report.pulled > 0
    # the whole shared caseload came down...
    for pid in shared:
        assert new.get("participant", pid) is not None
    assert_replica_matches(new, server)
    assert normalise(new.replica()) == normalise(old.replica())
    # ...and what is private stayed where it was made
    assert new.get("note", note_id) is None
    assert new.get("participant", not_sharing) is None
    assert old.get("note", note_id) is not None
    after = local_only(Casebook(new.vault))
    assert after.private_records == 0 and after.unshared_participants == 0
