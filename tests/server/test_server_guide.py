"""docs/server.md's commands are real: every ``linksdesk-server`` line parses and runs, and the
PostgreSQL set-up, backup and restore lines run against PostgreSQL."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_kit import whole
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from linksdesk.core.ids import uuid7
from linksdesk.server.app import create_app
from linksdesk.server.cli import build_parser, main
from linksdesk.server.config import ENV_DB, resolve_db_url

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "server.md"
EXAMPLE_DEVICE = "01938c5e-0000-7000-8000-00000000abcd"


def shell_lines() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def server_commands() -> list[list[str]]:
    return [shlex.split(line) for line in shell_lines() if line.startswith("linksdesk-server ")]


def table_commands() -> list[list[str]]:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.findall(r"`(linksdesk-server [^`]+)`", text)
    return [shlex.split(c.replace("[--keep-read-only]", "")) for c in found]


def test_every_documented_command_parses() -> None:
    commands = server_commands() + table_commands()
    assert len(commands) >= 20
    names = {c[1] for c in commands}
    assert {"init", "serve", "enrol-code", "cancel-codes", "revoke-device", "move-cases"} <= names
    parser = build_parser()
    for argv in commands:
        try:
            parser.parse_args(argv[1:])
        except SystemExit:
            pytest.fail(f"docs/server.md: `{shlex.join(argv)}` is not a valid command")


def _push_case(client: TestClient, token: str, worker: str, device: str) -> str:
    pid = uuid7()
    common = {
        "op": "upsert",
        "hlc": f"000000000001000-00000-{device}",  # the device's own clock
        "origin": device,
        "owner": worker,
        "participant_id": pid,
        "participant_shared": True,
    }
    changes = [
        {
            **common,
            "change_id": uuid7(),
            "table": "consent",
            "row_id": uuid7(),
            "fields": whole("consent", {"scope": "team", "given": True, "version": 1}),
        },
        {
            **common,
            "change_id": uuid7(),
            "table": "participant",
            "row_id": pid,
            "fields": whole("participant", {"status": "active"}),
        },
    ]
    r = client.post(
        "/v1/push",
        json={"batch_key": uuid7(), "changes": changes},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200
    return pid


def test_the_guides_admin_commands_run_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = resolve_db_url(str(tmp_path / "guide.db"))
    monkeypatch.setenv(ENV_DB, url)  # as /etc/linksdesk/server.env does under systemd
    ran: list[str] = []
    case = device = ""
    for argv in server_commands():
        verb = argv[1]
        if verb == "serve":
            continue  # long-running: tests/server/test_serve_production.py serves
        if verb == "revoke-device":
            with TestClient(create_app(url)) as client:
                code = _code(capsys, "Alex Morgan")
                enrolled = client.post("/v1/enrol", json={"code": code}).json()
                device = enrolled["device_id"]
                case = _push_case(client, enrolled["token"], enrolled["worker_id"], device)
            argv = [a.replace(EXAMPLE_DEVICE, device) for a in argv]
        code_ = main(argv[1:])
        out, err = capsys.readouterr()
        assert code_ == 0, f"`{shlex.join(argv)}` failed: {err or out}"
        ran.append(verb)
    assert ran[0] == "init" and "revoke-device" in ran and "cancel-codes" in ran
    # the table's commands with real ids: one case, then all of a worker's cases
    assert main(["handover", "--participant", case, "--to", "Jo Kerr"]) == 0
    assert main(["move-cases", "--from", "Jo Kerr", "--to", "Alex Morgan"]) == 0
    assert main(["new-epoch"]) == 0
    assert "Moved 1 case (" in capsys.readouterr().out


def _code(capsys: pytest.CaptureFixture[str], worker: str) -> str:
    import json

    assert main(["enrol-code", "--worker", worker, "--json"]) == 0
    return str(json.loads(capsys.readouterr().out)["code"])


@pytest.mark.postgres
def test_the_postgres_set_up_backup_and_restore_lines_run(pg_url: str, tmp_path: Path) -> None:
    """The guide's PostgreSQL lines, run as written but for a database and user of this test."""
    if os.geteuid() != 0:
        pytest.fail("the guide's set-up lines are run as root (as in CI)")
    name = f"linksdesk_doc_{uuid.uuid4().hex[:8]}"
    password = "choose-a-long-random-password"
    # pg_dump runs as the postgres user, which cannot enter pytest's 0700 folders
    folder = Path(tempfile.mkdtemp(prefix="linksdesk-doc-"))
    os.chmod(folder, 0o777)
    dump = folder / "linksdesk.dump"
    host = make_url(pg_url)

    def adapt(line: str) -> str:
        line = line.replace("/var/backups/linksdesk/linksdesk.dump", "DUMPFILE")
        line = re.sub(r"\blinksdesk\b", name, line).replace("DUMPFILE", str(dump))
        # the test's PostgreSQL may not listen on the default socket's port
        return (
            line.replace("psql ", f"psql -p {host.port} ")
            .replace("createuser ", f"createuser -p {host.port} ")
            .replace("createdb ", f"createdb -p {host.port} ")
            .replace("pg_dump ", f"pg_dump -p {host.port} ")
            .replace("pg_restore ", f"pg_restore -p {host.port} ")
        )

    lines = [ln for ln in shell_lines() if ln.startswith("su postgres -c")]
    setup = [ln for ln in lines if "createuser" in ln or "createdb" in ln or "ALTER USER" in ln]
    assert len(setup) == 3
    db_url = f"postgresql+psycopg://{name}:{password}@{host.host}:{host.port}/{name}"
    root = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        for line in setup:
            subprocess.run(adapt(line), shell=True, check=True, capture_output=True, timeout=60)
        env = {**os.environ, ENV_DB: db_url}
        cli = [sys.executable, "-m", "linksdesk.server.cli"]
        subprocess.run([*cli, "init"], env=env, check=True, capture_output=True, timeout=120)
        subprocess.run(
            [*cli, "add-team", "North locality"], env=env, check=True, capture_output=True
        )
        (backup_line,) = [ln for ln in lines if "pg_dump" in ln]
        subprocess.run(adapt(backup_line), shell=True, check=True, capture_output=True)
        assert dump.stat().st_size > 0
        subprocess.run(
            [*cli, "add-team", "Made after the backup"], env=env, check=True, capture_output=True
        )
        (restore_line,) = [ln for ln in lines if "pg_restore" in ln]
        subprocess.run(adapt(restore_line), shell=True, check=True, capture_output=True)
        status = subprocess.run(
            [*cli, "status"], env=env, check=True, capture_output=True, text=True
        ).stdout
        assert "North locality" in status and "Made after the backup" not in status
        epoch = subprocess.run(
            [*cli, "new-epoch"], env=env, check=True, capture_output=True, text=True
        ).stdout
        assert "New data epoch" in epoch
    finally:
        with root.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
        root.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_sqlite_backup_line_copies_a_served_database_whole(tmp_path: Path) -> None:
    """The guide's SQLite backup, taken while the server serves and has just written (what
    is still in the -wal file comes too), restored as the guide says."""
    from serving import running

    if shutil.which("sqlite3") is None:
        pytest.fail("the guide's SQLite backup line needs the sqlite3 command")
    (line,) = [ln for ln in shell_lines() if ln.startswith("sqlite3 ")]
    live, copy = tmp_path / "server.db", tmp_path / "backup" / "server.db"
    copy.parent.mkdir()
    line = line.replace("/var/lib/linksdesk/server.db", str(live))
    line = line.replace("/var/backups/linksdesk/server.db", str(copy))
    cli = [sys.executable, "-m", "linksdesk.server.cli"]
    env = {**os.environ, ENV_DB: str(live)}

    def run(*args: str) -> str:
        done = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("init")
    with running(f"sqlite:///{live}", tmp_path / "serve.log", env=env):
        run("add-team", "North locality")
        assert Path(f"{live}-wal").stat().st_size > 0  # the team is in the WAL yet
        subprocess.run(line, shell=True, check=True, capture_output=True, timeout=60)
        run("add-team", "Made after the backup")
    for extra in ("-wal", "-shm"):
        Path(f"{live}{extra}").unlink(missing_ok=True)
    shutil.copy(copy, live)
    status = run("status")
    assert "North locality" in status and "Made after the backup" not in status
    said = run("new-epoch")
    # the administrator's own commands since the backup are not in it: listed, to run again
    # (revocations are noted beside the server key and made again: none were made here;
    # unused enrolment codes are all cancelled: none was given here)
    assert "New data epoch" in said and "Run these again" in said and "after its backup" in said
    assert "linksdesk-server add-team 'Made after the backup' --id " in said, said
    assert "Revoked again: 0 laptops" in said and "Cancelled: 0 enrolment codes" in said
