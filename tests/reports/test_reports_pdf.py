"""The PDF a board reads: pdftotext finds each section's title and its figures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from team_kit import PERIOD, TODAY

from linksdesk.reports.export import export_report
from linksdesk.reports.model import Kind
from linksdesk.reports.scope import Period, Scope


def pdf_text(path: Path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout


def test_pdf_has_every_section_title_and_figure(team: Any, tmp_path: Path) -> None:
    supervisor, _ledger = team
    out = tmp_path / "board.pdf"
    report = export_report(supervisor.store, Scope(Period.parse(PERIOD)), "pdf", out,
                           audience="internal", today=TODAY)  # fmt: skip
    text = pdf_text(out)
    flat = " ".join(text.split())
    assert report.title in flat
    assert f"Period {PERIOD}" in flat
    for section in report.sections:
        assert section.title in flat, section.title
        for table in section.tables:
            assert table.title in flat, table.title
    caseload = report.section("caseload").table("caseload")
    total = caseload.rows[-1]
    # the team's row with its figures, as printed in the table
    assert any(
        "All workers" in line and all(str(v) in line.split() for v in total[1:])
        for line in text.splitlines()
    )
    # the deprivation headline figures, with their counts, as printed
    head = report.section("deprivation").table("deprivation_headline")
    for label, people, _share in head.rows[:2]:
        assert any(label in " ".join(line.split()) and str(people) in line.split()
                   for line in text.splitlines()), label  # fmt: skip
    # ONS4: each question with its paired change, and why there is no "improved" share
    for question, _better, paired, _only, mean, low, high in (
        report.section("wellbeing").table("ons4_change").rows
    ):
        assert any(
            question in line and all(f"{v:g}" in line.split() for v in (paired, mean, low, high))
            for line in text.splitlines()
        ), question
    assert "no meaningful-change threshold for the ONS4 questions" in flat
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert report.title in info.stdout
    meta = subprocess.run(["pdfinfo", "-meta", str(out)], capture_output=True, text=True)
    assert out.stat().st_mode & 0o777 == 0o600
    assert "en-GB" in out.read_bytes().decode("latin-1") or "en-GB" in meta.stdout


def test_pdf_has_every_tables_figures(team: Any, tmp_path: Path) -> None:
    """Every row of every table: each of its counts and statistics on one line of the text
    pdftotext reads, the row's label beside it (a label that wraps onto more lines is found
    by its start within two lines)."""
    supervisor, _ledger = team
    out = tmp_path / "board-figures.pdf"
    report = export_report(supervisor.store, Scope(Period.parse(PERIOD)), "pdf", out,
                           audience="internal", today=TODAY)  # fmt: skip
    lines = [line.split() for line in pdf_text(out).splitlines()]
    checked = 0
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                label = str(row[0])[:8]
                figures = [
                    f"{v:g}" if isinstance(v, float) else str(v)
                    for col, v in zip(table.columns, row, strict=True)
                    if col.kind in (Kind.COUNT, Kind.NUMBER) and v is not None
                ]
                if not label or not figures:
                    continue
                assert any(
                    all(f in words for f in figures)
                    and any(label in " ".join(near) for near in lines[max(0, i - 2) : i + 3])
                    for i, words in enumerate(lines)
                ), (table.key, row)
                checked += 1
    assert checked > 90  # every table has rows with figures


def test_external_pdf_hides_small_counts(team: Any, tmp_path: Path) -> None:
    supervisor, _ledger = team
    out = tmp_path / "board-external.pdf"
    report = export_report(supervisor.store, Scope(Period.parse(PERIOD)), "pdf", out,
                           audience="external", today=TODAY)  # fmt: skip
    text = pdf_text(out)
    assert "counts from 1 to 9 are hidden" in " ".join(text.split())
    caseload = report.section("caseload").table("caseload")
    hidden_rows = {caseload.rows[r][0] for r, _c in caseload.suppressed}
    assert hidden_rows
    table_lines = [
        line.strip() for line in text.splitlines()
        if line.strip().startswith("Worker ") and ":" not in line  # table rows, not prose
    ]  # fmt: skip
    assert table_lines
    for line in table_lines:
        tokens = line.split()[2:]
        assert not any(t.isdigit() and 0 < int(t) < 10 for t in tokens), line
    assert any("c" in line.split()[2:] for line in table_lines)
