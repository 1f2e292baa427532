"""Test kit for bundles: a supervisor's vault, workers' laptops with planted canaries, the
vault's content hash and decrypted pages, and the bundle's decrypted bytes. Synthetic data."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519
from sqlalchemy import text
from sync_kit import _backfill
from synthetic import PASSPHRASE
from vault_kit import decrypted_pages

from linksdesk.core.ids import uuid7
from linksdesk.storage import keyfile
from linksdesk.storage.store import Store
from linksdesk.storage.tables import (
    Concern,
    Consent,
    Contact,
    Note,
    NoteRevision,
    Participant,
    ReferralIn,
    Relationship,
    Resource,
)
from linksdesk.storage.vault import Vault
from linksdesk.sync import state
from linksdesk.sync.bundle import evaluation, export, keys, receive
from linksdesk.sync.bundle.format import (
    FORMAT,
    MAGIC,
    Sender,
    canonical,
    now_utc,
    seal,
    sign_roster,
)
from linksdesk.sync.bundle.signing import SigningKey
from linksdesk.sync.policy import SyncPolicy

PROGRAMME_KEY = "ab" * 32  # what sync hands a laptop; set directly where no server runs

# where each may appear: S = supervision bundles, E = evaluation bundles, "" = never
CANARIES = {
    "CANARY-NAME-g7k2": "S",  # a consenting participant's name
    "CANARY-ADDR-p3x9": "S",  # their address
    "CANARY-PURPOSE-r5m1": "S",  # free text: a contact's purpose
    "CANARY-NOTE-w2q8": "S",  # free text: a case note
    "CANARY-GP-h4d6": "S",  # GP practice name
    "CANARY-PRIVATE-z8c3": "",  # a private note
    "CANARY-LOCAL-f1v7": "",  # a local column (contact preferences)
    "CANARY-RELPHONE-j6n4": "",  # a local column (a relation's phone)
    "CANARY-UNSHARED-b9t5": "",  # a participant who did not consent to team sharing
    "CANARY-KEPT-c2e8": "SE",  # a kept field (concern category) of an evaluation consenter
    "CANARY-NOEVAL-y3u0": "S",  # a kept field of someone not consenting to evaluation
    "CANARY-RESOURCE-k5s1": "SE",  # the team's resource directory
}


def canary(tag: str) -> str:
    return next(c for c in CANARIES if tag in c)


@dataclass
class Supervisor:
    path: Path
    vault: Vault
    store: Store
    recipient: str

    @classmethod
    def create(cls, tmp_path: Path, name: str = "supervisor") -> Supervisor:
        path = tmp_path / f"{name}.vault"
        vault, _ = Vault.create(path, PASSPHRASE)
        store = vault.store(SyncPolicy())
        keys.make_supervisor(store)
        recipient = keys.new_age_identity(store)
        return cls(path, vault, store, recipient)

    def receive_from(self, laptop: Store, out: Path) -> None:
        """A supervision bundle of ``laptop`` written to ``out`` and imported here."""
        export.export_to_file(laptop, out, kind="supervision", recipients=[self.recipient])
        receive.import_bundle(self.store, out, trust=keys.signing_key(laptop).public.fingerprint)

    def identity(self) -> str:
        with self.store.read() as s:
            found = keys.age_identity(s)
        assert found is not None
        return found

    def content_hash(self) -> str:
        """A hash over every row of every table (what a refused import must not change)."""
        digest = hashlib.sha256()
        with self.store.read() as s:
            names = s.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            ).scalars()
            for name in list(names):
                digest.update(name.encode())
                for row in s.execute(text(f'SELECT * FROM "{name}" ORDER BY 1')):
                    digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()

    def pages(self) -> bytes:
        """Every page of the vault file decrypted (live, free and leftover pages alike)."""
        raw = self.store.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        key = keyfile.unlock_with_passphrase(keyfile.keyfile_path(self.path), PASSPHRASE)
        out = decrypted_pages(self.path, key)
        wal = Path(f"{self.path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        return out


def decrypted(bundle: Path, identity: str) -> bytes:
    return pyrage.decrypt(bundle.read_bytes(), [x25519.Identity.from_str(identity)])


def count(blob: bytes, mark: str) -> int:
    return blob.lower().count(mark.lower().encode())


# -- a worker's laptop ----------------------------------------------------------------------
class Laptop:
    """A worker's vault with helpers that write as casework does (through WriteTx)."""

    def __init__(self, path: Path, vault: Vault) -> None:
        self.path = path
        self.vault = vault
        self.store = vault.store(SyncPolicy())

    @classmethod
    def create(cls, tmp_path: Path, label: str) -> Laptop:
        path = tmp_path / f"{label}.vault"
        vault, _ = Vault.create(path, PASSPHRASE)
        return cls(path, vault)

    def give_programme_key(self, key: str = PROGRAMME_KEY) -> None:
        with self.store.write() as tx:
            state.put(tx.session, keys.PROGRAMME_KEY, key)

    def person(
        self,
        *,
        team: bool = True,
        evaluation: bool = True,
        given_name: str = "Robin",
        family_name: str = "Example",
        born: dt.date = dt.date(1980, 6, 1),
        postcode: str = "G31 2AB",
        source: str = "gp",
        referred: dt.date = dt.date(2026, 4, 10),
        address: str | None = None,
        gp_practice: str | None = None,
        contact_preferences: str | None = None,
        concern: str | None = None,
    ) -> str:
        with self.store.write() as tx:
            p = tx.insert(
                Participant(
                    programme_id=f"P{uuid7()[-8:]}",
                    given_name=given_name,
                    family_name=family_name,
                    date_of_birth=born,
                    postcode=postcode,
                    address=address,
                    gp_practice=gp_practice,
                    contact_preferences=contact_preferences,
                    status="active",
                    referred_on=referred,
                    created_on=referred,
                )
            )
            for scope, given in (("team", team), ("evaluation", evaluation)):
                tx.insert(
                    Consent(
                        participant_id=p.id,
                        scope=scope,
                        given=given,
                        version=1,
                        recorded_on=referred,
                        method="verbal",
                    )
                )
            tx.forget_consent_cache()
            if team:
                _backfill(tx, p)  # as casework does when consent is given: the row syncs
            tx.insert(ReferralIn(participant_id=p.id, received_on=referred, source=source))
            if concern:
                tx.insert(
                    Concern(
                        participant_id=p.id,
                        category=concern,
                        stage="at_referral",
                        identified_on=referred,
                    )
                )
            return p.id

    def contact(self, pid: str, purpose: str | None = None) -> str:
        with self.store.write() as tx:
            return tx.insert(
                Contact(
                    participant_id=pid,
                    kind="appointment",
                    status="attended",
                    scheduled_at=dt.datetime(2026, 5, 3, 10, 0),
                    minutes=30,
                    purpose=purpose,
                )
            ).id

    def note(self, pid: str, body: str, *, private: bool = False) -> str:
        sharing = "private" if private else "team"
        with self.store.write() as tx:
            n = tx.insert(
                Note(participant_id=pid, written_at=dt.datetime(2026, 5, 3, 11), sharing=sharing)
            )
            tx.insert(
                NoteRevision(
                    note_id=n.id,
                    participant_id=pid,
                    revision=1,
                    body=body,
                    written_at=dt.datetime(2026, 5, 3, 11),
                    sharing=sharing,
                )
            )
            return n.id

    def relation(self, pid: str, phone: str) -> None:
        with self.store.write() as tx:
            tx.insert(Relationship(participant_id=pid, kind="family", name="Sam", phone=phone))

    def resource(self, organisation: str, owner: str | None = None) -> None:
        with self.store.write() as tx:
            tx.insert(
                Resource(organisation=organisation, service="Drop-in", area="East", owner=owner)
            )

    def plant_canaries(self) -> dict[str, str]:
        """Every canary of ``CANARIES`` where its rule puts it; returns who is who."""
        shared = self.person(
            given_name=canary("NAME"),
            address=canary("ADDR"),
            gp_practice=canary("GP"),
            contact_preferences=canary("LOCAL"),
            concern=canary("KEPT"),
        )
        # four more like them, so the evaluation's k-anonymity keeps the group (k >= 5)
        for _ in range(4):
            self.person(concern=canary("KEPT"))
        self.contact(shared, purpose=canary("PURPOSE"))
        self.note(shared, canary("NOTE"))
        self.note(shared, canary("PRIVATE"), private=True)
        self.relation(shared, canary("RELPHONE"))
        unshared = self.person(team=False, given_name=canary("UNSHARED"))
        self.note(unshared, canary("UNSHARED"))
        no_eval = self.person(evaluation=False, concern=canary("NOEVAL"))
        # written by a colleague and synced here: the team's directory travels all the same
        self.resource(canary("RESOURCE"), owner=uuid7())
        return {"shared": shared, "unshared": unshared, "no_eval": no_eval}

    def close(self) -> None:
        self.vault.lock()


