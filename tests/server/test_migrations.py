"""The server's Alembic migrations build exactly the schema its models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from linksdesk.server.db import Database, current_revision, head_revision, init_database
from linksdesk.server.models import Base


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        db.dispose()


def test_init_twice_keeps_the_epoch(db_url: str) -> None:
    assert init_database(db_url) == init_database(db_url)
