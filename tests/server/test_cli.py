"""The ``linksdesk-server`` command line, in plain text and in JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_kit import whole

from linksdesk.server.app import create_app
from linksdesk.server.cli import main
from linksdesk.server.config import ENV_DB, resolve_db_url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_administration_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "admin.db")]  # a plain path means a SQLite file
    code, out, _ = run(capsys, "init", *db)
    assert code == 0 and "ready" in out
    team = run_json(capsys, "add-team", "North", *db)
    assert team["name"] == "North"  # type: ignore[index]
    worker = run_json(capsys, "add-worker", "--team", "North", "--name", "Alex", *db)
    supervisor = run_json(
        capsys, "add-worker", "--team", "North", "--name", "Jo", "--role", "supervisor", *db
    )
    assert supervisor["role"] == "supervisor"  # type: ignore[index]
    issued = run_json(capsys, "enrol-code", "--worker", "Alex", "--ttl-hours", "2", *db)
    code_text = issued["code"]  # type: ignore[index]
    assert len(code_text.replace("-", "")) == 16

    url = resolve_db_url(str(tmp_path / "admin.db"))
    with TestClient(create_app(url)) as client:
        r = client.post("/v1/enrol", json={"code": code_text, "device_id": "dev"})
        assert r.status_code == 200
        device = r.json()
        headers = {"Authorization": f"Bearer {device['token']}"}
        pid = "01900000-0000-7000-8000-0000000000aa"
        change = {
            "change_id": "01900000-0000-7000-8000-0000000000ab",
            "table": "participant",
            "row_id": pid,
            "op": "upsert",
            "hlc": "000000000001000-00000-dev",
            "origin": "dev",
            "owner": worker["worker_id"],  # type: ignore[index]
            "participant_id": pid,
            "participant_shared": True,
            "fields": whole("participant", {"status": "active"}),
        }
        # the team consent that lets the participant's row in
        consent = {
            **change,
            "change_id": "01900000-0000-7000-8000-0000000000ad",
            "table": "consent",
            "row_id": "01900000-0000-7000-8000-0000000000ae",
            "fields": whole("consent", {"scope": "team", "given": True, "version": 1}),
        }
        body = {"batch_key": "01900000-0000-7000-8000-0000000000ac", "changes": [consent, change]}
        results = client.post("/v1/push", json=body, headers=headers).json()["results"]
        assert [r["status"] for r in results] == ["applied", "applied"]

    devices = run_json(capsys, "list-devices", *db)
    assert [d["device_id"] for d in devices] == [device["device_id"]]  # type: ignore[union-attr]
    code, out, _ = run(capsys, "list-devices", *db)
    assert device["device_id"] in out

    moved = run_json(
        capsys, "handover", "--participant", pid, "--to", "Jo", "--keep-read-only", *db
    )
    assert moved["rows_moved"] == 2 and moved["keep_read_only"] is True  # type: ignore[index]

    revoked = run_json(capsys, "revoke-device", device["device_id"], *db)
    assert revoked["revoked"] is True  # type: ignore[index]

    shown = run_json(capsys, "settings", "set", "--team", "North", "not_seen_weeks", "8", *db)
    assert shown["not_seen_weeks"] == 8 and shown["settings_version"] == 1  # type: ignore[index]
    run(capsys, "settings", "set", "--team", "North", "appointment_limit", "none", *db)
    run(capsys, "settings", "set", "--team", "North", "concern_taxonomy", "Housing,Debt", *db)
    shown = run_json(capsys, "settings", "show", "--team", "North", *db)
    assert shown["appointment_limit"] is None  # type: ignore[index]
    assert shown["concern_taxonomy"] == ["Housing", "Debt"]  # type: ignore[index]
    assert shown["settings_version"] == 3  # type: ignore[index]

    status = run_json(capsys, "status", *db)
    assert status["workers"] == 2 and status["devices_revoked"] == 1  # type: ignore[index]
    assert status["handovers"] == 1  # type: ignore[index]
    code, out, _ = run(capsys, "status", *db)
    assert "North" in out and "Data epoch" in out

    epoch = run_json(capsys, "new-epoch", *db)
    assert epoch["data_epoch"] != status["data_epoch"]  # type: ignore[index]


def test_mistakes_are_plain_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "m.db")]
    code, _, err = run(capsys, "status", *db)
    assert code == 1 and "linksdesk-server init" in err and "Traceback" not in err
    run(capsys, "init", *db)
    code, _, err = run(capsys, "add-worker", "--team", "Nowhere", "--name", "A", *db)
    assert code == 1 and "no team 'Nowhere'" in err
    run(capsys, "add-team", "North", *db)
    code, _, err = run(capsys, "add-team", "North", *db)
    assert code == 1 and "already a team" in err
    code, out, _ = run(capsys, "revoke-device", "nope", *db, "--json")
    assert code == 1 and "no device" in json.loads(out)["error"]
    code, _, err = run(capsys, "settings", "set", "--team", "North", "not_seen_weeks", "lots", *db)
    assert code == 1 and "whole number" in err
    code, _, err = run(capsys, "settings", "set", "--team", "North", "not_seen_weeks", "0", *db)
    assert code == 1 and "not an allowed value" in err


def test_database_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_DB, f"sqlite:///{tmp_path / 'env.db'}")
    assert run(capsys, "init")[0] == 0
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize("module", ["linksdesk.server", "linksdesk.server.cli"])
def test_installed_entry_point_runs(tmp_path: Path, module: str) -> None:
    """``python -m linksdesk.server`` is the same command as ``linksdesk-server``."""
    r = subprocess.run(
        [sys.executable, "-m", module, "init", "--db", str(tmp_path / "e.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "ready" in r.stdout


def test_serve_refuses_an_uninitialised_database(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "linksdesk.server.cli", "serve", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert "linksdesk-server init" in r.stderr and "Traceback" not in r.stderr
