"""How many links workers one sync server carries: simulated devices against 2 server processes.

Run: .venv/bin/python benchmarks/server_load.py [--devices 200] [--teams 20] [--seconds 60]
     [--workers 2] [--big 5000] [--max-requests 200000] [--db URL] [--json]

Loopback only (127.0.0.1), bounded in time (``--seconds``, then every device stops after its
current sync) and in requests (``--max-requests``), and it stops by itself.

- The server: ``linksdesk-server serve --workers 2`` (two uvicorn processes on one port) over
  a fresh PostgreSQL database (``--db`` or ``$LINKSDESK_TEST_PG_URL``; the benchmark creates
  and drops a database of its own beside it).
- The programme: ``--teams`` teams, ``--devices`` workers spread over them, one laptop each,
  enrolled through ``/v1/enrol`` with real one-time codes.
- The devices: each speaks the sync protocol over HTTP as LinksDesk does (handshake, push in
  batches, pull every page, verify). Their changes are what LinksDesk's own write path
  queues: a real vault records a day's work for two new participants through the casework
  API (consent to share, referral in, contacts, case notes, a goal with steps, a concern), and
  its outbox is the template each device sends with its own ids, clock and worker.
  First sync: that day's work (~30 changes). Then, after a random pause (``--pause``, mean 30
  s: a busy worker saving every half minute; 2 s is a stress test beyond any real day), each
  sync sends 1-4 new changes (a contact and its note on one of its participants) and pulls. One
  push in 20 is sent twice with the same batch key, as a laptop does when an answer is lost.
- ``--big N``: one more device holds an N-participant caseload recorded offline (~15 changes
  a participant) and makes its first sync while the others run; its duration is reported.
- After the run, the server database is checked: every change the server accepted is in its
  record table (lost), and no change id is logged twice (duplicated).

Figures: syncs per second, sync latency p50/p95/p99 (handshake to verify), per-endpoint
request latency, errors, lost and duplicated changes. Baseline, in the same run before the
load: one more device makes the same kind of syncs alone (``--baseline-syncs``), and the
loaded p95 is given as a ratio of its p50. Target: 0 errors, 0 lost, 0 duplicated,
p95 under 1 s. Synthetic data only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")  # the template vault's unlock

import httpx
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linksdesk.core.ids import uuid7  # noqa: E402
from linksdesk.server import admin  # noqa: E402
from linksdesk.server.db import Database, init_database  # noqa: E402
from linksdesk.server.models import ChangeLog, Record  # noqa: E402
from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION  # noqa: E402

PG_ENV = "LINKSDESK_TEST_PG_URL"
UUID_LEN = 36


# -- the template: a day's work as LinksDesk's write path queues it ----------------------
def day_template(participants: int = 2) -> tuple[list[dict[str, Any]], str, str]:
    """Changes (protocol dicts) a real vault queues for a day's work; with its worker/device."""
    import datetime as dt

    from linksdesk.casework import concerns, consent, contacts, goals, notes, referrals
    from linksdesk.casework import participants as people
    from linksdesk.casework.casebook import Casebook
    from linksdesk.storage.tables import Outbox

    folder = Path(tempfile.mkdtemp(prefix="linksdesk-load-"))
    try:
        cb, _ = Casebook.create(folder / "template.vault", "template passphrase for load")
        try:
            day = dt.date(2026, 3, 2)
            for i in range(participants):
                p = people.create_participant(
                    cb, given_name=f"Sample{i}", family_name="Person", phone="07700 900000"
                ).value
                consent.record_consent(cb, p.id, "team", True)
                referrals.record_referral(cb, p.id, source="gp", reason="low mood, isolated")
                c = contacts.record_contact(
                    cb, p.id, kind="appointment", at=dt.datetime(2026, 3, 2, 10 + i), minutes=45
                ).value
                notes.write_note(cb, p.id, "Talked about the walking group.", contact_id=c.id)
                notes.write_note(cb, p.id, "Phoned the food bank together.")
                g = goals.set_goal(cb, p.id, "Join the walking group", set_on=day).value
                goals.add_step(cb, g.id, "Visit the group once")
                goals.add_step(cb, g.id, "Go three weeks running")
                concerns.add_concern(cb, p.id, "Isolation")
            with cb.store.read() as s:
                rows = list(s.scalars(select(Outbox).order_by(Outbox.seq)))
                changes = [_as_change(r, cb.worker_id) for r in rows]
            return changes, cb.worker_id, cb.device_id
        finally:
            cb.lock()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _as_change(row: Any, worker: str) -> dict[str, Any]:
    """What the sync engine sends for an outbox row (see SyncEngine._as_change)."""
    from linksdesk.sync.protocol import (
        CONFLICT_TABLE,
        PARTICIPANT_TABLE,
        RECEIPT_TABLE,
        is_participant_routed,
    )

    payload = dict(row.payload or {})
    pid = payload.get("participant_id")
    if row.table_name == PARTICIPANT_TABLE and pid is None:
        pid = row.row_id
    routed = is_participant_routed(row.table_name)
    return {
        "change_id": row.change_id,
        "table": row.table_name,
        "row_id": row.row_id,
        "op": row.op,
        "hlc": row.hlc,
        "origin": "",
        "owner": worker,
        "participant_id": pid if routed else None,
        "sharing": payload.get("sharing") or "team",
        "participant_shared": (
            True
            if routed and pid and row.table_name not in (RECEIPT_TABLE, CONFLICT_TABLE)
            else None
        ),
        "fields": dict(payload.get("fields") or {}),
        "base": {},
    }