def pseudonyms_of(kind: str) -> dict[str, Any]:
    """What an evaluation manifest says of its pseudonyms (the kit's programme key)."""
    if kind != "evaluation":
        return {}
    key_id = evaluation.key_id(bytes.fromhex(PROGRAMME_KEY))
    return {"pseudonyms": {"method": "HMAC-SHA256", "key_id": key_id}}


def signed_by_laptop(
    lap: Laptop,
    sup: Supervisor,
    out: Path,
    records: list[dict[str, Any]] | None = None,
    *,
    team: str | None = None,
    extra: dict[str, Any] | None = None,
    kind: str = "supervision",
    now: dt.datetime | None = None,
) -> Path:
    """A bundle (supervision unless ``kind`` says otherwise) sealed and signed with the
    laptop's own key, as its worker's, made at ``now``: ``records`` (the laptop's real
    caseload when None), naming team ``team``, with ``extra`` manifest fields."""
    if records is None:
        with lap.store.read() as s:
            records = export.caseload_changes(s, lap.store.worker_id).changes
    sender = Sender("device", "laptop", lap.store.worker_id, lap.store.device_id, team)
    sealed = seal(
        records,
        kind=kind,
        sender=sender,
        key=keys.signing_key(lap.store),
        recipients=[sup.recipient],
        extra={**pseudonyms_of(kind), **(extra or {})},
        now=now,
    )
    path, _ = sealed.write(out)
    return path


