"""``linksdesk-server serve`` in a subprocess for tests, ready once it answers for itself.

A port found free and handed to the server a second later can be taken in between by
another test's server or proxy (tests run in parallel, beside other jobs): the health
check then reached that one, and a server that had failed to start was taken for ready;
the test's requests later found no server once the other went away. So the server binds a
port the system picks (``--port 0``) unless it must have the one it had before (a
restart: devices hold its address), and it is ready only once its own log says it listens
there and the port answers.

Starting ``python -m linksdesk.server.cli serve`` costs a second of imports (FastAPI,
pydantic, SQLAlchemy, uvicorn), paid again by each of several hundred tests. So a server is
forked from a process that has imported the server's modules once (multiprocessing's
forkserver, preloaded): a process of its own, the same ``cli.main(["serve", …])``, its
output in the log, killed and waited for as the command's would be. A test that gives the
server an environment of its own or its own process group starts the command itself.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
) -> tuple[Any, int]:
    """The server process over ``db_url`` on 127.0.0.1 (``port``, or one the system picks)
    and the port it listens on, once it answers; its output goes to ``log_path``.
    ``extra``: more ``serve`` options; ``env``: its environment (default: this one's);
    ``new_session``: its own process group (a test that signals the group)."""
    logged = log_path.stat().st_size if log_path.exists() else 0
    argv = [
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
    ]
    proc: subprocess.Popen[bytes] | ForkedServer
    if env is None and not new_session:
        proc = ForkedServer(argv, log_path)
    else:  # an environment of its own, or a process group: the command itself, from scratch
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "linksdesk.server.cli", *argv],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**env, "PYTHONUNBUFFERED": "1"} if env is not None else None,
                start_new_session=new_session,
            )
    try:
        return proc, _ready(proc, log_path, logged)
    except BaseException:
        proc.kill()
        proc.wait()
        raise


def stop(proc: Any) -> None:
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


def _ready(proc: Any, log_path: Path, logged: int) -> int:
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


# -- a server forked from a process that has imported it already ----------------------------
_PRELOAD = ["linksdesk.server.cli", "linksdesk.server.app", "uvicorn", "httpx"]
_forks = multiprocessing.get_context("forkserver")
_forks.set_forkserver_preload(_PRELOAD)


def _serve_in_child(argv: list[str], log_path: str, env: dict[str, str]) -> None:
    """The forked server: this test's environment, its output appended to the log."""
    os.environ.clear()
    os.environ.update(env)
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.stderr.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    # the test process's own SIGTERM/SIGINT handling is not the command's
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from linksdesk.server.cli import main

    code = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


class ForkedServer:
    """What the tests use of a ``subprocess.Popen``, for a forked server."""

    def __init__(self, argv: list[str], log_path: Path) -> None:
        log_path.open("ab").close()  # there to be read before the server writes a line
        self._process = _forks.Process(
            target=_serve_in_child, args=(argv, str(log_path), dict(os.environ))
        )
        self._process.start()
        self.pid = self._process.pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and self._process.exitcode is not None:
            self.returncode = self._process.exitcode
            self._process.close()  # its sentinel: no file left open per test
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self._process.join(timeout)
        code = self.poll()
        if code is None:
            raise subprocess.TimeoutExpired("linksdesk-server serve", timeout or 0)
        return code

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
