"""Alembic environment for the sync server: runs on the connection it is handed."""

from __future__ import annotations

from alembic import context

from linksdesk.server.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by misuse of the alembic CLI
    raise RuntimeError("server migrations run through `linksdesk-server init`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
