"""The real ``linksdesk-server serve`` process logs an unexpected error without its message.

The app's own handler logs type and frames only, but Starlette raises the exception again
for the server to see, and uvicorn's own handler wrote it whole: its message and every
chained cause (a database error quotes the statement's parameters). A route that fails
quoting a planted value is added to the real serving process (through ``sitecustomize``, so
the process runs ``serve`` as an administrator starts it), and its log is searched.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import httpx
import pytest
from serving import serve, stop

MARKER = "Zebedee-Quartermaine-PURPLEMARKER"

ROUTE = textwrap.dedent(
    f"""
    import linksdesk.server.app as served

    _made = served.create_app

    def create_app(*args, **kwargs):
        app = _made(*args, **kwargs)

        @app.get("/v1/test-fails")
        def fails() -> None:
            try:
                raise KeyError("[parameters: ('{MARKER}',)]")
            except KeyError as cause:
                raise RuntimeError("could not store {MARKER}") from cause

        return app

    served.create_app = create_app
    """
)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_an_unexpected_error_is_logged_as_type_and_frames(
    tmp_path: Path, db_url: str, log_format: str
) -> None:
    (tmp_path / "sitecustomize.py").write_text(ROUTE)
    paths = [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    log = tmp_path / "server.log"
    proc, port = serve(db_url, log, extra=["--log-format", log_format], env=env)
    try:
        answer = httpx.get(f"http://127.0.0.1:{port}/v1/test-fails", timeout=10)
    finally:
        stop(proc)
    assert answer.status_code == 500 and MARKER not in answer.text
    written = log.read_text(errors="replace")
    assert "builtins.RuntimeError" in written and "in fails" in written  # it was logged
    assert MARKER not in written
    if log_format == "json":  # uvicorn's lines too are one JSON object each
        lines = [line for line in written.splitlines() if line.strip()]
        assert all(json.loads(line) for line in lines), lines