class Clock:
    """A device's hybrid clock in the protocol's text form."""

    def __init__(self, device: str) -> None:
        self.device = device
        self.last = (0, 0)

    def next(self) -> str:
        now = time.time_ns() // 1_000_000
        wall, counter = self.last
        self.last = (now, 0) if now > wall else (wall, counter + 1)
        return f"{self.last[0]:015d}-{self.last[1]:05d}-{self.device}"


def instantiate(
    template: list[dict[str, Any]], t_worker: str, worker: str, device: str, clock: Clock
) -> list[dict[str, Any]]:
    """The template with fresh ids for every row, this device's clock and this worker."""
    text = json.dumps(template)
    ids: dict[str, str] = {}
    for change in template:
        for key in ("row_id", "participant_id"):
            value = change.get(key)
            if isinstance(value, str) and len(value) == UUID_LEN and value not in ids:
                ids[value] = uuid7()
    for old, new in ids.items():
        text = text.replace(old, new)
    text = text.replace(t_worker, worker)
    out = json.loads(text)
    for change in out:
        change["change_id"] = uuid7()
        change["hlc"] = clock.next()
        change["origin"] = device
    return out


def follow_up(
    participant: str, worker: str, device: str, clock: Clock, n: int
) -> list[dict[str, Any]]:
    """``n`` new rows for one of the device's participants (contacts and their notes)."""
    out = []
    for i in range(n):
        row = uuid7()
        if i % 2 == 0:
            fields = {
                "participant_id": participant,
                "kind": "phone",
                "status": "attended",
                "scheduled_at": "2026-03-03T10:00:00",
                "minutes": 15,
            }
            table = "contact"
        else:
            fields = {
                "participant_id": participant,
                "written_at": "2026-03-03T10:20:00",
                "contact_id": None,
            }
            table = "note"
        out.append(
            {
                "change_id": uuid7(),
                "table": table,
                "row_id": row,
                "op": "upsert",
                "hlc": clock.next(),
                "origin": device,
                "owner": worker,
                "participant_id": participant,
                "sharing": "team",
                "participant_shared": True,
                "fields": fields,
                "base": {},
            }
        )
    return out


# -- the server -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def pg_database(base: str) -> Iterator[str]:
    name = f"linksdesk_load_{uuid.uuid4().hex[:10]}"
    root = create_engine(base, isolation_level="AUTOCOMMIT")
    with root.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with root.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        root.dispose()


