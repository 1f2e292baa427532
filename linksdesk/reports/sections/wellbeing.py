"""Wellbeing change for the supervisor's figures: WEMWBS and SWEMWBS paired within one episode
of support (``core.episodes``, the rule the participant's own Wellbeing tab uses too), by
dose, and ONS4 per question. Part of ``reports.figures``, which lists it among its sections.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any, NamedTuple

from linksdesk.core.episodes import episodes
from linksdesk.core.measures import (
    MIN_PAIRED_FOR_EVALUATION,
    ONS4_QUESTIONS,
    evaluation_caveat,
    thresholds,
)
from linksdesk.core.vocab import MeasureKind
from linksdesk.reports.model import ChartSpec, Column, Kind, Section, Table
from linksdesk.reports.stats import mean_ci, pct

if TYPE_CHECKING:
    from linksdesk.reports.sections.context import Ctx

DOSE_CONTACTS = 3
WELLBEING_KINDS = (MeasureKind.WEMWBS, MeasureKind.SWEMWBS)


class Score(NamedTuple):
    day: str
    recorded: str  # the score's id: same-day scores pair in the order they were recorded
    value: float
    context: str  # baseline, review or closing, as the worker marked it


class Pairs(NamedTuple):
    changes: dict[str, float]  # person -> paired change
    baseline_only: set[str]  # people with a baseline and no later score yet
    # person -> the last score day of the episode before the one counted (a returning person)
    since: dict[str, str]


def wellbeing_pairs(c: Ctx, kind: MeasureKind) -> Pairs:
    """Per person with a score of ``kind`` in the period: their change (paired), and the
    people who have only a baseline so far."""
    scores: dict[str, list[Score]] = defaultdict(list)
    for pid, _owner, mid, k, day, total, metric, context in c.d.measures:
        if k != kind.value or day > c.b:
            continue
        value = metric if kind is MeasureKind.SWEMWBS else total
        if value is not None:
            scores[pid].append(Score(day, mid, float(value), context))
    return _paired(c, scores)


def _paired(c: Ctx, scores: dict[str, list[Score]]) -> Pairs:
    """The pairing rule every scale shares, within one episode of support: its first score
    and its latest later score, up to the period's end. Per person with a score in the
    period: the latest such episode with a later score, else a baseline only."""
    out = Pairs({}, set(), {})
    for pid, got in scores.items():
        # core.episodes: one order, one rule
        split = episodes(got, lambda s: s.day, lambda s: s.context, lambda s: s.recorded)
        here = [e for e in split if any(c.a <= s.day <= c.b for s in e)]
        paired = [e for e in here if e[-1].day > e[0].day]
        if paired:
            episode = paired[-1]
            out.changes[pid] = round(episode[-1].value - episode[0].value, 2)
        elif here:
            episode = here[-1]
            out.baseline_only.add(pid)
        else:
            continue
        n = split.index(episode)
        if n:
            out.since[pid] = split[n - 1][-1].day
    return out


def _change_row(
    label: str, kind: MeasureKind, changes: list[float], baseline_only: int
) -> tuple[Any, ...]:
    t = thresholds(kind)
    ci = mean_ci(changes)
    improved = sum(1 for x in changes if x >= t.possible)
    declined = sum(1 for x in changes if x <= -t.possible)
    n = len(changes)
    return (
        label,
        n,
        baseline_only,
        None if ci is None else round(ci.mean, 2),
        None if ci is None or ci.low is None else round(ci.low, 2),
        None if ci is None or ci.high is None else round(ci.high, 2),
        improved,
        n - improved - declined,
        declined,
        pct(improved, n),
    )


def _wellbeing_columns(first: str) -> tuple[Column, ...]:
    return (
        Column("group", first, Kind.TEXT),
        Column("paired", "People paired", sums=("improved", "no_change", "declined")),
        Column("baseline_only", "Baseline, no follow-up yet"),
        Column("mean_change", "Mean change", Kind.NUMBER, based_on=("paired",)),
        Column("ci_low", "95 % CI low", Kind.NUMBER, based_on=("paired",)),
        Column("ci_high", "95 % CI high", Kind.NUMBER, based_on=("paired",)),
        Column("improved", "Improved"),
        Column("no_change", "No meaningful change"),
        Column("declined", "Declined"),
        Column("improved_share", "Share improved", Kind.PERCENT, based_on=("improved", "paired")),
    )


def wellbeing(c: Ctx) -> Section:
    rows, dose_rows, warnings = [], [], []
    for kind in WELLBEING_KINDS:
        changes, baseline_only, since = wellbeing_pairs(c, kind)
        # the dose of the episode paired: a returning person's contacts since their last
        # episode's last score
        contacts_by_person: Counter[str] = Counter(
            pid for pid, days in c.attended.items() for d in days if since.get(pid, "") < d <= c.b
        )
        label = kind.label
        rows.append(_change_row(label, kind, list(changes.values()), len(baseline_only)))
        caveat = _caveat(c, len(changes))
        if caveat and changes:
            warnings.append(f"{label}: {caveat}")
        for name, many in (
            (f"fewer than {DOSE_CONTACTS} contacts", False),
            (f"{DOSE_CONTACTS} or more contacts", True),
        ):
            group = [
                x for p, x in changes.items() if (contacts_by_person[p] >= DOSE_CONTACTS) is many
            ]
            only = sum(1 for p in baseline_only if (contacts_by_person[p] >= DOSE_CONTACTS) is many)
            dose_rows.append(_change_row(f"{label}, {name}", kind, group, only))
            caveat = _caveat(c, len(group))
            if caveat and group:
                warnings.append(f"{label}, {name}: {caveat}")
    change = Table(
        "wellbeing_change",
        "Wellbeing change (paired: first and latest score of the same person)",
        _wellbeing_columns("Scale"),
        tuple(rows),
        warnings=tuple(w for w in warnings if "contacts:" not in w),
        description=(
            "WEMWBS in points (meaningful change 3 or more), SWEMWBS in Rasch metric points "
            "(meaningful change 1 or more)."
        ),
    )
    dose = Table(
        "wellbeing_dose",
        "Wellbeing change by number of attended contacts",
        _wellbeing_columns("Scale and contacts"),
        tuple(dose_rows),
        warnings=tuple(w for w in warnings if "contacts:" in w),
    )
    chart = ChartSpec(
        "errorbar", "wellbeing_change", ("mean_change", "ci_low", "ci_high"),
        "Mean paired change with 95 % confidence interval", y_label="change", skip_last=False,
    )  # fmt: skip
    notes = (
        "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, University "
        "of Warwick and University of Edinburgh, 2006, all rights reserved.",
        "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, "
        "University of Warwick and University of Edinburgh, 2008, all rights reserved.",
        ONS4_NOTE,
    )
    return Section("wellbeing", "Wellbeing change", (change, dose, ons4(c)), chart, notes)


def _caveat(c: Ctx, paired: int) -> str | None:
    """The fewer-than-30-pairs warning; without the number in external reports, where the
    number of pairs may be a hidden count."""
    if c.exact or paired >= MIN_PAIRED_FOR_EVALUATION:
        return evaluation_caveat(paired)
    return (
        f"fewer than {MIN_PAIRED_FOR_EVALUATION} people have scores at two time points; an "
        f"average change needs at least {MIN_PAIRED_FOR_EVALUATION} before it can be relied on."
    )


ONS4_NOTE = (
    "ONS4 (ONS personal wellbeing): each question is reported on its own, never added up. "
    "There is no share improved or declined because no meaningful-change threshold for the "
    "ONS4 questions is published (there is one for WEMWBS and SWEMWBS); the paired mean "
    "change and its 95 % confidence interval are shown instead. For anxiety yesterday, lower "
    "is better, so a fall is an improvement."
)


def ons4_pairs(c: Ctx) -> list[Pairs]:
    """Per ONS4 question, in question order: each person's paired change, and the people
    with only a baseline so far (the WEMWBS pairing rule, on that question's answers)."""
    scores: list[dict[str, list[Score]]] = [defaultdict(list) for _q in ONS4_QUESTIONS]
    for pid, _owner, mid, day, items, context in c.d.ons4:
        if day > c.b or len(items) != len(ONS4_QUESTIONS):
            continue
        for q, answer in enumerate(items):
            scores[q][pid].append(Score(day, mid, float(answer), context))
    return [_paired(c, per) for per in scores]


def ons4(c: Ctx) -> Table:
    rows, warned = [], 0
    for question, (changes, baseline_only, _since) in zip(
        ONS4_QUESTIONS, ons4_pairs(c), strict=True
    ):
        ci = mean_ci(list(changes.values()))
        rows.append(
            (
                question.short_name.capitalize(),
                "Lower is better" if question.lower_is_better else "Higher is better",
                len(changes),
                len(baseline_only),
                None if ci is None else round(ci.mean, 2),
                None if ci is None or ci.low is None else round(ci.low, 2),
                None if ci is None or ci.high is None else round(ci.high, 2),
            )
        )
        warned = len(changes)  # the same people answer every question
    caveat = _caveat(c, warned)
    return Table(
        "ons4_change",
        "ONS4 personal wellbeing: paired change per question (0 to 10)",
        (
            Column("question", "Question", Kind.TEXT),
            Column("better", "Direction", Kind.TEXT),
            Column("paired", "People paired"),
            Column("baseline_only", "Baseline, no follow-up yet"),
            Column("mean_change", "Mean change", Kind.NUMBER, based_on=("paired",)),
            Column("ci_low", "95 % CI low", Kind.NUMBER, based_on=("paired",)),
            Column("ci_high", "95 % CI high", Kind.NUMBER, based_on=("paired",)),
        ),
        tuple(rows),
        warnings=(f"ONS4: {caveat}",) if caveat and warned else (),
        description=(
            "Paired: a person's first and latest later answers to each question. No share "
            "improved: ONS4 has no published meaningful-change threshold."
        ),
    )
