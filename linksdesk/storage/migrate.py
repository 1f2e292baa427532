"""Run the vault's Alembic migrations programmatically on a keyed connection."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from linksdesk.core.errors import VaultFromNewerVersionError

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the vault to ``revision``; refuse a vault written by a newer LinksDesk."""
    script = ScriptDirectory.from_config(_config())
    current = current_revision(engine)
    if current is not None and script.get_revision(current) is None:
        raise VaultFromNewerVersionError()
    # a plain connection: the engine's "begin" hook would otherwise open a second transaction
    with engine.connect() as conn:
        command.upgrade(_config(conn), revision)
        conn.commit()


def is_known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except Exception:
        return False
