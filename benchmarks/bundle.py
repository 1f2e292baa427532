"""Make and import a supervision bundle of a 5,000-participant caseload, against the same work
done plainly with JSON lines in the same run (target: at most 3x).

Run: .venv/bin/python benchmarks/bundle.py [--participants 5000]

- The bundle: make it (read the worker's vault, seal, sign, write both files), then import it
  into a supervisor's vault (check every signature, hash and the ledger, then apply through
  sync's page applier with provenance, one commit; the checks are also timed alone).
- The baseline does the same work without the bundle: the same records read out of the
  worker's vault, written as JSON lines, read back and parsed, and the same rows inserted
  into a fresh vault with a raw insert: one executemany per table (the rows, and their
  provenance rows, as the import keeps them), plus the search index as the write path keeps
  it (``benchmarks/sync.py``'s ``index_as_write_path``), one commit.

The target ratio is (make + import) / (read + JSON lines write + read + raw insert), wall
time; the same ratio in CPU seconds, the bare JSON lines write + read ratio, and the bundle
format's own work (seal + open + verify + parse) against the JSON lines are printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sync import index_as_write_path  # type: ignore[import-not-found]

from linksdesk.core.ids import uuid7
from linksdesk.storage.store import Store
from linksdesk.storage.tables import (
    TABLE_BY_NAME,
    Base,
    Consent,
    Contact,
    Note,
    NoteRevision,
    Participant,
    ReferralIn,
)
from linksdesk.storage.vault import Vault
from linksdesk.sync.apply import collector_paused
from linksdesk.sync.bundle import export, format, keys, receive
from linksdesk.sync.policy import SyncPolicy
from linksdesk.sync.protocol import expand_clocks, is_participant_routed
from linksdesk.sync.shapes import SHAPES

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


def rows_of(
    records: list[dict[str, Any]], signer: str, bundle_id: str
) -> dict[str, list[dict[str, Any]]]:
    """The rows the records stand for, as a raw insert takes them (each column's Python
    value, the envelope and per-field clocks as stored), and their provenance rows."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        table, hlc, fields = r["table"], r["hlc"], r["fields"]
        python = SHAPES[table].python
        row = {k: (python[k](v) if k in python else v) for k, v in fields.items()}
        clocks = expand_clocks(r["field_hlc"], hlc) if r["field_hlc"] else {}
        row.update(
            id=r["row_id"],
            owner=r["owner"],
            origin=r["origin"],
            sharing=r["sharing"],
            hlc=hlc,
            deleted=r["op"] == "delete",
            field_hlc={f: clocks.get(f, hlc) for f in fields},
        )
        if is_participant_routed(table) and table != "participant":
            row["participant_id"] = r["participant_id"]
        out.setdefault(table, []).append(row)
        pid = r["row_id"] if table == "participant" else r["participant_id"]
        out.setdefault("imported_row", []).append(
            {
                "table_name": table,
                "row_id": r["row_id"],
                "participant_id": pid,
                "worker_id": r["owner"],
                "signer": signer,
                "bundle_id": bundle_id,
            }
        )
    return out


