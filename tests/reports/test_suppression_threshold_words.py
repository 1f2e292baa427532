"""What an external report says it hides is the programme's own threshold. The PDF's title
page always said "counts from 1 to 9 are hidden", whatever the threshold set in the vault: a
board reading a report made with threshold 20 was told 10 to 19 were published counts."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from documents_kit import pdf_text
from team_kit import PASSPHRASE

from linksdesk.casework import bundles
from linksdesk.reports.build import save_settings
from linksdesk.reports.export import export_report
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.settings import ReportSettings


@pytest.mark.parametrize(
    ("threshold", "words"),
    [
        (2, "counts 1 is hidden"),
        (5, "counts from 1 to 4 are hidden"),
        (20, "counts from 1 to 19 are hidden"),
    ],
)
def test_every_file_states_the_threshold_it_was_made_with(
    tmp_path: Path, threshold: int, words: str
) -> None:
    sup, _ = bundles.create_vault(tmp_path / "sup.vault", PASSPHRASE, supervisor=True)
    try:
        save_settings(sup.store, ReportSettings(suppression_threshold=threshold))
        scope = Scope(Period.parse("2026-01..2026-03"))
        for fmt in ("pdf", "xlsx", "csv"):
            export_report(sup.store, scope, fmt, tmp_path / f"board.{fmt}", audience="external")
        export_report(sup.store, scope, "pdf", tmp_path / "own.pdf", audience="internal")
    finally:
        sup.lock()
    assert words in pdf_text(tmp_path / "board.pdf")
    about = openpyxl.load_workbook(tmp_path / "board.xlsx").worksheets[0]
    facts = {row[0].value: row[1].value for row in about.iter_rows(min_row=3, max_row=9)}
    assert words in facts["Small numbers"]
    with (tmp_path / "board.csv").open(encoding="utf-8-sig") as f:
        head = {row[0]: row[1] for row in csv.reader(f) if len(row) == 2}
    assert words in head["Small numbers"]
    assert "exact numbers" in pdf_text(tmp_path / "own.pdf")
