"""A case handed from a worker (two laptops) to a colleague and back (issue 8's checks).

Real vaults, the casework use cases, the server's own handover and a real server on
127.0.0.1. The worker's second laptop is offline when the case is handed over and goes on
recording about the participant: what it wrote must not vanish without a word.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from laptops_kit import a_worker_and_a_colleague
from sync_kit import Dev, ServerProcess, SyncForker, assert_agrees_with_server

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.erasure import erase_participant
from linksdesk.casework.notes import list_notes, write_note
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import admin
from linksdesk.sync.client import list_attention

OFFLINE = "home visit, written offline"


def _notes(dev: Dev, pid: str) -> set[str]:
    if dev.get("participant", pid) is None:
        return set()
    return {n.text for n in list_notes(Casebook(dev.vault), pid)}


def _sync(dev: Dev) -> str:
    report = dev.sync()
    assert report.verified, report.message
    return report.message


def _handed_while_offline(
    server: ServerProcess, devices: Callable[[str], Dev], *, keep_read_only: bool
) -> tuple[Dev, Dev, Dev, str]:
    """A worker's case handed to a colleague while the worker's venues laptop, offline,
    records a visit; the office laptop and the colleague have synced since."""
    team = server.team()
    worker, colleague_id = server.worker(team), server.worker(team)
    office, venues, colleague = devices("office"), devices("venues"), devices("colleague")
    for dev, who in ((office, worker), (venues, worker), (colleague, colleague_id)):
        dev.enrol(server, who)
        dev.reopen()
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = create_participant(a, given_name="Morgan", family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    write_note(a, pid, "first meeting")
    for dev in (office, venues, colleague):
        _sync(dev)
    assert colleague.get("participant", pid) is None  # not the colleague's caseload

    write_note(b, pid, OFFLINE)
    admin.handover(server.db, pid, colleague_id, keep_read_only=keep_read_only)
    _sync(office)
    _sync(colleague)
    assert _notes(colleague, pid) == {"first meeting"}
    return office, venues, colleague, pid


def test_a_case_handed_over_while_the_second_laptop_records_offline_and_handed_back(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues, colleague, pid = _handed_while_offline(
        shared_server, devices, keep_read_only=False
    )
    worker = office.worker_id
    assert office.get("participant", pid) is None  # handed away: gone from the office laptop

    report = venues.sync()
    assert report.verified, report.message
    # the offline note reached no one (the server refused it: no longer the worker's
    # case), so it stays on the venues laptop, private to it, and the worker is told
    assert OFFLINE in _notes(venues, pid)
    assert [c.participant_id for c in report.kept_local] == [pid]
    assert "handed to a colleague" in report.message, report.message
    assert "pass it on" in report.message and "everything matches" not in report.message
    assert list_attention(venues.store) == [] and venues.outbox() == 0
    assert "first meeting" not in _notes(venues, pid)  # what the server holds went
    assert_agrees_with_server(venues, shared_server)
    assert venues.sync().verified
    _sync(colleague)
    assert _notes(colleague, pid) == {"first meeting"}

    # handed back: the case is the worker's again on both laptops, with every note
    admin.handover(shared_server.db, pid, worker)
    for dev in (colleague, office, venues, office, venues):
        _sync(dev)
    assert colleague.get("participant", pid) is None
    # the note kept on the venues laptop is shared again: every laptop of the worker has it
    for dev in (office, venues):
        assert _notes(dev, pid) == {"first meeting", OFFLINE}, dev.label
        assert_agrees_with_server(dev, shared_server)


def test_a_case_kept_read_only_keeps_the_offline_note_private_and_verifies(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues, _colleague, pid = _handed_while_offline(
        shared_server, devices, keep_read_only=True
    )
    worker = office.worker_id
    assert _notes(office, pid) == {"first meeting"}  # read-only there now
    report = venues.sync()
    assert report.verified, report.message
    assert _notes(venues, pid) == {"first meeting", OFFLINE}  # not lost
    assert "handed to a colleague" in report.message and "pass it on" in report.message
    refused = list_attention(venues.store)  # and why it was not sent (note and revision)
    assert any("not on your caseload" in r.reason for r in refused)
    assert venues.outbox() == 0
    again = venues.sync(full_check=True)
    assert again.verified and again.pushed == 0, again.message

    admin.handover(shared_server.db, pid, worker)
    for dev in (office, venues, office, venues):
        _sync(dev)
    for dev in (office, venues):
        assert _notes(dev, pid) == {"first meeting", OFFLINE}, dev.label
        assert_agrees_with_server(dev, shared_server)


@pytest.mark.parametrize("stage", ["push", "pull", "verify"])
def test_the_same_with_the_venues_sync_killed(
    shared_server: ServerProcess, devices: Callable[[str], Dev], stage: str
) -> None:
    """The venues laptop's first sync after the handover is killed (SIGKILL) as it reaches
    ``stage``; the app starts again and syncs: the offline note is still not lost."""
    _office, venues, _colleague, pid = _handed_while_offline(
        shared_server, devices, keep_read_only=False
    )
    forker = SyncForker()
    try:
        venues.vault.lock()
        child = forker.start(venues.path, batch=1, page=1)
        forker.wait_for(child, stage)
        forker.kill(child)
    finally:
        forker.close()
    venues.reopen()
    report = venues.sync()
    again = venues.sync()
    assert report.verified and again.verified, (report.message, again.message)
    assert OFFLINE in _notes(venues, pid)
    told = [c.participant_id for c in (*report.kept_local, *again.kept_local)]
    assert told == [pid], (report.message, again.message)  # told once, however cut
    assert venues.outbox() == 0
    assert_agrees_with_server(venues, shared_server)


def test_an_erasure_by_the_new_owner_reaches_the_work_kept_on_the_old_laptop(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    _office, venues, colleague, pid = _handed_while_offline(
        shared_server, devices, keep_read_only=False
    )
    assert venues.sync().kept_local  # the offline note kept there, private
    assert OFFLINE in _notes(venues, pid)
    erase_participant(Casebook(colleague.vault), pid)  # the participant asks to be forgotten
    assert colleague.sync().verified
    report = venues.sync()
    assert report.verified, report.message
    assert venues.get("participant", pid) is None, report.message
    assert _notes(venues, pid) == set()


def test_a_case_handed_over_in_pages_of_one_change_arrives_whole(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """The case is re-sent to its new worker with its team consents first: a laptop takes no
    content before the consent that lets it in, so a participant row ahead of its consent on
    an earlier page was set aside, and the colleague's laptop lacked the person."""
    two = a_worker_and_a_colleague(shared_server, devices)
    office, colleague, a, colleague_id = two.office, two.colleague, two.a, two.colleague_id
    pid = create_participant(a, given_name="Morgan", family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    write_note(a, pid, "first meeting")
    _sync(office)
    _sync(colleague)
    admin.handover(shared_server.db, pid, colleague_id)
    report = colleague.sync(page_size=1)
    assert report.verified and report.set_aside == 0, report.message
    assert colleague.get("participant", pid).given_name == "Morgan"
    assert _notes(colleague, pid) == {"first meeting"}
