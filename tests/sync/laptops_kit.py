"""One worker's two laptops, and a person on the office laptop who agreed to share with the
team: the start of the two-laptop tests (real vaults, casework use cases, a real server)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sync_kit import Dev, ServerProcess, assert_agrees_with_server, two_laptops

from linksdesk.casework import contacts
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage import programme_ids
from linksdesk.sync.protocol import ID_REFILL_BELOW


@dataclass(frozen=True)
class SharedPerson:
    office: Dev
    venues: Dev
    a: Casebook  # the office laptop's casework
    b: Casebook  # the venues laptop's
    pid: str  # made on the office laptop, team consent given, not synced yet

    def mark_synced(self, server: ServerProcess, table: str, row_id: str, reason: str) -> None:
        """Both laptops sync after a row of ``table`` was marked entered in error on one:
        nothing needs attention, the server holds the mark and its reason, and both laptops
        agree with it."""
        for dev in (self.office, self.venues):
            report = dev.sync()
            assert report.verified and not report.attention, report.message
        held = server.records(self.office.worker_id)[table][row_id]
        assert held["in_error_reason"] == reason and held["in_error_at"]
        for dev in (self.office, self.venues):
            assert_agrees_with_server(dev, server)


def a_shared_person(
    server: ServerProcess, devices: Callable[[str], Dev], given_name: str
) -> SharedPerson:
    office, venues = two_laptops(server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = create_participant(a, given_name=given_name, family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    return SharedPerson(office, venues, a, b, pid)


REGISTERED_TWICE_AT = dt.datetime(2026, 3, 2, 10, 0)  # each record's phone contact


def a_person_registered_twice(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> tuple[SharedPerson, str]:
    """The person on the office laptop (``shared.pid``) and again on the venues laptop (the
    id returned), each record with a phone contact, both shared and synced to both laptops."""
    shared = a_shared_person(server, devices, "Isla")
    second = create_participant(shared.b, given_name="Isla", family_name="Example").value.id
    record_consent(shared.b, second, ConsentScope.TEAM, True)
    contacts.record_contact(shared.a, shared.pid, kind="phone", at=REGISTERED_TWICE_AT)
    contacts.record_contact(shared.b, second, kind="phone", at=REGISTERED_TWICE_AT)
    for dev in (shared.office, shared.venues, shared.office):
        report = dev.sync()
        assert report.verified and not report.attention, report.message
    return shared, second


@dataclass(frozen=True)
class WorkerAndColleague:
    office: Dev  # the worker's laptop
    colleague: Dev  # a colleague's laptop, of the same team
    a: Casebook  # the office laptop's casework
    colleague_id: str  # the colleague's worker id (to hand a case to)


def a_worker_and_a_colleague(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> WorkerAndColleague:
    """Two workers of one team, each with a laptop enrolled, nothing recorded yet."""
    team = server.team()
    worker, colleague_id = server.worker(team), server.worker(team)
    office, colleague = devices("office"), devices("colleague")
    for dev, who in ((office, worker), (colleague, colleague_id)):
        dev.enrol(server, who)
        dev.reopen()
    return WorkerAndColleague(office, colleague, Casebook(office.vault), colleague_id)


# -- programme ids and a server backup --------------------------------------------------------
def new_people(dev: Dev, count: int) -> None:
    """``count`` new people on this laptop, each given a programme id from its lease."""
    cb = Casebook(dev.vault)
    for i in range(count):
        create_participant(cb, given_name=f"Person{i}", family_name=dev.label)


def run_low(dev: Dev) -> None:
    """Give out ids until the laptop runs low: its next sync leases another block."""
    with dev.store.read() as s:
        left = programme_ids.remaining(s)
    new_people(dev, left - ID_REFILL_BELOW + 1)


def two_laptops_then_backup(
    server: ServerProcess, devices: Callable[[str], Dev], backup: Path, *, synced: bool
) -> tuple[Dev, Dev]:
    """An office laptop and a colleague's of one team, enrolled (and each synced once when
    ``synced``), then the server's night backup taken into ``backup``."""
    team = server.team()
    office, colleague = devices("office"), devices("colleague")
    for dev in (office, colleague):
        dev.enrol(server, server.worker(team))
        dev.reopen()
        if synced:
            assert dev.sync().verified
    server.backup(backup)
    return office, colleague
