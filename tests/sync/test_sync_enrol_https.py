"""Enrolment insists on https, except to a server on this machine (loopback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_kit import Dev, ServerProcess

from linksdesk.core.errors import SyncError, ValidationError
from linksdesk.sync import state
from linksdesk.sync.client import enrol


@pytest.mark.parametrize(
    "address",
    [
        "http://sync.example.org",
        "http://sync.example.org:8443",
        "http://10.0.0.5:8000",
        "http://192.168.1.20",
        "http://localhost.example.org",
        "http://127.0.0.1.example.org",
        "http://[2001:db8::1]:8000",
        "ftp://sync.example.org",
        "sync.example.org",
        "https://",
    ],
)
def test_plain_http_to_another_host_is_refused(tmp_path: Path, address: str) -> None:
    dev = Dev.create(tmp_path, "alex")
    try:
        with pytest.raises(ValidationError, match="must start with https://"):
            enrol(dev.store, address, "ABCD-EFGH-JKLM-NPQR")
        with dev.store.read() as s:
            assert not state.is_enrolled(s)
            assert state.get(s, state.SERVER_URL) is None
    finally:
        dev.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_plain_http_to_loopback_enrols(tmp_path: Path, server: ServerProcess, host: str) -> None:
    dev = Dev.create(tmp_path, "alex")
    try:
        url = f"http://{host}:{server.port}"
        dev.enrol(server, server.worker(server.team()), url=url)
        with dev.store.read() as s:
            assert state.is_enrolled(s)
            assert state.get(s, state.SERVER_URL) == url
    finally:
        dev.close()


@pytest.mark.parametrize(
    "address", ["https://127.0.0.1:{port}", "http://127.0.0.2:{port}", "http://[::1]:{port}"]
)
def test_https_and_other_loopback_addresses_pass_the_address_check(
    tmp_path: Path, address: str
) -> None:
    # nothing listens on this port: getting as far as trying to connect proves the address
    # itself was accepted (a refused address raises ValidationError before any network use)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dev = Dev.create(tmp_path, "alex")
    try:
        with pytest.raises(SyncError) as caught:
            enrol(dev.store, address.format(port=port), "ABCD-EFGH-JKLM-NPQR")
        assert not isinstance(caught.value, ValidationError)
    finally:
        dev.close()
