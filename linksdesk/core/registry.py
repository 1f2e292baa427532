"""The syncable tables, declared once: routing, column tags, narrative fields, purge order, search.

Pure data and pure functions (stdlib only), so the device's storage, sync and UI and the
server all derive from the same facts. ``storage/tables.py`` checks its SQLAlchemy models
against this module when it is imported, so a table or column added there without an entry
here fails every test at once.

Column tags (docs/architecture.md, the table registry): for sync, ``share`` or ``local``
(``local`` values never enter the outbox); for evaluation exports, ``keep``, ``transform``
(keyed hash, age band, deprivation decile, month) or ``drop``. An untagged column counts as
``local``/``drop``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Literal

from linksdesk.core.vocab import ConsentScope

SyncTag = Literal["share", "local"]
EvalTag = Literal["keep", "transform", "drop"]
Tags = tuple[SyncTag, EvalTag]


class Routing(StrEnum):
    """How the rows of a table find the devices (and people) they belong to."""

    PARTICIPANT = "participant"  # the person's own row: routed by its own id
    LINKED = "linked"  # belongs to one participant: routed, shared and purged with them
    RECEIPT = "receipt"  # routed by participant_id like a linked row, but survives erasure
    TEAM = "team"  # shared with the whole team (participant_id is None)
    WORKER = "worker"  # anonymous aggregates seen only by the worker who owns them


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """What the search index takes of a row: one entry per ``key``, titles above bodies."""

    entity: str  # the kind a hit names (participant | note | goal | resource)
    title: tuple[str, ...]
    body: tuple[str, ...]
    title_joiner: str = " "
    # the column the entry is keyed by: a note is indexed once, by its latest revision
    key: str = "id"


@dataclass(frozen=True, slots=True)
class Table:
    """One syncable table."""

    name: str
    routing: Routing
    # data columns in table order (the envelope columns are in ``ENVELOPE``)
    columns: Mapping[str, Tags]
    # fields whose concurrent edit becomes a kept conflict, never merged silently
    # (docs/architecture.md, sync protocol 7); ``ALL_FIELDS`` for every field
    narrative: frozenset[str] = frozenset()
    # place in the purge order (children before parents, so foreign keys hold throughout);
    # linked tables only: they are what erasure and a withdrawal of sharing remove
    purge: int | None = None
    search: SearchEntry | None = None

    def __post_init__(self) -> None:
        # pure data, shared by everything: nobody may change it in passing
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))


ALL_FIELDS: Final = "*"

S: Final = "share"
L: Final = "local"
K: Final = "keep"
T: Final = "transform"
D: Final = "drop"

# Columns every syncable row carries; routing and versioning travel in the change envelope.
ENVELOPE: Final[Mapping[str, Tags]] = MappingProxyType(
    {
        "id": (S, T),
        "hlc": (S, D),
        "origin": (S, D),
        "deleted": (S, K),
        "sharing": (S, D),
        "owner": (S, T),
        "field_hlc": (L, D),  # versions travel as the change's ``base``
    }
)

# Parents before children: the order tables are created, synced and counted in.
TABLES: Final[tuple[Table, ...]] = (
    Table(
        "participant",
        Routing.PARTICIPANT,
        {
            "programme_id": (S, D),
            "given_name": (S, D),
            "family_name": (S, D),
            "preferred_name": (S, D),
            "date_of_birth": (S, T),  # → age band
            "phone": (S, D),
            "email": (S, D),
            "address": (S, D),
            "postcode": (S, T),  # → deprivation decile
            "gp_practice": (S, D),
            # how and when the person likes to be contacted is the worker's own working note
            "contact_preferences": (L, D),
            "risk_summary": (S, D),
            "status": (S, K),
            "status_reason": (S, D),
            "referred_on": (S, T),  # → month
            "closed_on": (S, T),
            "created_on": (S, T),
        },
        narrative=frozenset({"risk_summary"}),
        search=SearchEntry(
            "participant",
            title=("given_name", "family_name"),
            body=("preferred_name", "programme_id", "postcode"),
        ),
    ),
    Table(
        "status_change",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "from_status": (S, K),
            "to_status": (S, K),
            "reason": (S, D),
            "changed_on": (S, T),
        },
        purge=8,
    ),
    Table(
        "consent",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "scope": (S, K),
            "given": (S, K),
            "version": (S, K),
            "recorded_on": (S, T),
            "method": (S, K),
            "note": (S, D),
        },
        narrative=frozenset({ALL_FIELDS}),
        purge=7,
    ),
    Table(
        "referral",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "received_on": (S, T),
            "source": (S, K),
            "referrer": (S, D),
            "reason": (S, D),
        },
        purge=6,
    ),
    Table(
        "concern",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "category": (S, K),
            "stage": (S, K),
            "identified_on": (S, T),
            "detail": (S, D),
            "resolved_on": (S, T),
        },
        purge=5,
    ),
    Table(
        "contact",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "kind": (S, K),
            "status": (S, K),
            "scheduled_at": (S, T),
            "minutes": (S, K),
            "venue": (S, D),
            "purpose": (S, D),
        },
        purge=11,
    ),
    Table(
        "note",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "contact_id": (S, T),
            "written_at": (S, T),
        },
        purge=9,
    ),
    Table(
        "note_revision",
        Routing.LINKED,
        {
            "note_id": (S, T),
            "participant_id": (S, T),
            "revision": (S, D),
            "base_revision_id": (S, D),
            "body": (S, D),
            "written_at": (S, T),
        },
        narrative=frozenset({"body"}),
        purge=0,
        search=SearchEntry("note", title=(), body=("body",), key="note_id"),
    ),
    Table(
        "goal",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "title": (S, D),
            "why_it_matters": (S, D),
            "status": (S, K),
            "set_on": (S, T),
            "review_on": (S, T),
            "progress": (S, K),
            "closed_on": (S, T),
        },
        purge=10,
        search=SearchEntry("goal", title=("title",), body=("why_it_matters",)),
    ),
    Table(
        "goal_step",
        Routing.LINKED,
        {
            "goal_id": (S, T),
            "participant_id": (S, T),
            "position": (S, D),
            "description": (S, D),
            "due_on": (S, T),
            "done_on": (S, T),
        },
        purge=1,
    ),
    Table(
        "relationship",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "kind": (S, K),
            "name": (S, D),
            "detail": (S, D),
            # a third party's number: they never consented to it leaving the worker's laptop
            "phone": (L, D),
            "supportive": (S, K),
        },
        purge=4,
    ),
    Table(
        "resource",
        Routing.TEAM,
        {
            "organisation": (S, K),
            "service": (S, K),
            "description": (S, D),
            "categories": (S, K),
            "address": (S, D),
            "postcode": (S, D),
            "area": (S, K),
            "when": (S, D),
            "who_for": (S, D),
            "cost": (S, D),
            "accessibility": (S, D),
            "how_to_refer": (S, D),
            "phone": (S, D),
            "email": (S, D),
            "website": (S, D),
            "capacity": (S, K),
            "last_verified": (S, T),
            "problem_reports": (S, D),
        },
        search=SearchEntry(
            "resource",
            title=("organisation", "service"),
            title_joiner=" — ",
            body=("description", "area", "categories"),
        ),
    ),
    Table(
        "onward_referral",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "resource_id": (S, T),
            "kind": (S, K),
            "status": (S, K),
            "made_on": (S, T),
            "outcome": (S, D),
            "outcome_on": (S, T),
        },
        purge=2,
    ),
    Table(
        "measure",
        Routing.LINKED,
        {
            "participant_id": (S, T),
            "kind": (S, K),
            "taken_on": (S, T),
            "context": (S, K),
            "assisted": (S, K),
            "items": (S, K),
            "total": (S, K),
            "metric": (S, K),
        },
        purge=3,
    ),
    Table(
        "erasure_receipt",
        Routing.RECEIPT,
        {
            "participant_id": (S, T),
            "erased_at": (S, T),
            "rows_removed": (S, D),
        },
    ),
    Table(
        "monthly_total",
        Routing.WORKER,
        {
            "month": (S, K),
            "counts": (S, K),
        },
    ),
)

BY_NAME: Final[Mapping[str, Table]] = MappingProxyType({t.name: t for t in TABLES})


def _named(*routings: Routing) -> tuple[str, ...]:
    return tuple(t.name for t in TABLES if t.routing in routings)


# -- derived: every list below is worked out from TABLES, never written by hand --------------
SYNCABLE_TABLES: Final = tuple(t.name for t in TABLES)
ENVELOPE_COLUMNS: Final = frozenset(ENVELOPE)
(PARTICIPANT_TABLE,) = _named(Routing.PARTICIPANT)
(RECEIPT_TABLE,) = _named(Routing.RECEIPT)
# rows that belong to one participant: routed by participant_id, purged by erasure
PARTICIPANT_LINKED_TABLES: Final = _named(Routing.LINKED)
TEAM_TABLES: Final = _named(Routing.TEAM)
WORKER_TABLES: Final = _named(Routing.WORKER)
# the tables of one participant's record: the person and everything linked to them
RECORD_TABLES: Final = (PARTICIPANT_TABLE, *PARTICIPANT_LINKED_TABLES)
PURGE_ORDER: Final = tuple(
    t.name for t in sorted((t for t in TABLES if t.purge is not None), key=lambda t: t.purge or 0)
)
NARRATIVE_FIELDS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {t.name: t.narrative for t in TABLES if t.narrative}
)
SEARCH: Final[Mapping[str, SearchEntry]] = MappingProxyType(
    {t.name: t.search for t in TABLES if t.search}
)
INDEXED_TABLES: Final = frozenset(SEARCH)
SEARCH_ENTITIES: Final = frozenset(e.entity for e in SEARCH.values())


def columns(table: str) -> tuple[str, ...]:
    """The data columns of ``table`` in order (no envelope columns)."""
    return tuple(BY_NAME[table].columns)


def tags(table: str, column: str) -> Tags:
    """(sync, evaluation) tags of a column; an untagged one is ``local``/``drop``."""
    if column in ENVELOPE:
        return ENVELOPE[column]
    known = BY_NAME.get(table)
    return known.columns.get(column, (L, D)) if known else (L, D)


def is_narrative(table: str, field: str) -> bool:
    """Whether a concurrent edit of ``table.field`` must become a kept conflict."""
    names = NARRATIVE_FIELDS.get(table)
    return names is not None and (ALL_FIELDS in names or field in names)


# -- consent: "the latest team consent decides" ---------------------------------------------
# the consent scope that decides rule 2 (a participant's content is shared with the team)
TEAM_SCOPE: Final = ConsentScope.TEAM.value


def consent_rank(version: object, hlc: str) -> tuple[int, str]:
    """Which of two consent records of one scope decides: the highest version, and the
    clock breaks a tie between two devices' version n."""
    return (int(version) if isinstance(version, int) else 0, hlc)


def team_consent_decision(consents: Iterable[tuple[object, str, object]]) -> bool | None:
    """What the latest of one participant's team consents says, from (version, clock, given)
    of each one not deleted; None when there is none. Device and server both ask this."""
    latest: tuple[object, str, object] | None = None
    for consent in consents:
        if latest is None or consent_rank(consent[0], consent[1]) > consent_rank(
            latest[0], latest[1]
        ):
            latest = consent
    return None if latest is None else bool(latest[2])


def shared_with_team(consents: Iterable[tuple[object, str, object]]) -> bool:
    """Rule 2: a participant is shared with the team only while their latest team consent
    says so (no consent at all means not shared)."""
    return team_consent_decision(consents) is True
