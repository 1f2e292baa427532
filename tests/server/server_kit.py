"""Test kit for the sync server: a programme set up through the admin API, and test devices."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.server import admin
from linksdesk.server.db import Database
from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION

CANARY = "CANARY-7f3e-do-not-leak"


class Device:
    """One enrolled device: an HTTP client carrying its token, and its own clock."""

    def __init__(self, http: httpx.Client, enrolment: dict[str, Any]) -> None:
        self.http = http
        self.token: str = enrolment["token"]
        self.device_id: str = enrolment["device_id"]
        self.worker_id: str = enrolment["worker_id"]
        self.team_id: str = enrolment["team_id"]
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.clock = HybridClock(self.device_id)

    def post(self, path: str, body: Any = None) -> httpx.Response:
        return self.http.post(f"/v1/{path}", json=body, headers=self.headers)

    def change(
        self,
        table: str,
        row_id: str | None = None,
        *,
        fields: dict[str, Any] | None = None,
        participant_id: str | None = None,
        op: str = "upsert",
        base: dict[str, str] | None = None,
        sharing: str = "team",
        shared: bool | None = True,
        hlc: str | None = None,
        owner: str | None = None,
    ) -> dict[str, Any]:
        row_id = row_id or uuid7()
        if table == "participant":
            participant_id = participant_id or row_id
        return {
            "change_id": uuid7(),
            "table": table,
            "row_id": row_id,
            "op": op,
            "hlc": hlc or self.clock.now().encode(),
            "origin": self.device_id,
            "owner": owner or self.worker_id,
            "participant_id": participant_id,
            "sharing": sharing,
            "participant_shared": shared if participant_id else None,
            "fields": fields or {},
            "base": base or {},
        }

    def participant(self, pid: str | None = None, **fields: Any) -> dict[str, Any]:
        values = {"given_name": "Sam", "family_name": "Example", "status": "active", **fields}
        return self.change("participant", pid, fields=values)

    def push(self, changes: list[dict[str, Any]], batch_key: str | None = None) -> dict[str, Any]:
        r = self.post("push", {"batch_key": batch_key or uuid7(), "changes": changes})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def push_one(self, change: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.push([change])["results"][0]
        return result

    def pull_all(self, cursor: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
        changes: list[dict[str, Any]] = []
        while True:
            r = self.post("pull", {"cursor": cursor, "limit": limit})
            assert r.status_code == 200, r.text
            page = r.json()
            changes.extend(page["changes"])
            assert page["next_cursor"] >= cursor
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return changes, cursor

    def handshake(self, cursor: int | None = None) -> dict[str, Any]:
        r = self.post(
            "handshake",
            {
                "protocol_version": PROTOCOL_VERSION,
                "schema_version": SCHEMA_VERSION,
                "device_id": self.device_id,
                "cursor": cursor,
            },
        )
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]


class Programme:
    """Teams and workers made through the admin functions, devices enrolled over HTTP."""

    def __init__(self, db_url: str, http: httpx.Client) -> None:
        self.db_url = db_url
        self.db = Database(db_url)
        self.http = http

    def team(self, name: str | None = None) -> str:
        return admin.add_team(self.db, name or f"team-{uuid7()[-8:]}")

    def worker(self, team: str, role: str = "worker") -> str:
        return admin.add_worker(self.db, team, f"worker-{uuid7()[-8:]}", role)

    def enrol(self, worker: str, http: httpx.Client | None = None) -> Device:
        http = http or self.http
        code = admin.make_enrol_code(self.db, worker).code
        r = http.post("/v1/enrol", json={"code": code, "label": "test laptop"})
        assert r.status_code == 200, r.text
        return Device(http, r.json())

    def close(self) -> None:
        self.db.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(db_url: str, log_path: Path) -> Iterator[str]:
    """``linksdesk-server serve`` as a real uvicorn process on 127.0.0.1; yields its URL."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "linksdesk.server.cli",
                "serve",
                "--db",
                db_url,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "info",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
