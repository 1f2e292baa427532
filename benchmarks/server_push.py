"""The server's side of a first sync: a caseload's changes pushed in batches, against a raw insert.

Run: .venv/bin/python benchmarks/server_push.py [--participants 1000] [--db URL] [--rounds 2]
     [--json]

A first sync seen from the server alone, with no HTTP and no device: N participants, each
a team consent, the participant and 12 contacts (14 changes; 1,000 → 14,000 changes), pushed
through the server's push step (``linksdesk.server.exchange.push``: checks, consent gate,
merge, sealing, change log, answers, digests, one transaction per batch of ``MAX_BATCH``)
by an enrolled device. Baseline, in the same run: the same rows written straight into a
fresh server database (records, change log and access rows, one transaction, no checks,
no sealing), as ``benchmarks/sync.py``'s raw insert does. Rounds alternate the two, on a
fresh database each; figures are medians, with the process's CPU time beside wall time (it
varies far less on a shared machine). The process's collector is set as ``serve`` sets a
serving process's (``linksdesk.server.app.tune_collector``). SQLite in a temporary folder
by default; ``--db`` takes a PostgreSQL address and makes (and drops) a database of its own
beside it. Synthetic data only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")

from sqlalchemy import create_engine, insert
from sqlalchemy.engine import make_url

import linksdesk
from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.server import admin, exchange
from linksdesk.server.app import tune_collector
from linksdesk.server.db import Database, init_database
from linksdesk.server.models import ChangeLog, ParticipantAccess, Record
from linksdesk.sync.protocol import MAX_BATCH, EnrolRequest, PushRequest

CONTACTS = 12


@contextmanager
def fresh_database(pg: str | None, folder: Path) -> Iterator[str]:
    """A new, initialised server database: a SQLite file, or one beside ``pg``."""
    if pg is None:
        url = f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
        init_database(url)
        yield url
        return
    name = f"linksdesk_bench_{uuid.uuid4().hex[:10]}"
    root = create_engine(pg, isolation_level="AUTOCOMMIT")
    try:
        with root.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = make_url(pg).set(database=name).render_as_string(hide_password=False)
        init_database(url)
        yield url
    finally:
        with root.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        root.dispose()


def programme(db: Database) -> exchange.DeviceContext:
    team = admin.add_team(db, f"Team {uuid7()[-6:]}")
    worker = admin.add_worker(db, team, f"Worker {uuid7()[-6:]}")
    code = admin.make_enrol_code(db, worker).code
    device = admin.enrol(db, EnrolRequest(code=code, label="benchmark laptop")).device_id
    return exchange.DeviceContext(device, worker, team, "worker")


def caseload(ctx: exchange.DeviceContext, participants: int) -> list[dict[str, Any]]:
    """A first sync's changes as a device sends them: each consent before its content."""
    clock = HybridClock(ctx.device_id)

    def change(table: str, pid: str, fields: dict[str, Any], row_id: str | None = None) -> Any:
        return {
            "change_id": uuid7(), "table": table, "row_id": row_id or uuid7(), "op": "upsert",
            "hlc": clock.now().encode(), "origin": ctx.device_id, "owner": ctx.worker_id,
            "participant_id": pid, "sharing": "team", "participant_shared": True,
            "fields": fields, "base": {},
        }  # fmt: skip

    out = []
    for _ in range(participants):
        pid = uuid7()
        consent = {
            "scope": "team",
            "given": True,
            "version": 1,
            "method": "verbal",
            "recorded_on": "2026-01-05",
        }
        out.append(change("consent", pid, {**consent, "participant_id": pid}))
        person = {
            "programme_id": "P1",
            "given_name": "Sam",
            "family_name": "Example",
            "status": "active",
            "created_on": "2026-01-05",
        }
        out.append(change("participant", pid, person, row_id=pid))
        for i in range(CONTACTS):
            contact = {
                "kind": "phone",
                "status": "attended",
                "scheduled_at": "2026-01-05T10:00:00",
                "purpose": f"Check in {i}",
                "minutes": 15,
            }
            out.append(change("contact", pid, {**contact, "participant_id": pid}))
    return out


