"""Loading the few columns the figures need from the vault's ordinary tables, in one read."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core.hlc import HLC
from linksdesk.core.vocab import IN_ERROR_COLUMN
from linksdesk.storage import people
from linksdesk.storage.tables import (
    Concern,
    Contact,
    Goal,
    LocalSetting,
    Measure,
    OnwardReferral,
    Participant,
    ReferralIn,
    Resource,
    SyncColumns,
)
from linksdesk.sync.bundle.keys import is_supervisor

WORKER_LABELS_KEY = "worker_labels"  # owner id -> the name a supervisor knows the worker by
DECILES_KEY = "deprivation_deciles"  # postcode -> decile, where a lookup has been loaded


@dataclass(frozen=True)
class TeamData:
    """The rows of every worker in scope, reduced to what the figures use (no names, no text)."""

    participants: tuple[tuple[Any, ...], ...]  # id, owner, status, postcode
    referrals: tuple[tuple[Any, ...], ...]  # participant_id, owner, received_on, source
    # participant_id, owner, kind, status, day, in error (vocab.IN_ERROR_COLUMN is set)
    contacts: tuple[tuple[Any, ...], ...]
    concerns: tuple[tuple[Any, ...], ...]  # participant_id, owner, category, stage, identified_on
    goals: tuple[tuple[Any, ...], ...]  # participant_id, owner, status, set_on, closed_on
    # participant_id, owner, id, kind, taken_on, total, metric, context (baseline, review,
    # closing); the id orders scores of one day (core.episodes.in_order)
    measures: tuple[tuple[Any, ...], ...]
    # participant_id, owner, resource_id, status, suggested_on, made_on, outcome_on
    onward: tuple[tuple[Any, ...], ...]
    # anonymous monthly totals of what a worker's laptop keeps (rule 2): owner, month, counts
    totals: tuple[tuple[str, str, dict[str, Any]], ...]
    resources: dict[str, tuple[str, str]]  # id -> (label, capacity)
    latest: dict[str, dt.datetime]  # owner -> wall time of the newest row of theirs
    labels: dict[str, str]  # owner -> label
    deciles: dict[str, int]  # normalised postcode -> deprivation decile
    # ONS4 answers, never summed: participant_id, owner, id, taken_on, the four answers, context
    ons4: tuple[tuple[str, str, str, str, tuple[int, ...], str], ...] = ()
    # every worker this vault knows of (a roster's laptops, imported bundles), data or not
    workers: frozenset[str] = frozenset()


def _setting(s: Session, key: str) -> Any:
    return s.scalar(select(LocalSetting.value).where(LocalSetting.key == key))


def worker_label(labels: Mapping[str, str], owner: str) -> str:
    """The name the supervisor gave a worker, else one made of the end of their id."""
    return labels.get(owner) or f"Worker {owner[-6:]}"


def worker_labels(s: Session) -> dict[str, str]:
    """Worker id -> the name the supervisor knows them by (``name_workers`` sets them)."""
    stored = _setting(s, WORKER_LABELS_KEY)
    return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}


def laptop_labels(s: Session) -> dict[str, tuple[str, ...]]:
    """Worker id -> the labels the administrator gave their laptops (in the roster), a hint
    for naming them."""
    if not _has_table(s, "trusted_signer"):
        return {}
    found: dict[str, set[str]] = {}
    for worker, label in s.connection().exec_driver_sql(
        "SELECT worker_id, label FROM trusted_signer WHERE kind = 'device' "
        "AND worker_id IS NOT NULL AND label IS NOT NULL AND label != ''"
    ):
        found.setdefault(str(worker), set()).add(str(label))
    return {w: tuple(sorted(labels)) for w, labels in found.items()}


def owners_of_participants(s: Session) -> set[str]:
    """The workers with participants in this vault."""
    run = s.connection().exec_driver_sql
    return {str(o) for (o,) in run("SELECT DISTINCT owner FROM participant WHERE NOT deleted")}


def all_workers(s: Session) -> set[str]:
    """The workers with participants here, and those a roster or a bundle named."""
    return owners_of_participants(s) | _known_workers(s)


# The figures need tens of thousands of small rows: read them with the driver (plain tuples,
# dates as ISO text, which compare and slice as dates do) rather than through ORM rows.
_QUERIES = {
    "participants": "SELECT id, owner, status, postcode FROM participant WHERE NOT deleted",
    # a referral recorded twice, a goal set by mistake: entered in error, counted nowhere
    "referrals": "SELECT participant_id, owner, received_on, source FROM referral "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL",
    "contacts": "SELECT participant_id, owner, kind, status, substr(scheduled_at, 1, 10), "
    f"{IN_ERROR_COLUMN} IS NOT NULL FROM contact WHERE NOT deleted",
    "concerns": "SELECT participant_id, owner, category, stage, identified_on FROM concern "
    "WHERE NOT deleted",
    "goals": "SELECT participant_id, owner, status, set_on, closed_on FROM goal "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL",
    # a score entered in error (typed wrong, the wrong participant) counts nowhere
    "measures": "SELECT participant_id, owner, id, kind, taken_on, total, metric, context "
    "FROM measure "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL",
    "onward": "SELECT participant_id, owner, resource_id, status, suggested_on, made_on, "
    "outcome_on FROM onward_referral WHERE NOT deleted",
    "ons4": "SELECT participant_id, owner, id, taken_on, items, context FROM measure "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL AND kind = 'ons4'",
    "totals": "SELECT origin, owner, month, counts FROM monthly_total WHERE NOT deleted",
}


def _rows(
    s: Session, name: str, owners: frozenset[str] | None, away: Mapping[str, str] | None = None
) -> tuple[tuple[Any, ...], ...]:
    """The rows of one query; with ``away`` (records merged into another of the same
    person → the kept record), each row about a record merged away counts under the
    person's kept record, and a participant row merged away is left out: a person
    registered twice counts once."""
    rows: list[Any] = list(s.connection().exec_driver_sql(_QUERIES[name]).fetchall())
    if owners is not None:
        rows = [r for r in rows if r[1] in owners]
    if away:
        if name == "participants":
            rows = [r for r in rows if r[0] not in away]
        else:
            rows = [(away.get(r[0], r[0]), *r[1:]) if r[0] in away else r for r in rows]
    return tuple(rows)


def _has_table(s: Session, name: str) -> bool:
    found = s.connection().exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    )
    return found.first() is not None


def _known_workers(s: Session) -> set[str]:
    """The workers a supervisor's vault knows of, whether or not any of their data came: a
    roster's (or a confirmed) laptop's worker, and every imported bundle's."""
    run = s.connection().exec_driver_sql
    known: set[str] = set()
    if _has_table(s, "trusted_signer"):
        known |= {w for (w,) in run("SELECT worker_id FROM trusted_signer WHERE kind = 'device' "
                                    "AND worker_id IS NOT NULL")}  # fmt: skip
    if _has_table(s, "bundle_ledger"):
        known |= {w for (w,) in run("SELECT worker_id FROM bundle_ledger WHERE direction = "
                                    "'import' AND worker_id IS NOT NULL")}  # fmt: skip
    return known


