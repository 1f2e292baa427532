"""The test kit's server is ready only when its own process answers (tests run in parallel).

A port found free and bound by the server a second later can be taken in between by
another test's server or proxy; the health check then reached that one, the kit took a
server that had failed to start for ready, and the test's syncs later found no server
("cannot reach the sync server") once the other went away.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sync_kit import ServerProcess, new_server

from linksdesk.server.db import init_database


class _Healthy(BaseHTTPRequestHandler):
    """Another test's server: healthy, and not ours."""

    def do_GET(self) -> None:
        body = b'{"status":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def other_server() -> Iterator[int]:
    """Another process's server listening on 127.0.0.1; its port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Healthy)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_a_server_whose_port_was_taken_is_not_taken_for_ready(
    other_server: int, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    init_database(url)
    assert httpx.get(f"http://127.0.0.1:{other_server}/v1/health").status_code == 200
    server = ServerProcess(url, tmp_path / "server.log", port=other_server)
    try:
        with pytest.raises(RuntimeError, match="exited early"):
            server.start()  # it could not listen there: the other one's answer is not its own
    finally:
        server.close()


def test_two_servers_started_together_each_answer_on_their_own_port(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    servers = [new_server(one), new_server(two)]
    try:
        assert servers[0].port != servers[1].port
        for server in servers:
            answer = httpx.post(
                f"{server.url}/v1/enrol", json={"code": server.code(server.worker(server.team()))}
            )
            assert answer.status_code == 200  # its own database knows its own code
    finally:
        for server in servers:
            server.close()
