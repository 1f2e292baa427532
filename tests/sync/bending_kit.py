"""A proxy between a laptop and the real server that bends the server's pull answers: a
buggy or hostile server (or something between it and the laptop), as the laptop meets it."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

# pulls a broken answer is given to, at most: the laptop that never stops asks this often,
# then gets the real pages and ends (a test that fails, not one that hangs)
GIVE_UP_AFTER = 40

Bend = Callable[[int, dict[str, object]], None]


class Answers:
    """A forwarding proxy's state: the real server and how pull answers are bent."""

    def __init__(self, upstream: str, bend: Bend) -> None:
        self.upstream = upstream
        self.bend = bend
        self.pulls = 0
        self.url = ""  # the proxy's own


def _handler(answers: Answers) -> type[BaseHTTPRequestHandler]:
    class Bending(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            real = httpx.post(f"{answers.upstream}{self.path}", content=body, headers=headers)
            content = real.content
            if self.path.endswith("/pull") and real.status_code == 200:
                answers.pulls += 1
                if answers.pulls <= GIVE_UP_AFTER:
                    page = real.json()
                    answers.bend(int(json.loads(body)["cursor"]), page)
                    content = json.dumps(page).encode()
            self.send_response(real.status_code)
            self.send_header("Content-Type", real.headers.get("content-type", ""))
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *_args: object) -> None:
            pass

    return Bending


@contextlib.contextmanager
def bending_proxy(upstream: str, bend: Bend) -> Iterator[Answers]:
    """A proxy on 127.0.0.1 to ``upstream`` whose pull pages ``bend`` changes in place."""
    answers = Answers(upstream, bend)
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _handler(answers))
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    answers.url = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        yield answers
    finally:
        proxy.shutdown()
        proxy.server_close()
