"""Round 25 of the outside testing: a hostile device, a tired worker, a second laptop.

Each test drives LinksDesk from the outside: a real ``linksdesk-server serve`` on 127.0.0.1,
laptops' real vaults, and whatever stands between them on the wire.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from server_kit import Device, restore_backup, run
from sync_kit import Dev, ServerProcess, new_server

from linksdesk.core.errors import SyncError
from linksdesk.core.hlc import HLC
from linksdesk.server import admin
from linksdesk.sync import state


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ServerProcess, Dev]]:
    """A real server, and a new team's worker's laptop enrolled with it and opened again
    (as the app does after enrolment)."""
    server = new_server(tmp_path)
    laptop = Dev.create(tmp_path, "laptop")
    try:
        laptop.enrol(server, server.worker(server.team()))
        laptop.reopen()
        yield server, laptop
    finally:
        laptop.close()
        server.close()


def _point_at(dev: Dev, url: str) -> None:
    with dev.store.write() as tx:
        state.put(tx.session, state.SERVER_URL, url)


class _ProxyBlockingPush(BaseHTTPRequestHandler):
    """A reverse proxy in front of the real server that passes every request on but the
    push, which it answers with a page of its own (a rule that blocks POST bodies, a route
    missing from its configuration while it reloads)."""

    upstream = ""
    status = 404

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.endswith("/push"):
            status, ctype, out = self.status, "text/html", b"<html><h1>Not Found</h1></html>"
        else:
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() in ("authorization", "content-type", "content-encoding")
            }
            answer = httpx.post(self.upstream + self.path, content=body, headers=headers)
            status, ctype, out = answer.status_code, answer.headers["content-type"], answer.content
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.mark.parametrize("status", [403, 404, 405])
def test_a_proxys_own_refusal_of_a_push_keeps_the_work_queued_for_the_real_server(
    served: tuple[ServerProcess, Dev], status: int
) -> None:
    server, laptop = served
    handler = type("Proxy", (_ProxyBlockingPush,), {"upstream": server.url, "status": status})
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        pid = laptop.participant()
        queued = laptop.outbox()
        _point_at(laptop, f"http://127.0.0.1:{proxy.server_address[1]}")
        with pytest.raises(SyncError):
            laptop.sync()  # nothing reached the server: the worker is told so
        assert laptop.outbox() == queued  # nothing taken off the queue as "refused"
    finally:
        proxy.shutdown()
        proxy.server_close()
    _point_at(laptop, server.url)
    laptop.sync()
    assert pid in server.records(laptop.worker_id)["participant"]
    assert laptop.outbox() == 0 and not laptop.attention()


def test_a_colleagues_clock_at_its_last_counter_does_not_stop_the_teams_laptops_syncing(
    served: tuple[ServerProcess, Dev],
) -> None:
    server, laptop = served
    colleague = server.worker(admin.find_worker(server.db, laptop.worker_id).team_id)
    with httpx.Client(base_url=server.url, timeout=30) as http:
        enrolled = http.post("/v1/enrol", json={"code": server.code(colleague), "label": "x"})
        hostile = Device(http, enrolled.json())
        # a directory entry every laptop of the team pulls, stamped a minute ahead (within
        # the drift the server allows) at the last counter the clock's five digits hold
        stamp = HLC(int(time.time() * 1000) + 60_000, 99_999, hostile.device_id).encode()
        entry = {"organisation": "Advice shop", "service": "Debt", "area": "North"}
        taken = hostile.push_one(hostile.change("resource", hlc=stamp, fields=entry))
        assert taken["status"] == "applied"
    laptop.sync()  # pulls the entry
    pid = laptop.participant()  # written within that minute
    laptop.sync()
    assert not laptop.attention()
    assert pid in server.records(laptop.worker_id)["participant"]


def test_new_epoch_lists_only_commands_done_on_its_own_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a trial database beside the programme's own, in one folder: one server key serves both
    live, trial = f"sqlite:///{tmp_path / 'server.db'}", f"sqlite:///{tmp_path / 'trial.db'}"
    for url in (live, trial):
        assert run(capsys, "init", "--db", url)[0] == 0
    assert run(capsys, "add-team", "North", "--db", live)[0] == 0
    shutil.copyfile(tmp_path / "server.db", tmp_path / "backup.db")
    assert run(capsys, "add-team", "Practice", "--db", trial)[0] == 0
    assert (
        run(capsys, "add-worker", "--team", "Practice", "--name", "Test Person", "--db", trial)[0]
        == 0
    )
    restore_backup(tmp_path)  # the programme's database restored, as docs/server.md says
    code, said = run(capsys, "new-epoch", "--db", live)
    assert code == 0, said
    assert "Practice" not in said and "Run these again" not in said, said
