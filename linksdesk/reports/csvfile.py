"""The report as one CSV file: each table under its title, every text cell formula-safe."""

from __future__ import annotations

import csv
from pathlib import Path

from linksdesk.reports.cells import audience_words, csv_value, safe_text
from linksdesk.reports.model import PUBLICATION_LABEL, Report


def write_csv(report: Report, out: Path) -> Path:
    with out.open("w", newline="", encoding="utf-8-sig") as f:  # BOM: Excel reads UTF-8
        w = csv.writer(f)
        w.writerow([safe_text(report.title)])
        w.writerow(["Period", report.period_label])
        w.writerow(["Workers", safe_text(report.scope_label)])
        w.writerow(["Audience", report.audience])
        w.writerow(["Small numbers", audience_words(report)])
        as_of = report.data_as_of.strftime("%Y-%m-%d %H:%M") if report.data_as_of else ""
        w.writerow(["Data as of", as_of])
        for section in report.sections:
            for table in section.tables:
                w.writerow([])
                w.writerow([safe_text(table.title)])
                w.writerow([safe_text(c.label) for c in table.columns])
                for r, row in enumerate(table.rows):
                    w.writerow([
                        csv_value(c, v, (r, j) in table.suppressed)
                        for j, (c, v) in enumerate(zip(table.columns, row, strict=True))
                    ])  # fmt: skip
                for note in (table.description, *table.warnings):
                    if note:
                        w.writerow([safe_text(note)])
        w.writerow([])
        for term, meaning in report.explanations:
            w.writerow([safe_text(term), safe_text(meaning)])
        if report.publication:
            w.writerow([])
            w.writerow([PUBLICATION_LABEL, report.publication])
    return out
