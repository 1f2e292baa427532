"""Time the vault against raw sqlcipher3 and plain SQLite on a 5,000-participant caseload.

Run: .venv/bin/python benchmarks/storage.py [--participants 5000] [--dir DIR] [--json]

Each figure is a ratio against the same work done more directly in the same run:

- save: one case note through ``casework.notes.write_note`` (note + revision, with outbox,
  search index and audit) against raw INSERTs of the same rows with sqlcipher3, after the
  same look-ups any correct save makes (participant on record, team consent, audit head)
  (target ≤ 3×);
- search: ``storage.search.search`` (ranked FTS5 over every note, titles and snippets marked)
  against the same SQL run raw, and against the direct way to the same hits with raw calls,
  one FTS5 statement using its own highlight() and snippet() (≤ 1.5×);
- caseload: ``casework.lists.caseload`` (the whole list) against its SQL run raw (≤ 2×);
- encryption: the raw workload on the vault (sqlcipher3) against the same workload on a plain
  SQLite copy with the stdlib ``sqlite3`` (≤ 1.5×), once as shipped (cipher_memory_security
  ON) and once in a separate process with it OFF, to tell the cipher's cost from the cost
  of wiping memory.

The vault is built once per directory (``build_demo`` through the real write path) and
reused, upgraded in place when the schema moved on; every run works on fresh copies of it.
Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSPHRASE = "benchmark passphrase, synthetic data only"
TARGETS = {"save": 3.0, "search": 1.5, "search_direct": 1.5, "caseload": 2.0, "encryption": 1.5}
# The direct way to get the same hits with raw sqlcipher3: one FTS5 statement ranking every
# match and marking titles and snippets with FTS5's own highlight() and snippet().
DIRECT_SEARCH_SQL = (
    "SELECT entity, row_id, participant_id, highlight(search_index, 3, '\x02', '\x03'), "
    "snippet(search_index, 4, '\x02', '\x03', '…', 14), "
    "bm25(search_index, 0.0, 0.0, 0.0, 8.0, 1.0, 8.0) AS rank "
    "FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 50"
)
BASELINES = {
    "save": "the same look-ups and raw INSERTs, sqlcipher3",
    "search": "its own SQL replayed, sqlcipher3",
    "search_direct": "one FTS5 statement with highlight()/snippet(), sqlcipher3",
    "caseload": "its own SQL replayed, sqlcipher3",
}
PLAIN_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
)  # and the vault's page cache size, added in open_plain, so both sides cache alike


# -- building the vault (in a child process: setup, not measured) ------------------------------
def without_memory_wiping() -> None:
    """Key connections in this process without cipher_memory_security (it can only be
    switched on, so never switching it on leaves it off). The file written is the same."""
    import linksdesk.storage.engine as engine_mod

    def keyed(conn: Any, key: bytes, salt: bytes | None) -> None:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(engine_mod._key_pragma(key, salt))
        conn.execute("PRAGMA cipher_compatibility = 4")

    engine_mod._keyed = keyed


def build(folder: Path, participants: int) -> None:
    """Build the benchmark vault with ``build_demo``, through the real write path.

    SQLCipher's memory wiping is left off in this (setup) process: it only changes how fast
    the build goes, not a byte of what is written.
    """
    from linksdesk.demo import build_demo
    from linksdesk.storage import keyfile
    from linksdesk.storage.vault import Vault
    from linksdesk.sync.policy import SyncPolicy

    without_memory_wiping()
    path = folder / "bench.vault"
    for p in folder.glob("bench.vault*"):
        p.unlink()
    started = time.perf_counter()
    vault, _ = Vault.create(path, PASSPHRASE, kdf=keyfile.FAST_KDF)
    store = vault.store(SyncPolicy())

    def progress(done: int, total: int) -> None:
        print(f"  built {done}/{total} participants", file=sys.stderr, flush=True)

    summary = build_demo(store, participants=participants, seed=7, progress=progress)
    vault.lock()
    info = {
        "participants": summary.participants,
        "rows": summary.rows,
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": path.stat().st_size,
    }
    (folder / "build.json").write_text(json.dumps(info, indent=2))


def upgrade(folder: Path) -> None:
    """Bring a vault built by an older LinksDesk to the current schema (unlock migrates)."""
    from linksdesk.storage.vault import Vault

    without_memory_wiping()
    started = time.perf_counter()
    Vault.unlock(folder / "bench.vault", PASSPHRASE).lock()
    print(f"  upgraded in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def ensure_built(folder: Path, participants: int, rebuild: bool) -> dict[str, Any]:
    from linksdesk.storage import migrate

    info_path = folder / "build.json"
    if not rebuild and info_path.exists() and (folder / "bench.vault").exists():
        info = json.loads(info_path.read_text())
        if info.get("participants") == participants:
            if info.get("head") != migrate.head_revision():
                print(f"upgrading the vault in {folder} …", file=sys.stderr)
                subprocess.run([sys.executable, __file__, "--_upgrade", str(folder)], check=True)
                info["upgraded_from"] = info.get("head")
                info["head"] = migrate.head_revision()
                info["bytes"] = (folder / "bench.vault").stat().st_size
                info_path.write_text(json.dumps(info, indent=2))
            return dict(info)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"building a {participants}-participant vault in {folder} …", file=sys.stderr)
    subprocess.run(
        [sys.executable, __file__, "--_build", str(folder), "--participants", str(participants)],
        check=True,
    )
    info = json.loads(info_path.read_text())
    info["head"] = migrate.head_revision()
    info_path.write_text(json.dumps(info, indent=2))
    return dict(info)


def fresh_copy(folder: Path, name: str) -> Path:
    from linksdesk.storage import keyfile

    src = folder / "bench.vault"
    dst = folder / "runs" / name / "bench.vault"
    if dst.parent.exists():
        shutil.rmtree(dst.parent)
    dst.parent.mkdir(parents=True)
    shutil.copy(src, dst)
    shutil.copy(keyfile.keyfile_path(src), keyfile.keyfile_path(dst))
    return dst


# -- the raw workload ----------------------------------------------------------------------
@dataclass
class Workload:
    """What every variant does: the same saves, queries and caseload statements."""

    device_id: str
    worker_id: str
    participants: list[str]  # with team consent, so a save queues outbox entries
    queries: list[str]  # user text for search
    search_sql: dict[str, list[tuple[str, tuple[Any, ...]]]]  # captured from the vault
    caseload_sql: list[tuple[str, tuple[Any, ...]]]


def _now_text() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def raw_save(conn: Any, w: Workload, n: int, head: list[Any]) -> None:
    """The rows one case-note save writes, as plain INSERTs in one transaction."""
    from linksdesk.core.ids import uuid7
    from linksdesk.storage.search import joined_words

    pid = w.participants[n % len(w.participants)]
    note_id, rev_id = uuid7(), uuid7()
    stamp = f"{time.time_ns() // 1_000_000:015d}-{n % 99999:05d}-{w.device_id}"
    written = "2026-03-02 10:30:00.000000"
    body = f"Raw benchmark note {n}: talked about the walking group and the food bank."
    sync = (stamp, w.device_id, 0, "team", w.worker_id)
    conn.execute("BEGIN IMMEDIATE")
    # the look-ups any correct save makes before writing, as the vault's does: the person is
    # on record and not handed over, whether team consent lets the note sync (rule 2), and
    # the audit chain's head as stored (another connection may have moved it)
    on_record = conn.execute("SELECT deleted FROM participant WHERE id = ?", (pid,)).fetchone()
    if on_record is None or on_record[0]:
        raise LookupError("benchmark participant missing")
    conn.execute("SELECT value FROM sync_state WHERE key = 'read_only_participants'").fetchall()
    conn.execute(
        "SELECT version, hlc, given FROM consent "
        "WHERE participant_id = ? AND scope = 'team' AND deleted = 0",
        (pid,),
    ).fetchall()
    head[:] = raw_head(conn)
    conn.execute(
        "INSERT INTO note (participant_id, contact_id, written_at, id, hlc, origin, deleted, "
        "sharing, owner, field_hlc) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
        (pid, written, note_id, *sync, json.dumps(dict.fromkeys(("participant_id",), stamp))),
    )
    conn.execute(
        "INSERT INTO note_revision (note_id, participant_id, revision, base_revision_id, body, "
        "written_at, id, hlc, origin, deleted, sharing, owner, field_hlc) "
        "VALUES (?, ?, 1, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (note_id, pid, body, written, rev_id, *sync, json.dumps({"body": stamp})),
    )
    conn.execute(
        "INSERT INTO search_index (entity, row_id, participant_id, title, body, joined) "
        "VALUES ('note', ?, ?, '', ?, ?)",
        (note_id, pid, body, joined_words("", body)),  # as the write path fills it
    )
    conn.execute(
        "INSERT INTO search_key (entity, row_id, participant_id, doc) "
        "VALUES ('note', ?, ?, last_insert_rowid())",
        (note_id, pid),
    )
    for table, row_id, fields in (
        ("note", note_id, {"participant_id": pid, "written_at": written}),
        ("note_revision", rev_id, {"body": body, "note_id": note_id, "revision": 1}),
    ):
        payload = {"fields": fields, "participant_id": pid, "owner": w.worker_id}
        conn.execute(
            "INSERT INTO outbox (change_id, table_name, row_id, op, hlc, payload, base, "
            "created_at) VALUES (?, ?, ?, 'upsert', ?, ?, '{}', ?)",
            (uuid7(), table, row_id, stamp, json.dumps(payload), _now_text()),
        )
    for entity, row_id in (("note", note_id), ("note_revision", rev_id)):
        at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        material = "\x1f".join((head[1], at.isoformat(), w.worker_id, "create", entity, row_id))
        digest = hashlib.sha256(material.encode()).hexdigest()
        conn.execute(
            "INSERT INTO audit_event (at, actor, action, entity, entity_id, prev_hash, hash) "
            "VALUES (?, ?, 'create', ?, ?, ?, ?)",
            (at.isoformat(sep=" "), w.worker_id, entity, row_id, head[1], digest),
        )
        head[0], head[1] = head[0] + 1, digest
    conn.execute(
        "INSERT INTO local_setting (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (json.dumps({"count": head[0], "hash": head[1]}),),
    )
    conn.execute("COMMIT")


def raw_head(conn: Any) -> list[Any]:
    row = conn.execute("SELECT value FROM local_setting WHERE key = 'audit_head'").fetchone()
    head = json.loads(row[0]) if row else {"count": 0, "hash": "0" * 64}
    return [head["count"], head["hash"]]


def replay(conn: Any, statements: list[tuple[str, tuple[Any, ...]]]) -> int:
    rows = 0
    for sql, params in statements:
        rows += len(conn.execute(sql, params).fetchall())
    return rows


# -- timing --------------------------------------------------------------------------------
def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def interleaved(n: int, *runs: Callable[[int], object]) -> list[list[float]]:
    """Run each variant n times, alternating, so background load hits them alike."""
    out: list[list[float]] = [[] for _ in runs]
    for i in range(n):
        for j, run in enumerate(runs):
            start = time.perf_counter()
            run(i)
            out[j].append(time.perf_counter() - start)
    return out


@contextmanager
def captured(engine: Any) -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """The SQL an engine runs inside the block, minus transaction control."""
    from sqlalchemy import event

    seen: list[tuple[str, tuple[Any, ...]]] = []

    def before(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK)", sql, re.I):
            seen.append((sql, tuple(params or ())))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


# -- the measured run ----------------------------------------------------------------------
def open_plain(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    from linksdesk.storage.engine import CACHE_KIB

    for pragma in (*PLAIN_PRAGMAS, f"PRAGMA cache_size = -{CACHE_KIB}"):
        conn.execute(pragma)
    return conn


def make_plain_copy(raw: Any, target: Path) -> None:
    for p in target.parent.glob(target.name + "*"):
        p.unlink()
    raw.execute(f"ATTACH DATABASE '{target}' AS plaintext KEY ''")
    raw.execute("SELECT sqlcipher_export('plaintext')")
    raw.execute("DETACH DATABASE plaintext")


def prepare_workload(folder: Path) -> Workload:
    """Participants, queries and the vault's own SQL for search and caseload."""
    from sqlalchemy import text

    from linksdesk.casework.casebook import Casebook
    from linksdesk.casework.dto import CaseloadQuery
    from linksdesk.casework.lists import caseload
    from linksdesk.storage import search
    from linksdesk.storage.store import participant_shared
    from linksdesk.storage.vault import Vault

    path = fresh_copy(folder, "probe")
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        rng = random.Random(11)
        with vault.store().read() as s:
            asked = s.execute(
                text(
                    "SELECT DISTINCT participant_id FROM consent "
                    "WHERE scope = 'team' AND given = 1 ORDER BY participant_id"
                )
            ).scalars()
            consented = [p for p in asked if participant_shared(s, p)]
            bodies = list(
                s.execute(text("SELECT body FROM note_revision ORDER BY id LIMIT 2000")).scalars()
            )
        words = sorted({w.lower() for b in bodies for w in re.findall(r"[A-Za-z]{5,}", b)})
        queries = rng.sample(words, min(30, len(words)))
        queries += [f"{a} {b[:3]}" for a, b in zip(queries[:10], queries[10:20], strict=False)]
        search_sql = {}
        for q in queries:
            with captured(vault.engine) as seen, vault.store().read() as s:
                search.search(s, q)
            search_sql[q] = list(seen)
        cb = Casebook(vault)
        with captured(vault.engine) as seen:
            page = caseload(cb, CaseloadQuery())
        print(f"  caseload rows: {len(page.rows)}", file=sys.stderr)
        return Workload(
            vault.device_id,
            vault.worker_id,
            rng.sample(consented, min(200, len(consented))),
            queries,
            search_sql,
            list(seen),
        )
    finally:
        vault.lock()


