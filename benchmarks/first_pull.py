"""Time a fresh second laptop of the same worker pulling a whole caseload, against a raw insert.

Run: .venv/bin/python benchmarks/first_pull.py [--participants 1000] [--repeats 2] [--dir DIR]
     [--rebuild] [--json] [--latency-ms MS] [--baseline-code DIR]

- setup (once, cached with ``--dir``): a vault of N participants (~20 records each, the rows
  of ``benchmarks/sync.py``) enrolled with a server and synced for the first time, so the
  server holds the caseload as a real push left it (sealed content, change log, access);
- first pull: a new vault on a new laptop of the same worker (its own enrolment code) syncs
  for the first time and pulls every record (push of nothing, pull, verify);
- baseline, in the same run and interleaved with the pulls: the same rows inserted straight
  into a fresh vault of their own (one executemany per table, the search index as the write
  path keeps it, the sync cursor), one transaction, no HTTP, no merge, no checks.

The ratio (pull / raw) is issue 15's "fresh second device" target (≤ 3×). Device CPU (this
process) and server CPU (from ``/proc``) are given beside wall time. Synthetic data only.

``--baseline-code DIR`` runs a second server from another checkout of the code (the same
database schema; e.g. ``git archive <commit> | tar -x -C DIR``) on its own copy of the
database: each fresh laptop of the run pulls from both servers, alternating which goes
first, so a server change is measured before and after in the same run. The laptops run
this checkout's code on both.

``--latency-ms`` puts a relay in a process of its own between the laptop and the server that
hands each request on that much later, as a real link's round trip would (the server and
the laptop share this machine's cores otherwise, which a real server does not).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")  # unlocking is not what we measure

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sync as bench_sync  # type: ignore[import-not-found]
from sqlalchemy import func, insert, select
from sync import (  # type: ignore[import-not-found]
    PASSPHRASE,
    SERVER_TIME,
    _time_requests,
    caseload_rows,
    server_process,
    timed_sync,
)

from linksdesk.server import admin
from linksdesk.server.db import Database, init_database
from linksdesk.storage.tables import TABLE_BY_NAME
from linksdesk.storage.vault import Vault
from linksdesk.sync import state
from linksdesk.sync.client import enrol

TARGET = 3.0


def raw_fill(vault: Vault, rows: dict[str, list[dict[str, Any]]]) -> float:
    """The same rows straight into a fresh vault: tables, search index, cursor; one commit."""
    t0 = time.perf_counter()
    with vault.engine.begin() as conn:
        order = ["resource", "participant"] + [
            t for t in TABLE_BY_NAME if t not in ("resource", "participant")
        ]
        for table in order:
            table_rows = rows[table]
            cls: Any = TABLE_BY_NAME[table]
            for i in range(0, len(table_rows), 2000):
                conn.execute(insert(cls), table_rows[i : i + 2000])
        bench_sync.index_as_write_path(conn)
    with vault.store().write() as tx:
        state.put(tx.session, state.CURSOR, sum(len(v) for v in rows.values()))
    return time.perf_counter() - t0


def timed_sync_waits(vault: Vault, server: Any, waits: list[dict[str, float]]) -> Any:
    """``timed_sync``, keeping how long each endpoint was waited for (the rest is device)."""

    class Kept(dict[str, float]):
        def clear(self) -> None:  # timed_sync clears the waits after each sync: keep them
            pass

    kept = Kept()
    bench_sync.SERVER_TIME = kept
    try:
        timed = timed_sync(vault, server)
    finally:
        bench_sync.SERVER_TIME = SERVER_TIME
    waits.append({k: round(v, 2) for k, v in kept.items()})
    return timed


def _relay(listener: socket.socket, upstream: tuple[str, int], delay_s: float) -> None:
    """(A process of its own.) Relay each connection to ``upstream``, requests ``delay_s`` late."""

    def pipe(src: socket.socket, dst: socket.socket, delay: float) -> None:
        try:
            while data := src.recv(65536):
                if delay:
                    time.sleep(delay)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    while True:
        conn, _ = listener.accept()
        up = socket.create_connection(upstream)
        threading.Thread(target=pipe, args=(conn, up, delay_s), daemon=True).start()
        threading.Thread(target=pipe, args=(up, conn, 0.0), daemon=True).start()


@contextlib.contextmanager
def link(server: Any, latency_ms: float) -> Iterator[Any]:
    """``server`` as the laptop reaches it: directly, or through a relay ``latency_ms`` late."""
    if not latency_ms:
        yield server
        return
    where = urlsplit(server.url)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    relay = multiprocessing.get_context("fork").Process(
        target=_relay,
        args=(listener, (where.hostname, where.port), latency_ms / 1000),
        daemon=True,
    )
    relay.start()
    listener.close()
    try:
        yield bench_sync.Server(f"http://127.0.0.1:{port}", server.pid)
    finally:
        relay.terminate()
        relay.join()


def count_rows(vault: Vault) -> int:
    with vault.store().read() as s:
        return sum(
            int(s.scalar(select(func.count()).select_from(cls)) or 0)
            for cls in TABLE_BY_NAME.values()
        )


def build(cache: Path, participants: int) -> dict[str, Any]:
    """The filled, enrolled vault of ``benchmarks/sync.py``, then its first sync."""
    info = bench_sync.build_unsynced(cache, participants)
    db_url = f"sqlite:///{cache / 'server.db'}"
    with server_process(db_url, cache / "server.log") as server:
        vault = Vault.unlock(cache / "big.vault", PASSPHRASE)
        with vault.store().write() as tx:  # the server listens on a new port each run
            state.put(tx.session, state.SERVER_URL, server.url)
        push = timed_sync(vault, server)
        vault.lock()
    info |= {"push_s": push.wall_s, "pushed": push.report.pushed}
    (cache / "built.json").write_text(json.dumps(info, indent=2))
    return info


@dataclass
class Lane:
    """One server the fresh laptops pull from, and what each pull cost."""

    name: str
    db_url: str
    server: Any = None
    pulls: list[float] = field(default_factory=list)
    device_cpu: list[float] = field(default_factory=list)
    server_cpu: list[float | None] = field(default_factory=list)
    pulled: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    waits: list[dict[str, float]] = field(default_factory=list)

    def pull_once(self, vault: Vault, worker: str) -> None:
        db = Database(self.db_url)
        code = admin.make_enrol_code(db, worker).code
        db.dispose()
        enrol(vault, self.server.url, code)
        PAGES.clear()
        timed = timed_sync_waits(vault, self.server, self.waits)
        self.pulls.append(timed.wall_s)
        self.device_cpu.append(timed.device_cpu_s)
        self.server_cpu.append(timed.server_cpu_s)
        self.pulled.append(timed.report.pulled)
        self.pages.append(PAGES.get("pull", 0))

    def figures(self, raw_s: float, raw_cpu_s: float) -> dict[str, Any]:
        med = statistics.median
        cpu = [c for c in self.server_cpu if c is not None]
        server_cpu = med(cpu) if cpu else None
        return {
            "pull_s": med(self.pulls),
            "pulls": [round(p, 2) for p in self.pulls],
            "pulled": self.pulled,
            "device_cpu_s": med(self.device_cpu),
            "server_cpu_s": server_cpu,
            "server_cpu_per_page_ms": (
                None if server_cpu is None else 1000 * server_cpu / max(1, med(self.pages))
            ),
            "pages": self.pages,
            "waits": self.waits,
            "ratio": med(self.pulls) / raw_s,
            # CPU against CPU (what a busy machine does not skew): the laptop's alone, and
            # the laptop's and the server's together
            "device_cpu_ratio": med(self.device_cpu) / raw_cpu_s,
            "cpu_ratio": None
            if server_cpu is None
            else (med(self.device_cpu) + server_cpu) / raw_cpu_s,
        }


PAGES: dict[str, int] = {}


def _count_pages() -> None:
    """Count the requests made to each endpoint during one sync (pull pages)."""
    from linksdesk.sync import transport

    original = transport.Transport.post

    def post(self: Any, endpoint: str, body: Any, answer: Any) -> Any:
        PAGES[endpoint] = PAGES.get(endpoint, 0) + 1
        return original(self, endpoint, body, answer)

    transport.Transport.post = post  # type: ignore[method-assign]


@contextlib.contextmanager
def served_from(code: Path | None, db_url: str, log: Path) -> Iterator[Any]:
    """``server_process``, run from the code in ``code`` (another checkout) when given."""
    kept = bench_sync.CODE_ROOT
    if code is not None:
        bench_sync.CODE_ROOT = code.resolve()
    try:
        with server_process(db_url, log) as server:
            bench_sync.CODE_ROOT = kept
            yield server
    finally:
        bench_sync.CODE_ROOT = kept


def run(
    participants: int,
    repeats: int,
    workdir: Path,
    cache: Path,
    latency_ms: float = 0.0,
    baseline_code: Path | None = None,
) -> dict[str, Any]:
    if (cache / "built.json").exists():
        info = json.loads((cache / "built.json").read_text())
    else:
        info = build(cache, participants)
    lanes = [Lane("pull", "")] + ([Lane("baseline", "")] if baseline_code else [])
    for lane in lanes:  # each server its own copy, the key beside it to open sealed content
        (workdir / lane.name).mkdir()
        for name in ("server.db", "server.key"):
            if (cache / name).exists():
                shutil.copy(cache / name, workdir / lane.name / name)
        lane.db_url = f"sqlite:///{workdir / lane.name / 'server.db'}"
    os.sync()
    worker = info["worker"]
    rows = caseload_rows(participants, "bench-raw", worker, seed=participants)
    raws, raw_cpu = [], []
    load = [os.getloadavg()[0]]
    with contextlib.ExitStack() as stack:
        for lane in lanes:
            code = baseline_code if lane.name == "baseline" else None
            init_database(lane.db_url)  # the schema as this code has it (a no-op if current)
            direct = stack.enter_context(
                served_from(code, lane.db_url, workdir / lane.name / "server.log")
            )
            lane.server = stack.enter_context(link(direct, latency_ms))
        for r in range(repeats):
            raw_vault, _ = Vault.create(workdir / f"raw-{r}.vault", PASSPHRASE)
            cpu0 = time.process_time()
            raws.append(raw_fill(raw_vault, rows))
            raw_cpu.append(time.process_time() - cpu0)
            raw_vault.lock()
            for lane in lanes if r % 2 == 0 else lanes[::-1]:
                vault, _ = Vault.create(workdir / f"{lane.name}-{r}.vault", PASSPHRASE)
                lane.pull_once(vault, worker)
                if r == 0:
                    held = count_rows(vault)
                    assert held == info["records"], (held, info["records"])
                vault.lock()
            load.append(os.getloadavg()[0])
    raw_s, raw_cpu_s = statistics.median(raws), statistics.median(raw_cpu)
    result = {
        **info,
        "repeats": repeats,
        "raw_s": raw_s,
        "raws": [round(p, 2) for p in raws],
        "raw_cpu_s": raw_cpu_s,
        "load": [round(x, 1) for x in load],
        "latency_ms": latency_ms,
        **lanes[0].figures(raw_s, raw_cpu_s),
    }
    if baseline_code:
        result["baseline"] = {"code": str(baseline_code), **lanes[1].figures(raw_s, raw_cpu_s)}
    return result


def _lane_lines(r: dict[str, Any], label: str) -> list[str]:
    server = "n/a" if r["server_cpu_s"] is None else f"{r['server_cpu_s']:.2f} s"
    per_page = (
        "" if r["server_cpu_per_page_ms"] is None
        else f" ({r['server_cpu_per_page_ms']:.1f} ms per pull page)"
    )  # fmt: skip
    return [
        f"  {label:<21}{r['pull_s']:8.2f} s   ratio {r['ratio']:5.2f}x (target ≤ {TARGET}x)",
        f"    each pull {r['pulls']} s; pulled {r['pulled']} changes in {r['pages']} pages",
        f"    CPU per pull: device {r['device_cpu_s']:.2f} s, server {server}{per_page}",
        f"    CPU against the raw insert's: device {r['device_cpu_ratio']:.2f}x"
        + ("" if r["cpu_ratio"] is None else f", device and server {r['cpu_ratio']:.2f}x"),
        f"    waiting for the server, by endpoint: {r['waits']}",
    ]


def report(r: dict[str, Any]) -> str:
    lines = [
        f"First pull benchmark: {r['participants']} participants ({r['records']} records); "
        f"{r['repeats']} fresh laptops; load averages {r['load']}"
        + (f"; requests {r['latency_ms']:g} ms late" if r["latency_ms"] else ""),
        f"  first push (setup)   {r['push_s']:8.1f} s  ({r['pushed']} changes)",
        f"  raw insert           {r['raw_s']:8.2f} s   each {r['raws']} s; "
        f"CPU {r['raw_cpu_s']:.2f} s",
        *_lane_lines(r, "fresh laptop's pull"),
    ]
    if "baseline" in r:
        lines += [f"  the same laptops pulling from a server run from {r['baseline']['code']}:"]
        lines += _lane_lines(r["baseline"], "pull (baseline)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=None, help="keep the pushed server here")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="hand each request to the server late"
    )
    parser.add_argument(
        "--baseline-code",
        type=Path,
        default=None,
        help="a checkout of other code (e.g. `git archive main | tar -x -C DIR`): a second "
        "server runs from it and every fresh laptop pulls from both, interleaved",
    )
    args = parser.parse_args()
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="linksdesk-pull-bench-", dir=args.dir))
    cache = (args.dir or workdir) / f"first-pull-{args.participants}"
    if args.rebuild and cache.exists():
        shutil.rmtree(cache)
    _time_requests()
    _count_pages()
    try:
        results = run(
            args.participants, args.repeats, workdir, cache, args.latency_ms, args.baseline_code
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, indent=2) if args.json else report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
