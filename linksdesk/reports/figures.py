"""Every figure a supervisor sees, computed once here from the vault's ordinary tables.

The dashboard, the XLSX/CSV/PDF reports, the command line and the tests all read these
sections; nothing else counts. Definitions (also written out for readers in EXPLANATIONS):

- people in the period: participants with a referral received or an attended contact in it;
- worked with: participants with an attended contact in the period, each person once;
- an attended contact is one that saw the person (``vocab.was_seen``): an attempted contact
  (a call not answered) is stored as attended but never counts as seeing anyone;
- open now: participants whose status is not closed (internal reports only: it is counted
  the day a report is made, and external reports hold figures of their period alone);
- wait: days from a referral received in the period to the person's first attended contact
  on or after that day, as at the period's end (or today, while it runs);
- wellbeing pairs: per scale, within one episode of support (``core.episodes``: a new one
  starts where the person came back), its first score and its latest score
  on a later day, up to the period's end, for people with a score in the period. Never the
  difference of two unpaired means (``reports.wellbeing``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from linksdesk.core.onward import steps as onward_steps
from linksdesk.core.vocab import (
    NOT_REACHED,
    NOT_REACHED_KEY,
    ConcernStage,
    ContactKind,
    ContactStatus,
    GoalStatus,
    OnwardStatus,
    ParticipantStatus,
    ReferralSource,
    ResourceCapacity,
    counts_towards_limit,
    outcome_key,
    was_seen,
)
from linksdesk.reports.data import TeamData, decile_of, worker_label
from linksdesk.reports.joint import Links, Ref
from linksdesk.reports.model import ChartSpec, Column, Kind, Section, Table
from linksdesk.reports.scope import Period, Scope, day_words
from linksdesk.reports.settings import ReportSettings
from linksdesk.reports.stats import pct, percentile
from linksdesk.reports.wellbeing import wellbeing

ALL_WORKERS = "All workers"
OPEN_STATUSES = frozenset(s.value for s in ParticipantStatus if s is not ParticipantStatus.CLOSED)
OVER_CAPACITY = frozenset({ResourceCapacity.FULL.value, ResourceCapacity.WAITING_LIST.value})
STALE_DAYS = 14

EXPLANATIONS: tuple[tuple[str, str], ...] = (
    ("Period", "Whole calendar months, first to last inclusive."),
    (
        "Open now",
        "Participants whose case is not closed, today. Internal reports only: an external "
        "report holds figures of its own period, never of the day it was made.",
    ),
    (
        "Worked with",
        "Participants with at least one attended contact in the period, each counted once "
        "however many referrals or contacts they had. An attempted contact (a call not "
        "answered, a knock with no reply) reached nobody and does not count.",
    ),
    ("New referrals", "Referrals in received in the period (a person may have more than one)."),
    (
        "Safe caseload",
        "A worker stands out when open cases exceed the programme's safe number, or people "
        "worked with exceed the yearly safe number pro-rated to the period's length "
        "(external reports: people worked with only, as they have no open cases).",
    ),
    (
        "Wait",
        "Days from a referral received in the period to the person's first attended contact "
        "on or after that day (an attempted contact is not one), counted as at the period's "
        "end: someone first seen after it is 'not yet seen', and the report of a past period "
        "is the same whenever it is written. Median and 90th percentile over those seen by "
        "then; 'over target' counts people seen later than the target and people not yet "
        "seen who had by then waited longer.",
    ),
    (
        "Concerns",
        "People with each concern identified in the period: at referral, or surfaced later "
        "in the work (a person counts once per concern). Share: of people with any concern.",
    ),
    (
        "Did not attend rate",
        "Did-not-attend contacts divided by attended plus did-not-attend, in the period. "
        "Attempted contacts that reached nobody are counted apart, as not reached.",
    ),
    (
        "Appointments against the limit",
        "For people with an appointment in the period: appointments used up to the period's "
        "end (supported visits, attempted and cancelled contacts do not count).",
    ),
    (
        "Goals",
        "Goals set in the period, by their status at its end: a goal achieved or stopped "
        "after the period was still in progress then. A goal on hold is counted on hold.",
    ),
    (
        "Wellbeing change",
        "Paired only: a person's first score and their latest later score of the same scale, "
        "within one episode of support (a new baseline, when the person comes back, starts "
        "another: the latest episode with a later score counts). People with a score in the "
        "period count. SWEMWBS on the Rasch metric. Improved / "
        "declined: a change of at least the scale's meaningful-change threshold (WEMWBS 3 "
        "points, SWEMWBS 1 metric point). 95 % confidence interval from the t distribution. "
        "Averages of fewer than 30 pairs carry a warning.",
    ),
    (
        "ONS4 change",
        "Paired as for the wellbeing scales: a person's first ONS4 answers and their latest "
        "later ones, per question (life satisfaction, worthwhile, happy yesterday, anxious "
        "yesterday), never added up. Mean change with its 95 % confidence interval. For "
        "anxiety a fall is an improvement. No share improved or declined: there is no "
        "published meaningful-change threshold for the ONS4 questions.",
    ),
    (
        "Onward referrals",
        "Signposts, referrals and supported visits first recorded in the period (suggested, "
        "or made straight away), per resource and by the month of that day, with their "
        "status as at the period's end: one made, attended or declined after it counts as "
        "it was then. A resource stands out when the directory lists it as full or with a "
        "waiting list, or when a referral to it came back 'no capacity'. Days between steps: "
        "from suggested to made, for those made in the period that were suggested first; "
        "from made to attended, for those attended in the period. Onward referrals recorded "
        "before LinksDesk kept the day of suggestion count from the day they were made and "
        "are in no time from suggested to made.",
    ),
    (
        "Deprivation",
        "People in the period by the deprivation decile of their postcode (1 = most deprived "
        "10 % of areas). A postcode not in the lookup is unknown, never guessed.",
    ),
    (
        "Data as of",
        "The time of the newest record from each worker, or of their newest bundle if later: "
        "anything they recorded after that has not reached this vault yet. A bundle made for "
        "a period holds nothing referred after it: its data is as of the period's end at the "
        "latest. Nor does it hold cases closed before the period: where it starts after the "
        "data already here, the data stays as of before the gap.",
    ),
    (
        "c",
        "External reports hide counts from 1 to the threshold minus one, and other cells "
        "where needed, so no hidden count can be worked out from the totals.",
    ),
)


class _Ctx:
    """The loaded rows and what every section shares (workers, people in the period)."""

    def __init__(
        self,
        data: TeamData,
        scope: Scope,
        settings: ReportSettings,
        today: dt.date,
        exact: bool = True,
    ):
        self.d, self.scope, self.settings, self.today = data, scope, settings, today
        # False for external reports: notes beside a table then never repeat a count, which
        # small-number suppression may hide in the table
        self.exact = exact
        self.period = scope.period
        # dates arrive as ISO text (reports.data), which compares as dates do
        self.a, self.b = scope.period.first.isoformat(), scope.period.last.isoformat()
        self.owner_of = {pid: owner for pid, owner, _s, _p in data.participants}
        owners = (
            {o for _i, o, _s, _p in data.participants}
            | set(data.latest)
            | {o for o, _m, _c in data.totals}
            | data.workers  # a worker whose data never came still has a row: "no data"
        )
        self.workers = sorted(owners, key=lambda o: (self.label(o), o))
        self.worked_with: dict[str, set[str]] = defaultdict(set)
        self.attended: dict[str, list[str]] = defaultdict(list)
        a, b = self.a, self.b
        for pid, owner, kind, status, day, in_error in data.contacts:
            if was_seen(kind, status, in_error=bool(in_error)):
                self.attended[pid].append(day)
                if a <= day <= b:
                    # under the person's own worker, so the team's total counts them once
                    self.worked_with[self.owner_of.get(pid, owner)].add(pid)
        for days in self.attended.values():
            days.sort()
        referred = {pid for pid, _o, day, _s in data.referrals if a <= day <= b}
        seen = {pid for people in self.worked_with.values() for pid in people}
        self.people_in_period = {p for p in referred | seen if p in self.owner_of}

    def label(self, owner: str) -> str:
        return worker_label(self.d.labels, owner)


def _count_cols(*pairs: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(k, label) for k, label in pairs)


def _with_total(rows: list[tuple[Any, ...]], label: str = "Total") -> tuple[tuple[Any, ...], ...]:
    if not rows:
        return ()
    width = len(rows[0])
    total = [label] + [sum(r[i] for r in rows) for i in range(1, width)]
    return (*rows, tuple(total))


def _counted(first: Column, counts: list[tuple[str, str]], *after: Column) -> tuple[Column, ...]:
    """``first``, a count column per (key, label), their row total, then ``after``."""
    keys = tuple(key for key, _label in counts)
    return (
        first,
        *(Column(key, label) for key, label in counts),
        Column("total", "Total", sums=keys),
        *after,
    )


def _per_month(
    key: str,
    title: str,
    first: Column,
    months: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    flagged: frozenset[int] = frozenset(),
    warnings: tuple[str, ...] = (),
) -> Table:
    """A row per ``first`` (a source, a resource…), a count per month, totals at the end."""
    columns = _counted(first, [(m, m) for m in months])
    return Table(
        key, title, columns, _with_total(rows), total_row=True, flagged=flagged, warnings=warnings
    )


# -- caseload ------------------------------------------------------------------------------
def caseload(c: _Ctx) -> Section:
    """Per worker: open now (internal reports only), worked with and new referrals.

    External reports hold figures of their period only: "open now" is counted on the day a
    report is made, so two reports of periods that do not overlap, written months apart,
    would differ there by the people who came (or left) after both periods, a small count
    per worker that no suppression sees. The safe-caseload check then rests on the people
    worked with in the period alone."""
    open_now: Counter[str] = Counter(
        owner for _pid, owner, status, _pc in c.d.participants if status in OPEN_STATUSES
    )
    new_refs: Counter[str] = Counter(
        owner for _pid, owner, day, _src in c.d.referrals if c.a <= day <= c.b
    )
    year_limit = round(c.settings.safe_people_per_year * len(c.period.month_keys) / 12)
    rows: list[tuple[Any, ...]] = []
    flagged, warnings = set(), []
    for i, w in enumerate(c.workers):
        row = (c.label(w), open_now[w], len(c.worked_with[w]), new_refs[w])
        over_open = c.exact and row[1] > c.settings.safe_open_cases
        if c.exact:
            rows.append(row)
        else:
            rows.append((row[0], *row[2:]))
        if over_open or row[2] > year_limit:
            flagged.add(i)
            warnings.append(
                f"{row[0]} is over the safe caseload ({row[1]} open, safe "
                f"{c.settings.safe_open_cases}; {row[2]} worked with, safe {year_limit} "
                "for this period)."
                if c.exact
                else f"{row[0]} is over the safe caseload (more than {year_limit} worked "
                "with in this period)."
            )
    counts = [
        ("open_now", "Open now"),
        ("worked_with", "Worked with in the period"),
        ("new_referrals", "New referrals"),
    ]
    table = Table(
        "caseload",
        "Caseload per worker",
        (Column("worker", "Worker", Kind.TEXT), *_count_cols(*counts[0 if c.exact else 1 :])),
        _with_total(rows, ALL_WORKERS),
        total_row=True,
        flagged=frozenset(flagged),
        warnings=tuple(warnings),
        description=(
            f"Safe caseload: {c.settings.safe_open_cases} open at once, "
            f"{c.settings.safe_people_per_year} people a year ({year_limit} for this period)."
            if c.exact
            else f"Safe caseload: {c.settings.safe_people_per_year} people a year "
            f"({year_limit} for this period). Open cases are counted on the day a report is "
            "made, so they are in internal reports only."
        ),
    )
    shown = ("open_now", "worked_with") if c.exact else ("worked_with",)
    chart = ChartSpec("bar", "caseload", shown, "Caseload per worker")
    return Section("caseload", "Caseload", (table,), chart)


# -- referrals in and waits -----------------------------------------------------------------
def referrals(c: _Ctx) -> Section:
    months = c.period.month_keys
    grid: dict[str, Counter[str]] = defaultdict(Counter)
    for _pid, _owner, day, source in c.d.referrals:
        if c.a <= day <= c.b:
            grid[source][day[:7]] += 1
    sources = [s.value for s in ReferralSource] + sorted(
        set(grid) - {s.value for s in ReferralSource}
    )
    rows = []
    for src in sources:
        counts = [grid[src][m] for m in months]
        rows.append((_source_label(src), *counts, sum(counts)))
    by_source = _per_month(
        "referrals_by_source",
        "Referrals in by source and month",
        Column("source", "Source", Kind.TEXT),
        months,
        rows,
    )
    waits = _timeliness(c)
    chart = ChartSpec(
        "stacked_columns",
        "referrals_by_source",
        months,
        "Referrals in by month and source",
        y_label="referrals",
    )
    return Section("referrals", "Referrals in and waiting times", (by_source, waits), chart)


def _source_label(value: str) -> str:
    try:
        return ReferralSource(value).label
    except ValueError:
        return value


def _first_attended(c: _Ctx, pid: str, since: str) -> str | None:
    for day in c.attended.get(pid, ()):
        if day >= since:
            return day
    return None


def _timeliness(c: _Ctx) -> Table:
    target = c.settings.wait_target_days
    waits: dict[str, list[int]] = defaultdict(list)
    referred: Counter[str] = Counter()
    waiting_over: Counter[str] = Counter()
    unseen: Counter[str] = Counter()
    # counted as at the period's end (today, while it runs): a report of a period that is
    # over gives the same waits whenever it is written (docs/reports.md, "Wait")
    until = min(c.period.last, c.today)
    for pid, owner, day, _src in c.d.referrals:
        if not c.a <= day <= c.b:
            continue
        referred[owner] += 1
        first = _first_attended(c, pid, day)
        received = dt.date.fromisoformat(day)
        if first is None or first > until.isoformat():
            unseen[owner] += 1
            if (until - received).days > target:
                waiting_over[owner] += 1
        else:
            waits[owner].append((dt.date.fromisoformat(first) - received).days)

    def row(label: str, owners: Iterable[str]) -> tuple[Any, ...]:
        owners = list(owners)
        ws = [w for o in owners for w in waits[o]]
        seen_over = sum(1 for w in ws if w > target)
        return (
            label,
            sum(referred[o] for o in owners),
            len(ws),
            round(percentile(ws, 50), 1) if ws else None,
            round(percentile(ws, 90), 1) if ws else None,
            seen_over + sum(waiting_over[o] for o in owners),
            sum(unseen[o] for o in owners),
        )

    rows = [row(c.label(w), [w]) for w in c.workers]
    rows.append(row(ALL_WORKERS, c.workers))
    return Table(
        "timeliness",
        "Days from referral to first attended contact",
        (
            Column("worker", "Worker", Kind.TEXT),
            # every referral is either seen or not yet seen: a sum suppression must know
            Column("referrals", "Referrals in the period", sums=("seen", "not_yet_seen")),
            Column("seen", "Seen"),
            Column("median_days", "Median days", Kind.NUMBER, based_on=("seen",)),
            Column("p90_days", "90th percentile days", Kind.NUMBER, based_on=("seen",)),
            Column("over_target", f"Waited over {target} days"),
            Column("not_yet_seen", "Not yet seen"),
        ),
        tuple(rows),
        total_row=True,
        description=f"Target: first attended contact within {target} days of referral. "
        f"Counted as at {day_words(until)}: anyone first seen after that is not yet seen here.",
    )


# -- concerns ------------------------------------------------------------------------------
def concerns(c: _Ctx) -> Section:
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


def _column_sums(rows: list[tuple[Any, ...]], start: int, stop: int) -> list[int]:
    return [sum(int(r[i]) for r in rows) for i in range(start, stop)]


# -- contacts ------------------------------------------------------------------------------
CONTACT_STATUSES = (
    ContactStatus.ATTENDED,
    ContactStatus.DID_NOT_ATTEND,
    ContactStatus.CANCELLED,
    ContactStatus.SCHEDULED,
)
# the contacts table's outcome columns: an attempt reads "Not reached" (vocab.outcome_key),
# never as an attendance
CONTACT_OUTCOMES = (
    *((s.value, s.label) for s in CONTACT_STATUSES),
    (NOT_REACHED_KEY, NOT_REACHED),
)


def contacts(c: _Ctx) -> Section:
    grid: dict[str, Counter[str]] = defaultdict(Counter)
    used: Counter[str] = Counter()
    booked_in_period: set[str] = set()
    supported: Counter[str] = Counter()
    for pid, owner, kind, status, day, marked in c.d.contacts:
        in_error = bool(marked)  # entered in error: counted nowhere
        counted = counts_towards_limit(kind, status, in_error=in_error)
        if counted and day <= c.b:
            used[pid] += 1
        if not c.a <= day <= c.b:
            continue
        grid[kind][outcome_key(kind, status, in_error=in_error)] += 1
        if counted:
            booked_in_period.add(pid)
        if kind == ContactKind.SUPPORTED_VISIT.value and was_seen(kind, status, in_error=in_error):
            supported[owner] += 1
    rows = []
    for kind in ContactKind:
        counts = [grid[kind.value][key] for key, _label in CONTACT_OUTCOMES]
        rows.append((kind.label, *counts, sum(counts)))
    totals = _with_total(rows)
    totals = tuple(
        (*r, pct(r[2], r[1] + r[2])) for r in totals
    )  # did not attend / (attended + did not attend)
    by_kind = Table(
        "contacts_by_kind",
        "Contacts by kind and outcome",
        _counted(
            Column("kind", "Kind", Kind.TEXT),
            list(CONTACT_OUTCOMES),
            Column(
                "dna_rate", "Did not attend rate", Kind.PERCENT,
                based_on=("did_not_attend", "attended"),
            ),
        ),
        totals,
        total_row=True,
    )  # fmt: skip
    limit = c.settings.appointment_limit
    rows2 = []
    for w in c.workers:
        people = [p for p in booked_in_period if c.owner_of.get(p) == w]
        within = at = over = 0
        for p in people:
            if limit is None or used[p] < limit:
                within += 1
            elif used[p] == limit:
                at += 1
            else:
                over += 1
        rows2.append((c.label(w), len(people), within, at, over, supported[w]))
    limit_text = "no limit set" if limit is None else f"limit {limit} appointments a person"
    appointments = Table(
        "appointments",
        "Appointments used against the limit, and supported visits",
        (
            Column("worker", "Worker", Kind.TEXT),
            Column("people", "People with appointments", sums=("within", "at_limit", "over")),
            Column("within", "Within the limit"),
            Column("at_limit", "At the limit"),
            Column("over", "Over the limit"),
            Column("supported_visits", "Supported visits attended"),
        ),
        _with_total(rows2, ALL_WORKERS),
        total_row=True,
        description=f"Programme setting: {limit_text}; supported visits do not count.",
    )
    # not reached drawn too: without it the chart (and the text under it, which the PDF
    # prints) said an attempted contact had no outcome at all: attended 0, did not attend 0
    chart = ChartSpec(
        "stacked_bar", "contacts_by_kind",
        ("attended", "did_not_attend", "cancelled", NOT_REACHED_KEY),
        "Contacts by kind and outcome", y_label="contacts",
    )  # fmt: skip
    return Section("contacts", "Contacts", (by_kind, appointments), chart)


# -- goals ---------------------------------------------------------------------------------
GOAL_GROUPS = (
    ("achieved", "Achieved", {GoalStatus.ACHIEVED.value}),
    ("partly", "Partly achieved", {GoalStatus.PARTLY_ACHIEVED.value}),
    ("in_progress", "In progress", {GoalStatus.ACTIVE.value}),
    ("other", "On hold or stopped", {GoalStatus.ON_HOLD.value, GoalStatus.STOPPED.value}),
)


def goal_status_at(status: str, closed_on: str | None, end: str) -> str:
    """A goal's status as at the day ``end`` (ISO dates): a goal closed (achieved, partly
    achieved, stopped) after that day was still open on it. A goal on hold keeps its status:
    no date of putting it on hold is kept."""
    if closed_on is not None and closed_on > end:
        return GoalStatus.ACTIVE.value
    return status


def goals(c: _Ctx) -> Section:
    """Goals set in the period, by their status at its end (a report of a past period is
    the same whenever it is written: docs/reports.md, "Goals")."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for _pid, owner, status, set_on, closed_on in c.d.goals:
        if c.a <= set_on <= c.b:
            then = goal_status_at(status, closed_on, c.b)
            for key, _label, statuses in GOAL_GROUPS:
                if then in statuses:
                    counts[owner][key] += 1
    rows = []
    for w in c.workers:
        parts = [counts[w][k] for k, _l, _s in GOAL_GROUPS]
        rows.append((c.label(w), sum(parts), *parts))
    keys = tuple(k for k, _l, _s in GOAL_GROUPS)
    table = Table(
        "goals",
        "Goals set in the period, by status at its end",
        (
            Column("worker", "Worker", Kind.TEXT),
            Column("set", "Set", sums=keys),
            *(Column(k, label) for k, label, _s in GOAL_GROUPS),
        ),
        _with_total(rows, ALL_WORKERS),
        total_row=True,
        description=f"Status as at {day_words(c.period.last)}: a goal closed after that "
        "counts as in progress.",
    )
    chart = ChartSpec(
        "stacked_bar", "goals", keys, "Goals set, by status at the period's end", y_label="goals"
    )
    return Section("goals", "Goals", (table,), chart)


