"""The ``linksdesk`` command line, run as real processes on vaults in tmp_path."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import running
from sqlalchemy import select, text
from synthetic import PASSPHRASE

from linksdesk.casework.casebook import Casebook
from linksdesk.storage.tables import Participant
from linksdesk.storage.vault import Vault

VERBS = ("open", "new", "demo", "check", "enrol", "sync")
RECOVERY_KEY = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5,}\b")


def cli_env(home: Path, passphrase: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LINKSDESK_PASSPHRASE"}
    env.update(
        LINKSDESK_KDF_PROFILE="fast",
        QT_QPA_PLATFORM="offscreen",
        PYTHONUNBUFFERED="1",
        # logs and default vaults go under tmp_path, never the real user folders
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    if passphrase is not None:
        env["LINKSDESK_PASSPHRASE"] = passphrase
    return env


def linksdesk(
    home: Path, *args: str, passphrase: str | None = None, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linksdesk", *args],
        env=cli_env(home, passphrase),
        stdin=subprocess.DEVNULL,  # not a terminal: a missing passphrase must not hang
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_plain_line(result: subprocess.CompletedProcess[str]) -> str:
    """A refusal: one line on stderr, no traceback, nothing half-printed on stdout."""
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20-participant demo vault built by the CLI (with the demo default passphrase)."""
    home = tmp_path_factory.mktemp("home")
    path = tmp_path_factory.mktemp("demo") / "demo.vault"
    result = linksdesk(home, "demo", "--participants", "20", "--vault", str(path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return path


def copy_vault(src: Path, dest_dir: Path) -> Path:
    dest = dest_dir / src.name
    for suffix in ("", ".key"):
        shutil.copy2(f"{src}{suffix}", f"{dest}{suffix}")
    return dest


# -- help -----------------------------------------------------------------------------------------
def test_help_documents_every_verb(tmp_path: Path) -> None:
    result = linksdesk(tmp_path, "--help")
    assert result.returncode == 0
    for verb in VERBS:
        assert re.search(rf"^\s+{verb}\s+\w", result.stdout, re.MULTILINE), verb
    assert "LINKSDESK_PASSPHRASE" in result.stdout and "exit codes" in result.stdout
    demo_help = linksdesk(tmp_path, "demo", "--help")
    assert demo_help.returncode == 0
    for option in ("--participants", "--vault", "--seed", "--open", "--demo-passphrase"):
        assert option in demo_help.stdout


def test_an_unknown_verb_is_a_usage_error(tmp_path: Path) -> None:
    result = linksdesk(tmp_path, "frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "invalid choice" in result.stderr


# -- new ------------------------------------------------------------------------------------------
def test_new_creates_the_files_and_prints_a_working_recovery_key(tmp_path: Path) -> None:
    path = tmp_path / "mine.vault"
    result = linksdesk(tmp_path, "new", "--vault", str(path), passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert path.exists() and Path(f"{path}.key").exists()
    keys = RECOVERY_KEY.findall(result.stdout)
    assert len(keys) == 1  # shown once
    assert "Store this safely" in result.stdout
    # the key printed is the real one: it opens the vault and sets a new passphrase
    cb = Casebook.recover(path, keys[0], "a brand new passphrase for later")
    cb.lock()
    Casebook.unlock(path, "a brand new passphrase for later").lock()

    again = linksdesk(tmp_path, "new", "--vault", str(path), passphrase=PASSPHRASE)
    assert again.returncode == 2
    assert "already a vault" in assert_one_plain_line(again)


def test_new_refuses_without_a_passphrase_or_with_a_weak_one(tmp_path: Path) -> None:
    path = tmp_path / "none.vault"
    result = linksdesk(tmp_path, "new", "--vault", str(path))
    assert result.returncode == 2
    assert "No passphrase given" in assert_one_plain_line(result)
    weak = linksdesk(tmp_path, "new", "--vault", str(path), passphrase="password1")
    assert weak.returncode == 2
    assert_one_plain_line(weak)
    assert not path.exists() and not Path(f"{path}.key").exists()


def test_new_reads_the_passphrase_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "file.vault"
    secret = tmp_path / "secret.txt"
    secret.write_text("  spaces count in this passphrase  \n", encoding="utf-8")
    result = linksdesk(tmp_path, "new", "--vault", str(path), "--passphrase-file", str(secret))
    assert result.returncode == 0, result.stderr
    Casebook.unlock(path, "  spaces count in this passphrase  ").lock()


# -- demo and check -------------------------------------------------------------------------------
def test_demo_vault_is_accepted_by_check_and_output_has_counts_not_names(
    demo_vault: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text("demo passphrase\n", encoding="utf-8")
    result = linksdesk(
        tmp_path, "check", "--vault", str(demo_vault), "--passphrase-file", str(secret)
    )
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout

    with Casebook.unlock(demo_vault, "demo passphrase") as cb:
        assert cb.vault.setting("demo") == {
            "seed": 1,
            "participants": 20,
            "built_on": cb.vault.setting("demo")["built_on"],  # type: ignore[index]
        }
        with cb.store.read() as s:
            names = [f"{p.given_name} {p.family_name}" for p in s.scalars(select(Participant))]
    assert len(names) == 20
    # building again without --replace keeps the vault and says so; nothing is rebuilt
    again = linksdesk(
        tmp_path,
        "demo",
        "--participants",
        "20",
        "--vault",
        str(demo_vault),
        passphrase="demo passphrase",
    )
    assert again.returncode == 0, again.stderr
    assert "already" in again.stdout and "--replace" in again.stdout
    for out in (again.stdout, again.stderr):
        assert not any(name in out for name in names)


def test_demo_prints_a_summary_and_its_default_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "d.vault"
    result = linksdesk(tmp_path, "demo", "--participants", "3", "--seed", "4", "--vault", str(path))
    assert result.returncode == 0, result.stderr
    assert '"demo passphrase"' in result.stdout
    assert "3 participants" in result.stdout and "did not attend" in result.stdout
    replaced = linksdesk(
        tmp_path,
        "demo",
        "--participants",
        "2",
        "--vault",
        str(path),
        "--replace",
        "--demo-passphrase",
        "demo passphrase",
    )
    assert replaced.returncode == 0, replaced.stderr
    assert "2 participants" in replaced.stdout
    # a vault that is not a demo vault is never replaced
    other = tmp_path / "real.vault"
    assert linksdesk(tmp_path, "new", "--vault", str(other), passphrase=PASSPHRASE).returncode == 0
    before = digest(other, Path(f"{other}.key"))
    refused = linksdesk(
        tmp_path,
        "demo",
        "--participants",
        "2",
        "--vault",
        str(other),
        "--replace",
        passphrase=PASSPHRASE,
    )
    assert refused.returncode == 2
    assert "not a demo vault" in assert_one_plain_line(refused)
    assert digest(other, Path(f"{other}.key")) == before


def test_wrong_passphrase_is_one_clear_line_and_changes_nothing(
    demo_vault: Path, tmp_path: Path
) -> None:
    path = copy_vault(demo_vault, tmp_path)
    before = digest(path, Path(f"{path}.key"))
    for verb in ("check", "sync"):
        result = linksdesk(tmp_path, verb, "--vault", str(path), passphrase="not the passphrase")
        assert result.returncode == 2
        assert "passphrase does not open this vault" in assert_one_plain_line(result)
        assert result.stdout == ""
    assert digest(path, Path(f"{path}.key")) == before


def test_check_fails_clearly_on_a_damaged_vault_file(demo_vault: Path, tmp_path: Path) -> None:
    path = copy_vault(demo_vault, tmp_path)
    size = path.stat().st_size
    assert size > 40 * 4096
    with path.open("r+b") as fh:  # scribble over part of a page in the middle of the file
        fh.seek((size // 4096 // 2) * 4096 + 1000)
        fh.write(os.urandom(64))
    result = linksdesk(tmp_path, "check", "--vault", str(path), passphrase="demo passphrase")
    assert result.returncode == 1
    line = assert_one_plain_line(result)
    assert "damaged" in line


def test_check_fails_clearly_when_the_audit_log_was_altered(
    demo_vault: Path, tmp_path: Path
) -> None:
    path = copy_vault(demo_vault, tmp_path)
    vault = Vault.unlock(path, "demo passphrase")
    with vault.engine.begin() as conn:  # someone with the key edits history behind our back
        conn.execute(text("UPDATE audit_event SET action = 'view' WHERE seq = 7"))
    vault.lock()
    result = linksdesk(tmp_path, "check", "--vault", str(path), passphrase="demo passphrase")
    assert result.returncode == 1
    assert "audit log" in assert_one_plain_line(result)


def test_a_missing_vault_is_one_clear_line(tmp_path: Path) -> None:
    result = linksdesk(
        tmp_path, "check", "--vault", str(tmp_path / "nowhere.vault"), passphrase=PASSPHRASE
    )
    assert result.returncode == 2
    assert "no vault" in assert_one_plain_line(result).lower()


# -- the error boundary ---------------------------------------------------------------------------
def test_verbs_without_a_window_never_load_qt(demo_vault: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from linksdesk import app; "
        f"rc = app.main(['check', '--vault', {str(demo_vault)!r}]); "
        "print('qt' if 'PySide6' in sys.modules else 'no qt', rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=cli_env(tmp_path, "demo passphrase"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "no qt 0", result.stderr


def test_a_bug_prints_a_short_line_and_the_log_path_never_the_message(tmp_path: Path) -> None:
    canary = "CANARY-Agnes-Brennan-note-text"
    # a verb that fails with an unexpected exception, to exercise the boundary in main()
    code = (
        "from linksdesk import app\n"
        "def broken(args):\n"
        f"    raise RuntimeError({canary!r})\n"
        "app.cmd_check = broken\n"
        "raise SystemExit(app.main(['check']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=cli_env(tmp_path, PASSPHRASE),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 70
    line = assert_one_plain_line(result)
    assert "unexpected problem" in line and canary not in line
    log_file = tmp_path / "state" / "LinksDesk" / "log" / "linksdesk.log"
    assert str(log_file) in line
    logged = log_file.read_text(encoding="utf-8")
    assert "RuntimeError" in logged and "broken" in logged  # type and frames, for the bug report
    assert canary not in logged


# -- enrol and sync with a real server ------------------------------------------------------------
@pytest.fixture
def sync_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``linksdesk-server serve`` on 127.0.0.1 and a one-time enrolment code for a worker."""
    from linksdesk.server import admin
    from linksdesk.server.db import Database, init_database

    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    init_database(db_url)
    db = Database(db_url)
    try:
        admin.add_team(db, "East team")
        worker = admin.add_worker(db, "East team", "Worker One", "worker")
        code = admin.make_enrol_code(db, worker, 1).code
    finally:
        db.dispose()
    with running(db_url, tmp_path / "server.log", env=cli_env(tmp_path)) as url:
        yield url, code


def test_enrol_and_sync_a_demo_vault_with_a_real_server(
    demo_vault: Path, tmp_path: Path, sync_server: tuple[str, str]
) -> None:
    url, code = sync_server
    path = copy_vault(demo_vault, tmp_path)
    env_pass = "demo passphrase"

    bad = linksdesk(
        tmp_path,
        "enrol",
        "--vault",
        str(path),
        "--server",
        url,
        "--code",
        "WRNG-CODE-0000-0000",
        passphrase=env_pass,
    )
    assert bad.returncode == 2
    assert "not accepted" in assert_one_plain_line(bad)

    enrol = ("enrol", "--vault", str(path), "--server", url, "--code", code, "--label", "laptop")
    # no one at a terminal to answer whose the code is: it says, and uses nothing
    unasked = linksdesk(tmp_path, *enrol, passphrase=env_pass)
    assert unasked.returncode == 2
    said = assert_one_plain_line(unasked)
    assert "Worker One (East team)" in said and "--yes" in said

    enrolled = linksdesk(tmp_path, *enrol, "--yes", passphrase=env_pass)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Enrolled" in enrolled.stdout
    assert "Worker One (East team)" in enrolled.stdout
    laptop_log = tmp_path / "state" / "LinksDesk" / "log" / "linksdesk.log"
    for log_file in (tmp_path / "server.log", laptop_log):  # staff names too stay out of logs
        assert "Worker One" not in log_file.read_text(encoding="utf-8")

    synced = linksdesk(tmp_path, "sync", "--vault", str(path), passphrase=env_pass)
    assert synced.returncode == 0, synced.stderr
    assert "everything matches" in synced.stdout
    assert "Sent 0 " not in synced.stdout  # the demo's shared records went up
    again = linksdesk(tmp_path, "sync", "--vault", str(path), passphrase=env_pass)
    assert again.returncode == 0, again.stderr
    with Casebook.unlock(path, env_pass) as cb:
        assert cb.check().ok


def test_sync_with_no_server_is_one_clear_line(demo_vault: Path, tmp_path: Path) -> None:
    path = copy_vault(demo_vault, tmp_path)
    result = linksdesk(tmp_path, "sync", "--vault", str(path), passphrase="demo passphrase")
    assert result.returncode in (1, 2)
    assert_one_plain_line(result)


@pytest.mark.gui
def test_smoke_test_passes_through_to_the_app(tmp_path: Path) -> None:
    result = linksdesk(tmp_path, "--smoke-test", timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
