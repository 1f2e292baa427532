"""Fixtures for the sync server: SQLite servers in tmp_path, PostgreSQL when configured."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pg_kit import fresh_pg_database
from server_kit import Programme
from serving import running
from starlette.exceptions import StarletteDeprecationWarning

from linksdesk.server.app import create_app
from linksdesk.server.db import init_database

with warnings.catch_warnings():
    # starlette asks for httpx2 over httpx; the test client works the same with either
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An initialised server database: a SQLite file, and (marked postgres) PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
        init_database(url)
        yield url
    else:
        yield from fresh_pg_database()


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


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from fresh_pg_database()


@pytest.fixture
def pg_client(pg_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(pg_url), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def pg_programme(pg_url: str, pg_client: TestClient) -> Iterator[Programme]:
    p = Programme(pg_url, pg_client)
    yield p
    p.close()
