"""Enrolment codes, bearer tokens, revocation: unknown or revoked devices get a plain 401."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from server_kit import Programme
from sqlalchemy import select

from linksdesk.server import admin
from linksdesk.server.models import Device, EnrolCode
from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION


def test_enrol_gives_a_token_stored_only_as_its_hash(programme: Programme) -> None:
    team = programme.team()
    worker = programme.worker(team)
    device = programme.enrol(worker)
    assert device.worker_id == worker
    assert device.handshake()["worker_id"] == worker
    with programme.db.reading() as s:
        row = s.get(Device, device.device_id)
        assert row is not None
        assert row.token_hash == hashlib.sha256(device.token.encode()).hexdigest()
        assert device.token not in repr(row.__dict__)
        codes = list(s.scalars(select(EnrolCode)))
        assert len(codes) == 1 and codes[0].used_ms is not None


def test_a_code_works_once(programme: Programme, client: TestClient) -> None:
    worker = programme.worker(programme.team())
    code = admin.make_enrol_code(programme.db, worker).code
    assert client.post("/v1/enrol", json={"code": code}).status_code == 200
    again = client.post("/v1/enrol", json={"code": code})
    assert again.status_code == 401
    assert "enrolment code is not valid" in again.json()["detail"]


def test_code_is_forgiving_about_case_and_dashes(programme: Programme, client: TestClient) -> None:
    worker = programme.worker(programme.team())
    code = admin.make_enrol_code(programme.db, worker).code
    typed = code.replace("-", " ").lower()
    assert client.post("/v1/enrol", json={"code": typed}).status_code == 200


def test_expired_code_is_refused(programme: Programme, client: TestClient) -> None:
    worker = programme.worker(programme.team())
    code = admin.make_enrol_code(programme.db, worker).code
    with programme.db.writing() as s:
        for row in s.scalars(select(EnrolCode)):
            row.expires_ms = 0
    assert client.post("/v1/enrol", json={"code": code}).status_code == 401


def test_requests_without_or_with_unknown_token_get_401(client: TestClient) -> None:
    body = {"cursor": 0, "limit": 10}
    missing = client.post("/v1/pull", json=body)
    assert missing.status_code == 401
    assert "not enrolled" in missing.json()["detail"]
    unknown = client.post("/v1/pull", json=body, headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 401
    assert unknown.headers["www-authenticate"] == "Bearer"
    basic = client.post("/v1/pull", json=body, headers={"Authorization": "Basic eDp5"})
    assert basic.status_code == 401


def test_revoked_device_gets_401_and_others_carry_on(programme: Programme) -> None:
    worker = programme.worker(programme.team())
    lost = programme.enrol(worker)
    kept = programme.enrol(worker)
    assert lost.post("pull", {"cursor": 0}).status_code == 200
    admin.revoke_device(programme.db, lost.device_id)
    r = lost.post("pull", {"cursor": 0})
    assert r.status_code == 401
    assert "revoked" in r.json()["detail"]
    assert kept.post("pull", {"cursor": 0}).status_code == 200
    listed = {d.device_id: d for d in admin.list_devices(programme.db)}
    assert listed[lost.device_id].revoked_ms is not None
    assert listed[kept.device_id].revoked_ms is None


def test_handshake_reports_epoch_settings_and_versions(programme: Programme) -> None:
    team = programme.team()
    device = programme.enrol(programme.worker(team))
    admin.set_setting(programme.db, team, "appointment_limit", "9")
    admin.set_setting(programme.db, team, "concern_taxonomy", "Housing, Food")
    hs = device.handshake()
    assert hs["settings"]["appointment_limit"] == 9
    assert hs["settings"]["concern_taxonomy"] == ["Housing", "Food"]
    assert hs["settings_version"] == 2
    assert hs["epoch_changed"] is False
    assert hs["max_drift_ms"] == 300_000
    newer = device.post(
        "handshake",
        {"protocol_version": 99, "schema_version": SCHEMA_VERSION, "device_id": device.device_id},
    )
    assert newer.status_code == 409
    assert "update the server" in newer.json()["detail"]
    moved = device.post(
        "handshake",
        {
            "protocol_version": PROTOCOL_VERSION,
            "schema_version": SCHEMA_VERSION,
            "device_id": device.device_id,
            "data_epoch": "01900000-0000-7000-8000-000000000000",
        },
    )
    assert moved.json()["epoch_changed"] is True


def test_a_device_on_an_older_protocol_is_told_to_update(programme: Programme) -> None:
    # protocol 1 hashed a table's sorted rows for verify: its digests never match now
    device = programme.enrol(programme.worker(programme.team()))
    for old in range(PROTOCOL_VERSION):
        r = device.post(
            "handshake",
            {
                "protocol_version": old,
                "schema_version": SCHEMA_VERSION,
                "device_id": device.device_id,
            },
        )
        assert r.status_code == 409
        assert r.json() == {
            "detail": "This copy of LinksDesk is too old to sync with the server. Update "
            "LinksDesk, then sync again; your work stays safe on this laptop meanwhile."
        }
    assert device.handshake()["protocol_version"] == PROTOCOL_VERSION == 3
