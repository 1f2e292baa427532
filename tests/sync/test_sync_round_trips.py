"""A sync with nothing to do is one round trip and one write; anything pending still pulls.

Requests are counted from the outside, by a proxy on 127.0.0.1 between the laptop and a
real server process; write transactions by the vault's own BEGIN IMMEDIATE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select, text
from sync_kit import FAST, Dev, FaultProxy, ServerProcess

from linksdesk.server.models import ServerMeta
from linksdesk.storage.engine import READ_ONLY_OPTION
from linksdesk.sync import state
from linksdesk.sync.engine import EngineOptions, SyncEngine
from linksdesk.sync.transport import Transport


@contextmanager
def _proxied(dev: Dev, server: ServerProcess) -> Iterator[FaultProxy]:
    """``dev`` talks to ``server`` through a proxy that sees every request; one sync is
    made first (it settles the cursor against the new route), then the record is cleared."""
    proxy = FaultProxy(server.port)
    try:
        with dev.store.write() as tx:
            state.put(tx.session, state.SERVER_URL, proxy.url)
        dev.sync()
        proxy.traffic.clear()
        yield proxy
    finally:
        proxy.close()


def _requests(proxy: FaultProxy) -> list[str]:
    """The path of every request that reached the proxy, in order."""
    paths = []
    for message in list(proxy.traffic):
        if message.startswith(b"POST ") or message.startswith(b"GET "):
            paths.append(message.split(b" ", 2)[1].decode())
    return paths


@contextmanager
def _write_transactions(dev: Dev) -> Iterator[list[int]]:
    """Counts the vault's write transactions (BEGIN IMMEDIATE) while open."""
    count = [0]

    def began(conn: Any) -> None:
        if not conn.get_execution_options().get(READ_ONLY_OPTION):
            count[0] += 1

    event.listen(dev.store.engine, "begin", began)
    try:
        yield count
    finally:
        event.remove(dev.store.engine, "begin", began)


def _settled(shared_server: ServerProcess, devices: Callable[[str], Dev]) -> tuple[Dev, Dev]:
    """Two laptops of one worker, each synced until nothing is left to move."""
    worker = shared_server.worker(shared_server.team())
    a, b = devices("laptop-a"), devices("laptop-b")
    a.enrol(shared_server, worker)
    b.enrol(shared_server, worker)
    pid = a.participant()
    a.contact(pid)
    for dev in (a, b, a, b):
        assert dev.sync().verified
    return a, b


