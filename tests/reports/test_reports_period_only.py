"""External reports hold figures of their own period only. "Open now" and "participants on
record" were counted the day a report was made: two reports of periods that do not overlap,
written months apart, then differed there by the people who came after both periods (a net
count per worker that no suppression sees)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from small_team import laptop_and_supervisor, sharing_person
from test_reports_overlap import write

from linksdesk.casework import contacts, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ContactKind
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope

Q1, Q2 = Period.parse("2026-01..2026-03"), Period.parse("2026-04..2026-06")


def seen(laptop: Casebook, pid: str, day: dt.date) -> None:
    contacts.record_contact(laptop, pid, kind=ContactKind.APPOINTMENT, at=dt.datetime(
        day.year, day.month, day.day, 10))  # fmt: skip


def figures(
    sup: Casebook, period: Period, today: dt.date, audience: str = "external"
) -> dict[Any, Any]:
    report = report_from_store(sup.store, Scope(period), audience=audience, today=today)
    return {
        (t.key, c.key): tuple(row[j] for row in t.rows)
        for s in report.sections
        for t in s.tables
        for j, c in enumerate(t.columns)
        if c.key not in ("data_as_of", "days_old")  # when, not how many
    }


def test_reports_of_fixed_periods_publish_nothing_that_people_after_them_change(
    tmp_path: Path,
) -> None:
    with laptop_and_supervisor(tmp_path) as (laptop, sup, carry):
        for n, referred in enumerate([dt.date(2026, 2, 2)] * 11 + [dt.date(2026, 5, 4)] * 11):
            seen(laptop, sharing_person(laptop, n, referred), referred)
        participants.close_participant(laptop, sharing_person(laptop, 99), "moved away",
                                       on=dt.date(2026, 3, 20))  # fmt: skip
        carry()
        first_q1, first_q2 = dt.date(2026, 4, 2), dt.date(2026, 7, 2)
        before = {q: figures(sup, q, day) for q, day in ((Q1, first_q1), (Q2, first_q2))}
        write(sup, tmp_path / "q1.csv", Scope(Q1), today=first_q1)
        write(sup, tmp_path / "q2.csv", Scope(Q2), today=first_q2)
        # three new people in August, after both quarters, and a quarter-one person closed
        for n in range(30, 33):
            seen(laptop, sharing_person(laptop, n, dt.date(2026, 8, 3)), dt.date(2026, 8, 3))
        carry()
        later = dt.date(2026, 9, 1)
        for q in (Q1, Q2):
            assert figures(sup, q, later) == before[q], q
        # the vault's own check agrees: the same figures, written again without a word
        write(sup, tmp_path / "q1-again.csv", Scope(Q1), today=later)
        write(sup, tmp_path / "q2-again.csv", Scope(Q2), today=later)
        # internal reports (the supervisor's own) keep "open now": the three are there
        inside = figures(sup, Q2, later, audience="internal")
        assert inside[("caseload", "open_now")][-1] == 11 + 11 + 3
        assert inside[("freshness", "participants")] == (11 + 11 + 1 + 3,)
        assert ("caseload", "open_now") not in before[Q2]
