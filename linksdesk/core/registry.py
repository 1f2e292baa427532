"""The syncable tables, declared once: routing, column tags, narrative fields, purge order, search.

The declarations are pure data in ``registry.toml`` beside this module, read at import with
the stdlib only; pure functions derive the rest, so the device's storage, sync and UI and the
server all derive from the same facts. ``storage/tables.py`` checks its SQLAlchemy models
against this module when it is imported, so a table or column added there without an entry
here fails every test at once.

Column tags (docs/architecture.md, the table registry): for sync, ``share`` or ``local``
(``local`` values never enter the outbox); for evaluation exports, ``keep``, ``transform``
(keyed hash, age band, deprivation decile, month) or ``drop``. An untagged column counts as
``local``/``drop``. A table column's third entry is its type as the device stores it
(``text(16) required``, ``list of int required``, ``text(36) references contact``): the
server checks pushed values against it and ``storage/tables.py``'s columns must match it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, Literal, cast, get_args

from linksdesk.core import vocab as vocabulary
from linksdesk.core.datafiles import load_toml
from linksdesk.core.ids import stable_id
from linksdesk.core.vocab import ConsentScope

SyncTag = Literal["share", "local"]
EvalTag = Literal["keep", "transform", "drop"]
Tags = tuple[SyncTag, EvalTag]
# "count": a whole number of 0 or more (in shapes: what a device counted)
Kind = Literal["text", "int", "count", "float", "bool", "date", "datetime", "list", "object"]


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
    # the columns (of title and body) that are names: each name of several words is also
    # indexed written as one ("Mc Donald" as "McDonald"), so it is found typed either way
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column's type as a device stores it (what a pushed value must fit)."""

    kind: Kind
    nullable: bool = True
    max_length: int | None = None  # characters, for text
    refers_to: str | None = None  # the table whose row id this column holds
    items: Kind | None = None  # the kind of each entry of a list column
    # the values a text column may hold (``one of`` a vocabulary enum), where a device that
    # reads another's value into the enum would fail on any other; not part of the
    # SQLAlchemy type, so left out when the device's columns are compared with these
    choices: frozenset[str] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Table:
    """One syncable table."""

    name: str
    routing: Routing
    # data columns in table order (the envelope columns are in ``ENVELOPE``)
    columns: Mapping[str, Tags]
    # each data column's type, in the same order
    types: Mapping[str, Column]
    # fields whose concurrent edit becomes a kept conflict, never merged silently
    # (docs/architecture.md, sync protocol 7); ``ALL_FIELDS`` for every field
    narrative: frozenset[str] = frozenset()
    # place in the purge order (children before parents, so foreign keys hold throughout);
    # linked tables only: they are what erasure and a withdrawal of sharing remove
    purge: int | None = None
    search: SearchEntry | None = None
    # the parts a row's id is derived from (:func:`derived_id`); empty: ids are made afresh
    id_from: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # pure data, shared by everything: nobody may change it in passing
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))
        object.__setattr__(self, "types", MappingProxyType(dict(self.types)))


ALL_FIELDS: Final = "*"

S: Final = "share"
L: Final = "local"
K: Final = "keep"
T: Final = "transform"
D: Final = "drop"


def _tags(where: str, value: object) -> Tags:
    if (
        isinstance(value, list)
        and len(value) in (2, 3)
        and value[0] in get_args(SyncTag)
        and value[1] in get_args(EvalTag)
    ):
        return (value[0], value[1])
    expected = f"[{'|'.join(get_args(SyncTag))}, {'|'.join(get_args(EvalTag))}]"
    raise ValueError(f"registry.toml: {where} has tags {value!r}, not {expected}")


def _columns(where: str, declared: Mapping[str, object]) -> dict[str, Tags]:
    return {name: _tags(f"{where}.{name}", value) for name, value in declared.items()}


_TYPE = re.compile(
    r"(?P<kind>\w+)(?: of (?P<items>\w+))?(?:\((?P<length>\d+)\))?"
    r"(?P<required> required)?(?: references (?P<refers_to>\w+))?(?: one of (?P<vocab>\w+))?"
)


def _type(where: str, value: object) -> Column:
    return _spec_type(where, value[2] if isinstance(value, list) and len(value) == 3 else None)


def _spec_type(where: str, spec: object) -> Column:
    found = _TYPE.fullmatch(spec) if isinstance(spec, str) else None
    kinds = get_args(Kind)
    if found is None or found["kind"] not in kinds or found["items"] not in (None, *kinds):
        raise ValueError(f'registry.toml: {where} has no type such as "text(16) required"')
    length = found["length"]
    vocab = getattr(vocabulary, found["vocab"] or "", None)
    if found["vocab"] and not (isinstance(vocab, type) and issubclass(vocab, StrEnum)):
        raise ValueError(f"registry.toml: {where} names no vocabulary {found['vocab']!r}")
    return Column(
        cast(Kind, found["kind"]),
        nullable=found["required"] is None,
        max_length=None if length is None else int(length),
        refers_to=found["refers_to"],
        items=cast(Kind | None, found["items"]),
        choices=frozenset(m.value for m in vocab) if vocab is not None else None,
    )


