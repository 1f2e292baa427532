"""How a figure becomes text in a file: suppressed marks, and text that never runs as a formula."""

from __future__ import annotations

import datetime as dt
from typing import Any

from linksdesk.reports.model import SUPPRESSED_MARK, Column, Kind, Report
from linksdesk.reports.suppression import DEFAULT_THRESHOLD

# a spreadsheet treats a cell starting with one of these as a formula (OWASP CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(text: str) -> str:
    """Text that a spreadsheet shows as typed: a leading quote stops formula evaluation."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(column: Column, value: Any, hidden: bool = False) -> str:
    if hidden:
        return SUPPRESSED_MARK
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and column.kind is not Kind.TEXT:
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_text(str(value))


def audience_words(report: Report) -> str:
    """What a file says of its numbers: exact, or which counts are hidden (the programme's
    own threshold, which a board cannot otherwise see)."""
    if report.audience != "external":
        return "Internal, for supervision: exact numbers. Do not pass it on outside."
    hidden = (report.threshold or DEFAULT_THRESHOLD) - 1
    shown = "1 is" if hidden == 1 else f"from 1 to {hidden} are"
    # a "c" is not always a small count: secondary suppression hides larger ones, and a
    # share or average built on a hidden count goes with it; a board reading only the first
    # half took every "c" for 1 to 9 (fewer than ten of thirteen people referred seen)
    return (
        f"External: counts {shown} hidden ({SUPPRESSED_MARK}) to protect small numbers; so "
        "are some larger counts, and shares or averages built on a hidden count, where the "
        "totals would otherwise give a hidden count away."
    )
