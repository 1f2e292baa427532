"""Protocol 3 over HTTP against ``linksdesk-server serve``: compact clocks in and out, crafted
clock groups refused with 422 naming the field, and protocol-2 devices told to update."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest
from server_kit import Device, Programme
from sqlalchemy import func, select

from linksdesk.core.ids import uuid7
from linksdesk.server.models import Record
from linksdesk.sync.protocol import (
    GZIP_MIN_BYTES,
    MAX_BODY_BYTES,
    PROTOCOL_VERSION,
    SCHEMA_VERSION,
    PushRequest,
    PushResponse,
    ServerChange,
)
from linksdesk.sync.transport import Transport

TOO_OLD = (
    "This copy of LinksDesk is too old to sync with the server. Update LinksDesk, then sync "
    "again; your work stays safe on this laptop meanwhile."
)


def _records(p: Programme) -> int:
    with p.db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(Record)) or 0)


def test_a_protocol_2_device_is_told_to_update_in_plain_words(served: Programme) -> None:
    dev = served.enrol(served.worker(served.team()))
    hello = {"schema_version": SCHEMA_VERSION, "device_id": dev.device_id}
    old = dev.post("handshake", {**hello, "protocol_version": 2})
    assert old.status_code == 409
    assert old.json() == {"detail": TOO_OLD}
    assert dev.post("handshake", {**hello, "protocol_version": 3}).status_code == 200
    assert PROTOCOL_VERSION == 3


def _edit(dev: Device, pid: str, risk: str, base: dict[str, str]) -> dict[str, Any]:
    edit = dev.change("participant", pid, fields={"given_name": "Sam", "risk_summary": risk})
    return {**edit, "base": base}


def _wire(change: dict[str, Any]) -> dict[str, Any]:
    """``change`` as a protocol-3 device sends it (clocks grouped, as offsets)."""
    wire: dict[str, Any] = json.loads(ServerChange(**change, server_seq=1).model_dump_json())
    del wire["server_seq"]
    return wire


def test_the_server_reads_compact_clocks_and_answers_in_them(served: Programme) -> None:
    worker = served.worker(served.team())
    laptop, second = served.enrol(worker), served.enrol(worker)
    p = laptop.participant(risk_summary="first")
    assert [r["status"] for r in laptop.push(laptop.shared(p))["results"]] == ["applied"] * 2
    at_p = dict.fromkeys(("given_name", "risk_summary"), p["hlc"])

    # based on what the server holds: taken as is (a base misread would be a conflict)
    edit = _wire(_edit(laptop, p["row_id"], "second", at_p))
    assert list(edit["base"].values()) == [["given_name", "risk_summary"]]
    assert p["hlc"] not in json.dumps(edit)  # no clock written out in full
    assert laptop.push_one(edit)["status"] == "applied"
    # the second laptop, based on the first value: a concurrent narrative edit, kept
    stale = _wire(_edit(second, p["row_id"], "third", at_p))
    assert second.push_one(stale)["status"] == "conflict"
    # protocol 2's form still reads the same (the server's own stored entries hold it)
    # (the kept risk summary is the first laptop's; the name, not narrative, went to the later)
    now = {"given_name": stale["hlc"], "risk_summary": edit["hlc"]}
    assert laptop.push_one(_edit(laptop, p["row_id"], "fourth", now))["status"] == "applied"

    pulled, _ = second.pull_all()
    assert pulled
    for raw in pulled:
        for key in ("base", "field_hlc"):
            assert all(isinstance(v, list) for v in raw[key].values()), raw[key]
        parsed = ServerChange.model_validate(raw)
        assert json.loads(parsed.model_dump_json()) == raw


CRAFTED: list[tuple[str, Any, str]] = [
    ("base", {"-1733000000000000": ["given_name"]}, "not an offset"),
    ("base", {"-9999999999999": ["given_name"]}, "outside the clock's range"),
    ("field_hlc", {"999999999999999": ["given_name"]}, "outside the clock's range"),
    ("base", {"0": ["given_name"], "-1": ["given_name"]}, "appears twice"),
    ("base", {"0": []}, "one field name or more"),
    ("field_hlc", {"0": [{"given_name": 1}]}, "other than a field name"),
    ("base", {"0": ["given_name"], "-2": "000000000000001-00000-x"}, "one field name or more"),
    ("clocks", {"0": ["given_name"]}, "Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("key", "value", "says"), CRAFTED)
def test_crafted_clock_groups_are_refused_with_422_naming_the_field(
    served: Programme, key: str, value: Any, says: str
) -> None:
    dev = served.enrol(served.worker(served.team()))
    p = dev.participant()
    assert [r["status"] for r in dev.push(dev.shared(p))["results"]] == ["applied"] * 2
    held = _records(served)
    bad = {**dev.participant(p["row_id"], given_name="Sam"), key: value}
    good = dev.change("resource", fields={"organisation": "Food bank", "service": "Pantry"})
    r = dev.post("push", {"batch_key": bad["change_id"], "changes": [good, bad]})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert f"changes.1.{key}" in detail and says in detail, detail
    assert "Sam" not in detail  # nothing sent is echoed back
    assert _records(served) == held  # the whole batch was refused: nothing applied


def test_big_answers_are_gzipped_for_devices_that_ask(served: Programme) -> None:
    dev = served.enrol(served.worker(served.team()))
    resources = [
        dev.change("resource", fields={"organisation": f"Food bank {i}", "service": "Pantry"})
        for i in range(60)
    ]
    assert {r["status"] for r in dev.push(resources)["results"]} == {"applied"}
    body = {"cursor": 0, "limit": 100}
    zipped = dev.http.post(
        "/v1/pull", json=body, headers={**dev.headers, "Accept-Encoding": "gzip"}
    )
    plain = dev.http.post(
        "/v1/pull", json=body, headers={**dev.headers, "Accept-Encoding": "identity"}
    )
    assert zipped.headers.get("content-encoding") == "gzip"
    assert "content-encoding" not in plain.headers
    assert zipped.json() == plain.json() and len(plain.json()["changes"]) == 60
    assert len(plain.content) > GZIP_MIN_BYTES
    assert zipped.num_bytes_downloaded * 4 < plain.num_bytes_downloaded
    # small answers are not worth it
    small = dev.http.post(
        "/v1/pull",
        json={"cursor": 0, "limit": 1},
        headers={**dev.headers, "Accept-Encoding": "gzip"},
    )
    assert "content-encoding" not in small.headers


@pytest.mark.parametrize("near", ["127.0.0.1:9", "127.0.0.2", "localhost:8000", "[::1]:80"])
def test_a_device_asks_for_gzip_only_over_a_real_link(near: str) -> None:
    with Transport(f"http://{near}") as here, Transport("https://sync.example.org") as far:
        assert here._http.headers["Accept-Encoding"] == "identity" and not here.gzip
        assert "gzip" in far._http.headers["Accept-Encoding"] and far.gzip


def _resources(dev: Device, n: int) -> list[dict[str, Any]]:
    return [
        dev.change("resource", fields={"organisation": f"Food bank {i}", "service": "Pantry"})
        for i in range(n)
    ]


def test_a_gzipped_push_from_the_device_transport_is_taken(served: Programme) -> None:
    dev = served.enrol(served.worker(served.team()))
    request = PushRequest.model_validate(
        {"batch_key": str(uuid7()), "changes": _resources(dev, 60)}
    )
    sent: list[httpx.Request] = []
    with Transport(str(served.http.base_url), dev.token) as t:
        t.gzip = True  # as over a real link (tests talk to 127.0.0.1 only)
        t._http.event_hooks["request"].append(sent.append)
        answer = t.post("push", request, PushResponse)
    assert [r.status for r in answer.results] == ["applied"] * 60
    assert sent[0].headers["content-encoding"] == "gzip"
    assert len(sent[0].content) * 4 < len(request.model_dump_json())
    pulled, _ = dev.pull_all()
    assert {c["change_id"] for c in pulled} == {c.change_id for c in request.changes}


def _post_raw(dev: Device, body: bytes, encoding: str) -> httpx.Response:
    headers = {**dev.headers, "Content-Type": "application/json", "Content-Encoding": encoding}
    return dev.http.post("/v1/push", content=body, headers=headers)


def test_gzipped_bodies_are_held_to_the_size_limit_and_must_be_gzip(served: Programme) -> None:
    dev = served.enrol(served.worker(served.team()))
    held = _records(served)
    push = json.dumps({"batch_key": str(uuid7()), "changes": _resources(dev, 3)}).encode()
    # a small file that opens to more than the limit: refused before it is parsed
    bomb = gzip.compress(push[:-2] + b" " * (MAX_BODY_BYTES + 10) + push[-2:])
    assert len(bomb) < MAX_BODY_BYTES // 100
    r = _post_raw(dev, bomb, "gzip")
    assert r.status_code == 413 and r.json() == {"detail": "The request is larger than 5 MB."}
    r = _post_raw(dev, push, "gzip")  # says gzip, is not
    assert r.status_code == 400 and r.json() == {"detail": "The request body is not valid gzip."}
    r = _post_raw(dev, gzip.compress(push)[:-9], "gzip")  # cut short
    assert r.status_code == 400
    r = _post_raw(dev, push, "br")
    assert r.status_code == 415 and "not gzip" in r.json()["detail"]
    assert _records(served) == held
    assert _post_raw(dev, gzip.compress(push), "gzip").status_code == 200
    assert _records(served) == held + 3
