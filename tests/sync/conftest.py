"""Fixtures for device sync: a real server process on 127.0.0.1 and enrolled vaults."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sync_kit import Dev, ServerProcess, new_server

PG_ENV = "LINKSDESK_TEST_PG_URL"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = new_server(tmp_path)
    yield srv
    srv.close()


@pytest.fixture
def pg_db_url() -> Iterator[str]:
    """A fresh PostgreSQL database; in CI a missing URL fails instead of skipping."""
    base = os.environ.get(PG_ENV)
    if not base:
        if _in_ci():
            pytest.fail(f"CI is set but {PG_ENV} is not: the PostgreSQL tests must run in CI")
        pytest.skip(f"{PG_ENV} is not set")
    name = f"linksdesk_sync_{uuid.uuid4().hex[:12]}"
    root = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with root.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with root.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        root.dispose()


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[Callable[[str], Dev]]:
    """Makes vaults (``devices("laptop-a")``); all are locked at the end."""
    made: list[Dev] = []

    def make(label: str) -> Dev:
        dev = Dev.create(tmp_path, label)
        made.append(dev)
        return dev

    yield make
    for dev in made:
        dev.close()