def measure_vault(folder: Path, w: Workload, saves: int, repeats: int) -> dict[str, Any]:
    """The vault's own code against raw sqlcipher3 on identical copies (memsec ON)."""
    from linksdesk.casework.casebook import Casebook
    from linksdesk.casework.dto import CaseloadQuery
    from linksdesk.casework.lists import caseload
    from linksdesk.casework.notes import write_note
    from linksdesk.storage import keyfile, search
    from linksdesk.storage.engine import connect_raw
    from linksdesk.storage.vault import Vault
    from linksdesk.sync.policy import SyncPolicy

    vault_path, raw_path = fresh_copy(folder, "vault"), fresh_copy(folder, "raw")
    key = keyfile.unlock_with_passphrase(keyfile.keyfile_path(raw_path), PASSPHRASE)
    results: dict[str, Any] = {}
    # the command line's unlock checks every page's HMAC before it returns; the desktop's is
    # readable at once and checks the pages on a thread beside the first screen's reads
    t_unlock = timed(lambda: Vault.unlock(vault_path, PASSPHRASE).lock())
    beside: list[Vault] = []
    t_unlock_beside = timed(
        lambda: beside.append(Vault.unlock(vault_path, PASSPHRASE, check_beside=True))
    )
    beside[0].lock()  # waits for the page check: not timed
    vault = Vault.unlock(vault_path, PASSPHRASE)
    raw = connect_raw(raw_path, key)
    try:
        store = vault.store(SyncPolicy())
        cb = Casebook(vault)
        head = raw_head(raw)

        def vault_save(n: int) -> None:
            pid = w.participants[n % len(w.participants)]
            when = dt.datetime(2026, 3, 2, 10, 30)
            body = f"Vault benchmark note {n}: talked about the walking group and the food bank."
            write_note(cb, pid, body, written_at=when)  # the path the app saves through

        saves_v, saves_r = interleaved(saves, vault_save, lambda n: raw_save(raw, w, n, head))
        results["save"] = (median_ms(saves_v), median_ms(saves_r))

        def vault_search(i: int) -> None:
            with store.read() as s:
                search.search(s, w.queries[i % len(w.queries)])

        def raw_search(i: int) -> None:
            replay(raw, w.search_sql[w.queries[i % len(w.queries)]])

        def direct_search(i: int) -> None:
            match = search.to_match_query(w.queries[i % len(w.queries)])
            raw.execute(DIRECT_SEARCH_SQL, (match,)).fetchall()

        n_search = len(w.queries) * repeats
        search_v, search_r, search_d = interleaved(
            n_search, vault_search, raw_search, direct_search
        )
        results["search"] = (median_ms(search_v), median_ms(search_r))
        results["search_direct"] = (median_ms(search_v), median_ms(search_d))

        caseload_v, caseload_r = interleaved(
            max(5, repeats * 2),
            lambda _i: caseload(cb, CaseloadQuery()),
            lambda _i: replay(raw, w.caseload_sql),
        )
        results["caseload"] = (median_ms(caseload_v), median_ms(caseload_r))

        t_check = timed(vault.integrity_check)
        report = vault.integrity_check()
        extras = {
            "unlock_ms": round(t_unlock * 1000, 1),
            "unlock_beside_ms": round(t_unlock_beside * 1000, 1),
            "integrity_check_ms": round(t_check * 1000, 1),
            "integrity_ok": report.ok,
            "audit_events": report.audit_events,
        }
    finally:
        raw.close()
        vault.lock()
    return {"pairs": results, "extras": extras}


