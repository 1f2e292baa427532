"""One worker, two laptops and a real server on 127.0.0.1: "Debt" added to the wrong
participant is marked entered in error on the office laptop. The venues laptop, the server
and the supervisor's copy (from the venues laptop's bundle) must then agree: kept, with its
reason, counted in no one's figures; and a mark taken off counts again everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from bundle_kit import Supervisor
from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess

from linksdesk.casework import concerns
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.store import Store

SEEN = dt.date.today() - dt.timedelta(days=2)
WRONG = "Recorded on the wrong participant"


def _with_debt(store: Store) -> int:
    """The people with debt in SEEN's month in an internal report of ``store``."""
    table = (
        report_from_store(store, Scope(Period.parse(f"{SEEN:%Y-%m}")), audience=INTERNAL)
        .section("concerns")
        .table("concerns")
    )
    return sum(int(r[3] or 0) for r in table.rows if r[0] == "Debt")


def test_a_concern_marked_on_one_laptop_is_marked_on_the_other_and_for_the_supervisor(
    tmp_path: Path, shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Robin")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    debt = concerns.add_concern(a, pid, "Debt", identified_on=SEEN).value
    for dev in (office, venues):
        assert dev.sync().verified
    sup = Supervisor.create(tmp_path, "sup")
    try:
        sup.receive_from(venues.store, tmp_path / "1.age")
        assert _with_debt(venues.store) == _with_debt(sup.store) == 1

        concerns.mark_in_error(a, debt.id, WRONG)
        shared.mark_synced(shared_server, "concern", debt.id, WRONG)

        [seen] = concerns.list_concerns(b, pid)
        assert seen.in_error and seen.in_error_reason == WRONG
        assert seen.category == "Debt"  # what was recorded stays
        sup.receive_from(venues.store, tmp_path / "2.age")  # the laptop that did not mark it
        assert _with_debt(venues.store) == _with_debt(sup.store) == 0

        # the mark was the mistake: taken off on the venues laptop, it counts again
        concerns.restore_concern(b, debt.id)
        for dev in (venues, office):
            assert dev.sync().verified
        assert not concerns.list_concerns(a, pid)[0].in_error
        sup.receive_from(venues.store, tmp_path / "3.age")
        assert _with_debt(office.store) == _with_debt(sup.store) == 1
    finally:
        sup.vault.lock()