# -- onward referrals ----------------------------------------------------------------------
def onward(c: _Ctx) -> Section:
    """Onward referrals first recorded in the period, by month and by their status as at
    its end (today, while it runs), and the days between their steps: a report of a period
    that is over is the same whenever it is written (docs/reports.md, "Onward referrals")."""
    months = c.period.month_keys
    until = min(c.period.last, c.today).isoformat()
    per_month: dict[str, Counter[str]] = defaultdict(Counter)
    outcome: dict[str, Counter[str]] = defaultdict(Counter)
    for _pid, _owner, rid, status, suggested, made, ended in c.d.onward:
        days = onward_steps(status, suggested, made, ended)
        start = days.started_on
        if start is None or not c.a <= start <= c.b:
            continue
        then = days.status_at(until)
        if then is None:  # first recorded after today: not yet, in a period still running
            continue
        per_month[rid][start[:7]] += 1
        outcome[rid][then] += 1
    rids = sorted(per_month, key=lambda r: (-sum(per_month[r].values()), _res(c, r)[0], r))
    rows, rows2, flagged = [], [], set()
    for i, rid in enumerate(rids):
        label, capacity = _res(c, rid)
        counts = [per_month[rid][m] for m in months]
        rows.append((label, *counts, sum(counts)))
        statuses = [outcome[rid][s.value] for s in OnwardStatus]
        rows2.append((label, *statuses, sum(statuses), ResourceCapacity(capacity).label))
        if capacity in OVER_CAPACITY or outcome[rid][OnwardStatus.NO_CAPACITY.value]:
            flagged.add(i)
    warnings = tuple(
        (f"{rows[i][0]} received {rows[i][-1]} onward referrals but " if c.exact
         else f"{rows[i][0]} received onward referrals but ")
        + _capacity_note(_res(c, rids[i])[1])
        for i in sorted(flagged)
    )  # fmt: skip
    by_month = _per_month(
        "onward_by_month",
        "Onward referrals per resource and month",
        Column("resource", "Resource", Kind.TEXT),
        months,
        rows,
        flagged=frozenset(flagged),
        warnings=warnings,
    )
    outcomes = Table(
        "onward_outcomes",
        "Onward referrals per resource by status at the period's end",
        _counted(
            Column("resource", "Resource", Kind.TEXT),
            [(s.value, s.label) for s in OnwardStatus],
            Column("capacity", "Capacity in the directory", Kind.TEXT),
        ),
        (*rows2, ("Total", *_column_sums(rows2, 1, 7), "")) if rows2 else (),
        total_row=True,
        flagged=frozenset(flagged),
        description=f"Status as at {day_words(dt.date.fromisoformat(until))}: one made, "
        "attended or declined after that counts as it was then.",
    )  # fmt: skip
    chart = ChartSpec("hbar", "onward_by_month", ("total",), "Onward referrals per resource")
    return Section("onward", "Onward referrals", (by_month, outcomes, _onward_times(c)), chart)


