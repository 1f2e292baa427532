"""Crashes and a hostile network: kill -9 the client and the server, inject faults.

After resuming, every replica equals the server table by table, nothing is applied twice
and nothing is lost.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sync_kit import (
    Dev,
    FaultPlan,
    FaultProxy,
    ServerProcess,
    SyncForker,
    assert_replica_matches,
    new_server,
    two_laptops,
)

from linksdesk.core.errors import SyncError
from linksdesk.server.models import ChangeLog
from linksdesk.sync import state

pytestmark = pytest.mark.slow

TRIALS = 25


def _add_work(dev: Dev, rng: random.Random, pids: list[str]) -> None:
    """A few changes of several kinds: new case, contacts, a note, edits, a delete."""
    pid = dev.participant(given_name=f"P{rng.randrange(10**6)}")
    pids.append(pid)
    for _ in range(2):
        dev.contact(rng.choice(pids), purpose=f"visit {rng.randrange(1000)}")
    dev.note(rng.choice(pids), f"note {rng.randrange(10**6)}")
    dev.edit("participant", rng.choice(pids), family_name=f"F{rng.randrange(1000)}")


def _no_double_apply(server: ServerProcess) -> None:
    with server.db.reading() as s:
        twice = s.execute(
            select(ChangeLog.change_id, func.count())
            .group_by(ChangeLog.change_id)
            .having(func.count() > 1)
        ).all()
    assert twice == [], "a change was applied twice"


def _kill_during(
    forker: SyncForker, dev: Dev, stage: str, rng: random.Random, delay_max: float
) -> str:
    """Run a sync in a child process and SIGKILL it at a random point of ``stage``."""
    pid = forker.start(dev.path, batch=2, page=2)
    reached = forker.wait_for(pid, stage)
    if reached == "stage":
        time.sleep(rng.uniform(0, delay_max))
    forker.kill(pid)
    return "killed" if reached == "stage" else reached


def _finish_and_check(dev: Dev, server: ServerProcess) -> None:
    if dev.vault.is_locked:
        dev.reopen()  # as the app would after a crash
    report = dev.sync(allow_mass_delete=True)
    assert report.verified, report.message
    assert dev.outbox() == 0 and dev.attention() == []
    assert_replica_matches(dev, server)


def test_client_killed_during_push_and_pull(fast_tmp: Path, devices: Callable[[str], Dev]) -> None:
    rng = random.Random(20240611)
    server = new_server(fast_tmp)
    forker = SyncForker()
    try:
        a, b = two_laptops(server, devices, ("laptop-a", "laptop-b"))
        pids: list[str] = []
        outcomes = []
        # push: a long backlog sent two changes a batch; each killed sync leaves a saved
        # batch (or an answer not yet recorded) for the next one to resume
        for _ in range(TRIALS):
            _add_work(a, rng, pids)
        a.vault.lock()  # the child owns the vault while it runs
        for _ in range(TRIALS):
            outcomes.append(_kill_during(forker, a, "push", rng, 0.15))
        _finish_and_check(a, server)
        # pull: a long backlog pulled a page at a time, killed again and again
        for _ in range(TRIALS):
            _add_work(a, rng, pids)
        a.sync()
        b.vault.lock()
        for trial in range(TRIALS):
            outcomes.append(_kill_during(forker, b, "pull", rng, 0.15))
            if trial % 5 == 4:
                _finish_and_check(b, server)
                for _ in range(3):
                    _add_work(a, rng, pids)
                a.sync()
                b.vault.lock()
        b.reopen()
        _finish_and_check(b, server)
        assert outcomes.count("killed") >= TRIALS  # most kills landed mid-sync
        _no_double_apply(server)
        assert_replica_matches(a, server)
        assert a.replica() == b.replica()
        for pid in pids:
            assert b.get("participant", pid) is not None
    finally:
        forker.close()
        server.close()


def test_server_killed_mid_batch(fast_tmp: Path, devices: Callable[[str], Dev]) -> None:
    rng = random.Random(7)
    server = new_server(fast_tmp)
    forker = SyncForker()
    try:
        team = server.team()
        worker = server.worker(team)
        a = devices("laptop-a")
        a.enrol(server, worker)
        pids: list[str] = []
        for _ in range(3):
            for _ in range(6):
                _add_work(a, rng, pids)
            a.vault.lock()
            pid = forker.start(a.path, batch=5, page=10)
            assert forker.wait_for(pid, "push") == "stage"
            time.sleep(rng.uniform(0, 0.3))
            server.kill()
            server.start()
            forker.wait_for(pid, "never")  # until the child finishes, or gives up
            a.reopen()
            _finish_and_check(a, server)
        _no_double_apply(server)
        for pid in pids:
            assert pid in server.records(worker)["participant"]
    finally:
        forker.close()
        server.close()


def test_drops_delays_truncations_and_errors_on_the_wire(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    rng = random.Random(99)
    server = new_server(fast_tmp)
    plan = FaultPlan(
        drop_request=0.08,
        error_before=0.08,
        drop_response=0.08,
        error_after=0.08,
        truncate=0.08,
        delay=0.08,
        delay_s=0.05,
        seed=5,
    )
    proxy = FaultProxy(server.port, plan)
    try:
        a, b = two_laptops(server, devices, ("laptop-a", "laptop-b"))
        for dev in (a, b):
            with dev.store.write() as tx:
                state.put(tx.session, state.SERVER_URL, proxy.url)
        mine: dict[str, list[str]] = {a.label: [], b.label: []}
        for round_ in range(8):
            for dev in (a, b):
                if round_ % 2 == 0 or dev is a:
                    _add_work(dev, rng, mine[dev.label])
                _sync_through(dev)
        for dev in (a, b, a):
            _sync_through(dev)
        assert set(proxy.faults) >= {
            "drop_request",
            "error_before",
            "drop_response",
            "error_after",
            "truncate",
            "delay",
        }, proxy.faults
        _no_double_apply(server)
        for dev in (a, b):
            assert dev.outbox() == 0 and dev.attention() == []
            assert_replica_matches(dev, server)
        assert a.replica() == b.replica()
    finally:
        proxy.close()
        server.close()


def _sync_through(dev: Dev) -> None:
    for _ in range(20):
        try:
            dev.sync(batch_size=5, page_size=5)
            return
        except SyncError:
            continue
    pytest.fail("sync never got through the faults")
