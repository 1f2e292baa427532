"""The server key lives outside the database: made by init, required and checked by serve."""

from __future__ import annotations

import base64
import os
import shutil
import stat
from pathlib import Path

import pytest

from linksdesk.server.cli import main
from linksdesk.server.config import ENV_KEY, ENV_KEY_FILE


def test_init_makes_a_private_key_file_and_serve_refuses_without_the_right_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    monkeypatch.delenv(ENV_KEY_FILE, raising=False)
    db = tmp_path / "a" / "server.db"
    assert main(["init", "--db", str(db)]) == 0
    key = db.parent / "server.key"
    assert str(key) in capsys.readouterr().out
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(base64.b64decode(key.read_text())) == 32
    assert main(["status", "--db", str(db)]) == 0
    capsys.readouterr()

    # a missing key: plain refusal, for commands and for serve, before anything is served
    shutil.move(key, tmp_path / "kept.key")
    assert main(["status", "--db", str(db)]) == 1
    assert "server key file" in capsys.readouterr().err
    assert main(["serve", "--db", str(db), "--port", "1"]) == 1
    assert "is missing" in capsys.readouterr().err

    # another database's key: refused, never used to make new participant keys
    other = tmp_path / "b" / "server.db"
    assert main(["init", "--db", str(other)]) == 0
    shutil.copy(other.parent / "server.key", key)
    capsys.readouterr()
    assert main(["serve", "--db", str(db), "--port", "1"]) == 1
    assert "does not belong to this database" in capsys.readouterr().err

    # the right one again, through the environment instead of the file
    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path / "kept.key"))
    assert main(["status", "--db", str(db)]) == 0


def test_a_key_in_the_environment_needs_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_KEY, base64.b64encode(os.urandom(32)).decode())
    db = tmp_path / "server.db"
    assert main(["init", "--db", str(db)]) == 0
    assert ENV_KEY in capsys.readouterr().out
    assert not (tmp_path / "server.key").exists()
    assert main(["status", "--db", str(db)]) == 0
    monkeypatch.setenv(ENV_KEY, "not base64 of 32 bytes")
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 1
    assert "not 32 bytes" in capsys.readouterr().err