def measure_encryption(folder: Path, w: Workload, saves: int, repeats: int) -> dict[str, Any]:
    """The same raw workload on the encrypted file and on a plain SQLite copy of it."""
    from linksdesk.storage import keyfile
    from linksdesk.storage.engine import connect_raw

    enc_path = fresh_copy(folder, "encrypted")
    plain_path = enc_path.with_name("plain.sqlite")
    key = keyfile.unlock_with_passphrase(keyfile.keyfile_path(enc_path), PASSPHRASE)
    enc = connect_raw(enc_path, key)
    make_plain_copy(enc, plain_path)
    plain = open_plain(plain_path)
    try:
        memsec = str(enc.execute("PRAGMA cipher_memory_security").fetchone()[0])
        heads = (raw_head(enc), raw_head(plain))
        save_e, save_p = interleaved(
            saves,
            lambda n: raw_save(enc, w, n, heads[0]),
            lambda n: raw_save(plain, w, n, heads[1]),
        )
        search_e, search_p = interleaved(
            len(w.queries) * repeats,
            lambda i: replay(enc, w.search_sql[w.queries[i % len(w.queries)]]),
            lambda i: replay(plain, w.search_sql[w.queries[i % len(w.queries)]]),
        )
        case_e, case_p = interleaved(
            max(5, repeats * 2),
            lambda _i: replay(enc, w.caseload_sql),
            lambda _i: replay(plain, w.caseload_sql),
        )
    finally:
        enc.close()
        plain.close()
    pairs = {
        "save": (median_ms(save_e), median_ms(save_p)),
        "search": (median_ms(search_e), median_ms(search_p)),
        "caseload": (median_ms(case_e), median_ms(case_p)),
    }
    total_e = sum(statistics.fmean(x) for x in (save_e, search_e, case_e))
    total_p = sum(statistics.fmean(x) for x in (save_p, search_p, case_p))
    from linksdesk.storage.allocator import lookaside_tuned

    return {
        "memory_security": memsec,
        "lookaside_enlarged": lookaside_tuned(),
        "pairs": pairs,
        "overall": total_e / total_p,
    }


