"""Run the vault's Alembic migrations programmatically on a keyed connection."""

from __future__ import annotations

import logging
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
from linksdesk.storage.engine import reader

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
) -> None:
    """Bring the vault to ``revision`` in one transaction; refuse a vault from a newer version.

    ``then`` runs inside the same transaction after the migrations, so a new vault's first
    rows commit together with its schema, or not at all.
    """
    # a plain connection: the engine's "begin" hook would otherwise open a second transaction
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        refuse_newer(current)  # before anything is written
        target = head_revision() if revision == "head" else revision
        if current == target and then is None:
            conn.rollback()
            return
        command.upgrade(_config(conn), revision)
        if then is not None:
            then(conn)
        conn.commit()
        if current != target:
            log.info("vault schema upgraded from %s to %s", current, target)
