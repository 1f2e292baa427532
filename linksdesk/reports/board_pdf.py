"""The report as a PDF a programme board can read without LinksDesk (on reports.pdf's builder).

Title page with period, workers, audience and "data as of"; then each section's heading, its
chart (with the chart's text alternative printed under it, so the figures are in the text
too) and its tables; last, what the figures mean. Text stays selectable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from linksdesk.reports import charts
from linksdesk.reports.cells import audience_words
from linksdesk.reports.model import PUBLICATION_LABEL, SUPPRESSED_MARK, Kind, Report, Table
from linksdesk.reports.pdf import PdfDocument  # type: ignore[import-not-found,unused-ignore]
from linksdesk.reports.scope import Period


def _cell(table: Table, r: int, c: int) -> str:
    if (r, c) in table.suppressed:
        return SUPPRESSED_MARK
    value = table.rows[r][c]
    col = table.columns[c]
    if value is None:
        return ""
    if col.kind is Kind.PERCENT:
        return f"{value:.1f} %"
    if col.kind is Kind.DATE and hasattr(value, "strftime"):
        return str(value.strftime("%d %b %Y %H:%M"))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)  # text as written: a PDF never runs it


def _table(doc: PdfDocument, table: Table) -> None:
    doc.heading(table.title, level=3)
    rows = []
    for r in range(len(table.rows)):
        cells = [_cell(table, r, c) for c in range(len(table.columns))]
        if r in table.flagged:
            cells[0] = f"{cells[0]} (!)"
        rows.append(cells)
    first = 2.5 if len(table.columns) > 4 else 2.0
    doc.table(
        [c.label for c in table.columns], rows,
        col_widths=[first, *([1.0] * (len(table.columns) - 1))],
        empty_text="Nothing recorded in this period.",
    )  # fmt: skip
    for note in (table.description, *table.warnings):
        if note:
            doc.paragraph(note, small=True, muted=True)
    if table.flagged:
        doc.paragraph("(!) stands out: see the notes above.", small=True, muted=True)


# who a report is for, as its title page says it (the file's own data keeps the word)
AUDIENCES = {
    "external": "External: board, funder, evaluation",
    "internal": "Internal: supervision",
}


def write_pdf(
    report: Report, out: Path, progress: Callable[[int, int], None] | None = None
) -> Path:
    as_of = report.data_as_of.strftime("%d %B %Y %H:%M") if report.data_as_of else "no data"
    period = Period.parse(report.period_label).words  # "January to December 2026"
    with PdfDocument(report.title, author="LinksDesk supervisor", language="en-GB",
                     subject=period, keywords=report.publication or "") as doc:  # fmt: skip
        doc.title_page(
            report.title,
            subtitle=period,
            details=[
                ("Period", report.period_label),  # the months as the files name them
                ("Workers", report.scope_label),
                ("Audience", AUDIENCES.get(report.audience, report.audience)),
                ("Data as of", as_of),
                ("Made", report.generated_at.strftime("%d %B %Y %H:%M")),
            ],
            notice=audience_words(report),
        )
        total = len(report.sections)
        for n, section in enumerate(report.sections, start=1):
            doc.heading(section.title, level=1)
            if section.chart is not None:
                fig = charts.new_figure(7.5, 3.4)
                text = charts.draw_table_chart(
                    fig, section.chart, section.table(section.chart.table)
                )
                doc.image(charts.png(fig, dpi=150), alt_text=text)
                doc.paragraph(text, small=True, muted=True)
            for table in section.tables:
                _table(doc, table)
            for note in section.notes:
                doc.paragraph(note, small=True, muted=True)
            if progress is not None:
                progress(n, total)
        doc.heading("What the figures mean", level=1)
        doc.key_values([(term, meaning) for term, meaning in report.explanations])
        if report.publication:  # also in the file's keywords, where LinksDesk reads it
            doc.paragraph(f"{PUBLICATION_LABEL}: {report.publication}", small=True, muted=True)
        doc.save(out)
    return out