def _onward_times(c: _Ctx) -> Table:
    """Days from suggested to made (those made in the period that were suggested first) and
    from made to attended (those attended in the period): each counted by the day of its
    later step, which no later step moves."""
    until = min(c.period.last, c.today).isoformat()
    to_made: list[int] = []
    to_attended: list[int] = []
    for _pid, _owner, _rid, status, suggested, made, ended in c.d.onward:
        days = onward_steps(status, suggested, made, ended)
        if (
            days.made_on is not None
            and c.a <= days.made_on <= until
            and days.suggested_on is not None
            and days.suggested_on <= days.made_on
        ):
            to_made.append(_days_between(days.suggested_on, days.made_on))
        if (
            status == OnwardStatus.ATTENDED.value
            and days.outcome_on is not None
            and c.a <= days.outcome_on <= until
            and days.made_on is not None
            and days.made_on <= days.outcome_on
        ):
            to_attended.append(_days_between(days.made_on, days.outcome_on))

    def row(label: str, ds: list[int]) -> tuple[Any, ...]:
        return (
            label,
            len(ds),
            round(percentile(ds, 50), 1) if ds else None,
            round(percentile(ds, 90), 1) if ds else None,
        )

    return Table(
        "onward_times",
        "Days between an onward referral's steps",
        (
            Column("step", "From … to", Kind.TEXT),
            Column("referrals", "Onward referrals"),
            Column("median_days", "Median days", Kind.NUMBER, based_on=("referrals",)),
            Column("p90_days", "90th percentile days", Kind.NUMBER, based_on=("referrals",)),
        ),
        (row("Suggested to made", to_made), row("Made to attended", to_attended)),
        description="Suggested to made: onward referrals made in the period that were "
        "suggested first. Made to attended: onward referrals attended in the period. "
        f"Counted as at {day_words(min(c.period.last, c.today))}.",
    )


