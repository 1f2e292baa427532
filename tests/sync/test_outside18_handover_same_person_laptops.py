"""Outside check 18, on the laptops: a worker found two of their records to be one person;
the administrator hands the case to a colleague by the id the worker read out. The
colleague's laptop holds the whole person (listed once, both records' contacts in the
record), and the old worker's laptop lets the whole person go: no record of them is left
on its caseload as a person of their own."""

from __future__ import annotations

from collections.abc import Callable

from sync_kit import Dev, ServerProcess

from linksdesk.casework import lists, merging, record
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.server.cli import main


def test_a_person_registered_twice_is_handed_over_whole(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    team = shared_server.team()
    leaving, colleague = shared_server.worker(team), shared_server.worker(team)
    old, new = devices("old-laptop"), devices("new-laptop")
    old.enrol(shared_server, leaving)
    new.enrol(shared_server, colleague)
    kept = old.participant(given_name="Morgan")
    other = old.participant(given_name="Morgan")  # registered again, months later
    old.contact(kept, purpose="first visit")
    old.contact(other, purpose="second visit")
    stays = old.participant(given_name="Riley")
    mine = Casebook(old.vault)
    merging.merge_records(mine, kept, other)
    assert old.sync().verified

    db = ["--db", shared_server.db_url]
    assert main(["handover", "--participant", kept, "--to", colleague, *db]) == 0
    assert new.sync().verified
    assert old.sync().verified

    theirs = Casebook(new.vault)
    listed = lists.caseload_ids(theirs, CaseloadQuery())
    assert kept in listed and other not in listed
    opened = record.open_record(theirs, other)
    assert opened.participant.id == kept and len(opened.contacts) == 2
    assert lists.caseload_ids(mine, CaseloadQuery()) == [stays]
