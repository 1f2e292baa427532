"""Files holding case records are this user's only: 0600 files in 0700 folders (issue 9).

The server's database (and its WAL and SHM files) and key file, a worker's vault and its
key file, and the app's log, each made the way an administrator or worker makes them,
under the usual umask 022 that would otherwise leave them readable by everyone.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_kit import Programme
from serving import running

from linksdesk import app
from linksdesk.server.cli import main as server_main
from linksdesk.storage.vault import Vault


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_server_database_wal_and_key_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "srv" / "data"
    db = folder / "server.db"
    assert server_main(["init", "--db", str(db)]) == 0
    url = f"sqlite:///{db}"
    with (
        running(url, tmp_path / "server.log") as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        p = Programme(url, http)
        try:
            dev = p.enrol(p.worker(p.team()))
            dev.push(dev.shared(dev.participant()))
        finally:
            p.close()
        made = sorted(folder.iterdir())
        assert {f.name for f in made} >= {"server.db", "server.db-wal", "server.key"}
        for f in made:
            assert _mode(f) == 0o600, f.name
    assert _mode(folder) == 0o700


def test_vault_its_key_file_and_the_log_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "profiles" / "worker" / "vault.db"
    vault, _ = Vault.create(path, "correct horse battery staple 42")
    try:
        made = sorted(path.parent.iterdir())
        assert len(made) >= 2  # the vault and its key file (and SQLite's WAL files)
        for f in made:
            assert _mode(f) == 0o600, f.name
        assert _mode(path.parent) == 0o700
    finally:
        vault.lock()

    log_file = tmp_path / "logs" / "linksdesk" / "linksdesk.log"
    monkeypatch.setattr(app, "log_path", lambda: log_file)
    root = logging.getLogger()
    before = list(root.handlers)
    for h in before:
        if isinstance(h, logging.handlers.RotatingFileHandler):
            root.removeHandler(h)
    try:
        assert app.configure_logging() == log_file
        logging.getLogger("linksdesk.test").warning("an event")
        handler = next(
            h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)
        )
        handler.doRollover()  # a rotated file is private too
        for f in sorted(log_file.parent.iterdir()):
            assert _mode(f) == 0o600, f.name
        assert _mode(log_file.parent) == 0o700
    finally:
        for h in list(root.handlers):
            if h not in before:
                root.removeHandler(h)
                h.close()
                h.close()
        for h in before:
            if h not in root.handlers:
                root.addHandler(h)
