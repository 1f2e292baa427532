"""Loading the few columns the figures need from the vault's ordinary tables, in one read."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
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
from linksdesk.sync.bundle.trust import ENDED

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
    latest: dict[str, dt.datetime]  # owner -> their data as of (``_as_of``)
    labels: dict[str, str]  # owner -> label
    deciles: dict[str, int]  # normalised postcode -> deprivation decile
    # ONS4 answers, never summed: participant_id, owner, id, taken_on, the four answers, context
    ons4: tuple[tuple[str, str, str, str, tuple[int, ...], str], ...] = ()
    # every worker this vault knows of (a roster's laptops, imported bundles), data or not
    workers: frozenset[str] = frozenset()
    # owner -> the months (YYYY-MM) of the bundle made with a period their data as of
    # rests on: nothing referred after it has come
    covered: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # owner -> the months of a later period's bundle a gap before it keeps from counting
    # (``_chained``): their data as of stays before the gap
    held_back: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # owner -> the making of the newest whole-team bundle from the server made after their
    # data as of that does not say when they last synced (an older server's, or they have
    # not synced since the server began to say): it holds all they had synced by then
    server_made: Mapping[str, dt.datetime] = field(default_factory=dict)
    # owner -> the making of the server's bundle that said when they last synced, where
    # their data as of is that sync
    last_sync: Mapping[str, dt.datetime] = field(default_factory=dict)
    # the workers whose data as of is one laptop's bundle's making while they have another
    one_laptop: frozenset[str] = frozenset()


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
    # a referral recorded twice, a concern or goal added by mistake: entered in error,
    # counted nowhere
    "referrals": "SELECT participant_id, owner, received_on, source FROM referral "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL",
    "contacts": "SELECT participant_id, owner, kind, status, substr(scheduled_at, 1, 10), "
    f"{IN_ERROR_COLUMN} IS NOT NULL FROM contact WHERE NOT deleted",
    "concerns": "SELECT participant_id, owner, category, stage, identified_on FROM concern "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL",
    "goals": "SELECT participant_id, owner, status, set_on, closed_on FROM goal "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL",
    # a score entered in error (typed wrong, the wrong participant) counts nowhere
    "measures": "SELECT participant_id, owner, id, kind, taken_on, total, metric, context "
    "FROM measure "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL",
    "onward": "SELECT participant_id, owner, resource_id, status, suggested_on, made_on, "
    f"outcome_on FROM onward_referral WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL",
    "ons4": "SELECT participant_id, owner, id, taken_on, items, context FROM measure "
    f"WHERE NOT deleted AND {IN_ERROR_COLUMN} IS NULL AND kind = 'ons4'",
    "totals": "SELECT origin, owner, month, counts FROM monthly_total WHERE NOT deleted",
}


def _rows(
    s: Session,
    name: str,
    owners: frozenset[str] | None,
    away: Mapping[str, str] | None = None,
    worker_of: Mapping[str, str] | None = None,
) -> tuple[tuple[Any, ...], ...]:
    """The rows of one query; with ``away`` (records merged into another of the same
    person → the kept record), each row about a record merged away counts under the
    person's kept record, and a participant row merged away is left out: a person
    registered twice counts once. With ``worker_of`` (participant → their worker), a row
    about a person held here counts under the person's worker, whoever's it says it is: a
    row of a case handed on that the server never took (a laptop's bundle brought it, the
    server refused it) stays under the first worker, and the team's figures and each
    worker's own must count it under one worker, the one whose caseload the person is on."""
    rows: list[Any] = list(s.connection().exec_driver_sql(_QUERIES[name]).fetchall())
    if away:
        if name == "participants":
            rows = [r for r in rows if r[0] not in away]
        else:
            rows = [(away.get(r[0], r[0]), *r[1:]) if r[0] in away else r for r in rows]
    if worker_of:
        rows = [(r[0], worker_of.get(r[0], r[1]), *r[2:]) for r in rows]
    if owners is not None:
        rows = [r for r in rows if r[1] in owners]
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


def _supervisor_facts(s: Session) -> dict[str, int]:
    """What a supervisor's vault knows besides the rows (the bundle path's tables, when this
    vault has them): the deprivation lookup. (Trusted signers are labelled by laptop, not by
    worker, so names stay with the worker_labels setting.)"""
    run = s.connection().exec_driver_sql
    deciles: dict[str, int] = {}
    if _has_table(s, "deprivation_decile"):
        deciles = {_postcode(pc): int(d) for pc, d in run("SELECT postcode, decile FROM "
                                                          "deprivation_decile")}  # fmt: skip
    return deciles


