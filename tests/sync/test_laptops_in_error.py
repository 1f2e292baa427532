"""One worker, two laptops and a real server on 127.0.0.1: a contact recorded twice is marked
entered in error on the laptop where the tired worker notices it. The other laptop, the
server and the supervisor's copy made from either laptop's bundle must then agree: the
contact is kept with its reason, and counts nowhere. A mark and an outcome made while the
laptops are apart both stand; a mark taken off later wins on both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from bundle_kit import PROGRAMME_KEY, Laptop, Supervisor, evaluation_records_of
from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess, assert_agrees_with_server, later_by_the_clock

from linksdesk.casework import contacts as K
from linksdesk.casework import measures as M
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.sync.bundle.evaluation import pseudonym

AT = dt.datetime(2026, 3, 2, 10, 0)
MARCH = Scope(Period.parse("2026-03"))
TWICE = "Recorded twice"


def _attended(sup: Supervisor) -> int:
    """March's attended appointments in the supervisor's internal report."""
    table = (
        report_from_store(sup.store, MARCH, audience=INTERNAL)
        .section("contacts")
        .table("contacts_by_kind")
    )
    row = next(r for r in table.rows if r[0] == ContactKind.APPOINTMENT.label)
    return int(row[table.column_index(ContactStatus.ATTENDED.value)] or 0)


def test_marked_on_one_laptop_the_other_the_server_and_the_supervisor_agree(
    tmp_path: Path, shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Robin")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    met = K.record_contact(a, pid, kind="appointment", at=AT, minutes=40).value
    twice = K.record_contact(a, pid, kind="appointment", at=AT).value
    for dev in (office, venues):
        assert dev.sync().verified
    sup = Supervisor.create(tmp_path, "sup")
    try:
        sup.receive_from(office.store, tmp_path / "1.age")
        assert _attended(sup) == 2
        assert K.appointment_use(b, pid).used == 2

        K.mark_in_error(b, twice.id, TWICE)  # noticed on the other laptop
        for dev in (venues, office):
            report = dev.sync()
            assert report.verified and not report.attention, report.message

        for cb in (a, b):
            got = {c.id: c for c in K.list_contacts(cb, pid)}
            assert got.keys() == {met.id, twice.id}  # kept, struck through
            assert got[twice.id].in_error and got[twice.id].in_error_reason == TWICE
            assert got[twice.id].status is ContactStatus.ATTENDED  # what was recorded stays
            assert K.appointment_use(cb, pid).used == 1
        held = shared_server.records(office.worker_id)["contact"][twice.id]
        assert held["in_error_reason"] == TWICE and held["in_error_at"]
        for dev in (office, venues):
            assert_agrees_with_server(dev, shared_server)

        # the supervisor's copy, from the laptop that did not make the mark
        sup.receive_from(office.store, tmp_path / "2.age")
        assert _attended(sup) == 1
    finally:
        sup.vault.lock()


@pytest.mark.postgres
def test_over_postgresql_too(pg_server: ServerProcess, devices: Callable[[str], Dev]) -> None:
    test_a_mark_and_an_outcome_made_apart_both_stand_and_a_later_unmark_wins(pg_server, devices)


def test_a_mark_and_an_outcome_made_apart_both_stand_and_a_later_unmark_wins(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Sam")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    booked = K.schedule_contact(a, pid, kind="appointment", at=AT).value
    for dev in (office, venues):
        assert dev.sync().verified

    # apart: the office laptop records what happened; the venues laptop, wrongly thinking
    # it was booked on the wrong person, marks it
    K.record_outcome(a, booked.id, ContactStatus.ATTENDED, minutes=30)
    later_by_the_clock(a, b)
    K.mark_in_error(b, booked.id, "Booked on the wrong participant")
    for dev in (office, venues, office):
        report = dev.sync()
        assert report.verified and not report.attention, report.message
    for cb in (a, b):
        [c] = K.list_contacts(cb, pid)
        assert c.in_error and (c.status, c.minutes) == (ContactStatus.ATTENDED, 30)
        assert K.appointment_use(cb, pid).used == 0

    # the mark was the mistake: taken off on the office laptop, it counts again on both
    later_by_the_clock(a, b)
    K.restore_contact(a, booked.id)
    for dev in (office, venues):
        report = dev.sync()
        assert report.verified and not report.attention, report.message
    for cb in (a, b):
        [c] = K.list_contacts(cb, pid)
        assert not c.in_error and c.in_error_reason is None and c.counts_towards_limit
        assert K.appointment_use(cb, pid).used == 1
    for dev in (office, venues):
        assert_agrees_with_server(dev, shared_server)


def test_an_evaluation_bundle_sends_a_contact_in_error_as_removed(laptop: Laptop) -> None:
    # five alike, so the group is large enough to be sent at all
    contact, *_others = [laptop.contact(laptop.person(concern="housing")) for _ in range(5)]
    wanted = pseudonym(bytes.fromhex(PROGRAMME_KEY), contact)

    def ops() -> list[str]:
        return [r["op"] for r in evaluation_records_of(laptop) if r["id"] == wanted]

    assert ops() == ["upsert"]
    K.mark_in_error(Casebook(laptop.vault), contact, TWICE)
    assert ops() == ["delete"]
    [record] = [r for r in evaluation_records_of(laptop) if r["id"] == wanted]
    assert record["fields"] == {}  # nothing of it: not its outcome, never its reason


def test_a_score_typed_wrong_marked_on_one_laptop_is_out_of_the_others_comparison(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Kit")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    day = dt.date(2026, 3, 2)
    wrong = M.record_measure(a, pid, "wemwbs", [1] * 14, context="baseline", taken_on=day).value
    right = M.record_measure(a, pid, "wemwbs", [3] * 14, context="baseline", taken_on=day).value
    for dev in (office, venues):
        assert dev.sync().verified

    M.mark_in_error(b, wrong.id, "Answers or score typed wrong")
    for dev in (venues, office):
        report = dev.sync()
        assert report.verified and not report.attention, report.message
    for cb in (a, b):
        scores = {m.id: m for m in M.list_measures(cb, pid)}
        assert scores[wrong.id].in_error and scores[right.id].is_baseline
    for dev in (office, venues):
        assert_agrees_with_server(dev, shared_server)
