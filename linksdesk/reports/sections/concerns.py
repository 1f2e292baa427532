"""Concerns (issues identified), at referral and later (part of ``reports.figures``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from linksdesk.core.vocab import (
    ConcernStage,
)
from linksdesk.reports.model import ChartSpec, Column, Kind, Section, Table
from linksdesk.reports.sections.context import (
    Ctx,
)
from linksdesk.reports.stats import pct


def concerns(c: Ctx) -> Section:
    at_ref: dict[str, set[str]] = defaultdict(set)
    later: dict[str, set[str]] = defaultdict(set)
    for pid, _owner, category, stage, day in c.d.concerns:
        if c.a <= day <= c.b:
            (at_ref if stage == ConcernStage.AT_REFERRAL.value else later)[category].add(pid)
    anyone = {p for s in (*at_ref.values(), *later.values()) for p in s}
    cats = sorted(set(at_ref) | set(later), key=lambda k: (-len(at_ref[k] | later[k]), k))
    rows: list[tuple[Any, ...]] = []
    for cat in cats:
        a = len(at_ref[cat])
        only_later = len(later[cat] - at_ref[cat])
        people = a + only_later
        rows.append((cat, a, only_later, people, pct(people, len(anyone))))
    rows.append(("People with any concern", None, None, len(anyone), None))
    table = Table(
        "concerns",
        "Concerns by prevalence",
        (
            Column("concern", "Concern", Kind.TEXT),
            Column("at_referral", "At referral"),
            Column("later", "Surfaced later"),
            Column("people", "People", sums=("at_referral", "later")),
            Column(
                "share", "Share of people with a concern", Kind.PERCENT,
                based_on=("people",), base_in_last_row="people",
            ),
        ),
        tuple(rows),
        description="Each person counts once per concern: at referral, or surfaced later only.",
    )  # fmt: skip
    chart = ChartSpec(
        "hbar_stacked", "concerns", ("at_referral", "later"), "Concerns: at referral and later"
    )
    return Section("concerns", "Concerns", (table,), chart)
