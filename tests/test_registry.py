"""The table registry: one description of the syncable tables that everything else derives from."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, String, Table

from linksdesk.core import registry
from linksdesk.server.exchange import _latest_of
from linksdesk.server.models import Record
from linksdesk.storage import search, store
from linksdesk.storage.tables import (
    SYNCABLE_TABLES,
    TABLE_BY_NAME,
    Base,
    Participant,
    registry_mismatches,
)
from linksdesk.sync import policy, protocol


def _model(name: str, columns: list[Column[Any]]) -> type:
    """A stand-in for a mapped class: what ``registry_mismatches`` reads of one."""
    return type(name, (), {"__tablename__": name, "__table__": Table(name, MetaData(), *columns)})


def _copy(model: Any, *extra: Column[Any]) -> type:
    cols = [Column(c.key, c.type) for c in model.__table__.columns]
    return _model(model.__tablename__, [*cols, *extra])


def test_the_vaults_tables_match_the_registry() -> None:
    assert registry_mismatches(SYNCABLE_TABLES) == []
    assert tuple(TABLE_BY_NAME) == registry.SYNCABLE_TABLES


def test_a_column_added_without_a_registry_entry_is_caught() -> None:
    models = [
        _copy(Participant, Column("nickname", String(40))) if m is Participant else m
        for m in SYNCABLE_TABLES
    ]
    problems = registry_mismatches(models)  # type: ignore[arg-type]
    assert len(problems) == 1 and "participant" in problems[0] and "nickname" in problems[0]


def test_a_table_added_without_a_registry_entry_is_caught() -> None:
    envelope = [Column(name, String(10)) for name in registry.ENVELOPE]
    fresh = _model("group_session", [*envelope, Column("venue", String(40))])
    problems = registry_mismatches([*SYNCABLE_TABLES, fresh])  # type: ignore[list-item]
    assert problems and "group_session" in problems[0]


def test_a_linked_table_without_participant_id_is_caught() -> None:
    models = [
        _model(
            "measure",
            [Column(c.key, c.type) for c in m.__table__.columns if c.key != "participant_id"],
        )  # type: ignore[attr-defined]
        if m.__tablename__ == "measure"  # type: ignore[attr-defined]
        else m
        for m in SYNCABLE_TABLES
    ]
    problems = registry_mismatches(models)  # type: ignore[arg-type]
    assert any("measure" in p and "participant_id" in p for p in problems)


def test_every_list_is_derived_from_the_registry() -> None:
    assert protocol.SYNCABLE_TABLES == registry.SYNCABLE_TABLES
    assert protocol.PARTICIPANT_LINKED_TABLES == registry.PARTICIPANT_LINKED_TABLES
    assert protocol.ENVELOPE_COLUMNS == store.SYNC_META == frozenset(registry.ENVELOPE)
    assert protocol.NARRATIVE_FIELDS == registry.NARRATIVE_FIELDS
    assert set(policy.COLUMNS) == set(registry.SYNCABLE_TABLES)
    assert dict(registry.ENVELOPE) == policy.ROUTING
    assert frozenset({"participant", "note_revision", "goal", "resource"}) == search.INDEXED_TABLES
    # every table is exactly one of: the person, linked to them, their receipt, team, worker
    kinds = [
        {registry.PARTICIPANT_TABLE},
        set(registry.PARTICIPANT_LINKED_TABLES),
        {registry.RECEIPT_TABLE},
        set(registry.TEAM_TABLES),
        set(registry.WORKER_TABLES),
    ]
    assert sum(len(k) for k in kinds) == len(registry.SYNCABLE_TABLES)
    assert set().union(*kinds) == set(registry.SYNCABLE_TABLES)


def test_the_purge_order_takes_every_linked_table_children_first() -> None:
    assert set(registry.PURGE_ORDER) == set(registry.PARTICIPANT_LINKED_TABLES)
    position = {name: i for i, name in enumerate(registry.PURGE_ORDER)}
    for name in registry.PURGE_ORDER:
        table = Base.metadata.tables[name]
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            if parent in position:
                # a row must go before the row it points at, or foreign keys would refuse
                assert position[name] < position[parent], (name, parent)


def test_narrative_and_search_columns_exist() -> None:
    for table in registry.TABLES:
        cols = set(table.columns)
        assert table.narrative <= cols | {registry.ALL_FIELDS}, table.name
        if table.search is not None:
            named = {*table.search.title, *table.search.body, table.search.key}
            assert named <= cols | {"id"}, table.name
            # a name is joined from what the entry takes, so it is shown where it is found
            assert set(table.search.names) <= {*table.search.title, *table.search.body}


def test_a_columns_type_is_read_from_its_declaration() -> None:
    """The type string in registry.toml is what the server checks pushed values against."""
    items = registry.BY_NAME["measure"].types["items"]
    assert items == registry.Column("list", nullable=False, items="int")
    contact = registry.BY_NAME["note"].types["contact_id"]
    assert contact == registry.Column("text", max_length=36, refers_to="contact")
    assert registry.BY_NAME["participant"].types["created_on"].nullable is False
    # a column declared without a type (or with one nobody knows) is refused at import
    for spec in ([], ["txt(16)"], ["list of x"], ["text(16) needed"]):
        with pytest.raises(ValueError, match=r"t\.c has no type"):
            registry._types("t", {"c": ["share", "keep", *spec]})


def test_untagged_columns_are_local_and_drop() -> None:
    assert registry.tags("participant", "added_later") == ("local", "drop")
    assert registry.tags("no_such_table", "id") == ("share", "transform")
    assert registry.tags("no_such_table", "x") == ("local", "drop")


# -- "the latest team consent decides" -------------------------------------------------------
def test_the_highest_version_decides_and_the_clock_breaks_a_tie() -> None:
    no = (2, "000000000000005-00000-a", False)
    yes = (1, "000000000000009-00000-b", True)
    assert registry.shared_with_team([yes]) is True
    assert registry.shared_with_team([yes, no]) is False  # version 2 beats a later clock
    tie_later = (2, "000000000000006-00000-c", True)
    for order in itertools.permutations([no, yes, tie_later]):
        assert registry.shared_with_team(order) is True
    assert registry.shared_with_team([]) is False
    assert registry.consent_decision([]) is None


consents = st.lists(
    st.tuples(
        st.one_of(st.integers(1, 4), st.none(), st.booleans(), st.text(max_size=1)),
        st.sampled_from(["000000000000001-00000-a", "000000000000002-00000-b", "0-0-c"]),
        st.booleans(),
    ),
    max_size=6,
)


@given(consents)
def test_the_server_decides_as_the_device_does(held: list[tuple[Any, str, bool]]) -> None:
    """Until the server calls the registry itself, its own copy must agree with it."""
    records = [
        Record(table_name="consent", hlc=hlc, fields={"scope": "team", "version": v, "given": g})
        for v, hlc, g in held
    ]
    assert _latest_of(records) == registry.consent_decision(held)


def test_every_device_caller_reads_sharing_the_same_way(tmp_path: Path) -> None:
    """One person at a time, many at once, and the copy sync still holds: the same answer."""
    from linksdesk.casework import participants
    from linksdesk.casework.casebook import Casebook
    from linksdesk.casework.consent import record_consent
    from linksdesk.storage.tables import Consent
    from linksdesk.sync import apply

    histories: list[list[bool]] = [[], [True], [True, False], [False, True], [True, True]]
    cb, _ = Casebook.create(tmp_path / "s.vault", "correct horse battery staple")
    try:
        people = []
        for i, history in enumerate(histories):
            person, _ = participants.create_participant(cb, given_name="Sam", family_name=f"T{i}")
            for given_now in history:
                record_consent(cb, person.id, "team", given_now)
            people.append(person.id)
        record_consent(cb, people[0], "gp", True)  # another scope decides nothing here
        # two devices' version 2 for the same person: the later clock decides
        with cb.store.write() as tx:
            for given_now in (False, True):
                tx.insert(
                    Consent(
                        participant_id=people[1],
                        scope="team",
                        given=given_now,
                        version=2,
                        recorded_on=dt.date(2026, 1, 5),
                        method="verbal",
                    )
                )
        with cb.store.read() as s:
            one_by_one = {pid for pid in people if store.participant_shared(s, pid)}
            assert one_by_one == {people[1], people[3], people[4]}
            assert store.shared_participants(s) == one_by_one
            assert store.shared_participants(s, people[:2]) == {people[1]}
            # the device holds one answer to "is this participant shared", not a copy
            assert not hasattr(apply, "shared_participants")
    finally:
        cb.lock()