def _days_between(first: str, last: str) -> int:
    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days


def _capacity_note(capacity: str) -> str:
    """Why a resource stands out, as its row's "Capacity in the directory" says: full, a
    waiting list, or (listed as open or limited) a referral came back "no capacity"."""
    if capacity == ResourceCapacity.FULL.value:
        return "is full in the resource directory."
    if capacity == ResourceCapacity.WAITING_LIST.value:
        return "has a waiting list in the resource directory."
    return "at least one came back with no capacity."


def _res(c: _Ctx, rid: str) -> tuple[str, str]:
    label, capacity = c.d.resources.get(rid, ("Resource not in the directory", "unknown"))
    try:
        ResourceCapacity(capacity)
    except ValueError:
        capacity = ResourceCapacity.UNKNOWN.value
    return label, capacity


# -- deprivation ---------------------------------------------------------------------------
DEPRIVATION_ROWS = (
    ("Decile 1 (most deprived 10 %)", {1}),
    ("Decile 2 (10-20 %)", {2}),
    ("Deciles 3 to 10", set(range(3, 11))),
)


def deprivation(c: _Ctx) -> Section:
    postcodes = {pid: pc for pid, _o, _s, pc in c.d.participants}
    deciles = [decile_of(c.d, postcodes.get(p)) for p in c.people_in_period]
    return deprivation_section(deciles, lookup_loaded=bool(c.d.deciles))