def _supervisor_facts(s: Session) -> tuple[dict[str, int], dict[str, dt.datetime]]:
    """What a supervisor's vault knows besides the rows (the bundle path's tables, when this
    vault has them): the deprivation lookup, and when each worker's latest imported bundle
    was made. (Trusted signers are labelled by laptop, not by worker, so names stay with the
    worker_labels setting.)"""
    run = s.connection().exec_driver_sql
    deciles: dict[str, int] = {}
    bundled: dict[str, dt.datetime] = {}
    if _has_table(s, "deprivation_decile"):
        deciles = {_postcode(pc): int(d) for pc, d in run("SELECT postcode, decile FROM "
                                                          "deprivation_decile")}  # fmt: skip
    if _has_table(s, "bundle_ledger"):
        for worker, created in run(
            "SELECT worker_id, max(created_at) FROM bundle_ledger WHERE direction = 'import' "
            "AND worker_id IS NOT NULL GROUP BY worker_id"
        ):
            if created:
                bundled[worker] = dt.datetime.fromisoformat(str(created)).replace(tzinfo=None)
    return deciles, bundled


def load(s: Session, owners: frozenset[str] | None) -> TeamData:
    data_tables: tuple[type[SyncColumns], ...] = (
        Participant,
        ReferralIn,
        Contact,
        Concern,
        Goal,
        Measure,
        OnwardReferral,
    )
    newest: dict[str, str] = {}
    for t in data_tables:
        tab: Any = t
        query = select(tab.owner, func.max(tab.hlc)).group_by(tab.owner)
        for owner, hlc in s.execute(query):
            if owners is None or owner in owners:
                newest[owner] = max(newest.get(owner, ""), hlc or "")
    latest = {
        o: dt.datetime.fromtimestamp(HLC.decode(h).wall_ms / 1000, dt.UTC).replace(tzinfo=None)
        for o, h in newest.items()
        if h
    }
    lookup, bundled = _supervisor_facts(s)
    for owner, made in bundled.items():
        if (owners is None or owner in owners) and made > latest.get(owner, dt.datetime.min):
            latest[owner] = made  # a bundle made then: its data is as of then
    labels = worker_labels(s)
    deciles = {**lookup, **(_setting(s, DECILES_KEY) or {})}
    away = people.merged_away(s)
    # a worker's own vault (its Team dashboard) holds the people who share nothing with the
    # team in full, and counts them in its own monthly totals too: they are in the figures
    # already, so its own totals are left out, and "Not shared with the team" holds what
    # the worker's other laptops counted, as it says (they were counted twice)
    own = None if is_supervisor(s) else _setting(s, "device_id")
    return TeamData(
        participants=_rows(s, "participants", owners, away),
        referrals=_rows(s, "referrals", owners, away),
        contacts=_rows(s, "contacts", owners, away),
        concerns=_rows(s, "concerns", owners, away),
        goals=_rows(s, "goals", owners, away),
        measures=_rows(s, "measures", owners, away),
        onward=_rows(s, "onward", owners, away),
        totals=tuple(
            (owner, month, counts if isinstance(counts, dict) else json.loads(counts or "{}"))
            for origin, owner, month, counts in _rows(s, "totals", owners)
            if own is None or origin != own
        ),
        resources={
            rid: (f"{org} — {service}" if service else org, capacity)
            for rid, org, service, capacity in s.execute(
                select(Resource.id, Resource.organisation, Resource.service, Resource.capacity)
            )
        },
        latest=latest,
        labels=labels,
        deciles={_postcode(k): int(v) for k, v in deciles.items()},
        ons4=tuple(
            (pid, owner, mid, day, tuple(int(v) for v in _json(items)), context)
            for pid, owner, mid, day, items, context in _rows(s, "ons4", owners, away)
        ),
        workers=frozenset(w for w in _known_workers(s) if owners is None or w in owners),
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else (value or [])


def _postcode(text: str) -> str:
    return "".join(text.split()).upper()


def decile_of(data: TeamData, postcode: str | None) -> int | None:
    """The deprivation decile of a postcode, or None when unknown (never guessed)."""
    if not postcode:
        return None
    return data.deciles.get(_postcode(postcode))