def encryption_without_memsec(folder: Path, saves: int, repeats: int) -> dict[str, Any]:
    """measure_encryption in a fresh process that never turns memory wiping on."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--_encryption",
            str(folder),
            "--saves",
            str(saves),
            "--repeats",
            str(repeats),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout))


def _workload_file(folder: Path) -> Path:
    return folder / "workload.json"


def save_workload(folder: Path, w: Workload) -> None:
    _workload_file(folder).write_text(json.dumps(w.__dict__, default=list))


def load_workload(folder: Path) -> Workload:
    data = json.loads(_workload_file(folder).read_text())
    data["search_sql"] = {
        q: [(sql, tuple(p)) for sql, p in v] for q, v in data["search_sql"].items()
    }
    data["caseload_sql"] = [(sql, tuple(p)) for sql, p in data["caseload_sql"]]
    return Workload(**data)


# -- report --------------------------------------------------------------------------------
def report(
    info: dict[str, Any],
    vault_run: dict[str, Any],
    enc_on: dict[str, Any],
    enc_off: dict[str, Any],
) -> dict[str, Any]:
    rows = []
    for name in ("save", "search", "search_direct", "caseload"):
        v, r = vault_run["pairs"][name]
        rows.append(
            {
                "measure": name,
                "vault_ms": round(v, 3),
                "baseline_ms": round(r, 3),
                "baseline": BASELINES[name],
                "ratio": round(v / r, 2),
                "target": TARGETS[name],
            }
        )
    for label, enc in (("encryption (memory security on)", enc_on), ("encryption (off)", enc_off)):
        rows.append(
            {
                "measure": label,
                "vault_ms": None,
                "baseline_ms": None,
                "baseline": "stdlib sqlite3, plain copy",
                "ratio": round(enc["overall"], 2),
                "target": TARGETS["encryption"],
                "memory_security": enc["memory_security"],
                "lookaside_enlarged": enc["lookaside_enlarged"],
                "by_operation": {
                    k: {
                        "sqlcipher_ms": round(a, 3),
                        "sqlite_ms": round(b, 3),
                        "ratio": round(a / b, 2),
                    }
                    for k, (a, b) in enc["pairs"].items()
                },
            }
        )
    for row in rows:
        row["meets_target"] = row["ratio"] <= row["target"]
    return {
        "participants": info["participants"],
        "vault_bytes": info["bytes"],
        "rows": info["rows"],
        "build_seconds": info["seconds"],
        "results": rows,
        "extras": vault_run["extras"],
        "machine": {"cpus": os.cpu_count(), "load_average": list(os.getloadavg())},
    }


def print_table(out: dict[str, Any]) -> None:
    print(
        f"\nVault of {out['participants']} participants, {out['vault_bytes'] / 1e6:.0f} MB "
        f"(load average {out['machine']['load_average'][0]:.1f} on "
        f"{out['machine']['cpus']} CPUs)\n"
    )
    print(f"{'measure':34} {'vault ms':>10} {'baseline ms':>12} {'ratio':>7} {'target':>7}  ok")
    for r in out["results"]:
        v = f"{r['vault_ms']:.2f}" if r["vault_ms"] is not None else ""
        b = f"{r['baseline_ms']:.2f}" if r["baseline_ms"] is not None else ""
        ok = "yes" if r["meets_target"] else "NO"
        print(f"{r['measure']:34} {v:>10} {b:>12} {r['ratio']:>6.2f}× {r['target']:>6.1f}×  {ok}")
        if "lookaside_enlarged" in r:
            print(f"  (lookaside pool enlarged: {r['lookaside_enlarged']})")
        for op, d in r.get("by_operation", {}).items():
            print(
                f"  {op:32} {d['sqlcipher_ms']:>10.2f} {d['sqlite_ms']:>12.2f} {d['ratio']:>6.2f}×"
            )
    e = out["extras"]
    print(
        f"\nunlock {e['unlock_ms']:.0f} ms with every page checked first (command line), "
        f"{e['unlock_beside_ms']:.0f} ms to readable with the check beside (desktop)"
        f"\nfull integrity check {e['integrity_check_ms']:.0f} ms "
        f"({e['audit_events']} audit events, ok={e['integrity_ok']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--dir", type=Path, default=None, help="where the vault is kept")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--saves", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=3, help="passes over the queries")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--_build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_encryption", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_upgrade", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._build:
        build(args._build, args.participants)
        return
    if args._upgrade:
        upgrade(args._upgrade)
        return
    if args._encryption:
        without_memory_wiping()
        w = load_workload(args._encryption)
        print(json.dumps(measure_encryption(args._encryption, w, args.saves, args.repeats)))
        return

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = args.dir or Path(tempfile.gettempdir()) / f"linksdesk-bench-{args.participants}"
    info = ensure_built(folder, args.participants, args.rebuild)
    w = prepare_workload(folder)
    save_workload(folder, w)
    enc_off = encryption_without_memsec(folder, args.saves, args.repeats)
    vault_run = measure_vault(folder, w, args.saves, args.repeats)
    enc_on = measure_encryption(folder, w, args.saves, args.repeats)
    out = report(info, vault_run, enc_on, enc_off)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print_table(out)


if __name__ == "__main__":
    main()