def timed(fn: Any) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def push_all(url: str, participants: int) -> tuple[float, float]:
    db = Database(url)
    try:
        ctx = programme(db)
        changes = caseload(ctx, participants)
        batches = [
            PushRequest.model_validate(
                {"batch_key": uuid7(), "changes": changes[i : i + MAX_BATCH]}
            )
            for i in range(0, len(changes), MAX_BATCH)
        ]

        def run() -> None:
            for req in batches:
                answer = exchange.push(db, ctx, req)
                assert all(r.status.value == "applied" for r in answer.results)

        return timed(run)
    finally:
        db.dispose()


def raw_insert(url: str, participants: int) -> tuple[float, float]:
    db = Database(url)
    try:
        ctx = programme(db)
        changes = caseload(ctx, participants)

        def run() -> None:
            now = int(time.time() * 1000)
            records, log, access = [], [], {}
            for seq, ch in enumerate(changes, start=1):
                records.append(
                    {"table_name": ch["table"], "row_id": ch["row_id"], "team_id": ctx.team_id,
                     "owner": ctx.worker_id, "participant_id": ch["participant_id"],
                     "sharing": "team", "deleted": False, "hlc": ch["hlc"],
                     "origin": ch["origin"], "fields": ch["fields"],
                     "field_hlc": dict.fromkeys(ch["fields"], ch["hlc"]), "server_seq": seq}
                )  # fmt: skip
                log.append(
                    {"server_seq": seq, "change_id": ch["change_id"], "table_name": ch["table"],
                     "row_id": ch["row_id"], "team_id": ctx.team_id, "owner": ctx.worker_id,
                     "participant_id": ch["participant_id"], "extra_worker": None,
                     "payload": ch, "created_ms": now}
                )  # fmt: skip
                access[ch["participant_id"]] = {
                    "participant_id": ch["participant_id"], "worker_id": ctx.worker_id,
                    "team_id": ctx.team_id, "mode": "owner", "since_ms": now,
                }  # fmt: skip
            with db.writing() as s:
                for i in range(0, len(records), 2000):
                    s.execute(insert(Record), records[i : i + 2000])
                    s.execute(insert(ChangeLog), log[i : i + 2000])
                s.execute(insert(ParticipantAccess), list(access.values()))

        return timed(run)
    finally:
        db.dispose()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--participants", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--db", help="PostgreSQL address (default: SQLite in a temporary folder)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    pushes: list[tuple[float, float]] = []
    raws: list[tuple[float, float]] = []
    tune_collector()  # as in a serving process
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="linksdesk-push-") as tmp:
        for r in range(args.rounds):
            order = (pushes, raws) if r % 2 == 0 else (raws, pushes)
            for out in order:
                fn = push_all if out is pushes else raw_insert
                with fresh_database(args.db, Path(tmp)) as url:
                    out.append(fn(url, args.participants))
            load.append(os.getloadavg()[0])
    med = {
        "push_wall_s": statistics.median(w for w, _ in pushes),
        "push_cpu_s": statistics.median(c for _, c in pushes),
        "raw_wall_s": statistics.median(w for w, _ in raws),
        "raw_cpu_s": statistics.median(c for _, c in raws),
    }
    result = {
        "code": str(Path(linksdesk.__file__).parent),
        "database": "postgresql" if args.db else "sqlite",
        "participants": args.participants,
        "changes": args.participants * (2 + CONTACTS),
        "batches_of": MAX_BATCH,
        **{k: round(v, 3) for k, v in med.items()},
        "ratio_wall": round(med["push_wall_s"] / med["raw_wall_s"], 1),
        "ratio_cpu": round(med["push_cpu_s"] / med["raw_cpu_s"], 1),
        "load_average": [round(x, 1) for x in load],
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(
            f"server push of a first sync ({result['changes']} changes, {result['database']}): "
            f"{med['push_wall_s']:.2f} s wall / {med['push_cpu_s']:.2f} s CPU; raw insert "
            f"{med['raw_wall_s']:.2f} s / {med['raw_cpu_s']:.2f} s; ratio {result['ratio_wall']}x "
            f"wall, {result['ratio_cpu']}x CPU; load average {result['load_average']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