def bundle_of(lap: Laptop, sup: Supervisor, out: Path, kind: str = "supervision") -> Path:
    """The laptop's bundle of ``kind``, made as File › Export for a supervisor… makes it."""
    export.export_to_file(lap.store, out, kind=kind, recipients=[sup.recipient])
    return out


def fingerprint_of(lap: Laptop) -> str:
    """The laptop's signing key's fingerprint, as a supervisor confirms it by phone."""
    return keys.signing_key(lap.store).public.fingerprint


def trusted_by(sup: Supervisor, lap: Laptop, tmp_path: Path) -> None:
    """The laptop's honest first bundle (one person), imported with its key accepted by its
    fingerprint."""
    lap.person()
    first = signed_by_laptop(lap, sup, tmp_path / "first.age")
    receive.import_bundle(sup.store, first, trust=fingerprint_of(lap))


def next_bundle(tmp_path: Path, people: int) -> tuple[Supervisor, Laptop, Path]:
    """A supervisor who trusts a laptop (its first bundle imported), and the laptop's next
    bundle, ``people`` participants more, not yet imported."""
    sup = Supervisor.create(tmp_path)
    lap = Laptop.create(tmp_path, "laptop")
    trusted_by(sup, lap, tmp_path)
    for _ in range(people):
        lap.person()
    return sup, lap, signed_by_laptop(lap, sup, tmp_path / "caseload.age", team="team-north")