def _types(where: str, declared: Mapping[str, object]) -> dict[str, Column]:
    return {name: _type(f"{where}.{name}", value) for name, value in declared.items()}


def _table(declared: Mapping[str, Any]) -> Table:
    name = declared["name"]
    search = declared.get("search")
    return Table(
        name,
        Routing(declared["routing"]),
        _columns(name, declared["columns"]),
        _types(name, declared["columns"]),
        narrative=frozenset(declared.get("narrative", ())),
        purge=declared.get("purge"),
        search=None
        if search is None
        else SearchEntry(
            search["entity"],
            title=tuple(search["title"]),
            body=tuple(search["body"]),
            title_joiner=search.get("title_joiner", " "),
            key=search.get("key", "id"),
            names=tuple(search.get("names", ())),
        ),
        id_from=tuple(declared.get("id_from", ())),
    )


# the declarations themselves are data: registry.toml, read once here
_DECLARED: Final = load_toml("linksdesk.core", "registry.toml")

# Columns every syncable row carries; routing and versioning travel in the change envelope.
ENVELOPE: Final[Mapping[str, Tags]] = MappingProxyType(_columns("envelope", _DECLARED["envelope"]))

# Parents before children: the order tables are created, synced and counted in.
TABLES: Final[tuple[Table, ...]] = tuple(_table(t) for t in _DECLARED["tables"])

BY_NAME: Final[Mapping[str, Table]] = MappingProxyType({t.name: t for t in TABLES})

# What devices read inside an object column, or inside each entry of a list of objects:
# (table, column) → each key's type (other keys may be there too).
SHAPES: Final[Mapping[tuple[str, str], Mapping[str, Column]]] = MappingProxyType(
    {
        (table, column): MappingProxyType(
            {k: _spec_type(f"shapes.{table}.{column}.{k}", v) for k, v in keys.items()}
        )
        for table, declared in _DECLARED.get("shapes", {}).items()
        for column, keys in declared.items()
    }
)


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
# the table whose latest team record decides whether a participant is shared (rule 2)
CONSENT_TABLE: Final = "consent"
assert CONSENT_TABLE in PARTICIPANT_LINKED_TABLES
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
# the tables whose rows a worker can mark "entered in error" (``vocab.IN_ERROR_COLUMN``)
MARKABLE_TABLES: Final = frozenset(
    t.name for t in TABLES if vocabulary.IN_ERROR_COLUMN in t.columns
)


def days(table: str) -> tuple[str, ...]:
    """The date and datetime columns of ``table`` a row is known by, in table order: the day
    it was recorded for first (a contact's, a goal's set day), never the mark's own."""
    return tuple(
        name
        for name, col in BY_NAME[table].types.items()
        if col.kind in ("date", "datetime") and name not in vocabulary.IN_ERROR_FIELDS
    )


def sets_in_error_mark(table: str, fields: Mapping[str, object]) -> bool:
    """Whether a change of ``table`` carrying ``fields`` sets an entered-in-error mark and
    nothing else (the device tells a refused one to the worker; the server takes one alone
    on a case the worker handed over since)."""
    return (
        table in MARKABLE_TABLES
        and set(fields) == set(vocabulary.IN_ERROR_FIELDS)
        and fields.get(vocabulary.IN_ERROR_COLUMN) is not None
    )


# a row that cannot be without its parent (a ``required references`` column) is in error
# with it: a note's revisions, a goal's steps. child table → (column, parent table)
MARKED_THROUGH: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        t.name: (name, col.refers_to)
        for t in TABLES
        for name, col in t.types.items()
        if col.refers_to in MARKABLE_TABLES and not col.nullable
    }
)


def columns(table: str) -> tuple[str, ...]:
    """The data columns of ``table`` in order (no envelope columns)."""
    return tuple(BY_NAME[table].columns)


def tags(table: str, column: str) -> Tags:
    """(sync, evaluation) tags of a column; an untagged one is ``local``/``drop``."""
    if column in ENVELOPE:
        return ENVELOPE[column]
    known = BY_NAME.get(table)
    return known.columns.get(column, (L, D)) if known else (L, D)


def follows_consent(table: str) -> bool:
    """Whether a row of ``table`` may leave only while its participant is shared with the
    team: the participant row and everything linked to them (not an erasure receipt)."""
    known = BY_NAME.get(table)
    return known is not None and known.routing in (Routing.PARTICIPANT, Routing.LINKED)


def derived_id(table: str, parts: Mapping[str, object]) -> str | None:
    """The id every device derives for a row of ``table`` from ``parts`` (its ``id_from``:
    a monthly total's from the device that counts and the month); None when the table's
    ids are not derived or a part is missing."""
    names = BY_NAME[table].id_from if table in BY_NAME else ()
    values = [parts.get(name) for name in names]
    if not names or not all(isinstance(v, str) for v in values):
        return None
    return stable_id(table, *cast(list[str], values))


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


def consent_decision(consents: Iterable[tuple[object, str, object]]) -> bool | None:
    """What the latest of one participant's consents of one scope says (team sharing, for
    rule 2; evaluation), from (version, clock, given) of each one not deleted; None when
    there is none. Device, server and bundles all ask this."""
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
    return consent_decision(consents) is True
