"""A board member reads the words the PDF prints under the wellbeing chart. "c" there means
what it means in the tables: a count from 1 to 9, hidden to protect small numbers. A scale
nobody has two scores of yet has no mean change at all (the table leaves it blank, the chart
says "n = 0"), and one person's change has no confidence interval: neither is a hidden
small number, and neither may read as one, in the board's report or in supervision's, where
nothing is hidden. Synthetic data, a real laptop's bundle, the PDF read with pdftotext."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from documents_kit import pdf_text
from small_team import sharing_person, supervisor_with
from test_reports_wellbeing import wemwbs

from linksdesk.casework import measures
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.reports.export import export_report
from linksdesk.reports.scope import Period, Scope

SCOPE = Scope(Period.parse("2026-01..2026-06"))
CHART = "Mean paired change with 95 % confidence interval."


def one_pair(laptop: Casebook) -> None:
    """One person with a WEMWBS baseline and review (40 then 44); no SWEMWBS at all."""
    pid = sharing_person(laptop, 0, referred=dt.date(2026, 1, 5))
    for total, context, day in ((40, MeasureContext.BASELINE, dt.date(2026, 1, 12)),
                                (44, MeasureContext.REVIEW, dt.date(2026, 4, 20))):  # fmt: skip
        measures.record_measure(laptop, pid, MeasureKind.WEMWBS, wemwbs(total),
                                context=context, taken_on=day)  # fmt: skip


def test_a_figure_that_is_not_there_is_not_called_hidden(tmp_path: Path) -> None:
    with supervisor_with(tmp_path, one_pair) as sup:
        said = {}
        for audience in ("internal", "external"):
            out = tmp_path / f"{audience}.pdf"
            export_report(sup.store, SCOPE, "pdf", out, audience=audience,
                          today=dt.date(2026, 7, 1), overlap_ok=True)  # fmt: skip
            text = pdf_text(out)
            said[audience] = text[text.index(CHART) :].split(". ", 2)[1]
    # supervision's report hides nothing: its mean is there, its one pair has no interval
    assert said["internal"].startswith("WEMWBS: mean change 4, ")
    assert not re.search(r"\bc\b", said["internal"]), said["internal"]
    # the board's: one pair is a hidden small number, no pairs at all is not
    assert said["external"].startswith("WEMWBS: mean change c, ")
    sw = said["external"][said["external"].index("SWEMWBS") :]
    assert not re.search(r"\bc\b", sw), sw
