"""Several server processes over one PostgreSQL, as behind a load balancer."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from server_kit import Device, Programme, push_while_pulling
from serving import running
from sqlalchemy import func, select

from linksdesk.core.ids import uuid7
from linksdesk.server.models import AppliedOp, ChangeLog

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_servers(pg_url: str, tmp_path: Path) -> Iterator[list[str]]:
    with ExitStack() as stack:
        urls = [stack.enter_context(running(pg_url, tmp_path / f"server{i}.log")) for i in range(2)]
        yield urls


def _device_on(p: Programme, worker: str, url: str) -> Device:
    return p.enrol(worker, httpx.Client(base_url=url, timeout=60))


def test_two_servers_take_concurrent_pushes_and_a_puller_never_skips(
    pg_url: str, two_servers: list[str]
) -> None:
    with httpx.Client(base_url=two_servers[0], timeout=60) as http:
        p = Programme(pg_url, http)
        try:
            worker = p.worker(p.team())
            writers = [_device_on(p, worker, two_servers[i % 2]) for i in range(4)]
            # the reader alternates between the two servers, as behind a load balancer
            readers = [_device_on(p, worker, url) for url in two_servers]
        finally:
            p.close()
        try:
            push_while_pulling(writers, readers, batches=12, per_batch=6)
        finally:
            for d in writers + readers:
                d.http.close()


def test_same_batch_to_both_servers_at_once_is_applied_once(
    pg_url: str, two_servers: list[str]
) -> None:
    with httpx.Client(base_url=two_servers[0], timeout=60) as http:
        p = Programme(pg_url, http)
        try:
            worker = p.worker(p.team())
            dev = _device_on(p, worker, two_servers[0])
            other = httpx.Client(base_url=two_servers[1], timeout=60)
            case = dev.participant()
            changes = dev.shared(case) + [
                dev.change("contact", fields={"kind": "phone"}, participant_id=case["row_id"])
                for _ in range(20)
            ]
            body = {"batch_key": uuid7(), "changes": changes}

            def send(client: httpx.Client) -> dict[str, object]:
                r = client.post("/v1/push", json=body, headers=dev.headers)
                assert r.status_code == 200, r.text
                return r.json()  # type: ignore[no-any-return]

            with ThreadPoolExecutor(max_workers=4) as pool:
                answers = list(pool.map(send, [dev.http, other, dev.http, other]))
            other.close()
            dev.http.close()
            assert all(a["results"] == answers[0]["results"] for a in answers)
            assert sum(1 for a in answers if not a["replayed"]) == 1
            with p.db.reading() as s:
                assert s.scalar(select(func.count()).select_from(ChangeLog)) == 22
                assert s.scalar(select(func.count()).select_from(AppliedOp)) == 22
        finally:
            p.close()
