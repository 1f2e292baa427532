"""XLSX and CSV reports: the same golden numbers, real types, and text that never runs."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from team_kit import HOSTILE_NAME, PASSPHRASE, PERIOD, TODAY
from test_reports_golden import assert_golden

from linksdesk.reports.export import export_report
from linksdesk.reports.model import Kind, Table
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.xlsx import ABOUT_SHEET
from linksdesk.storage.tables import AuditEvent

P = Period.parse(PERIOD)


def export(cb: Any, tmp_path: Path, fmt: str, audience: str) -> tuple[Path, Any]:
    out = tmp_path / f"report-{audience}.{fmt}"
    report = export_report(cb.store, Scope(P), fmt, out, audience=audience, today=TODAY)
    return out, report


def tables_from_xlsx(path: Path, report: Any) -> dict[str, Table]:
    """Read every table sheet back into tables shaped like the report's (values from the file)."""
    wb = openpyxl.load_workbook(path)
    by_title = {t.title: t for s in report.sections for t in s.tables}
    out = {}
    for ws in wb.worksheets[1:]:
        title = ws.cell(1, 1).value
        shape = by_title[title]
        header = [c.value for c in ws[4]][: len(shape.columns)]
        assert header == [c.label for c in shape.columns]
        rows = [
            tuple(c.value for c in ws[r][: len(shape.columns)])
            for r in range(5, 5 + len(shape.rows))
        ]
        out[shape.key] = Table(shape.key, title, shape.columns, tuple(rows), shape.total_row)
    return out


def test_xlsx_cells_equal_counts_of_what_went_in(team: Any, tmp_path: Path) -> None:
    supervisor, ledger = team
    path, report = export(supervisor, tmp_path, "xlsx", "internal")
    tables = tables_from_xlsx(path, report)
    assert len(tables) == sum(len(s.tables) for s in report.sections)
    assert_golden(tables, ledger)  # the same checks as the dashboard's, on the file's cells

    wb = openpyxl.load_workbook(path)
    assert wb.worksheets[0].title == ABOUT_SHEET
    about = {r[0].value: r[1].value for r in wb.worksheets[0].iter_rows(min_row=3, max_row=7)}
    assert about["Period"] == PERIOD and isinstance(
        about["Data as of (the earliest of the workers' dates)"], dt.datetime
    )
    meaning = [r[0].value for r in wb.worksheets[0].iter_rows(min_row=9)]
    assert "Wait" in meaning and "Worked with" in meaning
    # numbers are numbers, dates are dates
    for ws in wb.worksheets[1:]:
        title = ws.cell(1, 1).value
        shape = next(t for s in report.sections for t in s.tables if t.title == title)
        for r in range(5, 5 + len(shape.rows)):
            for j, col in enumerate(shape.columns, start=1):
                cell = ws.cell(r, j)
                if col.kind is Kind.COUNT and shape.rows[r - 5][j - 1] is not None:
                    assert cell.data_type == "n" and isinstance(cell.value, int), (title, r, j)
                if col.kind is Kind.DATE:
                    assert cell.is_date
    assert wb.properties.title == report.title


def test_formula_text_typed_into_a_case_field_stays_text(team: Any, tmp_path: Path) -> None:
    supervisor, _ledger = team
    path, _report = export(supervisor, tmp_path, "xlsx", "internal")
    wb = openpyxl.load_workbook(path)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                    found.append(cell)
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    assert found, "the resource named with a formula must appear in the onward tables"
    assert all(c.data_type == "s" and c.value.startswith(HOSTILE_NAME) for c in found)

    csv_path, _ = export(supervisor, tmp_path, "csv", "internal")
    with csv_path.open(encoding="utf-8-sig") as f:
        cells = [c for row in csv.reader(f) for c in row]
    hostile = [c for c in cells if "HYPERLINK" in c]
    assert hostile and all(c.startswith("'=") for c in hostile)
    assert not any(c[:1] in "=+@" for c in cells if c)


def test_external_files_hide_small_counts(team: Any, tmp_path: Path) -> None:
    supervisor, _ledger = team
    path, report = export(supervisor, tmp_path, "xlsx", "external")
    wb = openpyxl.load_workbook(path)
    values = [c.value for ws in wb.worksheets[1:] for row in ws.iter_rows(min_row=5) for c in row]
    assert "c" in values
    assert not any(isinstance(v, int) and 0 < v < 10 for v in values if not isinstance(v, bool))
    caseload = report.section("caseload").table("caseload")
    assert caseload.suppressed  # five small caseloads: some hidden


def test_report_writes_are_audited_without_content(team: Any, tmp_path: Path) -> None:
    supervisor, _ledger = team
    export(supervisor, tmp_path, "csv", "external")
    with supervisor.store.read() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last is not None
    assert (last.action, last.entity, last.entity_id) == ("export", "report csv external", PERIOD)


def test_an_existing_file_is_never_overwritten(team: Any, tmp_path: Path) -> None:
    supervisor, _ledger = team
    out = tmp_path / "taken.xlsx"
    out.write_bytes(b"keep me")
    with pytest.raises(Exception, match="already exists"):
        export_report(supervisor.store, Scope(P), "xlsx", out)
    assert out.read_bytes() == b"keep me"


def test_report_command_line(team: Any, tmp_path: Path) -> None:
    supervisor, ledger = team
    out = tmp_path / "board.xlsx"
    env = dict(os.environ, LINKSDESK_PASSPHRASE=PASSPHRASE, LINKSDESK_KDF_PROFILE="fast",
               HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"))  # fmt: skip
    worker = ledger.workers[0]
    done = subprocess.run(
        [sys.executable, "-m", "linksdesk", "report", "--vault", str(supervisor.path),
         "--period", PERIOD, "--worker", worker[-6:], "--format", "xlsx",
         "--audience", "internal", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "internal report for 2026-01..2026-06" in done.stdout
    wb = openpyxl.load_workbook(out)
    caseload = next(ws for ws in wb.worksheets if ws.cell(1, 1).value == "Caseload per worker")
    assert caseload.cell(5, 1).value == f"Worker {worker[-6:]}"
    assert caseload.cell(7, 1).value is None  # one worker and the total, nothing more
    bad = subprocess.run(
        [sys.executable, "-m", "linksdesk", "report", "--vault", str(supervisor.path),
         "--period", "2026-13", "--format", "csv", "--out", str(tmp_path / "x.csv")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "not a month" in bad.stderr
    assert not (tmp_path / "x.csv").exists()
