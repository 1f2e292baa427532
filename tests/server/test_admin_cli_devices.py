"""A worker's two laptops as the administrator sees them in ``list-devices`` and revokes one
with ``revoke-device``: told apart by name, the id taken as pasted, a second revocation
said as such, and the way back from revoking the wrong one. SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from linksdesk.server import admin
from linksdesk.server.cli import main
from linksdesk.server.db import Database
from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def enrol(client: TestClient, db: Database, worker: str, label: str) -> dict[str, str]:
    code = admin.make_enrol_code(db, worker).code
    r = client.post("/v1/enrol", json={"code": code, "label": label})
    assert r.status_code == 200, r.text
    return dict(r.json())


def two_laptops(
    db_url: str, client: TestClient, first: str, second: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Two laptops, named ``first`` and ``second``, enrolled for one worker of a new team."""
    db = Database(db_url)
    try:
        admin.add_team(db, "North")
        worker = admin.add_worker(db, "North", "Alex Morgan")
        return enrol(client, db, worker, first), enrol(client, db, worker, second)
    finally:
        db.dispose()


def test_two_laptops_of_a_worker_are_told_apart_and_the_old_one_revoked(
    db_url: str, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = two_laptops(db_url, client, "Old ThinkPad", "New Dell")
    at = ["--db", db_url]

    # both laptops enrolled in the same minute: only their names tell them apart
    code, out, _ = run(capsys, "list-devices", *at)
    assert code == 0
    lines = {ln.split()[0]: ln for ln in out.splitlines()[1:]}
    assert "Old ThinkPad" in lines[old["device_id"]] and "New Dell" in lines[new["device_id"]]
    assert out.splitlines()[0].split()[:3] == ["device", "laptop", "name"]

    # the id as pasted from the laptop's screen into a terminal, with a space and in capitals
    pasted = f" {old['device_id'].upper()} "
    code, out, err = run(capsys, "revoke-device", pasted, *at)
    assert code == 0, err
    assert "Revoked device" in out and "Old ThinkPad" in out and "enrol-code" in out

    # revoked again by mistake: said as already done, not as done now
    code, out, _ = run(capsys, "revoke-device", old["device_id"], *at)
    assert code == 0 and "already revoked" in out and "Revoked device" not in out
    code, out, _ = run(capsys, "revoke-device", old["device_id"], *at, "--json")
    assert json.loads(out)["already_revoked"] is True

    # the new laptop syncs on; the old one is refused
    headers = {"Authorization": f"Bearer {new['token']}"}
    assert client.post("/v1/pull", json={"cursor": 0}, headers=headers).status_code == 200
    headers = {"Authorization": f"Bearer {old['token']}"}
    assert client.post("/v1/pull", json={"cursor": 0}, headers=headers).status_code == 401


def test_an_enrolment_code_that_cannot_be_typed_in_time_is_refused(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database(db_url)
    try:
        admin.add_team(db, "North")
        admin.add_worker(db, "North", "Alex Morgan")
    finally:
        db.dispose()
    for ttl in ("0.0000001", "0", "nan", "721"):
        code, _, err = run(
            capsys, "enrol-code", "--worker", "Alex Morgan", "--ttl-hours", ttl, "--db", db_url
        )
        assert code == 1 and "--ttl-hours must be from 0.1" in err, (ttl, err)
    code, out, _ = run(capsys, "status", "--db", db_url)
    assert "North" in out and ": 1 worker\n" in out + "\n"


def test_a_laptop_that_only_said_hello_is_not_shown_as_synced(
    db_url: str, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """A laptop that asked the server one thing (a handshake, a push cut short) is seen, but
    what it holds may not be on the server: before revoking a stolen laptop the
    administrator needs to know when it last finished a sync, not when it was last seen."""
    hello, synced = two_laptops(db_url, client, "Hello only", "Synced")
    at = ["--db", db_url]
    said = {
        "protocol_version": PROTOCOL_VERSION,
        "schema_version": SCHEMA_VERSION,
        "device_id": hello["device_id"],
    }
    for laptop, path, body in ((hello, "/v1/handshake", said), (synced, "/v1/pull", {})):
        headers = {"Authorization": f"Bearer {laptop['token']}"}
        answer = client.post(path, json=body or {"cursor": 0}, headers=headers)
        assert answer.status_code == 200, answer.text
    listed = {d["device_id"]: d for d in json.loads(run(capsys, "list-devices", *at, "--json")[1])}
    assert listed[hello["device_id"]]["synced_ms"] is None
    assert listed[synced["device_id"]]["synced_ms"] is not None
    _, out, _ = run(capsys, "list-devices", *at)
    lines = {ln.split()[0]: ln for ln in out.splitlines()[1:]}
    assert "never finished a sync" in lines[hello["device_id"]]
    assert "synced 20" in lines[synced["device_id"]]
    code, out, err = run(capsys, "revoke-device", hello["device_id"], "--in-use", *at)
    assert code == 0, err
    assert "never finished a sync" in out and "last seen 20" in out
