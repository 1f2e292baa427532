"""Pushes in parallel on PostgreSQL: one long push holds up no one else, and nothing is lost.

A push locks only what it touches while it applies and takes the ``server_seq`` counter
last, just before it writes and commits. These tests hold one push in the middle of its
apply (a real push, paused by a hook in the applier) and check what other devices can do
meanwhile: push other cases and be answered, pull without ever skipping a change that
commits later, and wait (not overwrite) when they touch the same case or batch.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from server_kit import Device, Programme
from starlette.exceptions import StarletteDeprecationWarning

from linksdesk.core.ids import uuid7
from linksdesk.server.app import create_app
from linksdesk.server.sync import push as push_step
from linksdesk.server.sync.context import DeviceContext
from linksdesk.sync.protocol import PushRequest, PushResponse

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.postgres
WAIT = 30.0  # seconds: far above any push here; only a push that waits for another hits it


@pytest.fixture
def pg_programme(pg_url: str) -> Iterator[Programme]:
    with TestClient(create_app(pg_url), raise_server_exceptions=False) as client:
        p = Programme(pg_url, client)
        yield p
        p.close()


def _ctx(dev: Device) -> DeviceContext:
    return DeviceContext(dev.device_id, dev.worker_id, dev.team_id, "worker")


def _request(changes: list[dict[str, Any]], batch_key: str | None = None) -> PushRequest:
    return PushRequest.model_validate({"batch_key": batch_key or uuid7(), "changes": changes})


class Paused:
    """Holds the push that applies ``change_id`` in the middle of its apply until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, change_id: str) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        apply = push_step.BatchApplier.apply

        def held_apply(applier: push_step.BatchApplier, change: Any) -> Any:
            if change.change_id == change_id and not self.started.is_set():
                self.started.set()
                assert self.release.wait(WAIT * 2), "the paused push was never released"
            return apply(applier, change)

        monkeypatch.setattr(push_step.BatchApplier, "apply", held_apply)