def deprivation_section(deciles: list[int | None], *, lookup_loaded: bool = True) -> Section:
    """The deprivation tables from each person's decile (None: unknown)."""
    total = len(deciles)
    rows = []
    for label, group in DEPRIVATION_ROWS:
        n = sum(1 for d in deciles if d in group)
        rows.append((label, n, pct(n, total)))
    unknown = sum(1 for d in deciles if d is None)
    rows.append(("Unknown", unknown, pct(unknown, total)))
    rows.append(("People in the period", total, pct(total, total)))
    table = Table(
        "deprivation",
        "People in the period by deprivation decile",
        (
            Column("decile", "Deprivation", Kind.TEXT),
            Column("people", "People"),
            Column("share", "Share", Kind.PERCENT, based_on=("people",), base_in_last_row="people"),
        ),
        tuple(rows),
        total_row=True,
        description=(
            "Most deprived 20 % = deciles 1 and 2. Unknown: no postcode, or a postcode not in "
            "the deprivation lookup."
            + ("" if lookup_loaded else " No deprivation lookup has been loaded into this vault.")
        ),
    )
    d1, d2 = rows[0][1], rows[1][1]
    headline = Table(
        "deprivation_headline",
        "Headline: people living in the most deprived areas",
        table.columns,
        (
            (HEADLINE_10, d1, pct(d1, total)),
            (HEADLINE_20, d1 + d2, pct(d1 + d2, total)),
            ("Unknown", unknown, pct(unknown, total)),
            ("People in the period", total, pct(total, total)),
        ),
        description=(
            "The programme's headline figures: shares of all people in the period, unknown "
            "included in the base and shown."
        ),
    )
    chart = ChartSpec("bar", "deprivation", ("people",), "People by deprivation decile")
    return Section("deprivation", "Deprivation", (table, headline), chart)


