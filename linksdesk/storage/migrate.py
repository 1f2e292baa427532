"""Run the vault's Alembic migrations programmatically on a keyed connection."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

from linksdesk.core.errors import VaultFromNewerVersionError
from linksdesk.storage.engine import KEY_BYTES, make_engine, reader

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def _script() -> ScriptDirectory:
    # reading the versions folder costs milliseconds: once per process is enough
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None
    return head


def is_known_revision(revision: str) -> bool:
    """Whether this LinksDesk ships ``revision`` (an unknown one comes from a newer version)."""
    try:
        return _script().get_revision(revision) is not None
    except CommandError:
        return False


def refuse_newer(revision: str | None) -> None:
    """Raise VaultFromNewerVersionError for a revision this LinksDesk does not know."""
    if revision is not None and not is_known_revision(revision):
        log.warning("vault schema revision is newer than this LinksDesk")
        raise VaultFromNewerVersionError()


def current_revision(engine: Engine) -> str | None:
    with reader(engine).connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
    return revision


def upgrade(
    engine: Engine,
    revision: str = "head",
    *,
    then: Callable[[Connection], None] | None = None,
    step_by_step: bool = False,
) -> None:
    """Bring the vault to ``revision`` in one transaction; refuse a vault from a newer version.

    ``then`` runs inside the same transaction after the migrations, so a new vault's first
    rows commit together with its schema, or not at all. A new, empty vault brought to the
    head gets the head schema at once (:func:`head_schema`) unless ``step_by_step``.
    """
    # a plain connection: the engine's "begin" hook would otherwise open a second transaction
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        refuse_newer(current)  # before anything is written
        target = head_revision() if revision == "head" else revision
        if current == target and then is None:
            conn.rollback()
            return
        if current is None and target == head_revision() and not step_by_step:
            _make_at_head(conn)  # a new vault: the head schema the migrations build, at once
        else:
            command.upgrade(_config(conn), revision)
        if then is not None:
            then(conn)
        conn.commit()
        if current != target:
            log.info("vault schema upgraded from %s to %s", current, target)


# -- a new vault, made at the head at once --------------------------------------------------
# Replaying every migration on an empty vault rebuilds tables again and again (SQLite's batch
# mode copies a table to alter it): about half a second a vault. As Alembic's cookbook advises
# for a database built from scratch, a new vault is made at the head and stamped instead; its
# schema is not a second description beside the migrations (STYLE: one fact, one place) but
# the very statements the migrations leave in ``sqlite_master``, read once a process from a
# scratch vault migrated step by step. tests/storage/test_migrations_head_schema.py holds the
# two ways to the same schema.
_KINDS_IN_ORDER = ("table", "index", "trigger", "view")


@cache
def head_schema() -> tuple[str, ...]:
    """The statements that make the head schema, tables first, as the migrations leave them
    (FTS5's own shadow tables are made by its virtual table, so they are left out)."""
    # in memory, with a key of its own: nothing reaches a disk, and a full or read-only temp
    # folder cannot stop a vault being made
    engine = make_engine(Path(":memory:"), os.urandom(KEY_BYTES))
    try:
        with engine.connect() as conn:
            command.upgrade(_config(conn), "head")
            left_out = {"alembic_version"} | {  # stamped, as an upgrade stamps it
                str(r[1]) for r in conn.exec_driver_sql("PRAGMA table_list") if r[2] == "shadow"
            }
            rows = conn.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            ).all()
            conn.rollback()
    finally:
        engine.dispose()
    return tuple(
        str(sql)
        for kind in _KINDS_IN_ORDER
        for what, name, sql in rows
        if what == kind and name not in left_out
    )


def _make_at_head(conn: Connection) -> None:
    for statement in head_schema():
        conn.exec_driver_sql(statement)
    MigrationContext.configure(conn).stamp(_script(), head_revision())
