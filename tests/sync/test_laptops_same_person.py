"""One worker, two laptops and a real server on 127.0.0.1: a person registered twice (once
on each laptop, offline) is found to be one person on one laptop, while the other laptop
still writes to the record merged away. Both laptops and the server end up agreeing: one
person, both histories, nothing moved; opposite merges made offline settle the same way on
both; a withdrawal on the record merged away, made where nobody knew of the merge, stops
sharing for the whole person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from laptops_kit import a_person_registered_twice
from sync_kit import Dev, ServerProcess, assert_agrees_with_server

from linksdesk.casework import contacts as K
from linksdesk.casework import lists, merging, participants, record
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage.store import participant_shared

AT = dt.datetime(2026, 3, 2, 10, 0)


def _sync(*devs: Dev) -> None:
    for dev in devs:
        report = dev.sync()
        assert report.verified and not report.attention, report.message


def _one_person(cb: Casebook, kept: str, other: str, contacts: int) -> None:
    for opened in (kept, other):
        data = record.open_record(cb, opened)
        assert data.participant.id == kept
        assert [p.id for p in data.same_person] == [other]
        assert len(data.contacts) == contacts
    listed = lists.caseload_ids(cb, CaseloadQuery())
    assert kept in listed and other not in listed


def test_merged_on_one_laptop_while_the_other_still_writes_to_the_record_merged_away(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared, second = a_person_registered_twice(shared_server, devices)
    first = shared.pid
    merging.merge_records(shared.a, first, second)  # the office laptop, offline
    # the venues laptop, offline too, still writes to the record merged away
    K.record_contact(shared.b, second, kind="home_visit", at=AT + dt.timedelta(days=1))
    participants.edit_participant(shared.b, second, phone="07700 900123")
    _sync(shared.venues, shared.office, shared.venues)

    for cb in (shared.a, shared.b):
        _one_person(cb, first, second, contacts=3)
    held = shared_server.records(shared.office.worker_id)["participant"][second]
    assert held["merged_into_id"] == first  # both edits of the row stand
    assert held["phone"] == "07700 900123"
    for dev in (shared.office, shared.venues):
        assert_agrees_with_server(dev, shared_server)

    # not the same person after all, on the laptop that did not merge: undone everywhere
    merging.separate_records(shared.b, second)
    _sync(shared.venues, shared.office)
    for cb in (shared.a, shared.b):
        assert record.open_record(cb, second).participant.id == second
        assert len(record.open_record(cb, second).contacts) == 2
        assert len(record.open_record(cb, first).contacts) == 1


def test_opposite_merges_made_offline_settle_on_one_kept_record_everywhere(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared, second = a_person_registered_twice(shared_server, devices)
    first = shared.pid
    merging.merge_records(shared.a, first, second)
    merging.merge_records(shared.b, second, first)  # the other way round, offline
    _sync(shared.office, shared.venues, shared.office)
    kept, other = min(first, second), max(first, second)
    for cb in (shared.a, shared.b):
        _one_person(cb, kept, other, contacts=2)
    # and one undo brings both back as people of their own
    merging.separate_records(shared.a, other)
    merging.separate_records(shared.a, kept)
    _sync(shared.office, shared.venues)
    for cb in (shared.a, shared.b):
        listed = lists.caseload_ids(cb, CaseloadQuery())
        assert first in listed and second in listed


def test_a_withdrawal_on_the_record_merged_away_made_unknowing_stops_the_whole_person(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared, second = a_person_registered_twice(shared_server, devices)
    first = shared.pid
    merging.merge_records(shared.a, first, second)
    _sync(shared.office)
    # the venues laptop has not pulled the merge: the person withdraws there, on their
    # second record
    record_consent(shared.b, second, ConsentScope.TEAM, False)
    _sync(shared.venues, shared.office, shared.office, shared.venues)

    with shared.a.store.read() as s:
        assert not participant_shared(s, first)
    held = shared_server.records(shared.office.worker_id)
    assert first not in held.get("contact", {}) and not any(
        c.get("participant_id") == first for c in held.get("contact", {}).values()
    )
    assert not record.open_record(shared.a, first).consent[ConsentScope.TEAM].given