HEADLINE_10 = "Most deprived 10 % (decile 1)"
HEADLINE_20 = "Most deprived 20 % (deciles 1 and 2)"
# headline row -> the rows of the decile table it is the sum of (for suppression across both)
HEADLINE_PARTS = ((0,), (0, 1), (3,), (4,))


def hide_headline_with_deciles(section: Section) -> Section:
    """External reports: a headline count is hidden whenever a decile count it adds up is
    hidden, so "most deprived 20 %" minus decile 1 can never give back a hidden decile 2."""
    if section.key != "deprivation":
        return section
    deciles, headline = section.tables
    hidden = set(headline.suppressed)
    for r, parts in enumerate(HEADLINE_PARTS):
        if any((p, 1) in deciles.suppressed for p in parts):
            hidden |= {(r, 1), (r, 2)}
    if (3, 1) in hidden:  # the base of every share
        hidden |= {(r, 2) for r in range(len(headline.rows))}
    rows = tuple(
        tuple(None if (r, j) in hidden else v for j, v in enumerate(row))
        for r, row in enumerate(headline.rows)
    )
    headline = headline.with_rows(rows, suppressed=frozenset(hidden))
    return replace(section, tables=(deciles, headline))


# -- what stays on the workers' laptops ----------------------------------------------------
def unshared(c: _Ctx) -> Section:
    """Rule 2: people who did not consent to sharing are counted, never shown."""
    months = set(c.period.month_keys)
    last = c.period.month_keys[-1]
    got: dict[str, Counter[str]] = defaultdict(Counter)
    for owner, month, counts in c.d.totals:
        if month not in months:
            continue
        mine = got[owner]
        mine["referrals"] += sum(int(v) for v in (counts.get("referrals_by_source") or {}).values())
        mine["contacts"] += int(counts.get("contacts") or 0)
        mine["did_not_attend"] += int(counts.get("did_not_attend") or 0)
        if month == last:
            mine["participants"] += int(counts.get("participants") or 0)
    rows = [
        (c.label(w), got[w]["participants"], got[w]["referrals"], got[w]["contacts"],
         got[w]["did_not_attend"])
        for w in c.workers
    ]  # fmt: skip
    table = Table(
        "unshared",
        "Not shared with the team: anonymous monthly totals",
        (
            Column("worker", "Worker", Kind.TEXT),
            Column("participants", f"People on the caseload in {last}"),
            Column("referrals", "New referrals"),
            Column("contacts", "Attended contacts"),
            Column("did_not_attend", "Did not attend"),
        ),
        _with_total(rows, ALL_WORKERS),
        total_row=True,
        description=(
            "People who have not consented to sharing with the team stay on their worker's "
            "laptop; only these counts reach the supervisor. They are not in the other figures."
        ),
    )
    return Section("unshared", "Not shared with the team", (table,))


