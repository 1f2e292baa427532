"""Alembic environment for the vault: runs on the already-keyed connection it is handed."""

from __future__ import annotations

from alembic import context

from linksdesk.storage.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by misuse of the alembic CLI
    raise RuntimeError("vault migrations run only on a keyed connection (see storage.migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
