"""Bundles with a real sync server: the programme key reaches laptops through sync, one person
has one pseudonym on two laptops and on the server, and a server bundle's signed roster lets a
supervisor's vault accept the team's laptops (an unknown signer still needs a person)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor
from sqlalchemy import func, select
from sync_kit import Dev, ServerProcess, new_server

from linksdesk.server import admin
from linksdesk.server import bundles as server_bundles
from linksdesk.server import keys as server_keys
from linksdesk.server.cli import main as server_main
from linksdesk.server.models import BundleLog, Device
from linksdesk.storage.bundle_tables import BundleLedger, TrustedSigner
from linksdesk.storage.tables import Participant
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation, export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = new_server(tmp_path)
    yield srv
    srv.close()


def _laptop(dev: Dev) -> Laptop:
    lap = Laptop(dev.path, dev.vault)
    lap.store = dev.store  # one store: the clock sync observes is the one writes use
    return lap


def _pseudonyms(path: Path, sup: Supervisor) -> dict[str, dict[str, object]]:
    opened = receive.decrypt(path.read_bytes(), sup.identity())
    return {r["id"]: r["fields"] for r in opened.records() if r["table"] == "participant"}


def test_one_pseudonym_on_two_laptops_and_the_server(tmp_path: Path, server: ServerProcess) -> None:
    team = server.team()
    worker = server.worker(team)
    a, b = Dev.create(tmp_path, "laptopA"), Dev.create(tmp_path, "laptopB")
    sup = Supervisor.create(tmp_path)
    try:
        a.enrol(server, worker)
        lap = _laptop(a)
        pids = [lap.person(postcode="G31 2AB") for _ in range(5)]
        a.sync()
        b.enrol(server, worker)
        b.sync()
        with b.store.read() as s:
            assert s.get(Participant, pids[0]) is not None
            key = state.get(s, keys.PROGRAMME_KEY)
        with server.db.reading() as s:
            assert key == server_keys.programme_key(s)  # delivered by enrolment and handshake
            registered = {d.id: d.signing_key for d in s.scalars(select(Device))}
        assert registered[a.store.device_id] == keys.signing_key(a.store).public.line
        lookup_csv = tmp_path / "lookup.csv"
        lookup_csv.write_text("pc,simd_decile\nG31 2AB,3\n")
        server_bundles.import_deprivation(
            server.db,
            lookup_csv,
            name="SIMD",
            year="2020",
            postcode_column="pc",
            decile_column="simd_decile",
        )
        made = {}
        for name, dev in (("a", a), ("b", b)):
            made[name] = tmp_path / f"{name}.age"
            export.export_to_file(
                dev.store, made[name], kind="evaluation", recipients=[sup.recipient]
            )
        sealed = server_bundles.export(
            server.db, team, kind="evaluation", recipients=[sup.recipient]
        )
        made["server"], _ = sealed.write(tmp_path / "server.age")
        assert sealed.manifest["deprivation"]["name"] == "SIMD"
        assert sealed.manifest["deprivation"]["year"] == "2020"
        expected = {evaluation.pseudonym(bytes.fromhex(key), pid) for pid in pids}
        seen = {name: _pseudonyms(path, sup) for name, path in made.items()}
        for name, rows in seen.items():
            assert set(rows) == expected, name
        # the server knew the postcode's decile; the laptops had no lookup: "unknown"
        assert {f["deprivation_decile"] for f in seen["server"].values()} == {"3"}
        assert {f["deprivation_decile"] for f in seen["a"].values()} == {"unknown"}
    finally:
        a.close()
        b.close()
        sup.vault.lock()


def test_server_bundle_roster_introduces_the_team_and_strangers_are_refused(
    tmp_path: Path, server: ServerProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    team = server.team()
    worker = server.worker(team)
    dev = Dev.create(tmp_path, "laptop")
    stranger = Laptop.create(tmp_path, "stranger")
    sup = Supervisor.create(tmp_path)
    try:
        dev.enrol(server, worker)
        pid = _laptop(dev).person(given_name="Isla")
        dev.sync()
        sealed = server_bundles.export(
            server.db, team, kind="supervision", recipients=[sup.recipient]
        )
        path, _ = sealed.write(tmp_path / "server.age")
        server_fp = server_keys.public_key(server.db).fingerprint
        with pytest.raises(receive.UnknownSigner) as unknown:
            receive.import_bundle(sup.store, path)
        assert unknown.value.fingerprint == server_fp
        report = receive.import_bundle(sup.store, path, trust=server_fp)
        assert report.signers_added == 1 and report.sender_kind == "server"
        with sup.store.read() as s:
            assert s.get(Participant, pid) is not None
            signer = s.get(TrustedSigner, keys.signing_key(dev.store).public.fingerprint)
            assert signer is not None and signer.source == "roster"
        # the laptop's own bundle is now accepted without anyone confirming it
        _laptop(dev).person(given_name="Later")
        own = tmp_path / "own.age"
        export.export_to_file(dev.store, own, kind="supervision", recipients=[sup.recipient])
        assert receive.import_bundle(sup.store, own).applied > 0
        # a laptop the roster does not name is refused, fingerprint shown
        stranger.person()
        foreign = tmp_path / "foreign.age"
        export.export_to_file(
            stranger.store, foreign, kind="supervision", recipients=[sup.recipient]
        )
        before = sup.content_hash()
        with pytest.raises(BundleRefused, match="does not know"):
            receive.import_bundle(sup.store, foreign)
        assert sup.content_hash() == before
        # the server's command line shows the same key and writes a roster
        db = ["--db", server.db_url]
        assert server_main(["keys", "show", *db]) == 0
        assert server_fp in capsys.readouterr().out
        roster = tmp_path / "roster.json"
        assert server_main(["roster", "--team", team, "--out", str(roster), *db]) == 0
        doc = json.loads(roster.read_text())
        assert [e["device_id"] for e in doc["roster"]["signers"]] == [dev.store.device_id]
        assert server_main(["roster", "--team", team, "--out", str(roster), *db]) == 1
        assert receive.import_roster(sup.store, roster) == 0  # already known, none new
        cli_out = tmp_path / "cli.age"
        args = ["export", "--team", team, "--kind", "supervision", "--to", sup.recipient]
        assert server_main([*args, "--out", str(cli_out), *db]) == 0
        assert "Wrote supervision bundle" in capsys.readouterr().out
        assert receive.import_bundle(sup.store, cli_out).applied == 0  # nothing new
        with server.db.reading() as s:
            logged = s.scalars(select(BundleLog).where(BundleLog.team_id == team)).all()
        assert len(logged) == 2 and all(b.counts.get("participant") for b in logged)
        # a laptop revoked on the server: the team's next roster drops it, and its bundles
        # are refused from then on
        admin.revoke_device(server.db, dev.store.device_id)
        newer = tmp_path / "newer.json"
        assert server_main(["roster", "--team", team, "--out", str(newer), *db]) == 0
        receive.import_roster(sup.store, newer)
        receive.import_roster(sup.store, roster)  # the older roster cannot bring it back
        late = tmp_path / "late.age"
        export.export_to_file(dev.store, late, kind="supervision", recipients=[sup.recipient])
        with pytest.raises(receive.UnknownSigner):
            receive.import_bundle(sup.store, late)
    finally:
        dev.close()
        stranger.close()
        sup.vault.lock()


LATER = "2026-12-07T09:00:00+00:00"


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("supervision", "5"),  # not a worker -> time
        ("supervision", {"WORKER": 5}),
        ("supervision", {"WORKER": "last Tuesday"}),
        ("supervision", {"WORKER": "2026-12-07T09:00:00"}),  # no zone: whose clock?
        ("supervision", {"w" * 65: LATER}),
        ("evaluation", {"WORKER": LATER}),  # pseudonymised: no worker's timing, ever
    ],
)
def test_a_manifest_saying_last_syncs_otherwise_is_refused(
    tmp_path: Path, server: ServerProcess, monkeypatch: pytest.MonkeyPatch, kind: str, said: object
) -> None:
    team = server.team()
    dev, sup = Dev.create(tmp_path, "laptop"), Supervisor.create(tmp_path)
    try:
        dev.enrol(server, server.worker(team))
        dev.contact(dev.participant())
        dev.sync()
        real = server_bundles.seal

        def seal(records: Any, *, extra: dict[str, Any], **given: Any) -> Any:
            value = json.loads(json.dumps(said).replace("WORKER", dev.worker_id))
            return real(records, extra={**extra, "synced": value}, **given)

        monkeypatch.setattr(server_bundles, "seal", seal)  # the server's key signs it
        period = ("2026-01", "2026-12") if kind == "evaluation" else None
        sealed = server_bundles.export(
            server.db, team, kind=kind, recipients=[sup.recipient], period=period
        )
        path, _sig = sealed.write(tmp_path / "team.age")
        with pytest.raises(BundleRefused, match="when the team's workers last synced") as refused:
            receive.import_bundle(
                sup.store, path, trust=server_keys.public_key(server.db).fingerprint
            )
        assert "Nothing was imported" in str(refused.value)
        with sup.store.read() as s:  # nothing half imported: not even the server's key
            for table in (BundleLedger, Participant, TrustedSigner):
                assert s.scalar(select(func.count()).select_from(table)) == 0, table
    finally:
        dev.close()
        sup.vault.lock()
