"""A count the contacts table hides must not come back from the appointments table.

The team's attended supported visits are published twice: in "Contacts by kind and outcome"
(the supported-visit row, attended) and as the "All workers" total of supported visits in
the appointments table. When a small did-not-attend count in the supported-visit row was
hidden with its attended neighbour, the appointments table still printed that neighbour,
and the row's total minus it gave the hidden count back. A real laptop's contacts travel in
a real bundle to the supervisor's vault; the external workbook is read back with openpyxl.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from small_team import sharing_person, supervisor_with

from linksdesk.casework import contacts
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.reports.build import save_settings, suppress_sections
from linksdesk.reports.data import TeamData
from linksdesk.reports.export import export_report
from linksdesk.reports.figures import compute
from linksdesk.reports.model import SUPPRESSED_MARK
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.settings import ReportSettings

PERIOD = Period.parse("2026-03")


def _sheet(wb: Any, title: str) -> list[list[Any]]:
    for ws in wb.worksheets:
        if ws.cell(1, 1).value == title:
            return [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    raise AssertionError(f"no sheet titled {title!r}")


def _row(rows: list[list[Any]], label: str) -> dict[str, Any]:
    header = rows[0]
    found = next(r for r in rows[1:] if r[0] == label)
    return dict(zip(header, found, strict=False))


def _worked_back(contacts_rows: list[list[Any]], appointments_rows: list[list[Any]]) -> Any:
    """What a reader works out for the supported visits nobody attended: the row's total
    less the attended visits the appointments table gives, less the row's published cells;
    None when the files do not give it."""
    row = _row(contacts_rows, "Supported visit")
    if row["Did not attend"] != SUPPRESSED_MARK:
        return None  # published as it is
    attended = row["Attended"]
    if attended == SUPPRESSED_MARK:
        attended = _row(appointments_rows, "All workers")["Supported visits attended"]
    rest = [row["Cancelled"], row["Scheduled"], attended]
    if SUPPRESSED_MARK in rest or row["Total"] == SUPPRESSED_MARK:
        return None
    return row["Total"] - sum(rest)


@pytest.mark.parametrize(
    ("supported", "appointments"),
    [((4, 2), (5, 5)), ((6, 1), (7, 9))],
    ids=["four-and-two", "six-and-one"],
)
def test_a_hidden_did_not_attend_is_not_given_back_by_the_supported_visits_total(
    tmp_path: Path, supported: tuple[int, int], appointments: tuple[int, int]
) -> None:
    counts = {ContactKind.SUPPORTED_VISIT: supported, ContactKind.APPOINTMENT: appointments}

    def fill(laptop: Casebook) -> None:
        for kind, (attended, missed) in counts.items():
            for status, n in ((ContactStatus.ATTENDED, attended),
                              (ContactStatus.DID_NOT_ATTEND, missed)):  # fmt: skip
                for i in range(n):
                    pid = sharing_person(laptop, i)
                    at = dt.datetime(2026, 3, 2 + i, 10)
                    contacts.record_contact(laptop, pid, kind=kind, at=at, status=status)

    path = tmp_path / "board.xlsx"
    with supervisor_with(tmp_path, fill) as sup:
        # a programme that hides counts from 1 to 2: the shapes of a threshold-10 report
        # with the few contacts a test can make
        save_settings(sup.store, ReportSettings(suppression_threshold=3))
        export_report(sup.store, Scope(PERIOD), "xlsx", path, audience="external")
    wb = openpyxl.load_workbook(path)
    by_kind = _sheet(wb, "Contacts by kind and outcome")
    visits = _sheet(wb, "Appointments used against the limit, and supported visits")
    assert _row(by_kind, "Supported visit")["Did not attend"] == SUPPRESSED_MARK  # 1 or 2
    assert _row(by_kind, "Supported visit")["Total"] == sum(supported)
    assert _worked_back(by_kind, visits) is None


def test_the_supported_visits_are_one_count_in_both_tables() -> None:
    """Without a vault: the same counts at the default threshold (10), every published
    place of the team's attended supported visits agrees, and hides, together."""
    worker = "w-000000000001"
    rows: list[tuple[Any, ...]] = []
    for kind, attended, missed in (("supported_visit", 12, 3), ("appointment", 40, 20),
                                   ("phone", 40, 20)):  # fmt: skip
        for status, n in (("attended", attended), ("did_not_attend", missed)):
            rows += [(f"{kind}{status}{i}", worker, kind, status, "2026-03-10", False)
                     for i in range(n)]  # fmt: skip
    people = tuple((r[0], worker, "active", None) for r in rows)
    data = TeamData(people, (), tuple(rows), (), (), (), (), (), {}, {}, {}, {})
    sections = suppress_sections(
        compute(data, Scope(PERIOD), ReportSettings(), dt.date(2026, 8, 1), exact=False), 10
    )
    tables = {t.key: t for s in sections for t in s.tables}
    by_kind, visits = tables["contacts_by_kind"], tables["appointments"]
    row = next(r for r in by_kind.rows if r[0] == "Supported visit")
    assert row[by_kind.column_index("did_not_attend")] is None  # 3: hidden
    attended = row[by_kind.column_index("attended")]
    team = visits.rows[-1][visits.column_index("supported_visits")]
    assert attended == team  # published together or hidden together (None)
    assert attended is None  # the only neighbour that could protect the 3
