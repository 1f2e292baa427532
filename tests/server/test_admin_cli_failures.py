"""``linksdesk-server`` as an administrator meets it when something is wrong: the real
command in a subprocess, over real SQLite files, a real PostgreSQL and a real full disk.

Each failure must be said in the administrator's terms (what is wrong, what to do), with
exit code 1, no traceback and no content; and nothing may be lost or made in its place.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from serving import serve, stop

from linksdesk.server.cli import main
from linksdesk.server.config import ENV_DB, ENV_KEY, ENV_KEY_FILE

CANARY = "Mrs Canary Example"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in (ENV_DB, ENV_KEY, ENV_KEY_FILE)}
    return subprocess.run(
        [sys.executable, "-m", "linksdesk.server.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, **(env or {})},
    )


def refused(r: subprocess.CompletedProcess[str], *words: str) -> str:
    """The refusal's message, once checked: exit 1, one plain line, no traceback."""
    said = r.stdout + r.stderr
    assert r.returncode == 1, said
    assert "Traceback" not in said and 'File "' not in said, said
    assert "\nlinksdesk-server: " in f"\n{r.stderr}", said
    for w in words:
        assert w in r.stderr, said
    return r.stderr


def ready(tmp_path: Path, name: str = "server.db") -> list[str]:
    """A server database with team North and Alex Morgan, made by the same commands run in
    this process (a second each saved: only the command under test runs as a subprocess)."""
    db = ["--db", str(tmp_path / name)]
    assert not {ENV_DB, ENV_KEY, ENV_KEY_FILE} & set(os.environ)  # as `cli` runs them
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["init", *db]) == 0
        assert main(["add-team", "North", *db]) == 0
        assert main(["add-worker", "--team", "North", "--name", "Alex Morgan", *db]) == 0
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unexpected_error_is_named_never_shown(tmp_path: Path) -> None:
    """A value the server cannot read (a settings row edited by hand) printed a traceback
    whose last line quoted the value."""
    db = ready(tmp_path)
    conn = sqlite3.connect(tmp_path / "server.db")
    with conn:
        conn.execute(
            "INSERT INTO programme_settings VALUES ((SELECT id FROM team), 'not_seen_weeks', ?, 1)",
            (f'"{CANARY}"',),
        )
    conn.close()
    r = cli("settings", "show", "--team", "North", *db)
    message = refused(r, "unexpected problem (ValidationError)", "Nothing was changed")
    assert CANARY not in message
    r = cli("settings", "show", "--team", "North", *db, "--json")
    assert r.returncode == 1 and "Traceback" not in r.stderr and CANARY not in r.stdout


def test_a_postgres_that_is_not_answering_is_said_as_such() -> None:
    port = free_port()  # nothing listens there: PostgreSQL stopped
    url = f"postgresql+psycopg://linksdesk:{CANARY.replace(' ', '')}@127.0.0.1:{port}/linksdesk"
    for command in ("init", "status", "serve"):
        message = refused(
            cli(command, "--db", url), f"PostgreSQL at 127.0.0.1:{port} is not answering"
        )
        assert CANARY.replace(" ", "") not in message  # the address's password
    # as PostgreSQL's own tools write the address: the driver LinksDesk installs
    refused(cli("status", "--db", f"postgresql://u:p@127.0.0.1:{port}/x"), "not answering")


