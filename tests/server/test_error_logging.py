"""Unexpected errors are logged as type and stack frames only: their messages may quote values."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from linksdesk.server.app import create_app
from linksdesk.server.db import init_database

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PLANTED = "PLANTED-value-7c1d-do-not-log"


class _Boom(RuntimeError):
    pass


def test_unhandled_error_logs_type_and_frames_without_the_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    init_database(url)
    app = create_app(url)

    @app.get("/v1/test-boom")
    def _boom() -> None:
        raise _Boom(f"could not store {PLANTED}")

    caplog.set_level(logging.ERROR, logger="linksdesk.server.app")
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/v1/test-boom")
    assert r.status_code == 500
    assert PLANTED not in r.text
    records = [rec for rec in caplog.records if rec.name == "linksdesk.server.app"]
    assert len(records) == 1
    rec = records[0]
    assert rec.exc_info is None  # a formatter would print the message from exc_info
    text = logging.Formatter().format(rec)
    assert PLANTED not in text
    assert "_Boom" in text  # the type is there
    assert "in _boom" in text  # and the frame where it was raised
    assert "/v1/test-boom" in text


class _Detail(str):
    """A sync detail that fails when cut to length, with a value in its error message."""

    def __getitem__(self, key: object) -> str:
        raise ValueError(f"cannot cut {PLANTED}")


def test_sync_history_failure_logs_type_and_frames_without_the_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import datetime as dt

    from linksdesk.storage.vault import Vault
    from linksdesk.sync import client
    from linksdesk.sync.engine import SyncReport
    from linksdesk.sync.policy import SyncPolicy

    vault, _ = Vault.create(tmp_path / "alex.vault", "correct horse battery staple")
    try:
        store = vault.store(SyncPolicy())
        caplog.set_level(logging.WARNING, logger="linksdesk.sync.client")
        client._record_history(store, dt.datetime(2024, 5, 1, 9, 0), "ok", SyncReport(), _Detail())
    finally:
        vault.lock()
    records = [rec for rec in caplog.records if rec.name == "linksdesk.sync.client"]
    assert len(records) == 1
    rec = records[0]
    assert rec.exc_info is None
    text = logging.Formatter().format(rec)
    assert PLANTED not in text
    assert "ValueError" in text
    assert "in __getitem__" in text
