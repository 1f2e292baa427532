"""A push body read in one step (api/body.py) answers exactly as FastAPI's own reading does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import starlette.requests
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from linksdesk.core.ids import uuid7
from linksdesk.server.api.body import ModelBodyRoute
from linksdesk.server.app import create_app
from linksdesk.sync.protocol import PushRequest

KEY = uuid7()
CHANGE = {
    "change_id": uuid7(),
    "table": "contact",
    "row_id": uuid7(),
    "op": "upsert",
    "hlc": "176000000000000-00000-laptop-1",
    "origin": "laptop-1",
    "owner": uuid7(),
    "participant_id": uuid7(),
    "participant_shared": True,
    "fields": {"purpose": "Check in", "minutes": 15, "score": 1.5, "items": [1, None]},
    "base": {"purpose": "176000000000000-00000-laptop-1"},
}


def _body(**change: object) -> bytes:
    return json.dumps({"batch_key": KEY, "changes": [{**CHANGE, **change}]}).encode()


BODIES = {
    "valid": _body(),
    "valid, clocks grouped": _body(base={"-5": ["purpose"]}),
    "lone surrogate": _body(fields={"purpose": "\ud800"}),
    "not a number": _body().replace(b"1.5", b"NaN"),
    "a number as yes/no": _body(participant_shared=1),
    "unknown key": _body(extra=True),
    "bad clock": _body(hlc="soon"),
    "not json": b"{",
    "bytes": b"\xff\xfe\x00garbage",
    "a list": b"[]",
    "empty": b"",
    "deep": b"[" * 10_000 + b"]" * 10_000,
}


def _echo_app(route_class: type[APIRoute], folder: Path) -> FastAPI:
    # the server's own app, for its error handlers and middleware (no database is used)
    app = create_app(f"sqlite:///{folder / 'unused.db'}", check_schema=False)

    def echo(body: PushRequest) -> dict[str, object]:
        # repr: a lone surrogate taken by json.loads cannot be written back as JSON
        return {"kind": type(body).__name__, "body": repr(body.model_dump())}

    app.router.add_api_route("/echo", echo, methods=["POST"], route_class_override=route_class)
    return app


@pytest.mark.parametrize("name", list(BODIES))
def test_answers_are_fastapis(name: str, tmp_path: Path) -> None:
    content = BODIES[name]
    headers = {"Content-Type": "application/json"}
    with (
        TestClient(_echo_app(APIRoute, tmp_path), raise_server_exceptions=False) as plain,
        TestClient(_echo_app(ModelBodyRoute, tmp_path), raise_server_exceptions=False) as one_step,
    ):
        expected = plain.post("/echo", content=content, headers=headers)
        got = one_step.post("/echo", content=content, headers=headers)
    assert (got.status_code, got.json()) == (expected.status_code, expected.json())
    if name.startswith("valid"):
        assert got.status_code == 200 and "Check in" in got.json()["body"]


def test_a_valid_body_is_not_decoded_by_json_loads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[int] = []
    real = json.loads

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(starlette.requests.json, "loads", counted)
    headers = {"Content-Type": "application/json"}
    with TestClient(_echo_app(ModelBodyRoute, tmp_path)) as one_step:
        assert one_step.post("/echo", content=BODIES["valid"], headers=headers).status_code == 200
        assert calls == []
        # a body pydantic's parser refuses is read FastAPI's way, with json.loads
        one_step.post("/echo", content=BODIES["lone surrogate"], headers=headers)
        assert calls == [1]