def hand_made(
    lap: Laptop,
    sup: Supervisor,
    out: Path,
    records: list[dict[str, Any]],
    *,
    kind: str = "supervision",
    now: dt.datetime | None = None,
    payload: bytes | None = None,
) -> Path:
    """A bundle made as someone holding the laptop could make one by hand: a payload of their
    own, sealed with the real ``age`` tool to the supervisor and signed with the laptop's key
    (both signatures, so the vault's every check of the envelope passes); the standard
    ``minisign`` tool accepts the file. ``payload``: bytes of their own in place of the
    records' lines (the manifest still counts ``records``)."""
    key = keys.signing_key(lap.store)
    if payload is None:
        payload = "".join(json.dumps(r) + "\n" for r in records).encode()
    created = now or now_utc()
    manifest = {
        "format": FORMAT,
        "bundle_id": uuid7(),
        "kind": kind,
        "sender": Sender(
            "device", "laptop", lap.store.worker_id, lap.store.device_id, None
        ).as_manifest(key.public),
        "recipients": [sup.recipient],
        "team_id": None,
        "period": None,
        "created": created.isoformat(),
        "expires": (created + dt.timedelta(days=30)).isoformat(),
        "counts": dict(Counter(str(r.get("table")) for r in records)),
        "records": len(records),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    manifest.update(pseudonyms_of(kind))
    line = canonical(manifest)
    plain = MAGIC + line + b"\n" + base64.b64encode(key.sign(line)) + b"\n" + payload
    return sealed_by_hand(lap, sup, out, plain)


def sealed_by_hand(lap: Laptop, sup: Supervisor, out: Path, plain: bytes) -> Path:
    """``plain`` (a bundle's plaintext, as :func:`hand_made` makes one, or any bytes) sealed
    with the real ``age`` tool to the supervisor, and the file signed with the laptop's key
    (checked with the standard ``minisign`` tool): a file the vault opens, whatever it holds."""
    key = keys.signing_key(lap.store)
    subprocess.run(["age", "-r", sup.recipient, "-o", str(out)], input=plain, check=True)
    Path(f"{out}.minisig").write_text(key.sign_detached(out.read_bytes(), "by hand"))
    pub = out.with_suffix(".pub")
    pub.write_text(key.public.file_text())
    subprocess.run(["minisign", "-Vqm", str(out), "-p", str(pub)], check=True)
    return out


def roster_file(
    path: Path,
    server: SigningKey,
    worker: str | None,
    *laptops: Laptop,
    programme: str | None = None,
) -> Path:
    """Team North's roster, signed by ``server``, listing ``laptops`` as ``worker``'s (each
    laptop's own worker when None), naming ``programme`` (a programme key's id) if given."""
    entries = [
        {"fingerprint": key.fingerprint, "public_key": key.line,
         "worker_id": worker or lap.store.worker_id, "device_id": lap.store.device_id,
         "label": lap.path.stem}
        for lap in laptops
        for key in [keys.signing_key(lap.store).public]
    ]  # fmt: skip
    path.write_text(json.dumps(sign_roster(entries, team_id="team-north", team="North",
                                           key=server, programme=programme)))  # fmt: skip
    return path


def evaluation_records_of(lap: Laptop) -> list[dict[str, Any]]:
    """The pseudonymised records the laptop's evaluation bundle would carry now."""
    with lap.store.read() as s:
        caseload = export.caseload_changes(s, lap.store.worker_id)
    source = evaluation.Source(
        caseload.changes, caseload.erased, bytes.fromhex(PROGRAMME_KEY), None
    )
    return evaluation.evaluation_records(source)[0]
