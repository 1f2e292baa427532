"""Who a record's person is, in the lists' SQL, for every way four records can be marked.

The lists read "these two records are one person" in SQL (``storage.people.persons``): a mark
followed one step where that gives each record's person (the common case, at the cost of an
index), else the marks resolved in memory by the one rule (``core.persons.resolve``) and
written into the statement. Each of the 625 ways four records' marks can stand (no mark,
another of the four, or a record not held here) is one group of one vault: chains (a person
found twice more), pairs and rings marked into each other, marks naming no one held."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from linksdesk.casework.casebook import Casebook
from linksdesk.core.persons import resolve
from linksdesk.storage import people
from linksdesk.storage.tables import Participant as P

SIZE = 4
DAY = dt.date(2026, 1, 5)
NOT_HELD = "0190aaaa-0000-7000-8000-000000000000"  # a record this laptop does not hold


def _answers(s: Session, persons: people.OneStep) -> tuple[set[str], dict[str, str], set[tuple]]:
    """What the SQL says: records standing alone, each record's kept record, and the pairs
    (record merged away, the record it counts under)."""
    alone = set(s.scalars(select(P.id).where(P.deleted.is_(False), persons.standing_alone())))
    kept = {str(a): str(b) for a, b in s.execute(select(P.id, persons.kept_of(P)))}
    away, merged = persons.merged_into_row(P)
    pairs = {(str(a), str(k)) for k, a in s.execute(select(P.id, away.id).join(away, merged))}
    return alone, kept, pairs


def _expected(ids: list[str], away: dict[str, str]) -> tuple[set[str], dict[str, str], set[tuple]]:
    return set(ids) - set(away), {i: away.get(i, i) for i in ids}, set(away.items())


def test_the_lists_name_each_records_person_as_the_one_rule_does(cb: Casebook) -> None:
    graphs = list(itertools.product(range(SIZE + 1), repeat=SIZE))
    with cb.store.write() as tx:
        made = tx.insert_many(
            [
                P(
                    programme_id=f"T{n:05d}",
                    given_name="Same",
                    family_name=f"Person {n}",
                    created_on=DAY,
                )
                for n in range(len(graphs) * SIZE)
            ]
        )
    ids = [str(r.id) for r in made]
    named: dict[str, str] = {}
    for g, graph in enumerate(graphs):
        group = ids[g * SIZE : (g + 1) * SIZE]
        for me, choice in zip(group, graph, strict=True):
            if choice:  # 1-3: another of the four, 4: a record not held here
                named[me] = ([x for x in group if x != me] + [NOT_HELD])[choice - 1]
    with cb.store.write() as tx:
        marks = [{"id": pid, "merged_into_id": into} for pid, into in named.items()]
        tx.session.execute(update(P), marks)

    whole = resolve(named, ids)
    with cb.store.read() as s:
        persons = people.persons(s)
        assert isinstance(persons, people.Resolved)  # chains and rings are among them
        assert _answers(s, persons) == _expected(ids, whole)
        # the one-step SQL says what ``people.one_step`` says it does, for every graph: so
        # where that equals the rule (and only there ``persons`` picks it), so does the SQL
        assert _answers(s, people.ONE_STEP) == _expected(ids, people.one_step(named, ids))
    differs = {g for g in range(len(graphs)) for pid in ids[g * SIZE : (g + 1) * SIZE]
               if people.one_step(named, ids).get(pid) != whole.get(pid)}  # fmt: skip
    assert 0 < len(differs) < len(graphs)  # both kinds of graph were tried