# -- freshness -----------------------------------------------------------------------------
def freshness(c: _Ctx) -> Section:
    """When each worker's newest data reached this vault; internal reports also count the
    participants on record (all time, today: like "open now", not in external reports)."""
    on_record: Counter[str] = Counter(o for _p, o, _s, _pc in c.d.participants)
    rows, flagged = [], set()
    for i, w in enumerate(c.workers):
        latest = c.d.latest.get(w)
        age = None if latest is None else (c.today - latest.date()).days
        if age is None or age > STALE_DAYS:
            flagged.add(i)
        rows.append((c.label(w), latest, age, on_record[w])[: 4 if c.exact else 3])
    columns = (
        Column("worker", "Worker", Kind.TEXT),
        Column("data_as_of", "Data as of", Kind.DATE),
        Column("days_old", "Days old", Kind.NUMBER),
        Column("participants", "Participants on record"),
    )
    table = Table(
        "freshness",
        "Data as of, per worker",
        columns[: 4 if c.exact else 3],
        tuple(rows),
        flagged=frozenset(flagged),
        warnings=tuple(
            f"{rows[i][0]}: no data from this worker has reached this vault."
            if rows[i][1] is None
            else f"{rows[i][0]}: the newest data is more than {STALE_DAYS} days old."
            for i in sorted(flagged)
        ) + _beside_the_dates(c),
    )  # fmt: skip
    return Section("freshness", "Data as of", (table,))


