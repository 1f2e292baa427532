"""Alembic environment for the sync server: runs on the connection it is handed."""

from __future__ import annotations

from alembic import context

from linksdesk.core.migration_env import run_on_given_connection
from linksdesk.server.models import Base

run_on_given_connection(
    context, Base.metadata, "server migrations run through `linksdesk-server init`"
)
