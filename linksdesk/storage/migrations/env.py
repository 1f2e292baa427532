"""Alembic environment for the vault: runs on the already-keyed connection it is handed."""

from __future__ import annotations

from alembic import context

from linksdesk.core.migration_env import run_on_given_connection
from linksdesk.storage.tables import Base

run_on_given_connection(
    context, Base.metadata, "vault migrations run only on a keyed connection (see storage.migrate)"
)
