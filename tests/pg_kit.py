"""A fresh PostgreSQL database for a test (the server's production database), from
``LINKSDESK_TEST_PG_URL``; in CI a missing URL fails instead of skipping."""

from __future__ import annotations

import atexit
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from linksdesk.server.db import init_database

PG_ENV = "LINKSDESK_TEST_PG_URL"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def fresh_pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database per test; in CI a missing URL fails instead of skipping.

    Each is a copy of a database this test process initialised once (``CREATE DATABASE …
    TEMPLATE``): the same schema, counter row and key check ``init_database`` writes, made in
    a twentieth of the time replaying the migrations on PostgreSQL takes. The migrations
    themselves are tested on a database of their own (test_migrations)."""
    base = os.environ.get(PG_ENV)
    if not base:
        if in_ci():
            pytest.fail(f"CI is set but {PG_ENV} is not: the PostgreSQL tests must run in CI")
        pytest.skip(f"{PG_ENV} is not set")
    name = f"linksdesk_t_{uuid.uuid4().hex[:12]}"
    root = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        template = _pg_template(base, root)
        with root.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        yield _pg_named(base, name)
    finally:
        with root.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        root.dispose()


_TEMPLATES: dict[str, str] = {}  # server URL -> this process's initialised template database


def _pg_named(base: str, name: str) -> str:
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _pg_template(base: str, root: Engine) -> str:
    """This process's initialised database to copy (made on first use, dropped at exit; no
    connection to it stays open, as PostgreSQL requires of a template)."""
    if base not in _TEMPLATES:
        name = f"linksdesk_template_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with root.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        atexit.register(_drop_database, base, name)
        init_database(_pg_named(base, name))  # disposes of its engine
        _TEMPLATES[base] = name
    return _TEMPLATES[base]


def _drop_database(base: str, name: str) -> None:
    root = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with root.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        root.dispose()
