"""A new vault is made at the head at once: the same schema and rows as every migration run
one by one, so the shortcut can never drift from the migrations it reads."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from synthetic import PASSPHRASE

from linksdesk.storage import migrate
from linksdesk.storage.engine import KEY_BYTES, make_engine, reader
from linksdesk.storage.vault import Vault


def _lines(sql: object) -> tuple[str, ...]:
    return tuple(sorted(line.strip().rstrip(",").strip() for line in str(sql or "").splitlines()))


def _everything(engine: Engine) -> dict[str, Any]:
    """The whole schema as SQLite keeps it, each table's columns in order, and every row.

    A statement is compared line by line in any order: Alembic's batch mode writes a rebuilt
    table's foreign keys in an order that changes from run to run (a set), the same table."""
    with reader(engine).connect() as conn:
        schema = sorted(
            (str(kind), str(name), str(table), _lines(sql))
            for kind, name, table, sql in conn.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        )
        tables = [name for kind, name, _table, _sql in schema if kind == "table"]
        columns = {
            name: [tuple(r) for r in conn.exec_driver_sql(f'PRAGMA table_xinfo("{name}")')]
            for name in tables
        }
        rows = {
            name: sorted(map(tuple, conn.exec_driver_sql(f'SELECT * FROM "{name}"')))
            for name in tables
        }
        conn.rollback()
    return {"schema": schema, "columns": columns, "rows": rows}


def test_a_new_vault_has_exactly_what_the_migrations_build_one_by_one(tmp_path: Path) -> None:
    made, _recovery = Vault.create(tmp_path / "new.vault", PASSPHRASE)
    stepwise = make_engine(tmp_path / "stepwise.vault", os.urandom(KEY_BYTES))
    try:
        migrate.upgrade(stepwise, step_by_step=True)
        at_once, one_by_one = _everything(made.engine), _everything(stepwise)
    finally:
        stepwise.dispose()
        made.lock()

    assert at_once["schema"] == one_by_one["schema"]  # tables, indexes, triggers, FTS5 alike
    assert at_once["columns"] == one_by_one["columns"]
    assert migrate.current_revision(stepwise) == migrate.head_revision()
    assert at_once["rows"]["alembic_version"] == [(migrate.head_revision(),)]
    # a row a migration writes (none today) would be missing from a vault made at once
    for table, rows in one_by_one["rows"].items():
        if table not in {"local_setting", "sync_state"}:  # the new vault's identity
            assert at_once["rows"][table] == rows, table


def test_the_head_schema_leaves_out_what_sqlite_and_fts5_make_themselves() -> None:
    statements = migrate.head_schema()
    assert any(s.startswith("CREATE VIRTUAL TABLE search_index") for s in statements)
    assert not any("search_index_data" in s or "alembic_version" in s for s in statements)
    first_index = next(i for i, s in enumerate(statements) if s.startswith("CREATE INDEX"))
    assert all(s.startswith(("CREATE TABLE", "CREATE VIRTUAL")) for s in statements[:first_index])