def raw_insert(store: Store, rows: dict[str, list[dict[str, Any]]]) -> None:
    """One executemany per table straight to the driver (parents first; each column's own
    conversion, Python defaults for columns the rows leave out), the search index; one
    commit, in the transaction an import writes in (foreign keys off, as for pulled rows)."""
    with store.applying() as session:
        conn = session.connection()
        for table in Base.metadata.sorted_tables:
            batch = rows.get(table.name)
            if not batch:
                continue
            names = list(batch[0])
            impl = {n: table.columns[n].type.dialect_impl(conn.dialect) for n in names}
            plan = [(n, impl[n].bind_processor(conn.dialect)) for n in names]
            fixed = {
                c.key: c.default.arg
                for c in table.columns
                if c.key not in batch[0] and c.default is not None and c.default.is_scalar
            }
            quoted = ", ".join(f'"{n}"' for n in [*names, *fixed])
            marks = ", ".join("?" * (len(names) + len(fixed)))
            extra = tuple(fixed.values())
            conn.exec_driver_sql(
                f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})',
                [tuple([r[n] if p is None else p(r[n]) for n, p in plan]) + extra for r in batch],
            )
        index_as_write_path(conn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        worker, _ = Vault.create(folder / "worker.vault", PASSPHRASE)
        sup, _ = Vault.create(folder / "supervisor.vault", PASSPHRASE)
        plain_sup, _ = Vault.create(folder / "plain.vault", PASSPHRASE)
        prov, _ = Vault.create(folder / "provenance.vault", PASSPHRASE)
        try:
            wstore, sstore = worker.store(SyncPolicy()), sup.store(SyncPolicy())
            pstore, prov_store = plain_sup.store(SyncPolicy()), prov.store(SyncPolicy())
            keys.make_supervisor(sstore)
            recipient = keys.new_age_identity(sstore)
            print(f"filling a caseload of {args.participants} participants …")
            fill(wstore, args.participants)
            fp = keys.signing_key(wstore).public.fingerprint

            # -- the bundle: make, then import --
            out = folder / "b.age"
            load = [os.getloadavg()]
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
            load.append(os.getloadavg())

            # -- the baseline: the same records as JSON lines, the same rows raw-inserted --
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
            # the import side of the baseline with the collector paused, as the import runs
            with collector_paused():
                t_read_plain, back = timed(read_plain, "read_plain")
                bundle_id = str(sealed.manifest["bundle_id"])
                t_rows, rows = timed(lambda: rows_of(back, fp, bundle_id), "rows")
                t_insert, _ = timed(lambda: raw_insert(pstore, rows), "insert")
            # (shown, not counted again) the provenance rows' share of the raw insert
            prov_rows = {"imported_row": rows["imported_row"]}
            t_prov, _ = timed(lambda: raw_insert(prov_store, prov_rows), "prov")
            assert same_content(sstore, pstore), "the baseline must store what the import did"
            load.append(os.getloadavg())

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
        finally:
            for v in (worker, sup, plain_sup, prov):
                v.lock()

    plain_io = t_write_plain + t_read_plain
    fmt = t_seal + t_open
    end_to_end = t_make + t_import
    baseline = t_read + plain_io + t_rows + t_insert
    print(f"records: {records} ({args.participants} participants); bundle {len(sealed.data):,} B")
    shown = ["/".join(f"{x:.1f}" for x in avg) for avg in load]
    print(f"load averages (1/5/15 min) before, between, after: {shown}")
    print(f"make bundle (read vault, seal, sign, write):  {t_make:8.2f} s")
    print(
        f"import bundle (check all, apply, provenance): {t_import:8.2f} s"
        f"  ({report.applied} applied; the checks alone {t_check:.2f} s)"
    )
    print(f"baseline read vault:                          {t_read:8.2f} s")
    print(f"baseline JSON lines write + read:             {plain_io:8.2f} s")
    print(
        f"baseline raw insert (rows {t_rows:.2f} s, insert + index + commit {t_insert:.2f} s;"
        f" of which provenance rows ~{t_prov:.2f} s): {t_rows + t_insert:.2f} s"
    )
    print(f"format only: seal {t_seal:.2f} s + open/verify/parse {t_open:.2f} s = {fmt:.2f} s")
    print(f"ratio format / JSON lines write+read:         {fmt / plain_io:8.2f}x")
    print(
        f"ratio make+import / (read + JSON lines + raw insert): {end_to_end / baseline:6.2f}x"
        " (target <= 3x)"
    )
    print(f"ratio make+import / JSON lines write+read:    {end_to_end / plain_io:8.2f}x")
    cpu_plain = CPU["write_plain"] + CPU["read_plain"]
    cpu_base = CPU["read"] + cpu_plain + CPU["rows"] + CPU["insert"]
    cpu_bundle = CPU["make"] + CPU["import"]
    print(
        f"CPU seconds: make {CPU['make']:.2f}, import {CPU['import']:.2f} (checks alone "
        f"{CPU['check']:.2f}); read vault {CPU['read']:.2f}, JSON lines write+read "
        f"{cpu_plain:.2f}, raw insert {CPU['rows'] + CPU['insert']:.2f}"
    )
    print(
        f"CPU ratio make+import / baseline: {cpu_bundle / cpu_base:.2f}x; import alone / "
        f"(JSON lines read + raw insert) "
        f"{CPU['import'] / (CPU['read_plain'] + CPU['rows'] + CPU['insert']):.2f}x; "
        f"make+import / JSON lines write+read {cpu_bundle / cpu_plain:.2f}x"
    )


def same_content(a: Store, b: Store) -> bool:
    """Whether two vaults hold the same number of rows in every table the import writes."""

    def counts(store: Store) -> dict[str, int]:
        with store.engine.connect() as conn:
            names = [*TABLE_BY_NAME, "imported_row", "search_index", "search_key"]
            return {
                n: conn.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar_one() for n in names
            }

    return counts(a) == counts(b)


if __name__ == "__main__":
    main()
