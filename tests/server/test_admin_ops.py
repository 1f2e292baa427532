"""``linksdesk-server move-cases`` and ``cancel-codes``: the commands docs/server.md uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from server_kit import whole
from sqlalchemy import select

from linksdesk.core.ids import uuid7
from linksdesk.server.app import create_app
from linksdesk.server.cli import main
from linksdesk.server.config import resolve_db_url
from linksdesk.server.db import Database
from linksdesk.server.models import ParticipantAccess


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err or out
    return json.loads(out)


def _case(client: TestClient, token: str, worker: str, device: str) -> str:
    pid = uuid7()
    base = {
        "op": "upsert",
        "hlc": f"{1_000:015d}-00000-{device}",  # the device's own clock
        "origin": device,
        "owner": worker,
        "participant_id": pid,
        "participant_shared": True,
    }
    consent = {
        **base,
        "change_id": uuid7(),
        "table": "consent",
        "row_id": uuid7(),
        "fields": whole("consent", {"scope": "team", "given": True, "version": 1}),
    }
    person = {
        **base,
        "change_id": uuid7(),
        "table": "participant",
        "row_id": pid,
        "fields": whole("participant", {"status": "active"}),
    }
    r = client.post(
        "/v1/push",
        json={"batch_key": uuid7(), "changes": [consent, person]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert [x["status"] for x in r.json()["results"]] == ["applied", "applied"]
    return pid


def test_move_every_case_of_a_worker_and_cancel_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "admin.db")]
    assert main(["init", *db]) == 0
    capsys.readouterr()
    run_json(capsys, "add-team", "North", *db)
    run_json(capsys, "add-team", "South", *db)
    leaving = run_json(capsys, "add-worker", "--team", "North", "--name", "Alex", *db)
    run_json(capsys, "add-worker", "--team", "North", "--name", "Jo", *db)
    run_json(capsys, "add-worker", "--team", "South", "--name", "Sam", *db)
    code = run_json(capsys, "enrol-code", "--worker", "Alex", *db)["code"]  # type: ignore[index]
    url = resolve_db_url(str(tmp_path / "admin.db"))
    with TestClient(create_app(url)) as client:
        enrolled = client.post("/v1/enrol", json={"code": code}).json()
        token, device = enrolled["token"], enrolled["device_id"]
        cases = {_case(client, token, leaving["worker_id"], device) for _ in range(3)}  # type: ignore[index]

    # another team's worker cannot take them; nothing moves
    assert main(["move-cases", "--from", "Alex", "--to", "Sam", *db]) == 1
    assert "same team" in capsys.readouterr().err
    moved = run_json(capsys, "move-cases", "--from", "Alex", "--to", "Jo", *db)
    assert {m["participant_id"] for m in moved} == cases  # type: ignore[union-attr]
    database = Database(url)
    with database.reading() as s:
        owners = {
            pid: worker
            for pid, worker in s.execute(
                select(ParticipantAccess.participant_id, ParticipantAccess.worker_id).where(
                    ParticipantAccess.mode == "owner"
                )
            )
        }
    database.dispose()
    assert {owners[p] for p in cases} != {leaving["worker_id"]}  # type: ignore[index]
    again = run_json(capsys, "move-cases", "--from", "Alex", "--to", "Jo", *db)
    assert again == []

    # codes: two unused ones are cancelled, and then neither works
    first = run_json(capsys, "enrol-code", "--worker", "Jo", *db)["code"]  # type: ignore[index]
    second = run_json(capsys, "enrol-code", "--worker", "Jo", *db)["code"]  # type: ignore[index]
    assert run_json(capsys, "cancel-codes", "--worker", "Jo", *db) == {"cancelled": 2}
    with TestClient(create_app(url)) as client:
        for c in (first, second):
            assert client.post("/v1/enrol", json={"code": c}).status_code == 401
