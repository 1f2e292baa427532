"""JSON nested deeper than Python's decoder goes, where a supervisor's vault reads JSON from a
file someone else made: a bundle's records, its manifest, a roster. Each stopped the import
with a program error (RecursionError: not a ValueError, so no check caught it); each is
refused in plain words now, and nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor, hand_made, sealed_by_hand, trusted_by

from linksdesk.sync.bundle import receive
from linksdesk.sync.bundle.format import MAGIC, BundleRefused

DEPTH = 100_000
DEEP_LIST = b"[" * DEPTH + b"]" * DEPTH
DEEP_OBJECT = b'{"a":' * DEPTH + b"1" + b"}" * DEPTH


def _refused(sup: Supervisor, path: Path, words: str) -> None:
    before = sup.content_hash()
    with pytest.raises(BundleRefused, match=words):
        receive.import_bundle(sup.store, path)
    assert sup.content_hash() == before


@pytest.mark.parametrize("deep", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
@pytest.mark.parametrize("kind", ["supervision", "evaluation"])
def test_a_record_nested_too_deep_is_refused_as_damaged(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, deep: bytes, kind: str
) -> None:
    trusted_by(supervisor, laptop, tmp_path)
    out = hand_made(laptop, supervisor, tmp_path / "deep.age", [], kind=kind, payload=deep + b"\n")
    _refused(supervisor, out, "records are damaged")


@pytest.mark.parametrize("deep", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
def test_a_manifest_nested_too_deep_is_refused_as_damaged(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, deep: bytes
) -> None:
    trusted_by(supervisor, laptop, tmp_path)
    out = sealed_by_hand(laptop, supervisor, tmp_path / "deep.age", MAGIC + deep + b"\nAAAA\n")
    _refused(supervisor, out, "manifest is damaged")


def test_a_roster_nested_too_deep_is_not_read(tmp_path: Path, supervisor: Supervisor) -> None:
    roster = tmp_path / "roster.json"
    roster.write_bytes(DEEP_OBJECT)
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused, match="not a LinksDesk roster"):
        receive.import_roster(supervisor.store, roster, trust="RWQ0")
    assert supervisor.content_hash() == before
