"""A roster the server's key signed, but not laid out as the server writes them: a number
where a laptop's key goes, a list for a label, a field left out. It is refused in words
before any of it is used, never met with a program error, and the supervisor's vault is as
it was (the server key is not even learned)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, roster_file

from linksdesk.sync.bundle import receive, trust
from linksdesk.sync.bundle.format import BundleRefused, canonical
from linksdesk.sync.bundle.signing import SigningKey

Body = dict[str, Any]


def _first(body: Body) -> dict[str, Any]:
    entry: dict[str, Any] = body["signers"][0]
    return entry


ILL_TYPED: dict[str, Callable[[Body], None]] = {
    "key-a-number": lambda b: _first(b).update(public_key=12345),
    "label-a-list": lambda b: _first(b).update(label=["front", "desk"]),
    "worker-a-list": lambda b: _first(b).update(worker_id=["a", "b"]),
    "device-left-out": lambda b: _first(b).pop("device_id"),
    "fingerprint-not-the-keys": lambda b: _first(b).update(fingerprint="0000000000000000"),
    "entry-a-string": lambda b: b["signers"].append("laptop"),
    "signers-a-map": lambda b: b.update(signers={"laptop": _first(b)}),
    "team-a-number": lambda b: b.update(team_id=7),
}


@pytest.mark.parametrize("fault", sorted(ILL_TYPED))
def test_an_ill_typed_roster_signed_by_the_server_is_refused_whole(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, fault: str
) -> None:
    server = SigningKey.generate()
    path = roster_file(tmp_path / "roster.json", server, None, laptop)
    doc = json.loads(path.read_text())
    ILL_TYPED[fault](doc["roster"])
    doc["signature"] = base64.b64encode(server.sign(canonical(doc["roster"]))).decode()
    path.write_text(json.dumps(doc))
    before = supervisor.content_hash()

    with pytest.raises(BundleRefused, match="nothing of it was used"):
        receive.import_roster(supervisor.store, path, trust=server.public.fingerprint)
    assert supervisor.content_hash() == before
    with supervisor.store.read() as s:
        assert trust.signer(s, server.public.fingerprint) is None
