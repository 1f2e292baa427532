"""Participant records that are one person: which record is kept, and every record of a person.

"These two records are one person" marks the record merged away with the kept record's id
(``participant.merged_into_id``, a synced column of the merged record's own row) and moves
no row between participants: every row stays routed by the participant it was written for,
on every laptop, the server and supervisors' bundles alike. Every read asks this module
instead who a record's person is.

One rule, on every device (``core.persons``, which evaluation bundles and copies follow
too): a record is merged away when its ``merged_into_id`` names a live participant held
here; a mark naming one not held here (not shared with this laptop, erased) leaves the
record a person of its own here. Marks are followed to the end (a person found twice more),
and marks that go round (two laptops offline each merging the pair the other way) are
broken the same way everywhere: the record with the lowest id of the ring is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from linksdesk.core.persons import resolve
from linksdesk.storage.tables import Participant


def _merged_into(row: Any, kept: Any) -> Any:
    """SQL: ``row``'s mark merges it into ``kept``, a live record, other than itself (of a
    pair marked into each other the lower id is kept)."""
    return and_(
        kept.id == row.merged_into_id,
        kept.id != row.id,
        kept.deleted.is_(False),
        # not the lower of a pair marked into each other; spelt without NOT, as a kept
        # record without a mark of its own compares NULL (and NOT NULL is no "true")
        or_(kept.merged_into_id.is_(None), kept.merged_into_id != row.id, row.id > kept.id),
    )


def standing_alone(row: Any = Participant) -> Any:
    """SQL: the participant row is not merged away, a mark followed one step: no mark, or one
    naming no live record held here, or the lower id of a pair marked into each other (the
    lists use it through ``persons``, only where the marks make no chain or ring)."""
    kept = aliased(Participant)
    return or_(
        row.merged_into_id.is_(None), ~select(kept.id).where(_merged_into(row, kept)).exists()
    )


def kept_of(row: Any) -> Any:
    """SQL: the id of the record kept for ``row``'s person (its own unless merged away; a
    mark followed one step, as ``standing_alone``): to show a row by its person."""
    return case((standing_alone(row), row.id), else_=row.merged_into_id)


def merged_into_row(kept: Any = Participant) -> tuple[Any, Any]:
    """An alias of participant, and SQL: it is a live record merged into ``kept`` (one step,
    as ``standing_alone``), correlated on ``kept``: to join a table's rows of the records
    merged into the outer participant, for a figure over the person's rows in one query
    (through ix_participant_merged_into_id, so it costs nothing for a record alone)."""
    away = aliased(Participant)
    return away, and_(away.deleted.is_(False), _merged_into(away, kept))


def marks(session: Session) -> dict[str, str]:
    """Every live record's merge mark held here: record id → the id it names."""
    rows = session.execute(
        select(Participant.id, Participant.merged_into_id).where(
            Participant.merged_into_id.is_not(None), Participant.deleted.is_(False)
        )
    )
    return {str(pid): str(into) for pid, into in rows}


def _live(session: Session, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    rows = session.scalars(
        select(Participant.id).where(Participant.id.in_(wanted), Participant.deleted.is_(False))
    )
    return {str(r) for r in rows}


class OneStep:
    """SQL of who a record's person is, for a list's statement (``persons``): a mark followed
    one step (``standing_alone``, ``kept_of``, ``merged_into_row``), which costs only the
    marks' index and is exact wherever no mark held here makes a chain or a ring of three."""

    def standing_alone(self, row: Any = Participant) -> Any:
        return standing_alone(row)

    def kept_of(self, row: Any) -> Any:
        return kept_of(row)

    def merged_into_row(self, kept: Any = Participant) -> tuple[Any, Any]:
        return merged_into_row(kept)


@dataclass(frozen=True)
class Resolved(OneStep):
    """The same SQL from the marks resolved in memory (``core.persons``: followed to the end,
    a ring broken at its lowest id), written into the statement: for a vault whose marks
    make a chain (a person found twice more, merged one at a time or on two laptops) or a
    ring of three, where a mark followed one step names a record that is not the person's
    kept one."""

    away: Mapping[str, str]  # every record merged away here -> the record kept for its person

    def standing_alone(self, row: Any = Participant) -> Any:
        return row.id.not_in(sorted(self.away))

    def kept_of(self, row: Any) -> Any:
        return case(dict(self.away), value=row.id, else_=row.id)

    def merged_into_row(self, kept: Any = Participant) -> tuple[Any, Any]:
        away = aliased(Participant)
        pairs = sorted(self.away.items())
        return away, and_(away.deleted.is_(False), tuple_(away.id, kept.id).in_(pairs))


ONE_STEP = OneStep()


def persons(session: Session) -> OneStep:
    """The SQL of who a record's person is for the lists read in ``session``: a mark followed
    one step wherever that gives each record's person here (nearly always, and the
    cheapest), else the marks resolved."""
    named = marks(session)
    if not named:
        return ONE_STEP
    live = _live(session, named.values())
    away = resolve(named, live)
    return ONE_STEP if one_step(named, live) == away else Resolved(away)


def one_step(named: Mapping[str, str], live: Iterable[str]) -> dict[str, str]:
    """What ``OneStep``'s SQL says of the marks ``named`` (record -> the id it names; ``live``
    the records held here): each record merged away -> the live record its mark names, but
    for the lower id of a pair marked into each other (``_merged_into``)."""
    held = set(live)
    return {
        pid: into
        for pid, into in named.items()
        if into in held and into != pid and not (named.get(into) == pid and pid < into)
    }


def merged_away(session: Session) -> dict[str, str]:
    """Every record merged away here → the record kept for its person."""
    named = marks(session)
    return resolve(named, _live(session, named.values()))


def kept_id(session: Session, participant_id: str) -> str:
    """The record kept for this record's person (itself unless merged away)."""
    return merged_away(session).get(participant_id, participant_id)


def person_ids(session: Session, participant_id: str) -> tuple[str, ...]:
    """Every record of this record's person: the kept record first, then those merged into
    it in id order (so in the order they were made)."""
    away = merged_away(session)
    kept = away.get(participant_id, participant_id)
    return (kept, *sorted(pid for pid, into in away.items() if into == kept))
