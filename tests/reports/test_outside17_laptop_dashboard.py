"""Outside check 17: the Team dashboard (Go › Team dashboard) opened on a links worker's own
laptop, as any vault can, and a report written from it.

A laptop holds the people who did not agree to share with the team in full, and the same
people again in its own anonymous monthly totals (written by every sync, and by every bundle
made). The figures counted them twice: in every table, and again in "Not shared with the
team", whose note says "They are not in the other figures". A worker (or a supervisor who
opened the wrong vault) read a caseload larger than it is. Synthetic data only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from small_team import laptop_and_supervisor, sharing_person, unshared_people

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactKind
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope

UNSHARED = 12


def test_the_laptops_own_figures_count_each_person_once(tmp_path: Path) -> None:
    with laptop_and_supervisor(tmp_path) as (laptop, _sup, carry):
        shared = sharing_person(laptop, 1)
        contacts.record_contact(
            laptop, shared, kind=ContactKind.APPOINTMENT, at=dt.datetime(2026, 3, 9, 10)
        )
        unshared_people(laptop, UNSHARED)
        carry()  # a bundle for the supervisor: the laptop counts its totals as a sync does
        report = report_from_store(
            laptop.store,
            Scope(Period.parse("2026-01..2026-06")),
            audience="internal",
            today=dt.date(2026, 8, 1),
        )
        tables = {t.key: t for section in report.sections for t in section.tables}
        caseload, unshared = tables["caseload"], tables["unshared"]
        worked_with = caseload.value(len(caseload.rows) - 1, "worked_with")
        contacts_apart = unshared.value(len(unshared.rows) - 1, "contacts")
        # 13 people each seen once: counted once, in the figures or in the totals
        assert worked_with + contacts_apart == 1 + UNSHARED, (worked_with, contacts_apart)
