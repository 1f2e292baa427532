"""Malformed, oversized and hostile requests get a plain 4xx, never a 500."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from server_kit import Device, Programme

from linksdesk.core.ids import uuid7
from linksdesk.sync.protocol import MAX_BATCH, MAX_BODY_BYTES


@pytest.fixture
def device(programme: Programme) -> Device:
    return programme.enrol(programme.worker(programme.team()))


def _raw(device: Device, path: str, content: bytes, ctype: str = "application/json") -> object:
    headers = {**device.headers, "Content-Type": ctype}
    return device.http.post(f"/v1/{path}", content=content, headers=headers)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"not json at all",
        b"[]",
        b"null",
        b'{"batch_key": 5, "changes": "x"}',
        b'{"batch_key": "' + uuid7().encode() + b'", "changes": []}',
        b'{"batch_key": "' + uuid7().encode() + b'", "changes": [{"table": "contact"}]}',
        b"\xff\xfe\x00garbage",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=[
        "empty",
        "cut-short",
        "not-json",
        "array",
        "null",
        "wrong-types",
        "no-changes",
        "change-missing-fields",
        "bad-bytes",
        "deep-arrays",
        "deep-objects",
    ],
)
def test_malformed_push_bodies_are_4xx_with_plain_detail(device: Device, content: bytes) -> None:
    r = _raw(device, "push", content)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:200])  # type: ignore[attr-defined]
    detail = r.json()["detail"]  # type: ignore[attr-defined]
    assert isinstance(detail, str) and detail


def test_validation_errors_do_not_echo_what_was_sent(device: Device) -> None:
    change = device.participant(given_name="SECRET-NAME")
    change["hlc"] = "SECRET-NAME"
    r = device.post("push", {"batch_key": uuid7(), "changes": [change]})
    assert r.status_code == 422
    assert "SECRET-NAME" not in r.text
    assert "hlc" in r.json()["detail"]


def test_wrong_content_type_is_4xx(device: Device) -> None:
    body = json.dumps({"cursor": 0}).encode()
    r = _raw(device, "pull", body, "text/plain")
    assert 400 <= r.status_code < 500  # type: ignore[attr-defined]


def test_too_many_changes_in_a_batch(device: Device) -> None:
    changes = [device.participant() for _ in range(MAX_BATCH + 1)]
    r = device.post("push", {"batch_key": uuid7(), "changes": changes})
    assert r.status_code == 422
    assert "changes" in r.json()["detail"]


def test_bodies_over_5_mb_get_413(device: Device) -> None:
    big = device.participant(address="x" * (MAX_BODY_BYTES + 10))
    r = device.post("push", {"batch_key": uuid7(), "changes": [big]})
    assert r.status_code == 413
    assert "MB" in r.json()["detail"]


def test_oversized_body_without_content_length_gets_413(device: Device) -> None:
    def chunks() -> object:
        for _ in range(6):
            yield b"x" * (1024 * 1024)

    r = device.http.post(
        "/v1/push", content=chunks(), headers={**device.headers, "Content-Type": "application/json"}
    )
    assert r.status_code == 413


def test_unknown_routes_and_methods_are_4xx_json(client: TestClient) -> None:
    r = client.get("/v1/nothing-here")
    assert r.status_code == 404 and isinstance(r.json()["detail"], str)
    r = client.get("/v1/push")
    assert r.status_code == 405 and isinstance(r.json()["detail"], str)


def test_pull_limits_are_checked(device: Device) -> None:
    for body in ({"cursor": -1}, {"cursor": 0, "limit": 0}, {"cursor": 0, "limit": 10**6}):
        assert device.post("pull", body).status_code == 422


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/enrol", "/v1/handshake", "/v1/push", "/v1/pull", "/v1/verify"} <= set(
        spec["paths"]
    )


def _batch(change_json: str) -> bytes:
    return ('{"batch_key": "' + uuid7() + '", "changes": [' + change_json + "]}").encode()


def test_values_a_database_cannot_store_are_refused_not_500(device: Device) -> None:
    """Not-a-number, NUL and lone surrogates: that change is rejected, the batch goes on."""
    p = device.participant()
    nan_body = _batch(json.dumps(p).replace('"status": "active"', '"status": NaN'))
    r = _raw(device, "push", nan_body)
    assert r.json()["results"][0]["status"] == "rejected"  # type: ignore[attr-defined]
    nul = device.participant(given_name="a\u0000b")
    r2 = device.post("push", {"batch_key": uuid7(), "changes": [nul]})
    assert r2.json()["results"][0]["status"] == "rejected"
    lone = device.participant()
    lone_body = _batch(json.dumps(lone).replace('"Sam"', '"\\ud800"'))
    r4 = _raw(device, "push", lone_body)
    assert r4.json()["results"][0]["status"] == "rejected"  # type: ignore[attr-defined]
    pulled, _ = device.pull_all()
    assert pulled == []
    r3 = device.http.post("/v1/enrol", json={"code": "ABCD-EFGH", "label": "x\u0000y"})
    assert 400 <= r3.status_code < 500, r3.text
