"""Fixtures for device sync: a real server process on 127.0.0.1 and enrolled vaults."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from bundle_kit import Laptop, Supervisor
from pg_kit import fresh_pg_database
from server_kit import Device
from sync_kit import Dev, ServerProcess, memory_folder, new_server

from linksdesk.server.db import init_database


@pytest.fixture
def fast_tmp(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory (tmpfs) where there is one: the trial-heavy tests commit thousands
    of small transactions, and a kill -9 loses nothing from the page cache either way."""
    shm = memory_folder()
    if shm is None:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="linksdesk-sync-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server(fast_tmp: Path) -> Iterator[ServerProcess]:
    srv = new_server(fast_tmp)
    yield srv
    srv.close()


@pytest.fixture
def pg_db_url() -> Iterator[str]:
    """A fresh PostgreSQL database (initialised: a copy of one this process initialised)."""
    yield from fresh_pg_database()


@pytest.fixture
def pg_server(pg_db_url: str, fast_tmp: Path) -> Iterator[ServerProcess]:
    """A server on PostgreSQL (as in production), started."""
    init_database(pg_db_url)
    srv = ServerProcess(pg_db_url, fast_tmp / "server.log")
    srv.start()
    yield srv
    srv.close()


@pytest.fixture
def devices(fast_tmp: Path) -> Iterator[Callable[[str], Dev]]:
    """Makes vaults (``devices("laptop-a")``); all are locked at the end."""
    made: list[Dev] = []

    def make(label: str) -> Dev:
        dev = Dev.create(fast_tmp, label)
        made.append(dev)
        return dev

    yield make
    for dev in made:
        dev.close()


@pytest.fixture
def enrolled(server: ServerProcess, devices: Callable[[str], Dev]) -> Dev:
    """One worker's laptop ("laptop-a", a new team's worker), enrolled and opened again."""
    a = devices("laptop-a")
    a.enrol(server, server.worker(server.team()))
    a.reopen()
    return a


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server process for a module's tests; each test makes its own team and workers."""
    shm = memory_folder()
    if shm is not None:
        folder = Path(tempfile.mkdtemp(prefix="linksdesk-sync-", dir=shm))
    else:
        folder = tmp_path_factory.mktemp("server")
    srv = new_server(folder)
    try:
        yield srv
    finally:
        srv.close()
        if shm is not None:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    """A supervisor's vault with its own age identity, for the bundle tests."""
    sup = Supervisor.create(tmp_path)
    yield sup
    sup.vault.lock()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Laptop]:
    """A worker's laptop holding the programme key (evaluation bundles need it), for the
    bundle tests; a test module may define its own."""
    lap = Laptop.create(tmp_path, "laptop")
    lap.give_programme_key()
    yield lap
    lap.close()


@pytest.fixture
def laptop_and_other(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> Iterator[tuple[Dev, Device]]:
    """The worker's laptop and another device of the same worker, speaking HTTP itself."""
    worker = server.worker(server.team())
    laptop = devices("laptop")
    laptop.enrol(server, worker)
    laptop.reopen()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        enrolled = http.post("/v1/enrol", json={"code": server.code(worker)})
        yield laptop, Device(http, enrolled.json())
