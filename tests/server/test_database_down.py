"""PostgreSQL stopped under a running server, and started again: on a cluster of the test's
own (never the shared one), with the real ``linksdesk-server`` command and HTTP.

The administrator's commands say the database is not answering (not "check the address");
laptops get a plain 503 (which they retry), not "a problem the server did not expect"; the
log says what happened in a line, without a stack for each request; and once PostgreSQL is
back everything is there and the same laptop syncs on.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import serve, stop

from linksdesk.server.config import ENV_DB, ENV_KEY, ENV_KEY_FILE

pytestmark = pytest.mark.postgres


class Cluster:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/linksdesk"

    def pg_ctl(self, *args: str) -> None:
        _as_postgres(
            "pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), *args
        )

    def start(self) -> None:
        self.pg_ctl("-o", f"-p {self.port} -k {self.folder}", "-w", "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")


def _as_postgres(*cmd: str) -> None:
    run = ["su", "postgres", "-c", " ".join(f"'{c}'" for c in cmd)] if os.geteuid() == 0 else cmd
    done = subprocess.run(run, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not os.environ.get("LINKSDESK_TEST_PG_URL"):
        pytest.skip("LINKSDESK_TEST_PG_URL is not set (no PostgreSQL here)")
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        pytest.fail("PostgreSQL is configured but initdb/pg_ctl are not on PATH")
    # outside pytest's own (private) folders: the postgres user makes its data folder here
    folder = Path(tempfile.mkdtemp(prefix="linksdesk-cluster-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    c = Cluster(folder, port)
    _as_postgres("initdb", "-D", str(folder / "data"), "-U", "postgres", "--auth=trust")
    c.start()
    try:
        _as_postgres("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "linksdesk")
        yield c
    finally:
        if (folder / "data" / "postmaster.pid").exists():  # a failed test left it stopped
            c.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def cli(cluster: Cluster, key: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in (ENV_DB, ENV_KEY, ENV_KEY_FILE)}
    env |= {ENV_DB: cluster.url, ENV_KEY_FILE: str(key)}
    return subprocess.run(
        [sys.executable, "-m", "linksdesk.server.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_postgres_stopped_and_started_again(cluster: Cluster, tmp_path: Path) -> None:
    key = tmp_path / "server.key"
    assert cli(cluster, key, "init").returncode == 0
    assert cli(cluster, key, "add-team", "North").returncode == 0
    assert (
        cli(cluster, key, "add-worker", "--team", "North", "--name", "Alex Morgan").returncode == 0
    )
    code = cli(cluster, key, "enrol-code", "--worker", "Alex Morgan", "--json")
    env = {**os.environ, ENV_KEY_FILE: str(key)}
    log = tmp_path / "serve.log"
    proc, port = serve(cluster.url, log, env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            enrolled = http.post(
                "/v1/enrol", json={"code": code.stdout.split('"code": "')[1].split('"')[0]}
            )
            assert enrolled.status_code == 200, enrolled.text
            auth = {"Authorization": f"Bearer {enrolled.json()['token']}"}

            cluster.stop()
            r = cli(cluster, key, "status")
            assert r.returncode == 1 and "Traceback" not in r.stderr
            assert f"PostgreSQL at 127.0.0.1:{cluster.port} is not answering" in r.stderr
            r = cli(cluster, key, "enrol-code", "--worker", "Alex Morgan")
            assert r.returncode == 1 and "not answering" in r.stderr
            assert "Enrolment code" not in r.stdout
            pulled = http.post("/v1/pull", json={"cursor": 0}, headers=auth)
            assert pulled.status_code == 503
            assert "cannot reach its database" in pulled.json()["detail"]
            said = log.read_text()
            assert "the database cannot be reached (OperationalError) serving /v1/pull" in said
            assert "Exception in ASGI application" not in said

            cluster.start()
            r = cli(cluster, key, "status")
            assert r.returncode == 0 and "North" in r.stdout and "1 active" in r.stdout
            assert http.post("/v1/pull", json={"cursor": 0}, headers=auth).status_code == 200
    finally:
        stop(proc)
