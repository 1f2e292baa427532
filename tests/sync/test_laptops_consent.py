"""One worker, two laptops: team consent withdrawn and given again while one laptop is away.

Real vaults, the casework use cases the app calls and a real server on 127.0.0.1. The door
is always open: a participant may withdraw consent on one laptop and give it again weeks
later, while the worker's other laptop, offline all along, keeps recording about them.
Nothing the worker wrote may be lost, nothing may be shared while consent is withdrawn,
and once it is given again every laptop and the server hold the same record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from laptops_kit import a_shared_person
from sqlalchemy import select
from sync_kit import (
    Dev,
    FaultPlan,
    FaultProxy,
    ServerProcess,
    SyncReport,
    assert_agrees_with_server,
    assert_replica_matches,
    two_laptops,
)

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent, sharing_allowed
from linksdesk.casework.contacts import list_contacts, record_contact
from linksdesk.casework.goals import list_goals, set_goal
from linksdesk.casework.notes import list_notes, write_note
from linksdesk.casework.participants import create_participant
from linksdesk.core.errors import SyncError
from linksdesk.core.vocab import ConsentScope, ContactKind
from linksdesk.server.models import Record
from linksdesk.sync import state

DAY = dt.datetime(2026, 4, 7, 10, 0)


def _notes(cb: Casebook, pid: str) -> set[str]:
    return {n.text for n in list_notes(cb, pid)}


def _server_notes(server: ServerProcess, pid: str) -> int:
    with server.db.reading() as s:
        return len(
            list(
                s.scalars(
                    select(Record.row_id).where(
                        Record.table_name == "note", Record.participant_id == pid
                    )
                )
            )
        )


def _local_only(dev: Dev) -> list[str]:
    with dev.store.read() as s:
        return [n["participant_id"] for n in state.get(s, state.LOCAL_ONLY, [])]


def _sync(dev: Dev, **kw: object) -> None:
    report = dev.sync(**kw)
    assert report.verified and not report.attention, report.message


@pytest.mark.parametrize("page", [None, 1])
def test_withdrawn_and_given_again_while_the_other_laptop_was_away(
    shared_server: ServerProcess, devices: Callable[[str], Dev], page: int | None
) -> None:
    shared = a_shared_person(shared_server, devices, "Sam")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    write_note(a, pid, "first meeting at the library")
    _sync(office)
    _sync(venues)
    write_note(b, pid, "walked to the community garden")
    _sync(venues)
    _sync(office)
    assert (
        _notes(a, pid)
        == _notes(b, pid)
        == {
            "first meeting at the library",
            "walked to the community garden",
        }
    )

    # the venues laptop goes offline and keeps working
    write_note(b, pid, "written offline at the drop-in")
    record_contact(b, pid, kind=ContactKind.APPOINTMENT, at=DAY, minutes=40)
    set_goal(b, pid, "Cook a meal with a friend", why_it_matters="feels less alone")

    # meanwhile on the office laptop: consent withdrawn, synced; weeks later given again
    record_consent(a, pid, ConsentScope.TEAM, False)
    _sync(office)
    assert _server_notes(shared_server, pid) == 0  # nothing shared against the withdrawal
    assert _notes(a, pid) == {"first meeting at the library", "walked to the community garden"}
    record_consent(a, pid, ConsentScope.TEAM, True)
    _sync(office)
    assert _server_notes(shared_server, pid) == 2  # the office laptop's copy came back

    # the venues laptop comes back online: consent stands again, so its work is shared
    kw = {} if page is None else {"page_size": page}
    report = venues.sync(**kw)
    assert report.verified and not report.attention, report.message
    assert sharing_allowed(b, pid)[ConsentScope.TEAM]
    everything = {
        "first meeting at the library",
        "walked to the community garden",
        "written offline at the drop-in",
    }
    assert _notes(b, pid) == everything  # nothing of the venues laptop's was lost
    assert len(list_contacts(b, pid)) == 1 and len(list_goals(b, pid)) == 1
    assert venues.outbox() == 0
    _sync(office)
    _sync(venues)
    assert _notes(a, pid) == everything
    assert [g.why_it_matters for g in list_goals(a, pid)] == ["feels less alone"]
    assert len(list_contacts(a, pid)) == 1
    assert _server_notes(shared_server, pid) == 3
    # the case is shared again: the venues laptop was not told its work stays there only
    assert report.kept_local == () and "stays here only" not in report.message, report.message
    assert _local_only(venues) == []
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)


def _through(dev: Dev, proxy: FaultProxy) -> SyncReport:
    """Sync ``dev`` through the faulty proxy until one sync gets through (small batches and
    pages, so faults fall between them)."""
    with dev.store.write() as tx:
        state.put(tx.session, state.SERVER_URL, proxy.url)
    for _ in range(30):
        try:
            return dev.sync(batch_size=2, page_size=2)
        except SyncError:
            continue
    pytest.fail("sync never got through the faults")


def test_the_door_stays_open_through_cut_syncs(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """Withdrawn on the office laptop while the venues laptop records offline; every sync
    after that is cut short now and then; given again weeks later on the office laptop."""
    shared = a_shared_person(shared_server, devices, "Kim")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    write_note(a, pid, "first meeting")
    _sync(office)
    _sync(venues)
    record_consent(a, pid, ConsentScope.TEAM, False, note="CANARY-withdrawal-note-71c2")
    write_note(b, pid, "offline: talked about the allotment")
    record_contact(b, pid, kind=ContactKind.APPOINTMENT, at=DAY, minutes=30)
    set_goal(b, pid, "Grow tomatoes", why_it_matters="being outside")
    plan = FaultPlan(drop_response=0.15, error_after=0.1, truncate=0.1, drop_request=0.1, seed=3)
    proxy = FaultProxy(shared_server.port, plan)
    try:
        _through(office, proxy)
        assert _server_notes(shared_server, pid) == 0
        told = _through(venues, proxy)
        while venues.outbox():
            told = _through(venues, proxy)
        # nothing of the venues laptop's offline work reached the server or the office
        assert _server_notes(shared_server, pid) == 0
        assert b"CANARY-withdrawal-note-71c2" not in proxy.all_traffic()
        assert _notes(b, pid) >= {"offline: talked about the allotment"}
        assert len(list_contacts(b, pid)) == 1 and len(list_goals(b, pid)) == 1
        _through(office, proxy)
        assert _notes(a, pid) == {"first meeting"}
        assert _local_only(venues) == [pid] or told.kept_local
        # weeks later, on the office laptop, the participant gives consent again
        record_consent(a, pid, ConsentScope.TEAM, True)
        for dev in (office, venues, office, venues):
            _through(dev, proxy)
        for dev in (office, venues):
            report = dev.sync(full_check=True)
            assert report.verified and not report.attention, report.message
        assert sum(proxy.faults.values()) >= 3, proxy.faults  # syncs were cut short
    finally:
        proxy.close()
    everything = {"first meeting", "offline: talked about the allotment"}
    assert _notes(a, pid) == _notes(b, pid) == everything
    assert len(list_contacts(a, pid)) == 1 and len(list_goals(a, pid)) == 1
    assert _local_only(venues) == []
    for dev in (office, venues):
        assert dev.outbox() == 0
        assert_agrees_with_server(dev, shared_server)


def test_three_laptops_each_keep_their_own_work_and_share_it_when_consent_returns(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(shared_server, devices)
    home = devices("home")
    home.enrol(shared_server, office.worker_id)
    home.reopen()
    a, b, c = (Casebook(d.vault) for d in (office, venues, home))
    pid = create_participant(a, given_name="Lee", family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    write_note(a, pid, "from the office")
    for dev in (office, venues, home):
        _sync(dev)
    record_consent(a, pid, ConsentScope.TEAM, False)
    write_note(b, pid, "from the venues laptop, offline")
    write_note(c, pid, "from home, offline")
    for dev in (office, venues, home):
        _sync(dev)
    # each laptop holds what it wrote; the server holds none of it
    assert _server_notes(shared_server, pid) == 0
    assert _notes(b, pid) == {"from the venues laptop, offline"}
    assert _notes(c, pid) == {"from home, offline"}
    assert _local_only(venues) == [pid] and _local_only(home) == [pid]

    record_consent(b, pid, ConsentScope.TEAM, True)  # given again, on the venues laptop
    for dev in (venues, home, office, venues, home, office):
        _sync(dev, full_check=True)
    everything = {"from the office", "from the venues laptop, offline", "from home, offline"}
    for dev, cb in ((office, a), (venues, b), (home, c)):
        assert _notes(cb, pid) == everything, dev.label
        assert _local_only(dev) == [] and dev.outbox() == 0
        assert_agrees_with_server(dev, shared_server)
