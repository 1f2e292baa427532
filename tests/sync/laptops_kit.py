"""One worker's two laptops, and a person on the office laptop who agreed to share with the
team: the start of the two-laptop tests (real vaults, casework use cases, a real server)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sync_kit import Dev, ServerProcess, two_laptops

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope


@dataclass(frozen=True)
class SharedPerson:
    office: Dev
    venues: Dev
    a: Casebook  # the office laptop's casework
    b: Casebook  # the venues laptop's
    pid: str  # made on the office laptop, team consent given, not synced yet


def a_shared_person(
    server: ServerProcess, devices: Callable[[str], Dev], given_name: str
) -> SharedPerson:
    office, venues = two_laptops(server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = create_participant(a, given_name=given_name, family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    return SharedPerson(office, venues, a, b, pid)
