"""One worker, two laptops, a real server on 127.0.0.1: two people of one name joined by
mistake (Same person as…), team consent recorded while joined, then Not the same person
after all…. The record brought in was shared with the team only under the other person's
consent: once separated, its sharing is withdrawn the way any withdrawal is, so the server
purges it and the worker's other laptop lets it go, while the laptop it was recorded on
keeps everything. A withdrawal the person made while joined stays withdrawn everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from laptops_kit import a_shared_person
from sqlalchemy import select
from sync_kit import Dev, ServerProcess, assert_agrees_with_server

from linksdesk.casework import contacts, merging, record
from linksdesk.casework.consent import current_consent_of_record, record_consent
from linksdesk.casework.participants import create_participant
from linksdesk.core.errors import NotFoundError
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.models import Record
from linksdesk.storage.store import participant_shared

AT = dt.datetime(2026, 3, 2, 10, 0)


def _sync(*devs: Dev, allow: bool = False) -> None:
    for dev in devs:
        # two people on the laptop, both withdrawn: the removals are expected
        report = dev.sync(allow_mass_delete=allow)
        assert report.verified, report.message


def _held_on_server(server: ServerProcess, pid: str) -> set[str]:
    """The kinds of record the server holds about ``pid`` (consent records stay there)."""
    with server.db.reading() as s:
        return set(
            s.scalars(select(Record.table_name).where(Record.participant_id == pid).distinct())
        )


def test_a_record_shared_only_under_the_other_persons_consent_leaves_the_server_when_separated(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Ailsa")
    kept = shared.pid
    other = create_participant(shared.a, given_name="Ailsa", family_name="Smyth").value.id
    contacts.record_contact(shared.a, other, kind="phone", at=AT)  # never asked to share
    _sync(shared.office, shared.venues)
    assert _held_on_server(shared_server, other) == set()

    merging.merge_records(shared.a, kept, other)  # a tired worker: the same person
    record_consent(shared.a, kept, ConsentScope.TEAM, True, method="written")  # Ailsa Smith
    _sync(shared.office, shared.venues)
    assert {"participant", "contact"} <= _held_on_server(shared_server, other)
    assert record.open_record(shared.b, other).participant.id == kept

    merging.separate_records(shared.a, other)  # not the same person after all
    _sync(shared.office, shared.venues, shared.office)

    assert _held_on_server(shared_server, other) <= {"consent"}  # purged, as any withdrawal
    with pytest.raises(NotFoundError):
        record.open_record(shared.b, other)  # the other laptop let it go
    mine = record.open_record(shared.a, other)  # kept whole where it was recorded
    assert mine.participant.id == other and len(mine.contacts) == 1
    team = current_consent_of_record(shared.a, other)[ConsentScope.TEAM]
    assert team is not None and not team.given and team.note == merging.UNDO_NOTE
    with shared.office.store.read() as s:
        assert not participant_shared(s, other)
    # her own record stays shared, the same on both laptops and the server
    for cb in (shared.a, shared.b):
        assert record.open_record(cb, kept).consent[ConsentScope.TEAM].given
    for dev in (shared.office, shared.venues):
        assert_agrees_with_server(dev, shared_server)


def test_a_withdrawal_made_while_joined_stays_after_separating_on_every_laptop(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Ailsa")
    kept = shared.pid
    other = create_participant(shared.a, given_name="Ailsa", family_name="Smyth").value.id
    record_consent(shared.a, other, ConsentScope.TEAM, True)  # both shared, before the join
    contacts.record_contact(shared.a, other, kind="phone", at=AT)
    _sync(shared.office, shared.venues)
    merging.merge_records(shared.a, kept, other)
    record_consent(shared.a, kept, ConsentScope.TEAM, False)  # "stop sharing", while joined
    _sync(shared.office, shared.venues, allow=True)

    merging.separate_records(shared.a, other)
    _sync(shared.office, shared.venues, shared.office)

    for pid in (kept, other):
        assert _held_on_server(shared_server, pid) <= {"consent"}
        team = current_consent_of_record(shared.a, pid)[ConsentScope.TEAM]
        assert team is not None and not team.given  # the stop stands for both
        with pytest.raises(NotFoundError):
            record.open_record(shared.b, pid)
    assert len(record.open_record(shared.a, other).contacts) == 1