def _beside_the_dates(c: _Ctx) -> tuple[str, ...]:
    """What the "Data as of" table says beside workers' dates, a kind at a time: a date that
    rests on a period's bundle, one a gap holds back, one that is the worker's last sync as
    the server's bundle said, one a newer whole-team bundle from the server (that did not
    say when they last synced) may vouch for, one made by a laptop of a worker who has
    another."""
    words: tuple[tuple[Mapping[str, Any], Callable[[Any], str]], ...] = (
        (c.d.covered, lambda covered: (
            f"their newest data came in a bundle covering {_months(covered)} only: cases "
            "referred after it, and anything recorded after the date shown, have not reached "
            "this vault.")),
        (c.d.held_back, lambda held: (
            f"a bundle covering {_months(held)} has come, but none covering the time between "
            f"the date shown and {_months((held[0], held[0]))}: a case referred and closed "
            "then would be missing, so the date stays until a bundle of that time comes.")),
        (c.d.last_sync, lambda made: (
            f"the date shown is when they last synced, as the server's bundle of "
            f"{made:%d %B %Y} says: all they had recorded by then is here.")),
        (c.d.server_made, lambda made: (
            f"the date shown is their newest record; the server's bundle made {made:%d %B %Y} "
            "holds all they had synced by then. It does not say when they last synced: if "
            "they recorded nothing after the date shown, nothing is missing.")),
        (dict.fromkeys(c.d.one_laptop), lambda _none: (
            "the date shown is when one of their laptops made its bundle. What they recorded "
            "on another of their laptops after this one last synced may not be here: a "
            "bundle does not say when its laptop last synced.")),
    )  # fmt: skip
    return tuple(
        f"{c.label(w)}: {said(found[w])}" for found, said in words for w in c.workers if w in found
    )


def _months(covered: tuple[str, str]) -> str:
    """A bundle's period in words ("April to June 2026")."""
    return Period.parse(f"{covered[0]}..{covered[1]}").words


SECTIONS = (
    caseload,
    referrals,
    concerns,
    contacts,
    goals,
    wellbeing,
    onward,
    deprivation,
    unshared,
    freshness,
)


def compute(
    data: TeamData, scope: Scope, settings: ReportSettings, today: dt.date, exact: bool = True
) -> tuple[Section, ...]:
    """Every section; ``exact=False`` (external reports) keeps counts out of the notes."""
    ctx = _Ctx(data, scope, settings, today, exact)
    return tuple(make(ctx) for make in SECTIONS)


# -- cells that more than one table publishes (for suppression across tables) --------------
WELLBEING_COUNTS = ("paired", "baseline_only", "improved", "no_change", "declined")


def linked_cells(tables: Iterable[Table]) -> Links:
    """What ties the tables' counts together, so an external report suppresses them jointly:

    - a worker's new referrals (caseload) are their referrals in the waiting-times table,
      row for row, the team's too, and the team's equal the referrals-by-source total;
    - the team's attended supported visits (appointments) are the contacts table's;
    - a resource's onward referrals by month and by status have the same total, row for row;
    - per scale, the two wellbeing-by-dose rows add up to the wellbeing-change row;
    - ONS4: the same people are paired (and baseline only) on every question.
    """
    t = {table.key: table for table in tables}
    same: list[tuple[Ref, Ref]] = []
    sums: list[tuple[Ref, tuple[Ref, ...]]] = []

    def rows(key: str) -> int:
        return len(t[key].rows) if key in t else 0

    if rows("caseload") and rows("caseload") == rows("timeliness"):
        for r in range(rows("caseload")):
            same.append((("caseload", r, "new_referrals"), ("timeliness", r, "referrals")))
        if rows("referrals_by_source"):
            last = rows("referrals_by_source") - 1
            team = rows("caseload") - 1
            by_source: Ref = ("referrals_by_source", last, "total")
            same.append((("caseload", team, "new_referrals"), by_source))
    if rows("appointments") and rows("contacts_by_kind"):
        visits = list(ContactKind).index(ContactKind.SUPPORTED_VISIT)
        team_visits: Ref = ("appointments", rows("appointments") - 1, "supported_visits")
        same.append((team_visits, ("contacts_by_kind", visits, "attended")))
    if rows("onward_by_month") and rows("onward_by_month") == rows("onward_outcomes"):
        for r in range(rows("onward_by_month")):
            same.append((("onward_by_month", r, "total"), ("onward_outcomes", r, "total")))
    if rows("wellbeing_dose") == 2 * rows("wellbeing_change"):
        for r in range(rows("wellbeing_change")):
            for key in WELLBEING_COUNTS:
                parts = (("wellbeing_dose", 2 * r, key), ("wellbeing_dose", 2 * r + 1, key))
                sums.append((("wellbeing_change", r, key), parts))
    for r in range(1, rows("ons4_change")):
        for key in ("paired", "baseline_only"):
            same.append((("ons4_change", 0, key), ("ons4_change", r, key)))
    return Links(tuple(same), tuple(sums))
