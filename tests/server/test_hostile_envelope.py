"""A hostile or broken device against the real server over HTTP: every field of a push's
envelope, and the batch's own, given every kind of ill-typed value a crafted body can carry
(raw JSON: NaN, 1e400, lone surrogates, NUL, numbers past 64 bits, nesting, empties).

Each is refused with a plain 4xx for the batch, or a rejected answer for that change with
the batch going on; never a server error, never the value echoed back, and nothing of the
refused change kept (pulled back by another laptop of the worker, it is not there).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from server_kit import Device, Programme

from linksdesk.core.ids import uuid7

RAW = "\x00raw\x00"  # stands for a raw JSON token json.dumps cannot write

BAD: dict[str, Any] = {
    "null": None,
    "true": True,
    "zero": 0,
    "negative": -1,
    "fraction": 1.5,
    "past-64-bits": 2**70,
    "empty": "",
    "long": "x" * 5000,
    "list": ["a"],
    "object": {"a": 1},
    "nested": [[[[[[[[[[{"a": [1]}]]]]]]]]]],
    "NaN": RAW + "NaN",
    "infinite": RAW + "1e400",
    "lone-surrogate": RAW + '"\\ud800"',
    "NUL": "a\u0000b",
}
ENVELOPE = (
    "change_id",
    "table",
    "row_id",
    "op",
    "hlc",
    "origin",
    "owner",
    "participant_id",
    "sharing",
    "participant_shared",
    "fields",
    "base",
    "field_hlc",
)


def _body(batch: dict[str, Any]) -> bytes:
    """``batch`` as JSON text, each RAW-marked string written as the raw token it names."""
    text = json.dumps(batch)
    for token in {v for v in BAD.values() if isinstance(v, str) and v.startswith(RAW)}:
        text = text.replace(json.dumps(token), token[len(RAW) :])
    return text.encode()


def _push(dev: Device, batch: dict[str, Any]) -> Any:
    headers = {**dev.headers, "Content-Type": "application/json"}
    return dev.http.post("/v1/push", content=_body(batch), headers=headers)


@pytest.fixture
def pair(served: Programme) -> tuple[Device, Device]:
    worker = served.worker(served.team())
    return served.enrol(worker), served.enrol(worker)


@pytest.mark.parametrize("value", list(BAD.values()), ids=list(BAD))
def test_an_ill_typed_value_in_any_envelope_field_is_refused_plainly_and_kept_nowhere(
    pair: tuple[Device, Device], value: Any
) -> None:
    dev, other = pair
    kept: list[str] = []
    for key in ENVELOPE:
        person = dev.participant()
        consent, bad = dev.shared(person)
        bad = {**bad, key: value}
        r = _push(dev, {"batch_key": uuid7(), "changes": [consent, bad]})
        assert r.status_code in (200, 422), (key, r.status_code, r.text[:300])
        answer = r.json()
        if r.status_code == 422:
            detail = answer["detail"]
            assert isinstance(detail, str) and detail.startswith("The request is not valid")
            assert "xxxxxxxx" not in detail and "\\ud800" not in detail
            continue
        statuses = {res["change_id"]: res["status"] for res in answer["results"]}
        assert statuses[consent["change_id"]] == "applied", (key, answer)
        kept.append(consent["row_id"])
        status = statuses.get(bad["change_id"])
        if status == "applied":
            # only the device's own word on consent, which the server never goes by
            assert key == "participant_shared", (key, answer)
            kept.append(bad["row_id"])
        else:
            assert status == "rejected", (key, answer)
            assert answer["results"][-1]["reason"], (key, answer)
    pulled, _ = other.pull_all()
    assert {ch["row_id"] for ch in pulled} == set(kept)


@pytest.mark.parametrize("value", list(BAD.values()), ids=list(BAD))
def test_an_ill_typed_batch_key_or_change_list_is_refused_plainly(
    pair: tuple[Device, Device], value: Any
) -> None:
    dev, other = pair
    person = dev.participant()
    for batch in (
        {"batch_key": value, "changes": dev.shared(person)},
        {"batch_key": uuid7(), "changes": value},
        {"batch_key": uuid7(), "changes": [value]},
        {"batch_key": uuid7(), "changes": dev.shared(person), "device_id": value},
    ):
        r = _push(dev, batch)
        assert r.status_code == 422, (batch.keys(), r.status_code, r.text[:300])
        assert r.json()["detail"].startswith("The request is not valid")
    assert other.pull_all() == ([], 0)
