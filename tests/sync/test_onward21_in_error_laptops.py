"""One worker, two laptops and a real server on 127.0.0.1: an onward referral recorded on the
wrong participant is marked entered in error on the office laptop. The venues laptop, the
server and the supervisor's copy (from the venues laptop's bundle) must then agree: kept,
with its reason, counted in no one's figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from bundle_kit import Supervisor
from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess

from linksdesk.casework import onward, resources
from linksdesk.core.vocab import OnwardKind, OnwardStatus
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.store import Store

MADE = dt.date.today() - dt.timedelta(days=2)
WRONG = "Recorded on the wrong participant"


def _referred(store: Store) -> int:
    """The onward referrals of MADE's month in an internal report of ``store``."""
    table = (
        report_from_store(store, Scope(Period.parse(f"{MADE:%Y-%m}")), audience=INTERNAL)
        .section("onward")
        .table("onward_by_month")
    )
    return sum(int(r[-1] or 0) for r in table.rows if str(r[0]).startswith("Craigbank"))


def test_a_mark_made_on_one_laptop_reaches_the_other_the_server_and_the_supervisor(
    tmp_path: Path, shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Robin")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    place = resources.add_resource(a, organisation="Craigbank Advice", service="Debt").value
    made = onward.refer_onward(
        a, pid, place.id, OnwardKind.REFERRAL, status=OnwardStatus.MADE, on=MADE
    ).value
    for dev in (office, venues):
        assert dev.sync().verified
    sup = Supervisor.create(tmp_path, "sup")
    try:
        sup.receive_from(venues.store, tmp_path / "1.age")
        assert _referred(venues.store) == _referred(sup.store) == 1

        onward.mark_in_error(a, made.id, WRONG)
        shared.mark_synced(shared_server, "onward_referral", made.id, WRONG)

        [seen] = onward.list_onward_referrals(b, pid)
        assert seen.in_error and seen.in_error_reason == WRONG
        assert seen.status is OnwardStatus.MADE  # what was recorded stays
        sup.receive_from(venues.store, tmp_path / "2.age")  # the laptop that did not mark it
        assert _referred(venues.store) == _referred(sup.store) == 0

        # the mark was the mistake: taken off on the venues laptop, it counts again
        onward.restore_onward(b, made.id)
        for dev in (venues, office):
            assert dev.sync().verified
        assert not onward.list_onward_referrals(a, pid)[0].in_error
        assert _referred(office.store) == 1
    finally:
        sup.vault.lock()
