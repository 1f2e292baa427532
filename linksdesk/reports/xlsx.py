"""The report as an XLSX workbook: a sheet saying what the figures mean, then one per table."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from linksdesk.reports.cells import audience_words
from linksdesk.reports.model import PUBLICATION_LABEL, SUPPRESSED_MARK, Column, Kind, Report, Table

ABOUT_SHEET = "About these figures"
FLAG_FILL = PatternFill("solid", fgColor="FBE3E1")
BOLD = Font(bold=True)


def _put(
    ws: Any, row: int, col: int, value: Any, column: Column | None = None, hidden: bool = False
) -> Any:
    """Write one cell: numbers as numbers, dates as dates, text always as text."""
    cell = ws.cell(row=row, column=col)
    if hidden:
        cell.value = SUPPRESSED_MARK
        cell.data_type = "s"
    elif isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, int | float) and (column is None or column.kind is not Kind.TEXT):
        cell.value = value
        if column is not None and column.kind is Kind.PERCENT:
            cell.number_format = '0.0" %"'
    elif isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif value is not None:
        # set as a string cell whatever it starts with: openpyxl would store "=…" as a formula
        cell.value = str(value)
        cell.data_type = "s"
    return cell


def sheet_name(title: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", " ", title).strip()[:31] or "Table"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _table_sheet(ws: Any, table: Table, section_title: str) -> None:
    _put(ws, 1, 1, table.title).font = Font(bold=True, size=13)
    _put(ws, 2, 1, section_title)
    header = 4
    for j, col in enumerate(table.columns, start=1):
        _put(ws, header, j, col.label).font = BOLD
        ws.column_dimensions[get_column_letter(j)].width = max(12, min(44, len(col.label) + 4))
    for i, row in enumerate(table.rows):
        r = header + 1 + i
        for j, (col, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = _put(ws, r, j, value, col, (i, j - 1) in table.suppressed)
            if i in table.flagged:
                cell.fill = FLAG_FILL
            if table.total_row and i == len(table.rows) - 1:
                cell.font = BOLD
    r = header + len(table.rows) + 2
    notes = [table.description, *table.warnings]
    if table.flagged:
        notes.append("Shaded rows stand out (see the notes above).")
    if table.suppressed:
        notes.append(f"{SUPPRESSED_MARK}: hidden to protect small numbers.")
    for note in notes:
        if note:
            _put(ws, r, 1, note)
            r += 1
    ws.freeze_panes = ws.cell(row=header + 1, column=2)


def _about(ws: Any, report: Report) -> None:
    _put(ws, 1, 1, report.title).font = Font(bold=True, size=14)
    facts: list[tuple[str, Any]] = [
        ("Period", report.period_label),
        ("Workers", report.scope_label),
        ("Audience", report.audience),
        ("Made", report.generated_at),
        ("Data as of (the earliest of the workers' dates)", report.data_as_of),
        ("Small numbers", audience_words(report)),
    ]
    if report.publication:  # for another supervisor's vault to compare its reports with
        facts.append((PUBLICATION_LABEL, report.publication))
    for i, (k, v) in enumerate(facts, start=3):
        _put(ws, i, 1, k).font = BOLD
        _put(ws, i, 2, v)
    r = 3 + len(facts) + 1
    _put(ws, r, 1, "What the figures mean").font = Font(bold=True, size=12)
    for term, meaning in report.explanations:
        r += 1
        _put(ws, r, 1, term).font = BOLD
        _put(ws, r, 2, meaning)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 110


def write_xlsx(
    report: Report, out: Path, progress: Callable[[int, int], None] | None = None
) -> Path:
    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEET
    _about(about, report)
    taken = {ABOUT_SHEET.lower()}
    tables = [(s, t) for s in report.sections for t in s.tables]
    for n, (section, table) in enumerate(tables, start=1):
        _table_sheet(wb.create_sheet(sheet_name(table.title, taken)), table, section.title)
        if progress is not None:
            progress(n, len(tables))
    wb.properties.title = report.title
    wb.properties.language = "en-GB"
    wb.save(out)
    return out
