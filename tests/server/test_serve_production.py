"""``linksdesk-server serve`` in production: several worker processes over one PostgreSQL, a
health endpoint that checks the database, and structured access logs without personal data."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from serving import serve

from linksdesk.server import admin
from linksdesk.server.app import create_app
from linksdesk.server.db import Database, init_database


def _serve(db_url: str, log: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    proc, port = serve(db_url, log, extra=extra, new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def _pids(log: Path) -> set[int]:
    pids = set()
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{") and '"event": "request"' in line:
            pids.add(int(json.loads(line)["pid"]))
    return pids


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the supervisor and its workers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.postgres
def test_several_workers_over_postgres_with_json_access_logs(pg_url: str, tmp_path: Path) -> None:
    db = Database(pg_url)
    team = admin.add_team(db, "North")
    worker = admin.add_worker(db, team, "Alex Morgan")
    code = admin.make_enrol_code(db, worker).code
    db.dispose()
    log = tmp_path / "serve.log"
    proc, url = _serve(pg_url, log, "--workers", "2", "--log-format", "json")
    try:
        enrolled = httpx.post(
            f"{url}/v1/enrol", json={"code": code, "label": "Laptop of Alex Morgan"}, timeout=10
        )
        assert enrolled.status_code == 200, enrolled.text
        token = enrolled.json()["token"]
        answers: list[str] = []

        def health() -> None:
            with httpx.Client(timeout=10) as one:  # a new connection each time
                r = one.get(f"{url}/v1/health")
                assert r.status_code == 200 and r.json() == {"status": "ok"}
                answers.append(r.headers["x-request-id"])

        # concurrent connections until both processes have answered (the kernel gives each
        # new connection to whichever process accepts first; bounded at 600 requests)
        deadline = time.monotonic() + 60
        with ThreadPoolExecutor(max_workers=8) as pool:
            while True:
                list(pool.map(lambda _i: health(), range(40)))
                if len(_pids(log)) >= 2 or len(answers) >= 600 or time.monotonic() > deadline:
                    break
        with httpx.Client(timeout=10) as client:
            # a made-up path carrying a name, and a request with the token
            client.get(f"{url}/v1/people/Alex-Morgan?name=Alex+Morgan")
            client.post(f"{url}/v1/verify", headers={"Authorization": f"Bearer {token}"})
        assert len(set(answers)) == len(answers) >= 40  # a request id each
    finally:
        _stop(proc)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [doc for doc in lines if doc.get("event") == "request"]
    assert len(access) >= len(answers) + 2
    # two processes served the requests (the kernel spreads connections between them)
    assert len({doc["pid"] for doc in access}) == 2, {doc["pid"] for doc in access}
    for doc in access:
        assert set(doc) >= {"method", "path", "status", "ms", "request_id", "bytes_out"}
    assert {"path": "other", "status": 404}.items() <= next(
        d for d in access if d["path"] == "other"
    ).items()
    assert any(d["path"] == "/v1/verify" and d["status"] == 200 for d in access)
    text = log.read_text()
    assert "Alex" not in text and "Morgan" not in text  # no names, not even in a URL
    assert token not in text
    assert "127.0.0.1:" not in text.replace(f"{url}", "")  # no client address and port


def test_several_workers_on_sqlite_are_refused_plainly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    init_database(url)
    done = subprocess.run(
        [sys.executable, "-m", "linksdesk.server.cli", "serve", "--db", url, "--workers", "3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "need PostgreSQL" in done.stderr and "Traceback" not in done.stderr


def test_one_process_logs_access_lines_without_the_client_address(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    init_database(url)
    log = tmp_path / "serve.log"
    proc, base = _serve(url, log)
    try:
        r = httpx.post(f"{base}/v1/push", json={}, headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401
    finally:
        _stop(proc)
    access = [
        json.loads(line.split("linksdesk.server.access: ", 1)[1])
        for line in log.read_text().splitlines()
        if "linksdesk.server.access: " in line
    ]
    push = [d for d in access if d["path"] == "/v1/push"]
    assert push and push[0]["status"] == 401 and push[0]["method"] == "POST"
    assert "nope" not in log.read_text()
    assert '"GET /v1/health' not in log.read_text()  # uvicorn's own access line is off


def test_health_says_503_when_the_database_is_unreachable() -> None:
    app = create_app("postgresql+psycopg://nobody:none@127.0.0.1:1/none", check_schema=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/v1/health")
    assert r.status_code == 503
    assert r.json() == {"detail": "The server cannot reach its database."}
