"""What the figures cover: who stays on the workers' laptops (counted, never shown) and
how fresh each worker's data is (part of ``reports.figures``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from linksdesk.reports.model import Column, Kind, Section, Table
from linksdesk.reports.scope import Period
from linksdesk.reports.sections.context import (
    ALL_WORKERS,
    Ctx,
    with_total,
)

STALE_DAYS = 14


def unshared(c: Ctx) -> Section:
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
        with_total(rows, ALL_WORKERS),
        total_row=True,
        description=(
            "People who have not consented to sharing with the team stay on their worker's "
            "laptop; only these counts reach the supervisor. They are not in the other figures."
        ),
    )
    return Section("unshared", "Not shared with the team", (table,))


# -- freshness -----------------------------------------------------------------------------
def freshness(c: Ctx) -> Section:
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


def _beside_the_dates(c: Ctx) -> tuple[str, ...]:
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
