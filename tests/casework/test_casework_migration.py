"""Migrations upgrade a vault made at an earlier schema, keeping its data and its search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from casework_kit import demand_plan
from sqlalchemy import event, text

from linksdesk.casework import lists, notes, onward, resources, search
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.storage import migrate

PASS = "correct horse battery staple"


def _revision(cb: Casebook) -> str | None:
    return migrate.current_revision(cb.vault.engine)


def _indexes(cb: Casebook) -> set[str]:
    # from sqlite_master: SQLAlchemy's reflection skips an expression index, with a warning
    with cb.vault.engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name IN ('participant', 'onward_referral')"
        ).scalars()
        names = {name for name in found if name}
        conn.rollback()
    return names


def _taken_back(cb: Casebook, revision: str) -> None:
    """The vault taken back to ``revision``, as an earlier LinksDesk would have left it."""
    with cb.vault.engine.connect() as conn:
        command.downgrade(migrate._config(conn), revision)
        conn.commit()
    assert _revision(cb) == revision


def _entries(cb: Casebook, row_id: str) -> int:
    """How many entries the search index holds for the row."""
    with cb.store.read() as s:
        return int(
            s.execute(
                text("SELECT count(*) FROM search_index WHERE row_id = :r"), {"r": row_id}
            ).scalar_one()
        )


@contextmanager
def captured(cb: Casebook) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) run on the vault meanwhile."""
    seen: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        seen.append((statement, parameters))

    event.listen(cb.vault.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(cb.vault.engine, "before_cursor_execute", keep)


def test_a_vault_at_0002_upgrades_on_unlock(tmp_path: Path) -> None:
    path = tmp_path / "old.vault"
    cb, _ = Casebook.create(path, PASS)
    p = P.create_participant(
        cb, given_name="Old", family_name="Vault", date_of_birth=dt.date(1940, 2, 2)
    ).value
    r = resources.add_resource(cb, organisation="Old", service="Club").value
    onward.refer_onward(cb, p.id, r.id, "referral", on=dt.date.today())
    # take the vault back to 0002, as an earlier LinksDesk would have left it
    with cb.vault.engine.connect() as conn:
        command.downgrade(migrate._config(conn), "0002")
        conn.commit()
    assert _revision(cb) == "0002"
    assert "ix_participant_date_of_birth" not in _indexes(cb)
    cb.lock()

    with Casebook.unlock(path, PASS) as again:
        # the head moves as migrations are added (0009: bundles); upgraded all the way
        assert _revision(again) == migrate.head_revision() != "0002"
        assert {
            "ix_participant_date_of_birth",
            "ix_participant_name",
        } <= _indexes(again)
        # 0014: resource demand ranges over the day first recorded, not made_on
        assert "ix_onward_referral_resource_made" not in _indexes(again)
        with again.store.read() as s:
            started = s.connection().exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_onward_referral_resource_started'"
            )
            assert "coalesce(suggested_on, made_on)" in started.scalar_one()
        assert "ix_onward_referral_resource_started" in " ".join(
            demand_plan(again, dt.date.today())
        )
        assert P.get_participant(again, p.id).date_of_birth == dt.date(1940, 2, 2)
        assert P.possible_duplicates(again, "old", "vault", dt.date(1940, 2, 2))[0].id == p.id
        assert resources.resource_demand(again)[0].last_30_days == 1
        assert lists.caseload(again).total == 1
        with again.store.read() as s:
            plan = " ".join(
                str(row[-1])
                for row in s.execute(
                    text(
                        "EXPLAIN QUERY PLAN SELECT id FROM participant "
                        "WHERE date_of_birth = '1940-02-02'"
                    )
                )
            )
        assert "ix_participant_date_of_birth" in plan
        # the caseload in name order, either way round, is read from the index: no sorting
        for descending in (False, True):
            with captured(again) as statements:
                lists.caseload_ids(again, CaseloadQuery(descending=descending))
            with again.store.read() as s:
                steps = [
                    str(row[-1])
                    for row in s.connection().exec_driver_sql(
                        "EXPLAIN QUERY PLAN " + statements[-1][0], statements[-1][1]
                    )
                ]
            assert "SCAN participant USING INDEX ix_participant_name" in steps
            assert not any("TEMP B-TREE" in step for step in steps), steps

        # the search keys were rebuilt from the old index: an edit replaces the entry, once
        P.edit_participant(again, p.id, preferred_name="Oldie")
        hits = search.search(again, "Vault")
        assert [h.row_id for h in hits if h.kind == "participant"] == [p.id]
        with again.store.read() as s:
            entries = s.execute(
                text("SELECT count(*) FROM search_index WHERE row_id = :r"), {"r": p.id}
            ).scalar_one()
        assert entries == 1


def test_a_vault_at_0017_upgraded_finds_names_typed_joined(tmp_path: Path) -> None:
    """The words joined by an apostrophe or a hyphen in a vault written before 0018 are found
    typed joined once it is upgraded, and each entry is still replaced in place."""
    path = tmp_path / "old.vault"
    cb, _ = Casebook.create(path, PASS)
    her = P.create_participant(cb, given_name="Siobhan", family_name="O\u2019Brien").value
    n = notes.write_note(cb, her.id, "Met her neighbour Mrs Smith-Jones at the library.").value
    _taken_back(cb, "0017")
    cb.lock()

    with Casebook.unlock(path, PASS) as again:
        assert _revision(again) == migrate.head_revision()
        hits = search.search(again, "obrien")
        assert [(h.kind, h.row_id) for h in hits] == [("participant", her.id)]
        marks = search.HIGHLIGHT_START, search.HIGHLIGHT_END
        assert hits[0].title == f"Siobhan {marks[0]}O\u2019Brien{marks[1]}"  # as written
        assert [h.row_id for h in search.search(again, "smithjones")] == [n.id]
        # the search keys still point at their entries: a revision replaces the entry, once
        notes.revise_note(
            again, n.id, "Met Mrs Smith-Jones at the caf\u00e9.", base_revision_id=n.latest.id
        )
        assert [h.row_id for h in search.search(again, "smithjones cafe")] == [n.id]
        assert _entries(again, n.id) == 1


def test_a_vault_at_0019_upgraded_finds_names_of_two_words_typed_as_one(tmp_path: Path) -> None:
    """A participant written "Mc Donald" in a vault indexed before names were also indexed
    joined is found typed "mcdonald" once it is upgraded, and his entry is still replaced in
    place."""
    path = tmp_path / "old.vault"
    cb, _ = Casebook.create(path, PASS)
    him = P.create_participant(cb, given_name="Hamish", family_name="Mc Donald").value
    _taken_back(cb, "0019")
    with cb.store.read() as s:  # the index as 0019 left it: no name written as one
        joined = s.execute(
            text("SELECT joined FROM search_index WHERE row_id = :r"), {"r": him.id}
        ).scalar_one()
    assert joined is None
    cb.lock()

    with Casebook.unlock(path, PASS) as again:
        assert _revision(again) == migrate.head_revision()
        assert [h.row_id for h in search.search(again, "mcdonald")] == [him.id]
        assert [h.row_id for h in search.search(again, "hamish mcdon")] == [him.id]
        P.edit_participant(again, him.id, preferred_name="Hamie")
        assert [h.row_id for h in search.search(again, "mcdonald hamie")] == [him.id]
        assert _entries(again, him.id) == 1
