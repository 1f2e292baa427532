"""The outbox queue keeps moving: unanswered changes are sent again, a 409 batch is re-keyed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update
from sync_kit import FAST, Dev, ServerProcess

from linksdesk.core.errors import SyncError
from linksdesk.storage.tables import Outbox
from linksdesk.sync import state
from linksdesk.sync.engine import EngineOptions, SyncEngine
from linksdesk.sync.protocol import PushRequest, PushResponse
from linksdesk.sync.transport import Transport


def _batch_keys(dev: Dev) -> list[str | None]:
    with dev.store.read() as s:
        return list(s.scalars(select(Outbox.batch_key).order_by(Outbox.seq)))


def test_changes_left_unanswered_are_sent_in_a_later_batch(
    tmp_path: Path, server: ServerProcess
) -> None:
    team = server.team()
    dev = Dev.create(tmp_path, "alex")
    try:
        dev.enrol(server, server.worker(team))
        pids = [dev.participant() for _ in range(3)]
        queued = dev.outbox()
        assert queued >= 3
        with dev.store.read() as s:
            token = str(state.get(s, state.TOKEN))
        with Transport(dev.server_url, token, backoff=FAST, timeout_s=10.0) as t:
            engine = SyncEngine(dev.store, t, EngineOptions())
            engine._load_config()
            batch = engine._next_batch()
            assert batch is not None and batch.changes
            saved = batch.to_json()
            request = PushRequest.model_validate(saved["request"])
            assert len(request.changes) == queued
            full = t.post("push", request, PushResponse)
            # the answer covers only the first change: record it as the engine does
            partial = full.model_copy(update={"results": full.results[:1]})
            with dev.store.bookkeeping() as s:
                assert engine._record(s, request, partial) == 1
        assert dev.outbox() == queued - 1
        assert _batch_keys(dev) == [None] * (queued - 1)  # back in the queue
        with dev.store.read() as s:
            assert state.get(s, state.PENDING_BATCH) is None
        report = dev.sync()
        assert dev.outbox() == 0 and report.waiting == 0
        on_server = server.records(dev.worker_id)["participant"]
        assert set(pids) <= set(on_server)
    finally:
        dev.close()


def test_a_batch_refused_with_409_is_re_keyed_and_the_queue_moves_on(
    tmp_path: Path, server: ServerProcess
) -> None:
    team = server.team()
    other = Dev.create(tmp_path, "blair")
    dev = Dev.create(tmp_path, "alex")
    try:
        other.enrol(server, server.worker(team))
        dev.enrol(server, server.worker(team))
        other.participant()
        taken: list[str] = []

        def note_key(point: str) -> None:
            if point == "push:saved":
                with other.store.read() as s:
                    taken.append(state.get(s, state.PENDING_BATCH)["batch_key"])

        other.sync(checkpoint=note_key)
        assert len(taken) == 1
        # this laptop's pending batch carries a key the server already holds for another
        # device (as after restoring a copy of a vault): the server answers 409 to it
        pid = dev.participant()
        with Transport(dev.server_url, backoff=FAST) as t:
            engine = SyncEngine(dev.store, t, EngineOptions())
            batch = engine._next_batch()
        assert batch is not None and batch.changes
        saved = batch.to_json()
        old_key = saved["batch_key"]
        saved["batch_key"] = saved["request"]["batch_key"] = taken[0]
        with dev.store.bookkeeping() as s:
            state.put(s, state.PENDING_BATCH, saved)
            s.execute(update(Outbox).where(Outbox.batch_key == old_key).values(batch_key=taken[0]))

        with pytest.raises(SyncError, match="already used by another device"):
            dev.sync()
        with dev.store.read() as s:
            assert state.get(s, state.PENDING_BATCH) is None
        assert set(_batch_keys(dev)) == {None}

        report = dev.sync()
        assert dev.outbox() == 0 and report.pushed >= 1
        assert pid in server.records(dev.worker_id)["participant"]
    finally:
        dev.close()
        other.close()
