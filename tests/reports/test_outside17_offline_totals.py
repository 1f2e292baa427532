"""Outside check 17: a laptop that never syncs, carried to the supervisor on a USB stick.

The supervisor guide says that for everyone who did not agree to share with the team "each
laptop sends anonymous monthly totals (the table 'Not shared with the team')", and
bundles.md's walk-through is "a worker's laptop (no network)". The totals were written only
by a sync (``sync.engine``), so a laptop that only ever exports bundles sent none (the table
said 0 people, 0 contacts while the worker had a dozen) and one that synced months ago sent
the counts of that day. Synthetic data only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from small_team import laptop_and_supervisor, sharing_person, unshared_people

from linksdesk.casework.casebook import Casebook
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope

UNSHARED = 12  # above the small-number threshold, so even a board sees the count


def _unshared_row(sup: Casebook) -> tuple[object, ...]:
    report = report_from_store(
        sup.store,
        Scope(Period.parse("2026-01..2026-06")),
        audience="internal",
        today=dt.date(2026, 8, 1),
    )
    section = next(s for s in report.sections if s.key == "unshared")
    table = section.tables[0]
    return table.rows[-1]  # "All workers"


def test_a_laptop_that_never_synced_sends_its_unshared_totals_in_its_bundle(
    tmp_path: Path,
) -> None:
    with laptop_and_supervisor(tmp_path) as (laptop, sup, carry):
        sharing_person(laptop, 1)
        unshared_people(laptop, UNSHARED)
        carry()  # the USB stick: no sync ever ran on this laptop
        row = _unshared_row(sup)
        # worker, people on the caseload in 2026-06, new referrals, attended contacts, DNA
        assert (row[1], row[3]) == (UNSHARED, UNSHARED), row
