"""Contacts: how people were met, and what came of the bookings (part of
``reports.figures``)."""

from __future__ import annotations

from collections import Counter, defaultdict

from linksdesk.core.vocab import (
    NOT_REACHED,
    NOT_REACHED_KEY,
    ContactKind,
    ContactStatus,
    counts_towards_limit,
    outcome_key,
    was_seen,
)
from linksdesk.reports.model import ChartSpec, Column, Kind, Section, Table
from linksdesk.reports.sections.context import (
    ALL_WORKERS,
    Ctx,
    count_columns,
    with_total,
)
from linksdesk.reports.stats import pct

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


def contacts(c: Ctx) -> Section:
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
    totals = with_total(rows)
    totals = tuple(
        (*r, pct(r[2], r[1] + r[2])) for r in totals
    )  # did not attend / (attended + did not attend)
    by_kind = Table(
        "contacts_by_kind",
        "Contacts by kind and outcome",
        count_columns(
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
        with_total(rows2, ALL_WORKERS),
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
