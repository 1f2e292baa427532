"""Bundles made on a laptop and imported into a supervisor's vault: what may be in them, the
standard tools, every refusal (nothing written), exactly-once apply, erasure, provenance."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bundle_kit import (
    CANARIES,
    PROGRAMME_KEY,
    Laptop,
    Supervisor,
    canary,
    count,
    decrypted,
)
from sqlalchemy import select
from sync_kit import erase_participant

from linksdesk.storage.bundle_tables import BundleLedger, EvaluationRecord, ImportedRow
from linksdesk.storage.purge import purge_participant
from linksdesk.storage.store import row_values
from linksdesk.storage.tables import AuditEvent, ErasureReceipt, Participant
from linksdesk.sync.bundle import export, keys, receive
from linksdesk.sync.bundle import format as bundle_format
from linksdesk.sync.bundle.evaluation import pseudonym
from linksdesk.sync.bundle.format import MAGIC, BundleRefused, Sender, seal, sign_roster
from linksdesk.sync.bundle.signing import SigningKey


def make(lap: Laptop, sup: Supervisor, out: Path, kind: str = "supervision", **kw: object) -> Path:
    export.export_to_file(lap.store, out, kind=kind, recipients=[sup.recipient], **kw)  # type: ignore[arg-type]
    return out


def fingerprint(lap: Laptop) -> str:
    return keys.signing_key(lap.store).public.fingerprint


def synced_content(sup: Supervisor) -> list[tuple[object, ...]]:
    """The imported data itself (ordinary tables and provenance), without ledger or audit."""
    out: list[tuple[object, ...]] = []
    with sup.store.read() as s:
        for row in s.scalars(select(Participant).order_by(Participant.id)):
            out.append(tuple(sorted(row_values(row).items())))
        for prov in s.scalars(select(ImportedRow).order_by(ImportedRow.row_id)):
            out.append((prov.table_name, prov.row_id, prov.worker_id))
    return out


# -- what is inside ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["supervision", "evaluation"])
def test_canaries_in_the_decrypted_bundle_follow_the_confidentiality_rules(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, kind: str
) -> None:
    laptop.plant_canaries()
    out = make(laptop, supervisor, tmp_path / f"{kind}.age", kind)
    blob = decrypted(out, supervisor.identity())
    assert blob.startswith(MAGIC)
    letter = kind[0].upper()
    found = {mark: count(blob, mark) for mark in CANARIES}
    allowed = {mark for mark, where in CANARIES.items() if letter in where}
    assert {m for m, n in found.items() if n} == allowed, found
    # the ciphertext itself holds none of them
    raw = out.read_bytes()
    assert all(count(raw, mark) == 0 for mark in CANARIES)


def test_evaluation_bundle_is_pseudonymised_and_states_its_k(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    ids = laptop.plant_canaries()
    out = make(laptop, supervisor, tmp_path / "e.age", "evaluation")
    opened = receive.decrypt(out.read_bytes(), supervisor.identity())
    manifest = opened.manifest
    k = manifest["k_anonymity"]
    assert k["k"] >= 5 and k["target"] == 5
    text = opened.payload.decode()
    for pid in ids.values():
        assert pid not in text  # no raw id anywhere
    people = [r for r in opened.records() if r["table"] == "participant"]
    assert people and all("given_name" not in r["fields"] for r in people)
    assert {r["fields"]["age_band"] for r in people} == {"45-49"}  # born 1980, referred 2026
    assert all(len(r["id"]) == 64 for r in people)


# -- the standard tools -----------------------------------------------------------------------
def test_age_and_minisign_tools_accept_the_files(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    assert shutil.which("age") and shutil.which("minisign"), "install the Debian packages"
    laptop.plant_canaries()
    out = make(laptop, supervisor, tmp_path / "b.age")
    identity = keys.export_identity(supervisor.store, tmp_path / "identity.txt")
    assert identity.stat().st_mode & 0o777 == 0o600
    with pytest.raises(Exception, match="already exists"):
        keys.export_identity(supervisor.store, identity)
    plain = subprocess.run(
        ["age", "-d", "-i", str(identity), str(out)], capture_output=True, check=True
    ).stdout
    assert plain == decrypted(out, supervisor.identity()) and plain.startswith(MAGIC)
    pub = tmp_path / "laptop.pub"
    pub.write_text(keys.signing_key(laptop.store).public.file_text())
    ok = subprocess.run(
        ["minisign", "-Vm", str(out), "-p", str(pub)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    opened = receive.decrypt(out.read_bytes(), supervisor.identity())
    assert f"linksdesk bundle {opened.manifest['bundle_id']} kind supervision" in ok.stdout
    assert f"expires {opened.manifest['expires']}" in ok.stdout
    # and minisign itself refuses the file once one byte changes
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 1
    out.write_bytes(bytes(data))
    bad = subprocess.run(["minisign", "-Vm", str(out), "-p", str(pub)], capture_output=True)
    assert bad.returncode != 0


# -- refusals ---------------------------------------------------------------------------------
def _tamper(path: Path, where: float) -> None:
    data = bytearray(path.read_bytes())
    data[min(int(len(data) * where), len(data) - 1)] ^= 0x20
    path.write_bytes(bytes(data))


REFUSALS = [
    "tampered-start",
    "tampered-middle",
    "tampered-end",
    "tampered-signature",
    "tampered-comment",
    "truncated",
    "signature-missing",
    "wrong-recipient",
    "unknown-signer",
    "wrong-fingerprint",
    "expired",
    "replayed",
]


@pytest.mark.parametrize("case", REFUSALS)
def test_a_bad_bundle_is_refused_and_nothing_changes(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, case: str
) -> None:
    laptop.plant_canaries()
    first = make(laptop, supervisor, tmp_path / "first.age")
    receive.import_bundle(supervisor.store, first, trust=fingerprint(laptop))
    laptop.person(given_name="Later")
    out = tmp_path / "b.age"
    other = Supervisor.create(tmp_path, "other")
    try:
        recipient = other.recipient if case == "wrong-recipient" else supervisor.recipient
        export.export_to_file(laptop.store, out, kind="supervision", recipients=[recipient])
    finally:
        other.vault.lock()
    trust: str | None = None
    now: dt.datetime | None = None
    sig = Path(f"{out}.minisig")
    if case.startswith("tampered-") and case not in ("tampered-signature", "tampered-comment"):
        _tamper(out, {"start": 0.0, "middle": 0.5, "end": 1.0}[case.split("-")[1]])
    elif case == "tampered-signature":
        lines = sig.read_text().splitlines()
        lines[1] = lines[1][:-6] + ("AAAA" if lines[1][-6:-2] != "AAAA" else "BBBB") + lines[1][-2:]
        sig.write_text("\n".join(lines) + "\n")
    elif case == "tampered-comment":
        sig.write_text(sig.read_text().replace("kind supervision", "kind supervisiom"))
    elif case == "truncated":
        out.write_bytes(out.read_bytes()[:-100])
    elif case == "signature-missing":
        sig.unlink()
    elif case == "expired":
        now = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    elif case == "replayed":
        receive.import_bundle(supervisor.store, out)
    if case == "unknown-signer":
        stranger = Laptop.create(tmp_path, "stranger")
        try:
            stranger.person()
            out = tmp_path / "stranger.age"
            make(stranger, supervisor, out)
        finally:
            stranger.close()
    if case == "wrong-fingerprint":
        stranger_out = tmp_path / "s2.age"
        stranger = Laptop.create(tmp_path, "stranger2")
        try:
            stranger.person()
            make(stranger, supervisor, stranger_out)
        finally:
            stranger.close()
        out, trust = stranger_out, fingerprint(laptop)
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(supervisor.store, out, trust=trust, now=now)
    message = str(refused.value)
    assert "Traceback" not in message and "\n" not in message
    if case in ("unknown-signer",):
        assert "fingerprint" in message and "--trust" in message
    if case == "replayed":
        assert "already imported" in message
    if case == "expired":
        assert "expired" in message
    assert supervisor.content_hash() == before


# -- applying ---------------------------------------------------------------------------------
def test_twice_imported_changes_nothing_and_a_newer_bundle_updates(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    pid = laptop.person(given_name="Morag")
    laptop.contact(pid, purpose="benefits form")
    report = receive.import_bundle(
        supervisor.store, make(laptop, supervisor, tmp_path / "1.age"), trust=fingerprint(laptop)
    )
    assert report.applied > 0 and report.trusted_now
    content = synced_content(supervisor)
    # the same records again in a second bundle: the applier takes nothing
    again = receive.import_bundle(supervisor.store, make(laptop, supervisor, tmp_path / "2.age"))
    assert again.applied == 0 and again.unchanged == report.applied
    assert synced_content(supervisor) == content
    # a newer bundle from the same laptop updates the row
    with laptop.store.write() as tx:
        row = tx.session.get(Participant, pid)
        assert row is not None
        tx.update(row, given_name="Morag Ann")
    newer = receive.import_bundle(supervisor.store, make(laptop, supervisor, tmp_path / "3.age"))
    assert newer.applied == 1
    with supervisor.store.read() as s:
        got = s.get(Participant, pid)
        assert got is not None and got.given_name == "Morag Ann"


def test_an_erasure_in_a_later_bundle_purges_earlier_imports(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    ids = laptop.plant_canaries()
    receive.import_bundle(
        supervisor.store, make(laptop, supervisor, tmp_path / "1.age"), trust=fingerprint(laptop)
    )
    assert count(supervisor.pages(), canary("NAME")) > 0
    assert count(supervisor.pages(), canary("NOTE")) > 0
    pid = ids["shared"]
    erase_participant(laptop.store, pid, dt.datetime(2026, 6, 1, 9))
    report = receive.import_bundle(supervisor.store, make(laptop, supervisor, tmp_path / "2.age"))
    assert report.erased == 1
    pages = supervisor.pages()
    for mark in ("NAME", "ADDR", "NOTE", "PURPOSE", "GP"):
        assert count(pages, canary(mark)) == 0, mark
    with supervisor.store.read() as s:
        assert s.get(Participant, pid) is None
        assert s.scalars(select(ErasureReceipt).where(ErasureReceipt.participant_id == pid)).all()
        assert not s.scalars(select(ImportedRow).where(ImportedRow.participant_id == pid)).all()
    # an older bundle brought back later cannot bring the person back
    first_again = tmp_path / "old.age"
    shutil.copy(tmp_path / "1.age", first_again)
    shutil.copy(tmp_path / "1.age.minisig", f"{first_again}.minisig")
    with pytest.raises(BundleRefused, match="already imported"):
        receive.import_bundle(supervisor.store, first_again)


def test_two_workers_stay_apart_and_audit_logs_record_both_sides(
    tmp_path: Path, supervisor: Supervisor
) -> None:
    laptops = [Laptop.create(tmp_path, f"worker{i}") for i in range(2)]
    try:
        owners = {}
        bundles = []
        for i, lap in enumerate(laptops):
            owners[lap.person(given_name=f"Person{i}")] = lap.store.worker_id
            bundles.append(make(lap, supervisor, tmp_path / f"w{i}.age"))
            receive.import_bundle(supervisor.store, bundles[-1], trust=fingerprint(lap))
        with supervisor.store.read() as s:
            query = select(ImportedRow).where(ImportedRow.table_name == "participant")
            prov = {r.row_id: r.worker_id for r in s.scalars(query)}
            assert prov == owners and len(set(prov.values())) == 2
            for pid, worker in owners.items():
                row = s.get(Participant, pid)
                assert row is not None and row.owner == worker
            imported = s.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
            ledger = s.scalars(select(BundleLedger)).all()
        assert {e.entity_id for e in imported} == {row.bundle_id for row in ledger}
        assert all(row.counts and row.signer for row in ledger)
        with laptops[0].store.read() as s:
            made = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
            assert [e.entity for e in made] == ["bundle:supervision"]
    finally:
        for lap in laptops:
            lap.close()


def test_evaluation_import_is_kept_apart_and_pseudonymised(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    laptop.plant_canaries()
    before = supervisor.content_hash()
    report = receive.import_bundle(
        supervisor.store,
        make(laptop, supervisor, tmp_path / "e.age", "evaluation"),
        trust=fingerprint(laptop),
    )
    assert report.applied > 0 and supervisor.content_hash() != before
    with supervisor.store.read() as s:
        assert s.scalars(select(Participant)).all() == []  # no identifiable row
        people = s.scalars(
            select(EvaluationRecord).where(EvaluationRecord.table_name == "participant")
        ).all()
    assert len(people) == 5  # the shared one and four alike; not the others
    pages = supervisor.pages()
    for mark, where in CANARIES.items():
        assert (count(pages, mark) > 0) == ("E" in where), mark


def test_only_a_supervisor_vault_imports_and_keys_are_never_replaced(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    laptop.person()
    out = make(laptop, supervisor, tmp_path / "b.age")
    with pytest.raises(Exception, match="supervisor"):
        receive.import_bundle(laptop.store, out, trust=fingerprint(laptop))
    with pytest.raises(Exception, match="already has a bundle key"):
        keys.new_age_identity(supervisor.store)
    with pytest.raises(Exception, match="supervisor"):
        keys.new_age_identity(laptop.store)
    shown = keys.show(supervisor.store)
    assert shown.recipient == supervisor.recipient and shown.kind == "supervisor"
    assert shown.signing.line.startswith("RW") and len(shown.signing.fingerprint) == 16
    assert os.path.exists(f"{out}.minisig")


def _erase_on(lap: Laptop, pid: str) -> None:
    with lap.store.write() as tx:  # as casework's erasure does: purge, receipt, command
        removed = purge_participant(tx.session, pid)
        tx.insert(
            ErasureReceipt(
                participant_id=pid, erased_at=dt.datetime(2026, 6, 1, 9), rows_removed=removed
            )
        )


def test_evaluation_rows_never_join_names_and_an_erasure_reaches_them(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    ids = laptop.plant_canaries()
    fp = fingerprint(laptop)
    receive.import_bundle(supervisor.store, make(laptop, supervisor, tmp_path / "s.age"), trust=fp)
    receive.import_bundle(
        supervisor.store, make(laptop, supervisor, tmp_path / "e1.age", "evaluation")
    )
    with supervisor.store.read() as s:
        names = set(s.scalars(select(Participant.id)))
        keys_held = set(s.scalars(select(EvaluationRecord.participant_key)))
        assert names and keys_held and not names & keys_held
    pages = supervisor.pages()
    assert count(pages, PROGRAMME_KEY) == 0  # the key to the pseudonyms never arrives
    gone = pseudonym(bytes.fromhex(PROGRAMME_KEY), ids["shared"])
    assert gone in keys_held
    _erase_on(laptop, ids["shared"])
    report = receive.import_bundle(
        supervisor.store, make(laptop, supervisor, tmp_path / "e2.age", "evaluation")
    )
    assert report.erased == 1
    with supervisor.store.read() as s:
        left = s.scalars(
            select(EvaluationRecord).where(EvaluationRecord.participant_key == gone)
        ).all()
        receipt = s.get(EvaluationRecord, ("erasure_receipt", gone))
    assert left == [] and receipt is not None


def test_a_period_keeps_only_cases_open_in_it(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    inside = laptop.person(referred=dt.date(2026, 5, 2))
    later = laptop.person(referred=dt.date(2026, 10, 1))
    out = make(laptop, supervisor, tmp_path / "p.age", period=("2026-04", "2026-09"))
    opened = receive.decrypt(out.read_bytes(), supervisor.identity())
    people = {r["row_id"] for r in opened.records() if r["table"] == "participant"}
    assert people == {inside} and later not in opened.payload.decode()
    assert opened.manifest["period"] == ["2026-04", "2026-09"]


def test_a_laptop_cannot_vouch_for_other_signers(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    key = keys.signing_key(laptop.store)
    stranger = SigningKey.generate().public
    roster = sign_roster(
        [{"fingerprint": stranger.fingerprint, "public_key": stranger.line}],
        team_id="team",
        team="North",
        key=key,
    )
    sender = Sender("device", "laptop", laptop.store.worker_id, laptop.store.device_id, None)
    sealed = seal(
        [],
        kind="supervision",
        sender=sender,
        key=key,
        recipients=[supervisor.recipient],
        extra={"roster": roster},
    )
    out, _ = sealed.write(tmp_path / "forged.age")
    before = supervisor.content_hash()
    with pytest.raises(BundleRefused, match="Only the programme's server"):
        receive.import_bundle(supervisor.store, out, trust=key.public.fingerprint)
    assert supervisor.content_hash() == before


# -- the records' clocks: compact in format 2, written out in format 1 (still read) ----------
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
        monkeypatch.setattr(bundle_format, "FORMAT", 1)
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
