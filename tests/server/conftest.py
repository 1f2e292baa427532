"""Fixtures for the sync server: SQLite servers in tmp_path, PostgreSQL when configured."""

from __future__ import annotations

import atexit
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_kit import Programme
from serving import running
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from starlette.exceptions import StarletteDeprecationWarning

from linksdesk.server.app import create_app
from linksdesk.server.db import init_database

with warnings.catch_warnings():
    # starlette asks for httpx2 over httpx; the test client works the same with either
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PG_ENV = "LINKSDESK_TEST_PG_URL"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An initialised server database: a SQLite file, and (marked postgres) PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
        init_database(url)
        yield url
    else:
        yield from _pg_database()


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(db_url), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[Programme]:
    """A programme on ``linksdesk-server serve`` over real HTTP on 127.0.0.1."""
    with (
        running(db_url, tmp_path / "server.log") as url,
        httpx.Client(base_url=url, timeout=30) as http,
    ):
        p = Programme(db_url, http)
        try:
            yield p
        finally:
            p.close()


@pytest.fixture
def programme(db_url: str, client: TestClient) -> Iterator[Programme]:
    p = Programme(db_url, client)
    yield p
    p.close()


def _pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database per test; in CI a missing URL fails instead of skipping.

    Each is a copy of a database this test process initialised once (``CREATE DATABASE …
    TEMPLATE``): the same schema, counter row and key check ``init_database`` writes, made in
    a twentieth of the time replaying the migrations on PostgreSQL takes. The migrations
    themselves are tested on a database of their own (test_migrations)."""
    base = os.environ.get(PG_ENV)
    if not base:
        if _in_ci():
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


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _pg_database()


@pytest.fixture
def pg_client(pg_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(pg_url), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def pg_programme(pg_url: str, pg_client: TestClient) -> Iterator[Programme]:
    p = Programme(pg_url, pg_client)
    yield p
    p.close()
