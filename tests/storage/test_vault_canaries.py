"""Planted canary strings never reach disk readable: not in the vault, its WAL, or beside it."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from sqlalchemy import text
from vault_kit import PASSPHRASE, add_note, add_participant, data_key, side_files

from linksdesk.core.vocab import AuditAction
from linksdesk.storage import keyfile
from linksdesk.storage.tables import Draft, Goal, Resource
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy

CANARIES = {
    "given_name": "Zebedee-CANARY-GIVEN-7Q2",
    "family_name": "Strathcarron-CANARY-FAMILY-9K4",
    "phone": "07700 900 CANARY 118",
    "address": "12 Wharf Lane CANARY-ADDR-5T1",
    "risk_summary": "CANARY-RISK lives alone, dog bites",
    "note": "CANARY-NOTE-3H8 told me about the debt letters from the factor",
    "goal": "CANARY-GOAL-6P0 swim once a week again",
    "resource": "CANARY-RESOURCE-2W7 Men's Shed of Auchtermuchty",
    "draft": "CANARY-DRAFT-1Z9 half-written thoughts about the visit",
}


def _encodings(secret: str) -> list[bytes]:
    # as the database could store text (UTF-8) or a platform might (UTF-16), and a part of it
    core = next(w for w in secret.split() if "CANARY" in w)
    return [
        enc
        for s in {secret, core}
        for enc in (s.encode("utf-8"), s.encode("utf-16-le"), s.encode("utf-16-be"))
    ]


def _leaks(folder: Path, secrets: list[str]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for secret in secrets:
            if any(enc in data for enc in _encodings(secret)):
                found.append(f"{path.name}: {secret[:12]}…")
        # a case-insensitive look as well, for anything that upper- or lower-cases text
        if b"canary" in data.lower():
            found.append(f"{path.name}: 'canary' in some case")
    return found


def _write_everything(vault: Vault) -> None:
    store = vault.store(SyncPolicy())
    with store.write() as tx:
        person = add_participant(
            tx,
            given_name=CANARIES["given_name"],
            family_name=CANARIES["family_name"],
            phone=CANARIES["phone"],
            address=CANARIES["address"],
            risk_summary=CANARIES["risk_summary"],
        )
        add_note(tx, person.id, CANARIES["note"])
        tx.insert(
            Goal(
                participant_id=person.id,
                title=CANARIES["goal"],
                set_on=person.created_on,
            )
        )
        tx.insert(Resource(organisation=CANARIES["resource"], service="Woodwork"))
        tx.session.merge(
            Draft(
                key=f"note/{person.id}/new",
                body=CANARIES["draft"],
                updated_at=dt.datetime(2026, 3, 2, 11, 0),
            )
        )
        tx.audit(AuditAction.VIEW, "participant", person.id)
    # enough further writes that the WAL holds many frames when it is checked
    for i in range(30):
        with store.write() as tx:
            add_note(tx, person.id, f"{CANARIES['note']} follow-up {i}")


def test_canaries_are_nowhere_in_the_vault_folder_while_open_and_after_lock(
    vault_path: Path,
) -> None:
    vault, recovery = Vault.create(vault_path, PASSPHRASE)
    try:
        _write_everything(vault)
        # while open: the main file, the -wal holding the recent writes, and the -shm
        assert side_files(vault_path) == ["-wal", "-shm"]
        assert Path(f"{vault_path}-wal").stat().st_size > 50_000
        assert _leaks(vault_path.parent, list(CANARIES.values())) == []
        # the canaries really are in the vault (so the scan above was looking for real data)
        with vault.store().read() as s:
            names = s.execute(text("SELECT given_name FROM participant")).scalars().all()
            assert names == [CANARIES["given_name"]]
    finally:
        vault.lock()

    assert side_files(vault_path) == []
    assert _leaks(vault_path.parent, list(CANARIES.values())) == []
    assert sorted(p.name for p in vault_path.parent.iterdir()) == [
        vault_path.name,
        vault_path.name + ".key",
    ]

    # the key file holds neither the passphrase nor the data key, in any usual spelling
    key = data_key(vault_path)
    kdata = keyfile.keyfile_path(vault_path).read_bytes()
    for needle in (
        PASSPHRASE.encode(),
        PASSPHRASE.encode("utf-16-le"),
        key,
        key.hex().encode(),
        key.hex().upper().encode(),
        base64.b64encode(key),
        base64.urlsafe_b64encode(key).rstrip(b"="),
        recovery.encode(),
        recovery.replace("-", "").encode(),
    ):
        assert needle not in kdata
    # nor does the vault file (the raw key is never stored in it)
    vdata = vault_path.read_bytes()
    assert key not in vdata and key.hex().encode() not in vdata
