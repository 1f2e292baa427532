"""``linksdesk-server serve`` in a subprocess for tests, ready once it answers for itself.

A port found free and handed to the server a second later can be taken in between by
another test's server or proxy (tests run in parallel, beside other jobs): the health
check then reached that one, and a server that had failed to start was taken for ready;
the test's requests later found no server once the other went away. So the server binds a
port the system picks (``--port 0``) unless it must have the one it had before (a
restart: devices hold its address), and it is ready only once its own log says it listens
there and the port answers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

# what uvicorn logs once it has bound its port (the port it got, when given 0)
_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+) ")


def serve(
    db_url: str,
    log_path: Path,
    port: int = 0,
    *,
    extra: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    new_session: bool = False,
) -> tuple[subprocess.Popen[bytes], int]:
    """The server process over ``db_url`` on 127.0.0.1 (``port``, or one the system picks)
    and the port it listens on, once it answers; its output goes to ``log_path``.
    ``extra``: more ``serve`` options; ``env``: its environment (default: this one's);
    ``new_session``: its own process group (a test that signals the group)."""
    logged = log_path.stat().st_size if log_path.exists() else 0
    env = {**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"}
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
                *extra,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=new_session,
        )
    try:
        return proc, _ready(proc, log_path, logged)
    except BaseException:
        proc.kill()
        proc.wait()
        raise


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop; kill it if it has not within 15 s."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running(db_url: str, log_path: Path, *, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """``serve`` for the length of a ``with``; yields the server's URL."""
    proc, port = serve(db_url, log_path, env=env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def _ready(proc: subprocess.Popen[bytes], log_path: Path, logged: int) -> int:
    deadline = time.monotonic() + 60
    while True:
        since = log_path.read_bytes()[logged:].decode(errors="replace")
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{since[-2000:]}")
        listening = _LISTENING.search(since)
        if listening is not None:  # this process holds the port: the answer is its own
            port = int(listening.group(1))
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=5).status_code == 200:
                    return port
            except httpx.TransportError:
                pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not start:\n{since[-2000:]}")
        time.sleep(0.05)