@contextmanager
def in_thread(programme: Programme, dev: Device, req: PushRequest) -> Iterator[dict[str, Any]]:
    """Run a push on its own thread; ``out["response"]`` once it returns."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["response"] = push_step.push(programme.db, _ctx(dev), req)
        except BaseException as exc:  # handed to the test thread
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    out["thread"] = thread
    try:
        yield out
    finally:
        thread.join(WAIT * 3)


def _case(dev: Device, contacts: int = 1) -> list[dict[str, Any]]:
    person = dev.participant()
    pid = person["row_id"]
    contact = {"kind": "phone", "participant_id": pid}
    return [
        *dev.shared(person),
        *(dev.change("contact", fields=contact, participant_id=pid) for _ in range(contacts)),
    ]


def _seqs(response: PushResponse) -> list[int]:
    assert {r.status.value for r in response.results} == {"applied"}, response.results
    return [r.server_seq for r in response.results if r.server_seq is not None]


def test_a_long_push_does_not_hold_up_a_colleagues_push(
    pg_programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = pg_programme.team()
    big = pg_programme.enrol(pg_programme.worker(team))
    other = pg_programme.enrol(pg_programme.worker(team))  # same team, another case
    long_batch = _case(big, contacts=40)
    paused = Paused(monkeypatch, long_batch[20]["change_id"])
    with in_thread(pg_programme, big, _request(long_batch)) as first:
        assert paused.started.wait(WAIT)
        # the first push is half applied and holds its case: another device's push of its
        # own case is applied, numbered and committed meanwhile (before: it waited on the
        # counter row the first push locked at its start, until the first one committed)
        with in_thread(pg_programme, other, _request(_case(other))) as second:
            second["thread"].join(WAIT)
            assert not second["thread"].is_alive(), "the second push waited for the first"
        assert "error" not in second, second.get("error")
        assert first["thread"].is_alive()
        paused.release.set()
        first["thread"].join(WAIT)
    assert "error" not in first, first.get("error")
    # the second committed first, so it took the lower numbers: seq order is commit order
    assert max(_seqs(second["response"])) < min(_seqs(first["response"]))


def test_a_pull_never_skips_a_change_that_commits_later(
    pg_programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = pg_programme.team()
    worker = pg_programme.worker(team)
    laptop, desktop = pg_programme.enrol(worker), pg_programme.enrol(worker)
    reader = pg_programme.enrol(worker)  # the worker's third device, pulling throughout
    early = _case(laptop, contacts=5)  # starts first, commits last
    late = _case(desktop, contacts=5)
    paused = Paused(monkeypatch, early[3]["change_id"])
    seen: list[dict[str, Any]] = []
    with in_thread(pg_programme, laptop, _request(early)) as first:
        assert paused.started.wait(WAIT)
        assert desktop.push(late)["results"][0]["status"] == "applied"
        page, cursor = reader.pull_all()
        seen += page
        assert {c["change_id"] for c in page} == {c["change_id"] for c in late}
        paused.release.set()
        first["thread"].join(WAIT)
    assert "error" not in first, first.get("error")
    page, cursor = reader.pull_all(cursor)
    seen += page
    # every change of both pushes, each once, in server_seq order
    assert sorted(c["change_id"] for c in seen) == sorted(c["change_id"] for c in early + late)
    seqs = [c["server_seq"] for c in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_pushes_of_the_same_case_wait_for_each_other_and_lose_nothing(
    pg_programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = pg_programme.team()
    worker = pg_programme.worker(team)
    laptop, desktop = pg_programme.enrol(worker), pg_programme.enrol(worker)
    case = _case(laptop)
    laptop.push(case)
    pid, contact = case[1]["row_id"], case[2]["row_id"]
    # both of the worker's devices edit the same contact, different fields, at once
    one = laptop.change("contact", contact, fields={"minutes": 20}, participant_id=pid)
    two = desktop.change("contact", contact, fields={"purpose": "Check in"}, participant_id=pid)
    paused = Paused(monkeypatch, one["change_id"])
    with in_thread(pg_programme, laptop, _request([one])) as first:
        assert paused.started.wait(WAIT)
        with in_thread(pg_programme, desktop, _request([two])) as second:
            second["thread"].join(1.0)
            assert second["thread"].is_alive(), "a push of the same case did not wait"
            paused.release.set()
            first["thread"].join(WAIT)
            second["thread"].join(WAIT)
    for out in (first, second):
        assert "error" not in out, out.get("error")
        assert out["response"].results[0].status.value in ("applied", "merged")
    changes, _ = pg_programme.enrol(worker).pull_all()
    latest: dict[str, Any] = {}
    for ch in changes:
        if ch["row_id"] == contact:
            latest.update(ch["fields"])
    assert latest["minutes"] == 20 and latest["purpose"] == "Check in"  # neither overwritten


def test_the_same_batch_sent_twice_at_once_is_applied_once(
    pg_programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = pg_programme.team()
    laptop = pg_programme.enrol(pg_programme.worker(team))
    batch = _case(laptop, contacts=3)
    key = uuid7()
    paused = Paused(monkeypatch, batch[2]["change_id"])
    with in_thread(pg_programme, laptop, _request(batch, key)) as first:
        assert paused.started.wait(WAIT)
        # the answer was lost on the way: the laptop sends the same batch again at once
        with in_thread(pg_programme, laptop, _request(batch, key)) as again:
            again["thread"].join(1.0)
            assert again["thread"].is_alive(), "the same batch was applied alongside itself"
            paused.release.set()
    for out in (first, again):
        assert "error" not in out, out.get("error")
    assert again["response"].replayed is True
    assert again["response"].results == first["response"].results
    changes, _ = pg_programme.enrol(laptop.worker_id).pull_all()
    ids = [c["change_id"] for c in changes]
    assert sorted(ids) == sorted(c["change_id"] for c in batch)  # each logged once