@contextlib.contextmanager
def server(db_url: str, workers: int, log: Path) -> Iterator[str]:
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "linksdesk.server.cli", "serve", "--db", db_url,
             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
             "--log-level", "warning"],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")[-2000:])
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


# -- the devices ------------------------------------------------------------------------------
@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    request_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sync_ms: list[float] = field(default_factory=list)
    accepted: dict[str, tuple[str, str]] = field(default_factory=dict)  # change id -> row
    replays: int = 0

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Device(threading.Thread):
    def __init__(
        self,
        url: str,
        token: str,
        device: str,
        worker: str,
        first: list[dict[str, Any]],
        stats: Stats,
        stop: threading.Event,
        budget: threading.Semaphore,
        seed: int,
        *,
        repeat: bool = True,
        pause: float = 30.0,
    ) -> None:
        super().__init__(daemon=True)
        self.url, self.device, self.worker = url, device, worker
        self.headers = {"Authorization": f"Bearer {token}"}
        self.first = first
        self.stats, self.stop, self.budget = stats, stop, budget
        self.rng = random.Random(seed)
        self.repeat = repeat
        self.pause = pause
        self.clock = Clock(device)
        self.cursor = 0
        self.epoch: str | None = None
        self.participants = sorted({c["participant_id"] for c in first if c["participant_id"]})
        self.first_sync_s: float | None = None

    def post(self, client: httpx.Client, path: str, body: Any) -> Any:
        if not self.budget.acquire(blocking=False):
            raise StopIteration  # the request budget is spent
        started = time.perf_counter()
        try:
            r = client.post(f"{self.url}/v1/{path}", json=body, headers=self.headers)
        except httpx.HTTPError as exc:
            self.stats.error(f"{path}: {type(exc).__name__}")
            raise
        finally:
            ms = (time.perf_counter() - started) * 1000
            with self.stats.lock:
                self.stats.requests += 1
                self.stats.request_ms[path].append(ms)
        if r.status_code != 200:
            self.stats.error(f"{path}: HTTP {r.status_code} {r.text[:120]}")
            raise RuntimeError(path)
        return r.json()

    def sync(self, client: httpx.Client, changes: list[dict[str, Any]]) -> None:
        started = time.perf_counter()
        hello = self.post(
            client,
            "handshake",
            {
                "protocol_version": PROTOCOL_VERSION,
                "schema_version": SCHEMA_VERSION,
                "device_id": self.device,
                "cursor": self.cursor,
                "data_epoch": self.epoch,
            },
        )
        self.epoch = hello["data_epoch"]
        batch = int(hello["max_batch"])
        # consents first, as the device does
        ordered = [c for c in changes if c["table"] == "consent"] + [
            c for c in changes if c["table"] != "consent"
        ]
        for i in range(0, len(ordered), batch):
            chunk = ordered[i : i + batch]
            body = {"batch_key": str(uuid.uuid4()), "changes": chunk}
            answer = self.post(client, "push", body)
            if self.rng.random() < 0.05:  # the answer was "lost": the same batch again
                again = self.post(client, "push", body)
                if not again.get("replayed"):
                    self.stats.error("push: a repeated batch was not recognised")
                with self.stats.lock:
                    self.stats.replays += 1
            by_id = {c["change_id"]: c for c in chunk}
            for res in answer["results"]:
                change = by_id[res["change_id"]]
                if res["status"] in ("applied", "merged", "conflict"):
                    with self.stats.lock:
                        self.stats.accepted[res["change_id"]] = (change["table"], change["row_id"])
                else:
                    self.stats.error(f"push: {res['status']} ({res.get('reason')})")
        while True:
            page = self.post(client, "pull", {"cursor": self.cursor, "limit": 1000})
            self.cursor = int(page["next_cursor"])
            if not page["has_more"]:
                break
        self.post(client, "verify", None)
        with self.stats.lock:
            self.stats.sync_ms.append((time.perf_counter() - started) * 1000)

    def run(self) -> None:
        with httpx.Client(timeout=120) as client:
            try:
                started = time.perf_counter()
                self.sync(client, self.first)
                self.first_sync_s = time.perf_counter() - started
                while self.repeat and not self.stop.is_set():
                    if self.stop.wait(self.rng.uniform(0.5, 1.5) * self.pause):
                        break
                    who = self.rng.choice(self.participants)
                    n = self.rng.randint(1, 4)
                    self.sync(client, follow_up(who, self.worker, self.device, self.clock, n))
            except StopIteration:
                return
            except Exception as exc:  # counted in stats already, or a bug worth showing
                if not isinstance(exc, RuntimeError | httpx.HTTPError):
                    self.stats.error(f"device: {type(exc).__name__}: {exc}")


