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
broken the same way everywhere: the record with the lowest id of the ring is kept. The
rule is SQL (``core.persons.kept_sql``): the worker's lists run it inside their one query
each (``MERGED_AWAY``), and ``merged_away`` reads it from the same text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, and_, func, select, text
from sqlalchemy.orm import Session, aliased

from linksdesk.core.persons import kept_sql
from linksdesk.core.persons import resolve as resolve  # the rule in Python, for readers
from linksdesk.storage.tables import Participant

# the rule (``core.persons``), over this vault's live participant records, as a CTE: a row
# (id, kept) per record merged away. One object, so every list that uses it renders it once,
# at the head of its one query (a handful of rows: only records with a mark walk)
MERGED_AWAY = (
    text(kept_sql(Participant.__tablename__, "NOT {r}.deleted"))
    .columns(id=String, kept=String)
    .cte("merged_away")
    .prefix_with("MATERIALIZED")  # worked out once a query, then looked up row by row
)


def standing_alone(row: Any = Participant) -> Any:
    """SQL: the participant row is not merged away (``merged_away``, in the worker's lists'
    one query each)."""
    return row.id.not_in(select(MERGED_AWAY.c.id))


def kept_of(row: Any) -> Any:
    """SQL: the id of the record kept for ``row``'s person (its own unless merged away;
    marks followed to the end): to show a row by its person."""
    kept = select(MERGED_AWAY.c.kept).where(MERGED_AWAY.c.id == row.id).scalar_subquery()
    return func.coalesce(kept, row.id)


def merged_ids(kept: Any = Participant) -> Any:
    """SQL: the ids of the live records merged into ``kept`` (at any distance), correlated
    on ``kept``: for a figure over the person's rows in one query."""
    return select(MERGED_AWAY.c.id).where(MERGED_AWAY.c.kept == kept.id).correlate(kept)


def maybe_merged(kept: Any = Participant) -> Any:
    """SQL: a live record's mark names ``kept``; true of every record with a record merged
    into it (the last of a chain is named by the one before it, the record kept of a ring
    by the one before it in the ring), so a figure over ``merged_ids`` is asked only where
    this holds: one look-up in ix_participant_merged_into_id for a record alone."""
    named = aliased(Participant)
    by_mark = select(named.id).where(named.merged_into_id == kept.id, named.deleted.is_(False))
    return by_mark.correlate(kept).exists()


def merged_into_row(kept: Any = Participant) -> tuple[Any, Any]:
    """An alias of participant, and SQL: it is a live record merged into ``kept``
    (``merged_ids``), correlated on ``kept``: to read those records' own columns."""
    away = aliased(Participant)
    return away, and_(maybe_merged(kept), away.deleted.is_(False), away.id.in_(merged_ids(kept)))


def marks(session: Session) -> dict[str, str]:
    """Every live record's merge mark held here: record id → the id it names."""
    rows = session.execute(
        select(Participant.id, Participant.merged_into_id).where(
            Participant.merged_into_id.is_not(None), Participant.deleted.is_(False)
        )
    )
    return {str(pid): str(into) for pid, into in rows}


def merged_away(session: Session) -> dict[str, str]:
    """Every record merged away here → the record kept for its person."""
    rows = session.execute(select(MERGED_AWAY.c.id, MERGED_AWAY.c.kept))
    return {str(pid): str(kept) for pid, kept in rows}


def kept_id(session: Session, participant_id: str) -> str:
    """The record kept for this record's person (itself unless merged away)."""
    return merged_away(session).get(participant_id, participant_id)


def person_ids(session: Session, participant_id: str) -> tuple[str, ...]:
    """Every record of this record's person: the kept record first, then those merged into
    it in id order (so in the order they were made)."""
    away = merged_away(session)
    kept = away.get(participant_id, participant_id)
    return (kept, *sorted(pid for pid, into in away.items() if into == kept))


def merged_into(session: Session, kept: str) -> tuple[str, ...]:
    """The records merged into ``kept`` (none for a record merged away itself)."""
    return person_ids(session, kept)[1:] if kept_id(session, kept) == kept else ()
