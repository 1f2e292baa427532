"""The server over real HTTP: ``linksdesk-server serve`` (uvicorn) on 127.0.0.1 in a subprocess."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_kit import CANARY, Device, Programme, push_while_pulling
from serving import running

from linksdesk.server.cli import main


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    log = tmp_path / "server.log"
    with running(db_url, log) as url:
        yield url, log


@pytest.fixture
def http(served: tuple[str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[0], timeout=30) as c:
        yield c


def test_sync_round_trip_over_http(
    db_url: str, served: tuple[str, Path], http: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    p = Programme(db_url, http)
    try:
        team = p.team()
        worker = p.worker(team)
        laptop = p.enrol(worker)
        tablet = p.enrol(worker)
    finally:
        p.close()
    hs = laptop.handshake()
    assert hs["cursor_head"] == 0
    case = laptop.participant()
    parent, note = laptop.note(case["row_id"], "met at library")
    secret = laptop.change(
        "contact", fields={"purpose": CANARY}, participant_id=case["row_id"], sharing="private"
    )
    consent = laptop.consent(case["row_id"])
    results = laptop.push([consent, case, parent, note, secret])["results"]
    assert [r["status"] for r in results] == [
        "applied",
        "applied",
        "applied",
        "applied",
        "rejected",
    ]
    pulled, cursor = tablet.pull_all()
    sent = [consent, case, parent, note]
    assert [c["change_id"] for c in pulled] == [c["change_id"] for c in sent]
    assert tablet.post("verify").json()["tables"]["note_revision"]["count"] == 1

    # revoke the tablet through the command line (the worker's laptop seen last, so it
    # takes --in-use); it is refused at once
    assert main(["revoke-device", tablet.device_id, "--db", db_url, "--in-use"]) == 0
    assert "Revoked device" in capsys.readouterr().out
    r = tablet.post("pull", {"cursor": cursor})
    assert r.status_code == 401 and "revoked" in r.json()["detail"]

    assert CANARY not in served[1].read_text()


def test_concurrent_pushes_never_make_a_puller_skip(db_url: str, http: httpx.Client) -> None:
    p = Programme(db_url, http)
    try:
        worker = p.worker(p.team())
        writers = [
            p.enrol(worker, httpx.Client(base_url=str(http.base_url), timeout=60)) for _ in range(2)
        ]
        reader = p.enrol(worker)
    finally:
        p.close()
    try:
        push_while_pulling(writers, [reader])
    finally:
        for w in writers:
            w.http.close()


def test_oversized_body_over_http_gets_413(db_url: str, http: httpx.Client) -> None:
    p = Programme(db_url, http)
    try:
        dev: Device = p.enrol(p.worker(p.team()))
    finally:
        p.close()
    r = http.post(
        "/v1/push",
        content=b"x" * (6 * 1024 * 1024),
        headers={**dev.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 413