def test_a_sync_with_nothing_to_do_is_one_request_and_one_write(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, _b = _settled(shared_server, devices)
    with _proxied(a, shared_server) as proxy:
        with _write_transactions(a) as writes:
            report = a.sync()
        assert _requests(proxy) == ["/v1/handshake"]
        assert report.requests == 1
        assert report.verified and report.pushed == 0 and report.pulled == 0
        # only the sync history's entry is written: the handshake's answer, the empty
        # outbox and the unmoved cursor cost no write transaction (no fsync)
        assert writes[0] == 1


def test_a_change_pushed_by_another_laptop_is_still_pulled_next_time(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b = _settled(shared_server, devices)
    with _proxied(a, shared_server) as proxy:
        pid = b.participant(family_name="Elsewhere")
        assert b.sync().pushed >= 1
        report = a.sync()
        assert "/v1/pull" in _requests(proxy)  # the server's head moved past a's cursor
        assert report.pulled >= 1 and report.verified
        assert a.get("participant", pid) is not None
        proxy.traffic.clear()
        assert a.sync().pulled == 0
        assert _requests(proxy) == ["/v1/handshake"]  # settled again


def test_a_pending_resync_still_pulls(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, _b = _settled(shared_server, devices)
    with _proxied(a, shared_server) as proxy:
        # as a sync cut short after an epoch change leaves it; the cursor is at the head
        with a.store.bookkeeping() as s:
            state.put(s, state.RESYNC, True)
        report = a.sync()
        assert "/v1/pull" in _requests(proxy) and "/v1/verify" in _requests(proxy)
        assert report.resynced and report.verified
        with a.store.read() as s:
            assert state.get(s, state.RESYNC) is None


def test_a_table_that_differs_from_the_server_is_still_repaired(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b = _settled(shared_server, devices)
    pid = a.participant(family_name="Repaired")
    a.sync()
    b.sync()
    assert b.get("participant", pid) is not None
    with _proxied(b, shared_server) as proxy:
        # the row is lost behind the app's back (no audit, no outbox): the cursor is at the
        # server's head, yet the check finds the difference and downloads the table again
        # (what the repair can mend of such damage is the verify tests' business)
        with b.store.applying() as s:
            s.execute(text("DELETE FROM participant WHERE id = :id"), {"id": pid})
        report = b.sync(full_check=True)
        paths = _requests(proxy)
        assert paths[0] == "/v1/handshake" and "/v1/pull" in paths, paths
        assert "participant" in report.repaired_tables, report.message
        assert report.pulled >= 1  # the table came down again from the start


def test_a_push_taken_as_sent_moves_the_cursor_without_a_pull(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b = _settled(shared_server, devices)
    with _proxied(a, shared_server) as proxy:
        pid = a.participant(family_name="Sent")
        report = a.sync()
        # the server logged exactly what was sent, right after a's cursor: nothing to pull
        assert _requests(proxy) == ["/v1/handshake", "/v1/push", "/v1/verify"]
        assert report.pushed >= 1 and report.verified
        with a.store.read() as s:
            assert state.get(s, state.CURSOR) == _server_head(shared_server)
        proxy.traffic.clear()
        assert a.sync().pulled == 0
        assert _requests(proxy) == ["/v1/handshake"]
        # another laptop's change lands between: the next push cannot pass over it
        other = b.participant(family_name="Between")
        assert b.sync().pushed >= 1
        a.edit("participant", pid, family_name="Sent again")
        proxy.traffic.clear()
        report = a.sync()
        assert "/v1/pull" in _requests(proxy)
        assert a.get("participant", other) is not None and report.verified


def test_a_busy_server_moving_others_work_costs_a_quiet_laptop_no_pull(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b = _settled(shared_server, devices)
    # a worker of another team syncs: the server's head moves, but nothing is for a
    stranger = devices("other-team")
    stranger.enrol(shared_server, shared_server.worker(shared_server.team()))
    with _proxied(a, shared_server) as proxy:
        stranger.contact(stranger.participant(family_name="Elsewhere"))
        assert stranger.sync().pushed >= 1
        head = _server_head(shared_server)
        with a.store.read() as s:
            assert int(state.get(s, state.CURSOR)) < head  # the head moved past a
        report = a.sync()
        assert _requests(proxy) == ["/v1/handshake"]
        assert report.pulled == 0 and report.verified
        with a.store.read() as s:
            assert state.get(s, state.CURSOR) == head  # moved on as an empty page would
        # a's own push answered in full, then another team's work: still no pull
        a.participant(family_name="Mine")
        proxy.traffic.clear()
        assert a.sync().pushed >= 1
        stranger.contact(stranger.participant(family_name="Elsewhere again"))
        assert stranger.sync().pushed >= 1
        proxy.traffic.clear()
        assert a.sync().pulled == 0
        assert _requests(proxy) == ["/v1/handshake"]
        # work that is for a (its colleague laptop b, same worker) is still pulled
        pid = b.participant(family_name="For a")
        assert b.sync().pushed >= 1
        stranger.contact(stranger.participant(family_name="And elsewhere"))
        assert stranger.sync().pushed >= 1
        proxy.traffic.clear()
        report = a.sync()
        assert "/v1/pull" in _requests(proxy) and report.pulled >= 1
        assert a.get("participant", pid) is not None and report.verified


def test_a_push_taken_as_sent_stores_the_cursor_once(
    shared_server: ServerProcess, devices: Callable[[str], Dev], monkeypatch: Any
) -> None:
    # the push answer's transaction stores the moved cursor; the skipped pull must not write
    # the same value again in a transaction of its own (found by review)
    a, _b = _settled(shared_server, devices)
    rewritten: list[int] = []
    real = SyncEngine._store_cursor

    def spy(self: SyncEngine) -> None:
        with self.store.read() as s:
            if int(state.get(s, state.CURSOR, 0)) == self.config.cursor:
                rewritten.append(self.config.cursor)
        real(self)

    monkeypatch.setattr(SyncEngine, "_store_cursor", spy)
    a.participant(family_name="Sent once")
    report = a.sync()
    assert report.pushed >= 1 and report.pulled == 0 and report.verified
    assert rewritten == []
    with a.store.read() as s:
        assert state.get(s, state.CURSOR) == _server_head(shared_server)


def _server_head(server: ServerProcess) -> int:
    with server.db.reading() as s:
        meta = s.scalar(select(ServerMeta))
        assert meta is not None
        return int(meta.seq)


def test_a_failing_last_write_of_the_caller_does_not_sink_the_sync(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """The history entry rides in the sync's last transaction; if it cannot be written,
    what verify found is still kept and the caller is told to write its entry itself."""
    a, _b = _settled(shared_server, devices)
    a.participant(family_name="Kept")

    def boom(s: Any, report: Any) -> None:
        raise RuntimeError("history table unavailable")

    with a.store.read() as s:
        token = str(state.get(s, state.TOKEN))
        state_before = state.get(s, state.LAST_VERIFIED)
    with Transport(a.server_url, token, backoff=FAST, timeout_s=10.0) as t:
        engine = SyncEngine(a.store, t, EngineOptions(last_write=boom))
        report = engine.sync()
    assert report.verified and report.pushed >= 1
    assert engine.last_written is False
    with a.store.read() as s:
        kept = state.get(s, state.LAST_VERIFIED)
    assert kept is not None and kept != state_before  # the check's result was still stored
