"""A board member reads an external report's "Small numbers" line (the PDF's title page, the
CSV's and the workbook's head) and takes every "c" at its word. Secondary suppression hides
counts of 10 and more too (the team's "Seen", when its one person not yet seen is hidden),
and the line said only "counts from 1 to 9 are hidden (c)": a board read that fewer than ten
of thirteen people referred had been seen. Synthetic data, a real laptop's bundle, the files
read back with pdftotext, csv and openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
from documents_kit import pdf_text
from small_team import sharing_person, supervisor_with

from linksdesk.casework import contacts, referrals
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ContactKind, ReferralSource
from linksdesk.reports.export import export_report
from linksdesk.reports.scope import Period, Scope

SCOPE = Scope(Period.parse("2026-01..2026-03"))
WAITS = "Days from referral to first attended contact"


def thirteen_referred_twelve_seen(laptop: Casebook) -> None:
    for n in range(13):
        pid = sharing_person(laptop, n, referred=dt.date(2026, 1, 5))
        referrals.record_referral(laptop, pid, source=ReferralSource.GP,
                                  received_on=dt.date(2026, 1, 5))  # fmt: skip
        if n < 12:
            contacts.record_contact(laptop, pid, kind=ContactKind.APPOINTMENT,
                                    at=dt.datetime(2026, 1, 12, 10))  # fmt: skip


def waits_row(path: Path) -> dict[str, str]:
    """The team's row of the waiting-times table, by column, as the CSV file lays it out."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    at = lines.index([WAITS])
    header = lines[at + 1]
    team = next(row for row in lines[at + 2 :] if row[0] == "All workers")
    return dict(zip(header, team, strict=True))


def test_a_larger_count_hidden_as_c_is_not_read_as_a_small_one(tmp_path: Path) -> None:
    with supervisor_with(tmp_path, thirteen_referred_twelve_seen) as sup:
        for audience, fmt in (("internal", "csv"), ("external", "csv"), ("external", "pdf"),
                              ("external", "xlsx")):  # fmt: skip
            export_report(sup.store, SCOPE, fmt, tmp_path / f"{audience}.{fmt}",
                          audience=audience, today=dt.date(2026, 4, 1))  # fmt: skip
    exact, board = waits_row(tmp_path / "internal.csv"), waits_row(tmp_path / "external.csv")
    assert (exact["Seen"], exact["Not yet seen"]) == ("12", "1")
    assert (board["Referrals in the period"], board["Seen"]) == ("13", "c")  # 12, hidden
    with (tmp_path / "external.csv").open(encoding="utf-8-sig") as fh:
        said = {"csv": next(row[1] for row in csv.reader(fh) if row[:1] == ["Small numbers"])}
    about = openpyxl.load_workbook(tmp_path / "external.xlsx").worksheets[0]
    said["xlsx"] = next(
        row[1].value for row in about.iter_rows() if row[0].value == "Small numbers"
    )
    said["pdf"] = pdf_text(tmp_path / "external.pdf").split("Links programme")[1]  # title page
    for where, words in said.items():
        assert "counts from 1 to 9 are hidden" in words, where
        assert "larger counts" in words, (where, words)  # a c may be 10 or more