Covered = tuple[str, str] | None  # the months a bundle covered (YYYY-MM); None: everything
Span = tuple[dt.datetime, dt.datetime, tuple[str, str]]  # from, to, the months a bundle covered


def end_of(covered: tuple[str, str]) -> dt.datetime:
    """The last second of a bundle's period (its last month's last day, 23:59:59)."""
    year, month = (int(x) for x in covered[1].split("-"))
    first_of_next = dt.datetime(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(seconds=1)


def start_of(covered: tuple[str, str]) -> dt.datetime:
    """The first second of a bundle's period (its first month's first day, 00:00:00)."""
    year, month = (int(x) for x in covered[0].split("-"))
    return dt.datetime(year, month, 1)


def _chained(whole: dt.datetime | None, spans: list[Span]) -> tuple[dt.datetime, Covered, Covered]:
    """How far a worker's data is whole: up to ``whole`` (what bundles of the whole caseload,
    or records that came without a period, vouch for), then on through each bundle made with
    a period that starts by then. A period that starts later leaves a gap: a case referred
    and closed in it is in no bundle here, so neither that period nor any after it counts.
    With nothing of the whole caseload, the earliest period starts the chain. Also the
    months of the bundle after the gap, if one is held back so (the report says so)."""
    when, covered = whole, None
    for first, last, months in sorted(spans):
        if when is not None and first - dt.timedelta(seconds=1) > when:
            return when, covered, months  # a gap: the months before ``first`` are not all here
        if when is None or last > when:
            when, covered = last, months
    assert when is not None  # a worker has a whole point or a span
    return when, covered, None


@dataclass
class _AsOf:
    """``_as_of``'s answer: each worker's data as of, and what the report says beside it."""

    latest: dict[str, dt.datetime] = field(default_factory=dict)
    covered: dict[str, tuple[str, str]] = field(default_factory=dict)
    held_back: dict[str, tuple[str, str]] = field(default_factory=dict)
    server_made: dict[str, dt.datetime] = field(default_factory=dict)
    last_sync: dict[str, dt.datetime] = field(default_factory=dict)
    one_laptop: set[str] = field(default_factory=set)


def _as_of(
    s: Session, owners: frozenset[str] | None, tables: tuple[type[SyncColumns], ...]
) -> _AsOf:
    """Each worker's "data as of", and the period of the bundle it rests on where that bundle
    was made with one. Everything they recorded up to then is here: the clock of their newest
    record, or the making of their newest supervision bundle from a laptop, whichever is
    later; a bundle is made no later than it was imported (a sender's clock may run fast).
    A record vouches no later than the making of the bundle that brought it (an older
    bundle imported later is named as the record's, but a newer one brought what is held).
    A bundle made with a period holds the cases open in it and nothing referred after it, so
    it vouches only up to its period's end, and so does each record it brought (a record
    newer than the period says one case is as of then, not the caseload); and only from the
    period's start, so it carries the data on only where it starts by the time the data
    before it reaches (``_chained``). An evaluation bundle brings nothing the figures count:
    it moves no worker's date.

    A whole-team bundle from the server says when each worker last finished a sync (the
    server then held all they had recorded): that time vouches too, no later than the
    bundle's making (``_last_synced``), so a worker who synced this morning but recorded
    nothing for a week is as of this morning.

    Beside it: where a gap keeps a later period's bundle from counting, its months; where
    the date is a sync the server's bundle said, that bundle's making; and where a whole-team
    bundle from the server that does not say when they last synced (an older server's) was
    made after the date, its making: the server holds what a laptop synced, so a worker who
    recorded nothing since their newest record is up to date, but the date stays their
    newest record's."""
    whole: dict[str, dt.datetime] = {}
    spans: dict[str, list[Span]] = {}

    def offer(owner: str, when: dt.datetime, covered: Covered) -> None:
        if owners is not None and owner not in owners:
            return
        if covered is None:
            whole[owner] = max(when, whole.get(owner, when))
        else:
            spans.setdefault(owner, []).append(
                (start_of(covered), min(when, end_of(covered)), covered)
            )

    def made(created: Any, taken: Any) -> dt.datetime:
        """When a bundle was made, by its sender's clock, and no later than this vault took
        it in: a laptop's clock running fast (within the day an import allows) makes no
        data as of a time still to come."""
        when = dt.datetime.fromisoformat(str(created)).replace(tzinfo=None)
        if not taken:
            return when
        return min(when, dt.datetime.fromisoformat(str(taken)).replace(tzinfo=None))

    run = s.connection().exec_driver_sql
    bundled = _has_table(s, "bundle_ledger") and _has_table(s, "imported_row")
    for t in tables:
        name = str(getattr(t, "__tablename__"))  # noqa: B009 (mypy: a mixin has no name)
        if bundled:  # each record with the bundle that brought it (if any), and its period
            rows = run(
                "SELECT t.owner, l.period_first, l.period_last, l.created_at, l.at, max(t.hlc) "
                f"FROM {name} t "
                "LEFT JOIN imported_row r ON r.table_name = ? AND r.row_id = t.id "
                "LEFT JOIN bundle_ledger l ON l.bundle_id = r.bundle_id "
                "GROUP BY t.owner, r.bundle_id",
                (name,),
            )
        else:
            rows = run(f"SELECT owner, NULL, NULL, NULL, NULL, max(hlc) FROM {name} GROUP BY owner")
        for owner, first, last, created, taken, hlc in rows:
            if owner and hlc:
                wall = dt.datetime.fromtimestamp(HLC.decode(hlc).wall_ms / 1000, dt.UTC)
                when = wall.replace(tzinfo=None)
                if created:
                    when = min(when, made(created, taken))
                offer(owner, when, (first, last) if last else None)
    laptop_made: dict[str, dict[dt.datetime, str]] = {}  # owner -> making -> signer
    if bundled:
        for owner, first, last, created, taken, signer in run(
            "SELECT worker_id, period_first, period_last, created_at, at, signer "
            "FROM bundle_ledger WHERE direction = 'import' AND kind = 'supervision' "
            "AND worker_id IS NOT NULL"
        ):
            if created:  # a bundle made then: its data is as of then
                offer(owner, made(created, taken), (first, last) if last else None)
                if not last:
                    laptop_made.setdefault(owner, {})[made(created, taken)] = str(signer)
    synced = _last_synced(s, made) if bundled else {}
    for owner, (when, _made_at) in synced.items():
        offer(owner, when, None)
    found = _AsOf()
    for owner in whole.keys() | spans.keys():
        found.latest[owner], covered, held = _chained(whole.get(owner), spans.get(owner, []))
        if covered is not None:
            found.covered[owner] = covered
        if held is not None:
            found.held_back[owner] = held
    for owner, (when, made_at) in synced.items():
        if found.latest.get(owner) == when:
            found.last_sync[owner] = made_at
    if bundled:
        _server_made(s, found, made)
        _one_of_laptops(s, found, laptop_made)
    return found


def _last_synced(s: Session, made: Any) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Worker -> when they last finished a sync, as the whole-team bundles from the server
    say (``bundle_ledger.synced``; never later than the bundle's making), the latest said,
    and the making of the bundle that said it."""
    found: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    for synced, created, taken in s.connection().exec_driver_sql(
        "SELECT synced, created_at, at FROM bundle_ledger WHERE direction = 'import' "
        "AND sender_kind = 'server' AND kind = 'supervision' AND synced IS NOT NULL"
    ):
        made_at = made(created, taken)
        for owner, when in (_json(synced) or {}).items():
            said = (min(dt.datetime.fromisoformat(str(when)), made_at), made_at)
            found[str(owner)] = max(said, found.get(str(owner), said))
    return found


def _one_of_laptops(
    s: Session, found: _AsOf, laptop_made: dict[str, dict[dt.datetime, str]]
) -> None:
    """The workers whose data as of is the making of one laptop's bundle while this vault
    knows another laptop of theirs (a roster's, or another signer of their bundles): what
    they recorded on the other after this one last synced is not in it, and its manifest
    does not say when that was."""
    laptops = _by_worker(
        s,
        "SELECT worker_id, fingerprint FROM trusted_signer WHERE kind = 'device' "
        "AND worker_id IS NOT NULL",
        "SELECT DISTINCT worker_id, signer FROM bundle_ledger WHERE direction = 'import' "
        "AND sender_kind = 'device' AND worker_id IS NOT NULL",
    )
    ended = set(_setting(s, ENDED) or {})  # revoked or replaced: records no more
    for owner, latest in found.latest.items():
        signer = laptop_made.get(owner, {}).get(latest)
        if signer is not None and laptops.get(owner, set()) - {signer} - ended:
            found.one_laptop.add(owner)


def _by_worker(s: Session, roster: str, bundles: str) -> dict[str, set[str]]:
    """Worker -> the values two queries give beside them, each row (worker, value): one of
    the roster's laptops (``trusted_signer``, where this vault has one) and one of the
    bundles imported."""
    found: dict[str, set[str]] = {}
    for query in (roster, bundles) if _has_table(s, "trusted_signer") else (bundles,):
        for worker, value in s.connection().exec_driver_sql(query):
            found.setdefault(str(worker), set()).add(str(value))
    return found


def _server_made(s: Session, found: _AsOf, made: Any) -> None:
    """Each worker's newest whole-team bundle from the server made after their data as of
    (``_as_of``): a worker of its team, by the roster's laptops or the rows it brought."""
    teams = _by_worker(
        s,
        "SELECT worker_id, team_id FROM trusted_signer WHERE kind = 'device' "
        "AND team_id IS NOT NULL AND worker_id IS NOT NULL",
        "SELECT DISTINCT r.worker_id, l.team_id FROM bundle_ledger l "
        "JOIN imported_row r ON r.bundle_id = l.bundle_id "
        "WHERE l.sender_kind = 'server' AND l.team_id IS NOT NULL",
    )
    run = s.connection().exec_driver_sql
    newest: dict[str, list[tuple[dt.datetime, frozenset[str]]]] = {}
    for team, created, taken, synced in run(
        "SELECT team_id, created_at, at, synced FROM bundle_ledger WHERE direction = 'import' "
        "AND sender_kind = 'server' AND kind = 'supervision' AND team_id IS NOT NULL "
        "AND period_last IS NULL"
    ):
        said = frozenset(_json(synced) or {})  # whose last sync it said (``_last_synced``)
        newest.setdefault(str(team), []).append((made(created, taken), said))
    for owner, latest in found.latest.items():
        if owner in found.last_sync:  # their date is the sync the server's bundle said
            continue
        made_at = max(
            (
                when
                for t in teams.get(owner, ())
                for when, said in newest.get(t, ())
                if owner not in said
            ),
            default=None,
        )
        if made_at is not None and made_at > latest:
            found.server_made[owner] = made_at


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
    as_of = _as_of(s, owners, data_tables)
    lookup = _supervisor_facts(s)
    labels = worker_labels(s)
    deciles = {**lookup, **(_setting(s, DECILES_KEY) or {})}
    away = people.merged_away(s)
    # a worker's own vault (its Team dashboard) holds the people who share nothing with the
    # team in full, and counts them in its own monthly totals too: they are in the figures
    # already, so its own totals are left out, and "Not shared with the team" holds what
    # the worker's other laptops counted, as it says (they were counted twice)
    own = None if is_supervisor(s) else _setting(s, "device_id")
    people_here = _rows(s, "participants", None, away)
    worker_of = {pid: owner for pid, owner, _status, _postcode in people_here}
    return TeamData(
        participants=tuple(r for r in people_here if owners is None or r[1] in owners),
        referrals=_rows(s, "referrals", owners, away, worker_of),
        contacts=_rows(s, "contacts", owners, away, worker_of),
        concerns=_rows(s, "concerns", owners, away, worker_of),
        goals=_rows(s, "goals", owners, away, worker_of),
        measures=_rows(s, "measures", owners, away, worker_of),
        onward=_rows(s, "onward", owners, away, worker_of),
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
        latest=as_of.latest,
        covered=as_of.covered,
        held_back=as_of.held_back,
        server_made=as_of.server_made,
        last_sync=as_of.last_sync,
        one_laptop=frozenset(as_of.one_laptop),
        labels=labels,
        deciles={_postcode(k): int(v) for k, v in deciles.items()},
        ons4=tuple(
            (pid, owner, mid, day, tuple(int(v) for v in _json(items)), context)
            for pid, owner, mid, day, items, context in _rows(s, "ons4", owners, away, worker_of)
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
