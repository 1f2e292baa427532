"""Time device sync against a real server process, each figure against a raw baseline.

Run: .venv/bin/python benchmarks/sync.py [--participants 5000] [--small 50] [--repeats 15]
     [--spread N] [--dir DIR] [--rebuild] [--first-only] [--json]

- first sync: a vault of N participants (~20 records each, so 5,000 → ~100,000 records,
  all recorded offline and waiting in the outbox) syncs for the first time; baseline:
  inserting the same rows straight into a fresh server database (records and change log,
  one transaction, no HTTP, no merge);
- incremental: 100 changes (edits and new contacts) on that vault; baseline: writing those
  100 changes straight into the server database;
- scale: the same incremental sync on a vault of ``--small`` participants (~1,000 records)
  against the one on the big vault (target ≤ 1.3×);
- no change: a sync with nothing to send or receive.

How the scale ratio is measured, so that it compares vault sizes and nothing else:

- the 100 changes go to the same number of participants in both vaults (``--spread``,
  default ``--small``: the first participants by id, and their contacts), so the big vault's
  sync does not also carry more participants' look-ups and digest scopes per change;
- big and small syncs are interleaved, one of each per round, in alternating order, so
  background load hits both alike; figures are medians over the rounds, and the median of
  the per-round ratios is given too;
- besides wall time, the CPU time of the device (this process) and of the server process
  (all its threads, from ``/proc``) is given per sync: on a shared machine it varies far
  less than wall time, so its ratio says whether the work grows with the vault.

The server is ``linksdesk-server serve`` (uvicorn) on 127.0.0.1 over a SQLite file. The vault
is filled through SQL with exactly the rows and outbox entries the write path makes
(policy-filtered payloads), because building 100,000 records one user action at a time would
take longer than everything measured here. With ``--dir`` the vaults and the server database
as they stand after the first syncs are kept in ``DIR/sync-<participants>-<small>/`` and later
runs work on fresh copies of them (the first-sync figures reported are then the ones measured
when they were built; ``--rebuild`` builds again).

``--first-only`` measures the first sync alone, ``--repeats`` times: the filled, enrolled
vault and its server database are built once (kept in ``DIR/first-<participants>/`` with
``--dir``), and each round syncs a fresh copy of them, interleaved with the raw insert of
the same rows into a fresh database (alternating which goes first); medians, with the
device's and the server's CPU time and the load average. Synthetic data only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")  # unlocking is not what we measure

import httpx
from sqlalchemy import insert, select

import linksdesk
from linksdesk.core.changes import RowChange
from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.server import admin
from linksdesk.server.db import Database, init_database
from linksdesk.server.models import ChangeLog, ParticipantAccess, Record
from linksdesk.storage.search import entry_of, joined_words
from linksdesk.storage.store import data_columns, json_value
from linksdesk.storage.tables import TABLE_BY_NAME, Contact, Outbox, Participant
from linksdesk.storage.vault import Vault
from linksdesk.sync import state
from linksdesk.sync.client import SyncClient, enrol
from linksdesk.sync.policy import SyncPolicy
from linksdesk.sync.protocol import ServerChange

PASSPHRASE = "benchmark passphrase, synthetic data only"
CODE_ROOT = Path(linksdesk.__file__).resolve().parents[1]
TARGET_SCALE = 1.3
INCREMENTAL = 100


# -- the server -----------------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    pid: int

    def cpu_s(self) -> float | None:
        """Seconds the server process has run on a CPU so far, all threads (Linux only)."""
        total = 0
        try:
            for task in Path(f"/proc/{self.pid}/task").iterdir():
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    total += int((task / "schedstat").read_text().split()[0])
        except OSError:
            return None
        return total / 1e9


@contextmanager
def server_process(db_url: str, log: Path) -> Iterator[Server]:
    port = free_port()
    with log.open("ab") as out:
        # from the folder holding the linksdesk this process imported: ``-m`` puts the
        # working directory first on the path, which could be another copy of the code
        proc = subprocess.Popen(
            [sys.executable, "-m", "linksdesk.server.cli", "serve", "--db", db_url,
             "--port", str(port), "--log-level", "warning"],
            stdout=out, stderr=subprocess.STDOUT, cwd=CODE_ROOT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield Server(url, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- the caseload ---------------------------------------------------------------------------
SOURCES = ("gp", "practice_staff", "community_organisation", "housing", "self", "family")
CONCERNS = ("Money and benefits", "Debt", "Housing", "Isolation", "Mental health", "Food")


def caseload_rows(n: int, device: str, worker: str, seed: int) -> dict[str, list[dict[str, Any]]]:
    """~20 rows per participant across every table, with clocks, as the vault holds them."""
    rng = random.Random(seed)
    clock = HybridClock(device)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLE_BY_NAME}

    def add(table: str, **values: Any) -> str:
        stamp = clock.now().encode()
        row_id = uuid7()
        cols = data_columns(TABLE_BY_NAME[table])
        for col in TABLE_BY_NAME[table].__table__.columns:  # type: ignore[attr-defined]
            if col.key in cols and col.key not in values:
                default = col.default
                if default is None:
                    values[col.key] = None
                elif default.is_callable:
                    values[col.key] = default.arg(None)
                else:
                    values[col.key] = default.arg
        rows[table].append(
            {
                "id": row_id, "hlc": stamp, "origin": device, "deleted": False,
                "sharing": "team", "owner": worker,
                "field_hlc": dict.fromkeys(cols, stamp), **values,
            }
        )  # fmt: skip
        return row_id

    resources = [
        add("resource", organisation=f"Organisation {i}", service=f"Service {i}",
            categories=[rng.choice(CONCERNS)], area="North", capacity="open")
        for i in range(50)
    ]  # fmt: skip
    day0 = dt.date(2024, 1, 1)
    for i in range(n):
        start = day0 + dt.timedelta(days=rng.randrange(600))
        pid = add(
            "participant", programme_id=f"P{10000 + i}", given_name=f"Given{i}",
            family_name=f"Family{i}", date_of_birth=dt.date(1950 + i % 50, 1 + i % 12, 1),
            phone="07700 900000", postcode="G1 1AA", gp_practice="Practice",
            contact_preferences="mornings", risk_summary=None, status="active",
            referred_on=start, created_on=start,
        )  # fmt: skip
        for scope in ("team", "evaluation"):
            add("consent", participant_id=pid, scope=scope, given=True, version=1,
                recorded_on=start, method="verbal")  # fmt: skip
        add("referral", participant_id=pid, received_on=start, source=rng.choice(SOURCES),
            referrer="Referrer", reason="Synthetic reason")  # fmt: skip
        add("concern", participant_id=pid, category=rng.choice(CONCERNS), stage="at_referral",
            identified_on=start, detail="Synthetic detail")  # fmt: skip
        contacts = []
        for k in range(4):
            when = dt.datetime.combine(start + dt.timedelta(days=7 * k), dt.time(10))
            contacts.append(
                add("contact", participant_id=pid, kind="appointment",
                    status=rng.choice(("attended", "attended", "did_not_attend")),
                    scheduled_at=when, minutes=45, venue="Library", purpose="Meeting")
            )  # fmt: skip
        for k in range(2):
            note = add("note", participant_id=pid, contact_id=contacts[k],
                       written_at=dt.datetime.combine(start, dt.time(11)))  # fmt: skip
            first = add("note_revision", note_id=note, participant_id=pid, revision=1,
                        base_revision_id=None, body=f"Synthetic case note {i}-{k}.",
                        written_at=dt.datetime.combine(start, dt.time(11)))  # fmt: skip
            if k == 0:
                add("note_revision", note_id=note, participant_id=pid, revision=2,
                    base_revision_id=first, body=f"Synthetic case note {i}-{k}, revised.",
                    written_at=dt.datetime.combine(start, dt.time(12)))  # fmt: skip
        goal = add("goal", participant_id=pid, title="Get out more", why_it_matters="Lonely",
                   status="active", set_on=start, progress=rng.randrange(11))  # fmt: skip
        for k in range(2):
            add("goal_step", goal_id=goal, participant_id=pid, position=k,
                description=f"Step {k}")  # fmt: skip
        add("relationship", participant_id=pid, kind="family", name="Relative",
            phone="07700 900001", supportive=True)  # fmt: skip
        add("onward_referral", participant_id=pid, resource_id=rng.choice(resources),
            kind="referral", status="made", made_on=start)  # fmt: skip
        add("measure", participant_id=pid, kind="swemwbs", taken_on=start, context="baseline",
            assisted=False, items=[3, 3, 3, 3, 3, 3, 3], total=21, metric=19.98)  # fmt: skip
    return rows


def index_as_write_path(conn: Any) -> None:
    """The search index of a raw-inserted vault, as the write path keeps it (participants'
    names, each note's latest revision, and their search keys)."""
    conn.exec_driver_sql(
        "INSERT INTO search_index (entity, row_id, participant_id, title, body) "
        "SELECT 'participant', id, id, given_name || ' ' || family_name, "
        "coalesce(nullif(preferred_name, '') || ' ', '') || programme_id "
        "|| coalesce(' ' || nullif(postcode, ''), '') FROM participant"
    )
    conn.exec_driver_sql(
        "INSERT INTO search_index (entity, row_id, participant_id, title, body) "
        "SELECT 'note', note_id, participant_id, '', body FROM note_revision r "
        "WHERE revision = (SELECT max(revision) FROM note_revision x "
        "WHERE x.note_id = r.note_id)"
    )
    # the words joined by an apostrophe or a hyphen, and the names of several words written
    # as one, as the write path fills them (``entry_of``: a participant's from its row)
    entries = conn.exec_driver_sql("SELECT rowid, entity, row_id, title, body FROM search_index")
    people: dict[str, str | None] = {}
    for row in conn.exec_driver_sql("SELECT * FROM participant").mappings():
        entry = entry_of("participant", dict(row))
        if entry is not None:
            people[row["id"]] = entry[5]
    joined = [
        (people[r] if e == "participant" and r in people else joined_words(t or "", b or ""), i)
        for i, e, r, t, b in entries
    ]
    if any(words for words, _rowid in joined):
        conn.exec_driver_sql(
            "UPDATE search_index SET joined = ? WHERE rowid = ?", [j for j in joined if j[0]]
        )
    conn.exec_driver_sql(
        "INSERT INTO search_key (entity, row_id, participant_id, doc) "
        "SELECT entity, row_id, participant_id, rowid FROM search_index"
    )


def fill_vault(vault: Vault, rows: dict[str, list[dict[str, Any]]]) -> int:
    """Insert the rows and the outbox entries the write path would have queued for them."""
    policy = SyncPolicy()
    total = 0
    with vault.engine.begin() as conn:
        order = ["resource", "participant"] + [t for t in TABLE_BY_NAME if t not in (
            "resource", "participant")]  # fmt: skip
        outbox: list[dict[str, Any]] = []
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for table in order:
            table_rows = rows[table]
            if not table_rows:
                continue
            cls: Any = TABLE_BY_NAME[table]
            for i in range(0, len(table_rows), 2000):
                conn.execute(insert(cls), table_rows[i : i + 2000])
            total += len(table_rows)
            for r in table_rows:
                pid = r["id"] if table == "participant" else r.get("participant_id")
                payload = policy.outbound(
                    RowChange(table=table, row_id=r["id"], op="upsert", hlc=r["hlc"],
                              values=r, changed=frozenset(data_columns(cls)), base={},
                              participant_id=pid, participant_shared=True)
                )  # fmt: skip
                if payload is not None:
                    outbox.append(
                        {"change_id": uuid7(), "table_name": table, "row_id": r["id"],
                         "op": "upsert", "hlc": r["hlc"], "payload": json_value(payload),
                         "base": {}, "created_at": now}
                    )  # fmt: skip
        outbox.sort(key=lambda o: o["hlc"])
        for i in range(0, len(outbox), 2000):
            conn.execute(insert(Outbox), outbox[i : i + 2000])
        index_as_write_path(conn)
    return total


# -- raw baselines --------------------------------------------------------------------------
def raw_insert(db_url: str, team: str, worker: str, changes: list[ServerChange]) -> float:
    """Write ``changes`` straight into the server database: records, log and access rows."""
    db = Database(db_url)
    try:
        t0 = time.perf_counter()
        with db.writing() as s:
            records: dict[tuple[str, str], dict[str, Any]] = {}
            log, access = [], {}
            now = int(time.time() * 1000)
            for seq, ch in enumerate(changes, start=1_000_000_000):
                fields = {**ch.fields, "deleted": False}
                records[(ch.table, ch.row_id)] = (
                    {"table_name": ch.table, "row_id": ch.row_id, "team_id": team,
                     "owner": worker, "participant_id": ch.participant_id, "sharing": "team",
                     "deleted": False, "hlc": ch.hlc, "origin": ch.origin, "fields": fields,
                     "field_hlc": dict.fromkeys(fields, ch.hlc), "server_seq": seq}
                )  # fmt: skip
                log.append(
                    {"server_seq": seq, "change_id": ch.change_id, "table_name": ch.table,
                     "row_id": ch.row_id, "team_id": team, "owner": worker,
                     "participant_id": ch.participant_id, "extra_worker": None,
                     "payload": ch.model_dump(mode="json"), "created_ms": now}
                )  # fmt: skip
                if ch.participant_id:
                    access[ch.participant_id] = {
                        "participant_id": ch.participant_id, "worker_id": worker,
                        "team_id": team, "mode": "owner", "since_ms": now,
                    }  # fmt: skip
            record_rows = list(records.values())
            for i in range(0, len(record_rows), 2000):
                s.execute(insert(Record), record_rows[i : i + 2000])
            for i in range(0, len(log), 2000):
                s.execute(insert(ChangeLog), log[i : i + 2000])
            if access:
                s.execute(insert(ParticipantAccess).prefix_with("OR IGNORE"), list(access.values()))
        return time.perf_counter() - t0
    finally:
        db.dispose()


def outbox_changes(vault: Vault, client: SyncClient) -> list[ServerChange]:
    """The vault's queued changes as the wire carries them (for the raw baselines)."""
    from linksdesk.sync.engine import EngineOptions, SyncEngine
    from linksdesk.sync.transport import Transport

    engine = SyncEngine(client.store, Transport("http://unused.invalid"), EngineOptions())
    engine._load_config()
    out = []
    with client.store.read() as s:
        for i, row in enumerate(s.scalars(select(Outbox).order_by(Outbox.seq))):
            ch = engine._as_change(row)
            out.append(ServerChange(**ch.model_dump(), server_seq=i + 1))
    engine.c.t.close()
    return out


# -- one vault's run ------------------------------------------------------------------------
def fresh_programme(db_url: str) -> tuple[str, str, str]:
    db = Database(db_url)
    try:
        team = admin.add_team(db, f"Team {uuid7()[-6:]}")
        worker = admin.add_worker(db, team, f"Worker {uuid7()[-6:]}")
        code = admin.make_enrol_code(db, worker).code
        return team, worker, code
    finally:
        db.dispose()


def make_changes(vault: Vault, n: int, seed: int, spread: int) -> None:
    """``n`` ordinary edits through the write path: half edits of contacts, half new contacts,
    all about the first ``spread`` participants by id (the same number in every vault)."""
    rng = random.Random(seed)
    store = vault.store(SyncPolicy())
    with store.read() as s:
        pids = list(s.scalars(select(Participant.id).order_by(Participant.id).limit(spread)))
        contacts = list(
            s.scalars(select(Contact.id).where(Contact.participant_id.in_(pids)).limit(500))
        )
    for k in range(n):
        with store.write() as tx:
            if k % 2:
                row = tx.session.get(Contact, rng.choice(contacts))
                assert row is not None
                tx.update(row, minutes=rng.randrange(5, 120), purpose=f"Edited {k}")
            else:
                tx.insert(
                    Contact(participant_id=rng.choice(pids), kind="phone", status="attended",
                            scheduled_at=dt.datetime(2025, 6, 1, 9) + dt.timedelta(hours=k),
                            minutes=10, venue=None, purpose="Phone call")
                )  # fmt: skip


SERVER_TIME: dict[str, float] = {}


def _time_requests() -> None:
    """Add up time spent waiting for each endpoint (to tell server time from device time)."""
    from linksdesk.sync import transport

    original = transport.Transport.post

    def post(self: Any, endpoint: str, body: Any, answer: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(self, endpoint, body, answer)
        finally:
            SERVER_TIME[endpoint] = SERVER_TIME.get(endpoint, 0.0) + time.perf_counter() - t0

    transport.Transport.post = post  # type: ignore[method-assign]


@dataclass
class Timed:
    wall_s: float
    device_cpu_s: float
    server_cpu_s: float | None
    report: Any

    @property
    def cpu_s(self) -> float | None:
        return None if self.server_cpu_s is None else self.device_cpu_s + self.server_cpu_s


def timed_sync(vault: Vault, server: Server) -> Timed:
    client = SyncClient(vault)
    cpu0, server0 = time.process_time(), server.cpu_s()
    t0 = time.perf_counter()
    report = client.sync()
    elapsed = time.perf_counter() - t0
    cpu, server1 = time.process_time() - cpu0, server.cpu_s()
    if os.environ.get("SYNC_BENCH_DEBUG"):
        waits = " ".join(f"{k}={v:.3f}" for k, v in sorted(SERVER_TIME.items()))
        print(
            f"  sync {elapsed:.3f}s pushed {report.pushed} pulled {report.pulled} [{waits}]",
            flush=True,
        )
    SERVER_TIME.clear()
    assert report.verified, report.message
    server_cpu = None if server0 is None or server1 is None else server1 - server0
    return Timed(elapsed, cpu, server_cpu, report)


LABELS = ("big", "small")


def _vault_files(folder: Path, label: str) -> list[Path]:
    return sorted(folder.glob(f"{label}.vault*"))


def build(cache: Path, participants: int, small: int) -> dict[str, Any]:
    """Both vaults filled, enrolled with one server and synced for the first time (timed)."""
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.iterdir():
        old.unlink()
    db_url = f"sqlite:///{cache / 'server.db'}"
    init_database(db_url)
    info: dict[str, Any] = {"participants": participants, "small": small}
    with server_process(db_url, cache / "server.log") as server:
        for label, n in (("big", participants), ("small", small)):
            vault, _ = Vault.create(cache / f"{label}.vault", PASSPHRASE)
            _team, worker, code = fresh_programme(db_url)
            enrol(vault, server.url, code)
            rows = caseload_rows(n, vault.device_id, worker, seed=n)
            info[f"{label}_records"] = fill_vault(vault, rows)
            del rows
            if label == "big":
                # raw baseline: the same rows straight into a fresh server database
                changes = outbox_changes(vault, SyncClient(vault))
                raw_url = f"sqlite:///{cache / 'raw.db'}"
                init_database(raw_url)
                rteam, rworker, _ = fresh_programme(raw_url)
                info["first_raw_s"] = raw_insert(raw_url, rteam, rworker, changes)
                del changes
                (cache / "raw.db").unlink()
                first = timed_sync(vault, server)
                info["first_sync_s"] = first.wall_s
                info["first_pushed"] = first.report.pushed
                info["first_requests"] = first.report.requests
                info["first_device_cpu_s"] = first.device_cpu_s
                info["first_server_cpu_s"] = first.server_cpu_s
            else:
                timed_sync(vault, server)
            vault.lock()
    info["built"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    (cache / "built.json").write_text(json.dumps(info, indent=2))
    return info


def fresh_copy(cache: Path, workdir: Path) -> None:
    for label in LABELS:
        for f in _vault_files(cache, label):
            shutil.copy(f, workdir / f.name)
    for name in ("server.db", "server.key"):  # the key beside it opens its sealed content
        if (cache / name).exists():
            shutil.copy(cache / name, workdir / name)


def run(
    participants: int, small: int, workdir: Path, repeats: int, spread: int, cache: Path | None
) -> dict[str, Any]:
    built = cache is not None and (cache / "built.json").exists()
    if cache is None:
        cache = workdir / "built"
    if built:
        info = json.loads((cache / "built.json").read_text())
        info["cached"] = True
    else:
        info = build(cache, participants, small)
        info["cached"] = False
    fresh_copy(cache, workdir)
    os.sync()  # the copies' writeback must not land on the timed syncs
    db_url = f"sqlite:///{workdir / 'server.db'}"
    init_database(db_url)  # brings an older cached database to the current schema
    results: dict[str, Any] = {**info, "spread": spread, "repeats": repeats}
    with server_process(db_url, workdir / "server.log") as server:
        vaults: dict[str, Vault] = {}
        for label in LABELS:
            vault = Vault.unlock(workdir / f"{label}.vault", PASSPHRASE)
            with vault.store().write() as tx:  # the server listens on a new port each run
                state.put(tx.session, state.SERVER_URL, server.url)
            # a full comparison, as after the first sync in one process (it fills the
            # digest cache a running app keeps), then one incremental sync to settle
            SyncClient(vault).sync(full_check=True)
            make_changes(vault, INCREMENTAL, seed=10_000, spread=spread)
            timed_sync(vault, server)
            vaults[label] = vault
        runs: dict[str, list[Timed]] = {label: [] for label in LABELS}
        raws: list[float] = []
        for r in range(repeats):
            for label in LABELS if r % 2 == 0 else LABELS[::-1]:
                vault = vaults[label]
                make_changes(vault, INCREMENTAL, seed=r, spread=spread)
                if label == "big":
                    changes = outbox_changes(vault, SyncClient(vault))
                    raw_url = f"sqlite:///{workdir / f'raw-inc-{r}.db'}"
                    init_database(raw_url)
                    rteam, rworker, _ = fresh_programme(raw_url)
                    raws.append(raw_insert(raw_url, rteam, rworker, changes))
                runs[label].append(timed_sync(vault, server))
        nochange: dict[str, list[Timed]] = {label: [] for label in LABELS}
        for r in range(repeats):
            for label in LABELS if r % 2 == 0 else LABELS[::-1]:
                nochange[label].append(timed_sync(vaults[label], server))
        for vault in vaults.values():
            vault.lock()
    med = statistics.median
    for label in LABELS:
        results[f"incremental_{label}_s"] = med(t.wall_s for t in runs[label])
        results[f"incremental_{label}_device_cpu_s"] = med(t.device_cpu_s for t in runs[label])
        cpu = [t.cpu_s for t in runs[label] if t.cpu_s is not None]
        results[f"incremental_{label}_cpu_s"] = med(cpu) if len(cpu) == repeats else None
        results[f"nochange_{label}_s"] = med(t.wall_s for t in nochange[label])
        results[f"incremental_{label}_requests"] = med(t.report.requests for t in runs[label])
        # the median: the first no-change sync of a vault also pulls the other vault's
        # changes from this run's last round (the server's head moved: that is not "nothing")
        results[f"nochange_{label}_requests"] = med(t.report.requests for t in nochange[label])
        results[f"nochange_{label}_device_cpu_s"] = med(t.device_cpu_s for t in nochange[label])
        cpu = [t.cpu_s for t in nochange[label] if t.cpu_s is not None]
        results[f"nochange_{label}_cpu_s"] = med(cpu) if len(cpu) == repeats else None
    results["incremental_raw_s"] = med(raws)
    results["first_ratio"] = results["first_sync_s"] / results["first_raw_s"]
    results["incremental_ratio"] = results["incremental_big_s"] / results["incremental_raw_s"]
    results["scale_ratio"] = results["incremental_big_s"] / results["incremental_small_s"]
    results["scale_ratio_rounds"] = [
        round(b.wall_s / s.wall_s, 3) for b, s in zip(runs["big"], runs["small"], strict=True)
    ]
    results["scale_ratio_round_median"] = med(results["scale_ratio_rounds"])
    results["scale_ratio_device_cpu"] = (
        results["incremental_big_device_cpu_s"] / results["incremental_small_device_cpu_s"]
    )
    big_cpu, small_cpu = results["incremental_big_cpu_s"], results["incremental_small_cpu_s"]
    results["scale_ratio_cpu"] = None if big_cpu is None else big_cpu / small_cpu
    results["scale_target"] = TARGET_SCALE
    return results


# -- the first sync alone, repeated -------------------------------------------------------
def build_unsynced(cache: Path, participants: int) -> dict[str, Any]:
    """A filled vault enrolled with a fresh server database, before its first sync."""
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.iterdir():
        old.unlink()
    db_url = f"sqlite:///{cache / 'server.db'}"
    init_database(db_url)
    with server_process(db_url, cache / "server.log") as server:
        vault, _ = Vault.create(cache / "big.vault", PASSPHRASE)
        _team, worker, code = fresh_programme(db_url)
        enrol(vault, server.url, code)
        rows = caseload_rows(participants, vault.device_id, worker, seed=participants)
        info: dict[str, Any] = {
            "participants": participants,
            "records": fill_vault(vault, rows),
            "worker": worker,
        }
        vault.lock()
    (cache / "built.json").write_text(json.dumps(info, indent=2))
    return info


def run_first(participants: int, workdir: Path, repeats: int, cache: Path | None) -> dict[str, Any]:
    if cache is None:
        cache = workdir / "unsynced"
    if (cache / "built.json").exists():
        info = json.loads((cache / "built.json").read_text())
    else:
        info = build_unsynced(cache, participants)
    syncs: list[Timed] = []
    raws: list[float] = []
    SERVER_TIME.clear()  # the enrolment's requests
    load = [os.getloadavg()[0]]
    for r in range(repeats):
        run_dir = workdir / f"round-{r}"
        run_dir.mkdir()
        for f in [*_vault_files(cache, "big"), cache / "server.db", cache / "server.key"]:
            if f.exists():
                shutil.copy(f, run_dir / f.name)
        vault = Vault.unlock(run_dir / "big.vault", PASSPHRASE)
        changes = outbox_changes(vault, SyncClient(vault))  # read before the sync sends them
        vault.lock()
        raw_url = f"sqlite:///{run_dir / 'raw.db'}"
        init_database(raw_url)
        rteam, rworker, _ = fresh_programme(raw_url)
        os.sync()
        for step in ("sync", "raw") if r % 2 == 0 else ("raw", "sync"):
            if step == "raw":
                raws.append(raw_insert(raw_url, rteam, rworker, changes))
                continue
            db_url = f"sqlite:///{run_dir / 'server.db'}"
            with server_process(db_url, run_dir / "server.log") as server:
                vault = Vault.unlock(run_dir / "big.vault", PASSPHRASE)
                with vault.store().write() as tx:  # the server listens on a new port each run
                    state.put(tx.session, state.SERVER_URL, server.url)
                syncs.append(timed_sync(vault, server))
                vault.lock()
        del changes
        shutil.rmtree(run_dir, ignore_errors=True)
        load.append(os.getloadavg()[0])
    med = statistics.median
    first = med(t.wall_s for t in syncs)
    raw = med(raws)
    server_cpu = [t.server_cpu_s for t in syncs if t.server_cpu_s is not None]
    return {
        **info,
        "repeats": repeats,
        "first_sync_s": first,
        "first_raw_s": raw,
        "first_ratio": first / raw,
        "first_ratio_rounds": [round(t.wall_s / x, 2) for t, x in zip(syncs, raws, strict=True)],
        "first_pushed": syncs[0].report.pushed,
        "first_requests": syncs[0].report.requests,
        "first_device_cpu_s": med(t.device_cpu_s for t in syncs),
        "first_server_cpu_s": med(server_cpu) if server_cpu else None,
        "load_average": [round(x, 1) for x in load],
    }


def report_first(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"First sync: {r['participants']} participants ({r['records']} records), "
            f"{r['repeats']} interleaved rounds, medians",
            f"  first sync {r['first_sync_s']:8.2f} s   raw insert {r['first_raw_s']:7.2f} s   "
            f"ratio {r['first_ratio']:5.2f}x   (per round {r['first_ratio_rounds']}; "
            f"{r['first_pushed']} changes, {r['first_requests']} requests)",
            f"    CPU: device {r['first_device_cpu_s']:.2f} s, server "
            f"{r['first_server_cpu_s'] or 0:.2f} s; load average {r['load_average']}",
        ]
    )


def report(r: dict[str, Any]) -> str:
    first_note = f" (measured when built, {r['built']})" if r.get("cached") else ""
    cpu, cpu_text = r["scale_ratio_cpu"], "n/a"
    if cpu is not None:
        big, small = r["incremental_big_cpu_s"], r["incremental_small_cpu_s"]
        cpu_text = f"{big:.3f} s vs {small:.3f} s: {cpu:.2f}x"
    lines = [
        f"Sync benchmark: {r['participants']} participants ({r['big_records']} records) "
        f"and {r['small']} participants ({r['small_records']} records); {r['repeats']} "
        f"interleaved rounds, changes spread over {r['spread']} participants",
        f"  first sync          {r['first_sync_s']:8.2f} s   raw insert {r['first_raw_s']:7.2f} s"
        f"   ratio {r['first_ratio']:6.1f}x   ({r['first_pushed']} changes, "
        f"{r['first_requests']} requests){first_note}",
        f"    CPU time of the first sync: device {r.get('first_device_cpu_s') or 0:.2f} s, "
        f"server {r.get('first_server_cpu_s') or 0:.2f} s",
        f"  incremental (100)   {r['incremental_big_s']:8.3f} s   raw insert "
        f"{r['incremental_raw_s']:7.3f} s   ratio {r['incremental_ratio']:6.1f}x   "
        f"({r['incremental_big_requests']:g} requests, median)",
        f"  incremental, {r['big_records']} vs {r['small_records']} records: "
        f"{r['incremental_big_s']:.3f} s vs {r['incremental_small_s']:.3f} s   ratio "
        f"{r['scale_ratio']:.2f}x (target ≤ {TARGET_SCALE}x); median of per-round ratios "
        f"{r['scale_ratio_round_median']:.2f}x",
        f"    CPU time per sync (device + server): {cpu_text}; device alone "
        f"{r['scale_ratio_device_cpu']:.2f}x",
        f"  no-change sync      {r['nochange_big_s']:8.3f} s  (small vault "
        f"{r['nochange_small_s']:.3f} s; {r['nochange_big_requests']:g} request(s), median)",
        f"    CPU time per no-change sync: device {r['nochange_big_device_cpu_s'] * 1000:.1f} ms, "
        f"device + server {(r['nochange_big_cpu_s'] or 0) * 1000:.1f} ms",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds")
    parser.add_argument(
        "--spread", type=int, default=None, help="participants the changes go to (default: --small)"
    )
    parser.add_argument("--dir", type=Path, default=None, help="keep built vaults here")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--first-only", action="store_true", help="time the first sync alone")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    spread = min(args.spread or args.small, args.small, args.participants)
    cache = None
    if args.dir is not None:
        cache = args.dir / f"sync-{args.participants}-{args.small}"
        if args.first_only:
            cache = args.dir / f"first-{args.participants}"
        if args.rebuild and cache.exists():
            shutil.rmtree(cache)
        args.dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="linksdesk-sync-bench-", dir=args.dir))
    _time_requests()
    try:
        if args.first_only:
            results = run_first(args.participants, workdir, args.repeats, cache)
        else:
            results = run(args.participants, args.small, workdir, args.repeats, spread, cache)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(report_first(results) if args.first_only else report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
