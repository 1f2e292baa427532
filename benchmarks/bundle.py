"""Make and import a supervision bundle of a 5,000-participant caseload, against writing and
reading the same records as plain JSON lines in the same run (target: at most 3x).

Run: .venv/bin/python benchmarks/bundle.py [--participants 5000]

Figures printed: the time to make the bundle (read the vault, seal, sign, write both files),
to import it (check every signature, hash and the ledger, then apply through sync's page
applier into a supervisor's vault; the checks are also timed alone), and the baseline: the
same records read from the vault, written as JSON lines, read back and parsed. Two ratios:
the bundle's own format work (seal + open + verify + parse) against the JSON-lines write +
read, and the whole make + import against baseline + the same apply without any checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")

from linksdesk.core.ids import uuid7
from linksdesk.storage.store import Store
from linksdesk.storage.tables import (
    Consent,
    Contact,
    Note,
    NoteRevision,
    Participant,
    ReferralIn,
)
from linksdesk.storage.vault import Vault
from linksdesk.sync.apply import ApplyContext, PageApplier
from linksdesk.sync.bundle import export, format, keys, receive
from linksdesk.sync.policy import SyncPolicy
from linksdesk.sync.protocol import ServerChange

PASSPHRASE = "benchmark passphrase for bundles"


def fill(store: Store, participants: int) -> None:
    day = dt.date(2026, 4, 1)
    for start in range(0, participants, 500):
        rows: list[object] = []
        with store.write() as tx:
            for i in range(start, min(start + 500, participants)):
                pid = uuid7()
                rows.append(
                    Participant(
                        id=pid,
                        programme_id=f"P{i:06d}",
                        given_name=f"Given{i}",
                        family_name=f"Family{i}",
                        date_of_birth=dt.date(1950 + i % 50, 1 + i % 12, 1),
                        postcode=f"G3{i % 10} {i % 9 + 1}AB",
                        address=f"{i} Synthetic Street",
                        status="active",
                        referred_on=day,
                        created_on=day,
                    )
                )
                for scope in ("team", "evaluation"):
                    rows.append(
                        Consent(
                            participant_id=pid,
                            scope=scope,
                            given=True,
                            version=1,
                            recorded_on=day,
                            method="verbal",
                        )
                    )
                rows.append(ReferralIn(participant_id=pid, received_on=day, source="gp"))
                for k in range(2):
                    rows.append(
                        Contact(
                            participant_id=pid,
                            kind="appointment",
                            status="attended",
                            scheduled_at=dt.datetime(2026, 5, 1 + k, 10),
                            minutes=45,
                            purpose="Talked through the benefits forms and next steps together.",
                        )
                    )
                note = Note(id=uuid7(), participant_id=pid, written_at=dt.datetime(2026, 5, 1, 11))
                rows.append(note)
                rows.append(
                    NoteRevision(
                        note_id=note.id,
                        participant_id=pid,
                        revision=1,
                        body="A synthetic case note of ordinary length. " * 8,
                        written_at=dt.datetime(2026, 5, 1, 11),
                    )
                )
            tx.insert_many(rows)  # type: ignore[arg-type]


CPU: dict[str, float] = {}  # CPU seconds of this process per step: steadier than wall time
# on a shared machine


def timed(fn, name: str = ""):  # type: ignore[no-untyped-def]
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    if name:
        CPU[name] = time.process_time() - cpu
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        worker, _ = Vault.create(folder / "worker.vault", PASSPHRASE)
        sup, _ = Vault.create(folder / "supervisor.vault", PASSPHRASE)
        plain_sup, _ = Vault.create(folder / "plain.vault", PASSPHRASE)
        try:
            wstore, sstore = worker.store(SyncPolicy()), sup.store(SyncPolicy())
            pstore = plain_sup.store(SyncPolicy())
            keys.make_supervisor(sstore)
            recipient = keys.new_age_identity(sstore)
            print(f"filling a caseload of {args.participants} participants …")
            fill(wstore, args.participants)
            fp = keys.signing_key(wstore).public.fingerprint

            # -- the bundle: make, then import --
            out = folder / "b.age"
            load = [os.getloadavg()[0]]
            t_make, sealed = timed(
                lambda: export.export_to_file(
                    wstore, out, kind="supervision", recipients=[recipient]
                ),
                "make",
            )
            # the checks alone (they write nothing): verify, decrypt, hash, parse, validate
            t_check, _ = timed(lambda: receive.check(sstore, out, trust=fp), "check")
            t_import, report = timed(lambda: receive.import_bundle(sstore, out, trust=fp), "import")
            records = sum(sealed.manifest["counts"].values())

            # -- the baseline: the same records as plain JSON lines --
            plain = folder / "plain.jsonl"

            def read_vault() -> list[dict[str, object]]:
                with wstore.read() as s:
                    caseload = export.caseload_changes(s, wstore.worker_id)
                return caseload.changes + caseload.receipts

            t_read, changes = timed(read_vault, "read")

            def write_plain() -> None:
                with plain.open("w", encoding="utf-8") as fh:
                    for rec in changes:
                        fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
                        fh.write("\n")

            def read_plain() -> list[dict[str, object]]:
                with plain.open(encoding="utf-8") as fh:
                    return [json.loads(line) for line in fh]

            t_write_plain, _ = timed(write_plain, "write_plain")
            t_read_plain, back = timed(read_plain, "read_plain")

            def apply_plain() -> None:
                parsed = [
                    ServerChange.model_validate({**r, "server_seq": n + 1})
                    for n, r in enumerate(back)
                ]
                with pstore.applying() as s:
                    ctx = ApplyContext(
                        pstore.device_id, pstore.worker_id, lambda: pstore.clock.now().encode()
                    )
                    for start in range(0, len(parsed), receive.PAGE):
                        PageApplier(s, ctx).apply(parsed[start : start + receive.PAGE])

            t_apply_plain, _ = timed(apply_plain, "apply_plain")

            # -- the format alone: seal + open + verify + parse, same records --
            key = keys.signing_key(wstore)
            with sstore.read() as s:
                identity = keys.age_identity(s)
            assert identity is not None
            sender = format.Sender("device", "bench", wstore.worker_id, wstore.device_id, None)
            t_seal, again = timed(
                lambda: format.seal(
                    changes, kind="supervision", sender=sender, key=key, recipients=[recipient]
                )
            )

            def open_all() -> int:
                opened = format.decrypt(again.data, identity)
                format.verify_opened(opened, key=key.public, recipient=recipient)
                sig = format.DetachedSignature.parse(again.signature)
                sig.verify(again.data, key.public)
                return sum(1 for _ in opened.records())

            t_open, n = timed(open_all)
            assert n == records == len(back)
            load.append(os.getloadavg()[0])
        finally:
            for v in (worker, sup, plain_sup):
                v.lock()

    plain_io = t_write_plain + t_read_plain
    fmt = t_seal + t_open
    end_to_end = t_make + t_import
    baseline = t_read + plain_io + t_apply_plain
    print(f"records: {records} ({args.participants} participants); bundle {len(sealed.data):,} B")
    print(f"load averages before and after: {[round(x, 1) for x in load]}")
    print(f"make bundle (read vault, seal, sign, write):  {t_make:8.2f} s")
    print(
        f"import bundle (check all, apply, provenance): {t_import:8.2f} s"
        f"  ({report.applied} applied)"
    )
    print(f"baseline read vault:                          {t_read:8.2f} s")
    print(f"baseline JSON lines write + read:             {plain_io:8.2f} s")
    print(f"baseline apply of the JSON lines (no checks): {t_apply_plain:8.2f} s")
    print(f"format only: seal {t_seal:.2f} s + open/verify/parse {t_open:.2f} s = {fmt:.2f} s")
    print(f"ratio format / JSON lines write+read:         {fmt / plain_io:8.2f}x (target <= 3x)")
    print(f"ratio make+import / (read+JSON lines+apply):  {end_to_end / baseline:8.2f}x")
    print(
        f"ratio make+import / JSON lines write+read:    {end_to_end / plain_io:8.2f}x"
        "  (the apply into the vault dominates)"
    )
    cpu_plain = CPU["write_plain"] + CPU["read_plain"]
    print(
        f"CPU seconds: make {CPU['make']:.2f}, import {CPU['import']:.2f}, read vault "
        f"{CPU['read']:.2f}, JSON lines write+read {cpu_plain:.2f}, apply of the JSON lines "
        f"{CPU['apply_plain']:.2f}"
    )
    print(
        f"CPU of the import's checks alone (verify, decrypt, hash, parse, validate): "
        f"{CPU['check']:.2f} ({t_check:.2f} s wall); the rest of the import (apply, "
        f"provenance, commit): {CPU['import'] - CPU['check']:.2f}"
    )
    print(
        f"CPU ratio make+import / JSON lines write+read: "
        f"{(CPU['make'] + CPU['import']) / cpu_plain:6.2f}x; import alone "
        f"{CPU['import'] / cpu_plain:.2f}x; make alone {CPU['make'] / cpu_plain:.2f}x; the "
        f"apply of the JSON lines alone {CPU['apply_plain'] / cpu_plain:.2f}x"
    )


if __name__ == "__main__":
    main()
