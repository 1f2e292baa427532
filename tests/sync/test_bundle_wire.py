"""Bundles carry protocol 3's compact clocks (format 2) and format 1 bundles still import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor, decrypted

from linksdesk.storage.tables import Participant
from linksdesk.sync.bundle import export, format, keys, receive


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Laptop]:
    lap = Laptop.create(tmp_path, "laptop")
    lap.give_programme_key()
    yield lap
    lap.close()


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    sup = Supervisor.create(tmp_path)
    yield sup
    sup.vault.lock()


def _edited(lap: Laptop) -> tuple[str, dict[str, str]]:
    pid = lap.person(given_name="Morag")
    with lap.store.write() as tx:
        row = tx.session.get(Participant, pid)
        assert row is not None
        tx.update(row, given_name="Morag Ann")  # now two clocks in the row
    with lap.store.read() as s:
        row = s.get(Participant, pid)
        assert row is not None
        return pid, dict(row.field_hlc)


def _clocks_after_import(sup: Supervisor, pid: str) -> dict[str, str]:
    with sup.store.read() as s:
        row = s.get(Participant, pid)
        assert row is not None
        return dict(row.field_hlc)


@pytest.mark.parametrize("old", [False, True], ids=["format-2", "format-1"])
def test_clocks_survive_a_bundle_in_either_format(
    tmp_path: Path,
    laptop: Laptop,
    supervisor: Supervisor,
    monkeypatch: pytest.MonkeyPatch,
    old: bool,
) -> None:
    if old:  # as the previous release wrote bundles: format 1, every clock written out
        monkeypatch.setattr(format, "FORMAT", 1)
        monkeypatch.setattr(export, "compact_clocks", lambda clocks, hlc: dict(clocks))
    pid, clocks = _edited(laptop)
    assert len(set(clocks.values())) == 2
    out = tmp_path / "b.age"
    export.export_to_file(laptop.store, out, kind="supervision", recipients=[supervisor.recipient])
    plain = decrypted(out, supervisor.identity())
    lines = plain.split(b"\n")
    assert json.loads(lines[1])["format"] == (1 if old else 2)
    record = next(json.loads(x) for x in lines[3:] if x and json.loads(x)["row_id"] == pid)
    shape = str if old else list
    assert record["field_hlc"] and all(isinstance(v, shape) for v in record["field_hlc"].values())
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    report = receive.import_bundle(supervisor.store, out, trust=fingerprint)
    assert report.applied > 0
    held = _clocks_after_import(supervisor, pid)
    assert {k: held[k] for k in clocks if k in held} == {k: clocks[k] for k in clocks if k in held}
    assert held["given_name"] == clocks["given_name"] != clocks["family_name"]
