"""What the vault's and the server's Alembic environments share: migrate the connection given.

Both ``env.py`` files hand over Alembic's ``context`` and their models' metadata; this module
imports neither Alembic nor SQLAlchemy (core is stdlib only), it only drives what it is given.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol


class _AlembicContext(Protocol):
    """The part of ``alembic.context`` an environment script uses."""

    @property
    def config(self) -> Any: ...

    def configure(self, **options: Any) -> None: ...

    def begin_transaction(self) -> AbstractContextManager[Any]: ...

    def run_migrations(self, **kw: Any) -> None: ...


def run_on_given_connection(context: _AlembicContext, target_metadata: object, how: str) -> None:
    """Run the migrations on the connection the caller put in ``config.attributes``;
    ``how`` says, when there is none, the one way these migrations are meant to be run."""
    connection = context.config.attributes.get("connection")
    if connection is None:  # pragma: no cover - only reached by misuse of the alembic CLI
        raise RuntimeError(how)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