def big_caseload(
    template: list[dict[str, Any]], t_worker: str, worker: str, device: str, n: int
) -> list[dict[str, Any]]:
    per_two = max(1, n // 2)  # the template holds two participants
    clock = Clock(device)
    out: list[dict[str, Any]] = []
    for _ in range(per_two):
        out += instantiate(template, t_worker, worker, device, clock)
    return out


# -- the run ----------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> dict[str, Any]:
    base = args.db or os.environ.get(PG_ENV)
    if not base:
        raise SystemExit(f"Give a PostgreSQL address with --db or ${PG_ENV}.")
    print("making the template day from a real vault…", file=sys.stderr)
    template, t_worker, _t_device = day_template()
    work = Path(tempfile.mkdtemp(prefix="linksdesk-load-"))
    with pg_database(base) as db_url:
        init_database(db_url)
        db = Database(db_url)
        teams = [admin.add_team(db, f"Team {t + 1}") for t in range(args.teams)]
        workers = [
            admin.add_worker(db, teams[i % args.teams], f"Worker {i + 1}")
            for i in range(args.devices + 1 + (1 if args.big else 0))
        ]
        codes = [admin.make_enrol_code(db, w).code for w in workers]
        with server(db_url, args.workers, work / "server.log") as url:
            enrolled = []
            with httpx.Client(timeout=30) as client:
                for i, code in enumerate(codes):
                    r = client.post(f"{url}/v1/enrol", json={"code": code, "label": f"L{i}"})
                    r.raise_for_status()
                    enrolled.append(r.json())
            stats = Stats()
            stop = threading.Event()
            budget = threading.Semaphore(args.max_requests)
            devices = []
            for i, e in enumerate(enrolled[: args.devices]):
                first = instantiate(
                    template, t_worker, e["worker_id"], e["device_id"], Clock(e["device_id"])
                )
                devices.append(
                    Device(
                        url,
                        e["token"],
                        e["device_id"],
                        e["worker_id"],
                        first,
                        stats,
                        stop,
                        budget,
                        i,
                    )
                )
            # baseline, in the same run: the same syncs by one device alone on the server
            e = enrolled[args.devices]
            alone = Stats()
            day = instantiate(
                template, t_worker, e["worker_id"], e["device_id"], Clock(e["device_id"])
            )
            quiet, unlimited = threading.Event(), threading.Semaphore(10_000)
            solo = Device(
                url, e["token"], e["device_id"], e["worker_id"], day, alone, quiet,
                unlimited, 99_999, repeat=False,
            )  # fmt: skip
            with httpx.Client(timeout=120) as client:
                solo.sync(client, solo.first)
                for _ in range(args.baseline_syncs):
                    who = solo.rng.choice(solo.participants)
                    n = solo.rng.randint(1, 4)
                    solo.sync(client, follow_up(who, solo.worker, solo.device, solo.clock, n))
            big_device = None
            if args.big:
                e = enrolled[-1]
                print(f"building the {args.big}-participant caseload…", file=sys.stderr)
                caseload = big_caseload(
                    template, t_worker, e["worker_id"], e["device_id"], args.big
                )
                big_device = Device(
                    url, e["token"], e["device_id"], e["worker_id"], caseload, stats, stop,
                    budget, 10_000, repeat=False,
                )  # fmt: skip
            print(f"{len(devices)} devices syncing for {args.seconds} s…", file=sys.stderr)
            started = time.monotonic()
            for d in devices:
                d.start()
                time.sleep(args.ramp / max(1, len(devices)))  # laptops wake up over a minute
            if big_device is not None:
                big_device.start()
            stop_at = started + args.seconds
            while time.monotonic() < stop_at and any(d.is_alive() for d in devices):
                time.sleep(0.2)
            stop.set()
            for d in devices:
                d.join(timeout=300)
            if big_device is not None:
                big_device.join(timeout=args.big_timeout)
            elapsed = time.monotonic() - started
        # -- checked after: lost and duplicated
        with db.reading() as s:
            rows = {(t, r) for t, r in s.execute(select(Record.table_name, Record.row_id))}
            dup = s.execute(
                select(ChangeLog.change_id, func.count())
                .group_by(ChangeLog.change_id)
                .having(func.count() > 1)
            ).all()
        lost = [cid for cid, row in stats.accepted.items() if row not in rows]
        db.dispose()
    shutil.rmtree(work, ignore_errors=True)
    syncs = len(stats.sync_ms)
    result: dict[str, Any] = {
        "devices": args.devices,
        "teams": args.teams,
        "server_processes": args.workers,
        "mean_pause_s": args.pause,
        "offered_syncs_per_s": round(args.devices / args.pause, 1),
        "seconds": round(elapsed, 1),
        "syncs": syncs,
        "syncs_per_s": round(syncs / elapsed, 2),
        "requests": stats.requests,
        "sync_ms": {
            "p50": round(percentile(stats.sync_ms, 50), 1),
            "p95": round(percentile(stats.sync_ms, 95), 1),
            "p99": round(percentile(stats.sync_ms, 99), 1),
        },
        "request_ms": {
            path: {
                "n": len(v),
                "p50": round(percentile(v, 50), 1),
                "p95": round(percentile(v, 95), 1),
                "p99": round(percentile(v, 99), 1),
            }
            for path, v in sorted(stats.request_ms.items())
        },
        "baseline_alone_sync_ms": {
            "p50": round(percentile(alone.sync_ms[1:], 50), 1),
            "p95": round(percentile(alone.sync_ms[1:], 95), 1),
        },
        "p95_loaded_vs_p50_alone": round(
            percentile(stats.sync_ms, 95) / max(percentile(alone.sync_ms[1:], 50), 0.001), 1
        ),
        "first_sync_s_median": round(
            statistics.median([d.first_sync_s for d in devices if d.first_sync_s] or [0]), 2
        ),
        "changes_per_first_sync": len(devices[0].first) if devices else 0,
        "changes_accepted": len(stats.accepted),
        "batches_sent_twice": stats.replays,
        "errors": len(stats.errors),
        "error_samples": sorted(set(stats.errors))[:5],
        "lost": len(lost),
        "duplicated": len(dup),
    }
    if big_device is not None:
        result["big_caseload"] = {
            "participants": args.big,
            "changes": len(big_device.first),
            "first_sync_s": (
                round(big_device.first_sync_s, 1) if big_device.first_sync_s else "not finished"
            ),
        }
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--devices", type=int, default=200)
    p.add_argument("--teams", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--ramp", type=float, default=20, help="seconds over which devices start")
    p.add_argument("--workers", type=int, default=2, help="server processes")
    p.add_argument(
        "--pause",
        type=float,
        default=30,
        help="mean seconds between a device's syncs (30: a busy day; 2: a stress test)",
    )
    p.add_argument(
        "--big", type=int, default=5000, help="participants of the big caseload (0: none)"
    )
    p.add_argument("--big-timeout", type=float, default=900)
    p.add_argument(
        "--baseline-syncs", type=int, default=20, help="syncs of one device alone, before the load"
    )
    p.add_argument("--max-requests", type=int, default=200_000)
    p.add_argument("--db", help=f"PostgreSQL address (default: ${PG_ENV})")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    ok = result["errors"] == 0 and result["lost"] == 0 and result["duplicated"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
