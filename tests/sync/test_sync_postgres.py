"""The same device sync against a server on PostgreSQL (as in production)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
from sync_kit import Dev, ServerProcess, SyncForker, assert_replica_matches

from linksdesk.server import admin
from linksdesk.sync.client import list_conflicts, resolve_conflict

pytestmark = pytest.mark.postgres


def test_sync_over_postgresql(pg_server: ServerProcess, devices: Callable[[str], Dev]) -> None:
    team = pg_server.team()
    first, second = pg_server.worker(team), pg_server.worker(team)
    a, b, c = devices("laptop-a"), devices("laptop-b"), devices("colleague")
    a.enrol(pg_server, first)
    b.enrol(pg_server, first)
    c.enrol(pg_server, second)
    pid = a.participant(given_name="Sam", risk_summary="none")
    gone = a.participant(given_name="Lee")
    a.contact(pid, purpose="first visit")
    a.note(gone, "to be erased")
    a.sync()
    b.sync()
    a.edit("participant", pid, risk_summary="from A")
    b.edit("participant", pid, risk_summary="from B")
    a.sync()
    b.sync()
    a.sync()
    conflict = list_conflicts(a.store)[0]
    resolve_conflict(a.store, conflict.id, "merged", "from A and B")
    a.erase(gone)
    a.sync()
    b.sync()
    assert list_conflicts(b.store) == []
    assert b.get("participant", pid).risk_summary == "from A and B"
    assert b.get("participant", gone) is None
    admin.handover(pg_server.db, pid, second)
    c.sync()
    a.sync()
    b.sync()
    assert c.get("participant", pid).owner == second
    assert a.get("participant", pid) is None
    for dev in (a, b, c):
        assert_replica_matches(dev, pg_server)


def test_postgresql_server_killed_mid_batch(
    pg_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    rng = random.Random(3)
    team = pg_server.team()
    worker = pg_server.worker(team)
    a = devices("laptop-a")
    a.enrol(pg_server, worker)
    pids = [a.participant(given_name=f"P{i}") for i in range(30)]
    for pid in pids:
        a.contact(pid)
    a.vault.lock()
    forker = SyncForker()
    try:
        child = forker.start(a.path, batch=5, page=10)
        assert forker.wait_for(child, "push") == "stage"
        time.sleep(rng.uniform(0.05, 0.3))
        pg_server.kill()
        pg_server.start()
        forker.wait_for(child, "never")
    finally:
        forker.close()
    a.reopen()
    report = a.sync()
    assert report.verified, report.message
    assert_replica_matches(a, pg_server)
    assert set(pids) <= set(pg_server.records(worker)["participant"])
