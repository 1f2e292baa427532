"""The server's side of bundles over crafted HTTP, on SQLite and PostgreSQL: devices register
their signing key (once) and receive the programme key; the team's bundle holds what devices
synced under team consent, with a signed roster; evaluation uses the server's lookup."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from pyrage import x25519
from server_kit import Device as ServerDevice
from server_kit import Programme
from sqlalchemy import select

from linksdesk.server import admin, bundles, keys
from linksdesk.server.models import Device
from linksdesk.sync.bundle import evaluation
from linksdesk.sync.bundle.format import decrypt, roster_server_key, verify_roster
from linksdesk.sync.bundle.signing import PublicKey, SigningKey
from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION


def test_keys_roster_and_team_bundles(programme: Programme, tmp_path: Path) -> None:
    team = programme.team()
    dev = programme.enrol(programme.worker(team))
    first, second = SigningKey.generate().public.line, SigningKey.generate().public.line
    hello = {
        "protocol_version": PROTOCOL_VERSION,
        "schema_version": SCHEMA_VERSION,
        "device_id": dev.device_id,
    }
    bad = dev.post("handshake", {**hello, "signing_key": "not a key"})
    assert bad.status_code == 422
    answer = dev.post("handshake", {**hello, "signing_key": first}).json()
    assert dev.post("handshake", {**hello, "signing_key": second}).status_code == 200
    with programme.db.reading() as s:
        held = s.scalar(select(Device.signing_key).where(Device.id == dev.device_id))
        programme_key = keys.programme_key(s)
    assert held == first  # the first key registered stays
    assert answer["programme_key"] == programme_key and len(programme_key or "") == 64

    people = []
    for i in range(5):
        p = dev.participant(
            given_name=f"Eilidh{i}",
            date_of_birth="1990-03-01",
            postcode="G31 2AB",
            referred_on="2026-04-02",
            created_on="2026-04-02",
        )
        ev = dev.change(
            "consent",
            fields={"scope": "evaluation", "given": True, "version": 1, "method": "verbal"},
            participant_id=p["row_id"],
        )
        dev.push([*dev.shared(p), ev])
        people.append(p["row_id"])
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())

    sealed = bundles.export(programme.db, team, kind="supervision", recipients=[recipient])
    opened = decrypt(sealed.data, str(identity))
    rows = list(opened.records())
    assert {r["row_id"] for r in rows if r["table"] == "participant"} == set(people)
    roster = opened.manifest["roster"]
    body = verify_roster(roster, roster_server_key(roster))
    assert [PublicKey.from_line(e["public_key"]).line for e in body["signers"]] == [first]
    assert roster_server_key(roster).line == keys.public_key(programme.db).line

    lookup = tmp_path / "imd.csv"
    lookup.write_text("lsoa_pc,imd_decile\nG312AB,2\n")
    bundles.import_deprivation(
        programme.db,
        lookup,
        name="IMD",
        year="2019",
        postcode_column="lsoa_pc",
        decile_column="imd_decile",
    )
    ev_sealed = bundles.export(
        programme.db,
        team,
        kind="evaluation",
        recipients=[recipient],
        period=("2026-04", "2026-09"),
        now=dt.datetime.now(dt.UTC),
    )
    ev_rows = list(decrypt(ev_sealed.data, str(identity)).records())
    persons = [r for r in ev_rows if r["table"] == "participant"]
    key = bytes.fromhex(programme_key or "")
    assert {r["id"] for r in persons} == {evaluation.pseudonym(key, p) for p in people}
    assert {r["fields"]["deprivation_decile"] for r in persons} == {"2"}
    assert {r["fields"]["age_band"] for r in persons} == {"35-39"}
    assert ev_sealed.manifest["deprivation"]["name"] == "IMD"
    assert ev_sealed.manifest["k_anonymity"]["k"] == 5


def test_a_team_bundle_says_when_each_worker_last_finished_a_sync(programme: Programme) -> None:
    team = programme.team()
    both, quiet, gone = (programme.worker(team) for _ in range(3))
    office, venues, halfway, left = (programme.enrol(w) for w in (both, both, quiet, gone))
    identity = x25519.Identity.generate()

    def synced(kind: str = "supervision", **order: Any) -> Any:
        sealed = bundles.export(
            programme.db, team, kind=kind, recipients=[str(identity.to_public())], **order
        )
        return decrypt(sealed.data, str(identity)).manifest.get("synced", "not said")

    def finished(dev: ServerDevice) -> str:
        with programme.db.reading() as s:
            ms = s.scalar(select(Device.synced_ms).where(Device.id == dev.device_id))
        return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).isoformat()

    # a handshake, a push, a pull cut short: no sync finished
    halfway.handshake()
    for _ in range(2):
        halfway.push(halfway.shared(halfway.participant()))
    page = halfway.post("pull", {"cursor": 0, "limit": 1}).json()
    assert page["has_more"]
    assert synced() == {}

    office.push(office.shared(office.participant()))
    office.pull_all()  # its last page: the sync finished
    time.sleep(0.01)
    assert venues.post("verify").status_code == 200  # digests, asked for after a push, too
    left.pull_all()
    assert synced() == {both: finished(venues), gone: finished(left)}  # each worker's newest
    admin.revoke_device(programme.db, venues.device_id)
    admin.revoke_device(programme.db, left.device_id)
    # a revoked laptop's last sync stands for a worker with no other, never over one in use
    assert synced() == {both: finished(office), gone: finished(left)}
    # never in a bundle of some months, nor an evaluation bundle
    assert synced(period=("2026-04", "2026-09")) == "not said"
    assert synced("evaluation", period=("2026-04", "2026-09")) == "not said"