@pytest.mark.postgres
def test_postgres_refusing_the_password_or_the_database_name(pg_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    wrong = url.set(password="not-the-password").render_as_string(hide_password=False)
    refused(cli("init", "--db", wrong), "refused the user name or password")
    missing = url.set(database="linksdesk_no_such_db").render_as_string(hide_password=False)
    refused(cli("status", "--db", missing), "has no database called 'linksdesk_no_such_db'")


def test_a_newer_servers_database_is_named_and_left_alone(tmp_path: Path) -> None:
    db = ready(tmp_path)
    conn = sqlite3.connect(tmp_path / "server.db")
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = list(conn.iterdump())
    conn.close()
    for command in ("status", "init", "serve"):
        refused(cli(command, *db), "written by a newer LinksDesk server", "schema 0099")
    conn = sqlite3.connect(tmp_path / "server.db")
    assert list(conn.iterdump()) == before
    conn.close()


def test_a_lost_server_key_is_never_replaced_by_a_new_one(tmp_path: Path) -> None:
    """`init` on a database whose key file is gone made a new key there (which opens
    nothing in it) while the message said to run `init` to make it."""
    db = ready(tmp_path)
    key = tmp_path / "server.key"
    shutil.move(key, tmp_path / "kept-safe.key")
    for command in ("status", "init"):
        refused(cli(command, *db), "is missing", "Restore it")
        assert not key.exists()
    shutil.move(tmp_path / "kept-safe.key", key)  # the copy put back: all is as it was
    r = cli("status", *db)
    assert r.returncode == 0 and "North" in r.stdout and "Workers: 1" in r.stdout


def test_a_key_file_others_may_read_is_warned_about(tmp_path: Path) -> None:
    db = ready(tmp_path)
    key = tmp_path / "server.key"
    key.chmod(0o644)  # copied back from a backup by hand, say
    r = cli("status", *db)
    assert r.returncode == 0
    assert "may be read by other users" in r.stderr and f"chmod 600 {key}" in r.stderr
    key.chmod(0o600)
    assert "warning" not in cli("status", *db).stderr


def test_a_mistyped_database_path_makes_no_empty_server(tmp_path: Path) -> None:
    ready(tmp_path)
    typo = tmp_path / "sever" / "server.db"
    for command in ("status", "list-devices", "serve"):
        refused(cli(command, "--db", str(typo)), "There is no server database at", "init")
    assert not typo.parent.exists()
    r = cli("status", "--db", str(tmp_path))  # the folder rather than the file
    refused(r, "is a folder")


def test_a_full_disk_is_said_and_loses_nothing(tmp_path: Path, small_disk) -> None:  # type: ignore[no-untyped-def]
    disk = small_disk("2m")
    db = ready(disk.path)
    filler = disk.fill()
    message = refused(cli("enrol-code", "--worker", "Alex Morgan", *db), "no room left")
    assert str(disk.path) in message and "Enrolment code" not in message
    refused(cli("add-team", "South", *db), "no room left", "Nothing was changed")
    filler.unlink()
    r = cli("status", *db)
    assert r.returncode == 0 and "North" in r.stdout and "South" not in r.stdout
    assert cli("enrol-code", "--worker", "Alex Morgan", *db).returncode == 0


def test_serve_twice_on_one_port_says_so(tmp_path: Path) -> None:
    db = ready(tmp_path)
    url = f"sqlite:///{tmp_path / 'server.db'}"
    first, port = serve(url, tmp_path / "first.log")
    try:
        message = refused(
            cli("serve", *db, "--port", str(port)), f"Port {port} on 127.0.0.1 is already in use"
        )
        assert "Errno" not in message
        assert first.poll() is None  # the first server serves on
    finally:
        stop(first)


@pytest.mark.parametrize("port", ["99999", "-1", "eighty"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path, port: str) -> None:
    r = cli("serve", "--db", str(tmp_path / "x.db"), "--port", port)
    assert r.returncode == 2 and "is not a port number" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_database_address_of_another_kind_is_refused_plainly(tmp_path: Path) -> None:
    for url in ("mysql://u:p@localhost/linksdesk", "nonsense://"):
        refused(cli("status", "--db", url), "not one the server can use")


def test_a_file_that_is_not_a_server_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("not a database\n")
    for command in ("init", "status"):
        refused(cli(command, "--db", str(junk)), "is not a LinksDesk server database")
    assert junk.read_text() == "not a database\n"
