"""Bytes per record and parse time per page: protocol 3's compact clocks against protocol 2.

Run: .venv/bin/python benchmarks/wire.py [--participants 200] [--repeats 7] [--json]

The records are the caseload rows of ``benchmarks/sync.py`` (every table, synthetic data),
as three kinds of page of ``DEFAULT_PULL_LIMIT`` changes:

- new: rows as a first sync pushes them (no base, no field clocks);
- edits: three fields of each row edited, ``base`` holding the clocks they were based on;
- snapshots: every field at a clock of its own, written over months on two laptops (what a
  handover or a resync carries in ``field_hlc``: the issue's "~501 bytes of clocks").

Baseline in the same run: protocol 2's models (the same fields, clocks written out per field,
defined below as they were), dumping and parsing the very same changes. Parse time is
``PullResponse.model_validate_json`` on one page's bytes: per page the best of ``--repeats``
(the least disturbed run on a shared machine), then the median over the pages.

Also measured: gzip of one page (levels 1 and 6): size, CPU to compress and decompress, and
what a page costs end to end at a few link speeds (transfer time at that rate + gzip CPU);
and, over loopback for real, pulling pages of 250 resources from ``linksdesk-server serve``
(SQLite) with and without ``Accept-Encoding: gzip``, interleaved, per page the best of the
repeats: request, server, transfer and the device's parse of the answer.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync import caseload_rows

from linksdesk.core.hlc import HLC
from linksdesk.storage.store import json_value
from linksdesk.sync.protocol import (
    DEFAULT_PULL_LIMIT,
    FieldName,
    HlcText,
    Op,
    PullResponse,
    ServerChange,
    TableName,
    Uuid,
)

DEVICE = "01900000-0000-7000-8000-0000000000d1"
OTHER = "01900000-0000-7000-8000-0000000000d2"
WORKER = "01900000-0000-7000-8000-0000000000a1"
EPOCH = "01900000-0000-7000-8000-0000000000e1"
ENVELOPE = {"id", "hlc", "origin", "deleted", "sharing", "owner", "field_hlc", "participant_id"}


# -- protocol 2's models, as they were (the baseline) -----------------------------------------
class V2Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    change_id: Uuid
    table: TableName
    row_id: Uuid
    op: Op = Field(strict=False)
    hlc: HlcText
    origin: str
    owner: Uuid
    participant_id: Uuid | None = None
    sharing: Literal["team", "private"] = "team"
    participant_shared: bool | None = None
    fields: dict[FieldName, JsonValue] = Field(default_factory=dict, max_length=200)
    base: dict[FieldName, HlcText] = Field(default_factory=dict, max_length=200)
    field_hlc: dict[FieldName, HlcText] = Field(default_factory=dict, max_length=200)
    server_seq: int = Field(ge=1)


class V2Page(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    changes: list[V2Change]
    next_cursor: int
    has_more: bool
    data_epoch: Uuid
    settings_version: int


# -- the pages ----------------------------------------------------------------------------------
def changes(participants: int, kind: str, seed: int = 7) -> list[ServerChange]:
    rng = random.Random(seed)
    rows = caseload_rows(participants, DEVICE, WORKER, seed=participants)
    out: list[ServerChange] = []
    for table, table_rows in rows.items():
        for row in table_rows:
            fields = {k: json_value(v) for k, v in row.items() if k not in ENVELOPE}
            created = HLC.decode(row["hlc"])
            clocks = dict(row["field_hlc"])
            hlc = row["hlc"]
            base: dict[str, str] = {}
            field_hlc: dict[str, str] = {}
            if kind == "edits":
                hlc = HLC(created.wall_ms + rng.randrange(1, 10**9), 0, DEVICE).encode()
                edited = rng.sample(sorted(fields), min(3, len(fields)))
                fields = {k: fields[k] for k in edited}
                base = {k: clocks.get(k, row["hlc"]) for k in edited}
            elif kind == "snapshots":
                for k in fields:
                    later = created.wall_ms + rng.randrange(0, 200 * 86_400_000)
                    device = DEVICE if rng.random() < 0.7 else OTHER
                    field_hlc[k] = HLC(later, rng.randrange(3), device).encode()
                hlc = max(field_hlc.values(), default=hlc)
                field_hlc = {k: v for k, v in field_hlc.items() if v != hlc}
            pid = row.get("participant_id") or (row["id"] if table == "participant" else None)
            out.append(
                ServerChange(
                    change_id=row["id"],
                    table=table,
                    row_id=row["id"],
                    op="upsert",
                    hlc=hlc,
                    origin=DEVICE,
                    owner=WORKER,
                    participant_id=pid,
                    participant_shared=True if pid else None,
                    fields=fields,
                    base=base,
                    field_hlc=field_hlc,
                    server_seq=len(out) + 1,
                )
            )
    return out


def timed(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def clock_bytes(page: dict[str, Any]) -> int:
    """Bytes of the ``base`` and ``field_hlc`` members (keys, values and punctuation)."""
    total = 0
    for ch in page["changes"]:
        for key in ("base", "field_hlc"):
            total += len(json.dumps({key: ch[key]}, separators=(",", ":"))) - 2
    return total


def measure(kind: str, all_changes: list[ServerChange], repeats: int) -> dict[str, Any]:
    pages_new = [
        PullResponse(
            changes=all_changes[i : i + DEFAULT_PULL_LIMIT],
            next_cursor=i + DEFAULT_PULL_LIMIT,
            has_more=True,
            data_epoch=EPOCH,
            settings_version=1,
        )
        for i in range(0, len(all_changes), DEFAULT_PULL_LIMIT)
    ]
    pages_new = [p for p in pages_new if len(p.changes) == DEFAULT_PULL_LIMIT]
    pages_old = [V2Page.model_validate(p.model_dump()) for p in pages_new]
    new_bytes = [p.model_dump_json().encode() for p in pages_new]
    old_bytes = [p.model_dump_json().encode() for p in pages_old]
    assert [PullResponse.model_validate_json(b) for b in new_bytes] == pages_new
    records = DEFAULT_PULL_LIMIT * len(pages_new)
    r: dict[str, Any] = {"kind": kind, "records": records}
    r["old_bytes_per_record"] = sum(map(len, old_bytes)) / records
    r["new_bytes_per_record"] = sum(map(len, new_bytes)) / records
    r["old_clock_bytes_per_record"] = sum(clock_bytes(json.loads(b)) for b in old_bytes) / records
    r["new_clock_bytes_per_record"] = sum(clock_bytes(json.loads(b)) for b in new_bytes) / records
    # interleaved page by page, so background load hits both alike; per page the best of
    # the repeats (on a shared machine the least disturbed run is the closest to the cost)
    work: dict[str, list[Callable[[], object]]] = {
        "old_parse": [lambda b=b: V2Page.model_validate_json(b) for b in old_bytes],
        "new_parse": [lambda b=b: PullResponse.model_validate_json(b) for b in new_bytes],
        "old_dump": [lambda p=p: p.model_dump_json() for p in pages_old],
        "new_dump": [lambda p=p: p.model_dump_json() for p in pages_new],
    }
    best = {k: [float("inf")] * len(pages_new) for k in work}
    for _ in range(repeats):
        for i in range(len(pages_new)):
            for k, fns in work.items():
                best[k][i] = min(best[k][i], timed(fns[i], 1))
    for k, times in best.items():
        r[f"{k.split('_')[0]}_{k.split('_')[1]}_ms_per_page"] = statistics.median(times) * 1e3
    page = new_bytes[0]
    for level in (1, 6):
        packed = gzip.compress(page, compresslevel=level, mtime=0)
        r[f"gzip{level}_page_bytes"] = len(packed)
        r[f"gzip{level}_compress_ms"] = (
            timed(lambda lv=level: gzip.compress(page, lv, mtime=0), 9) * 1e3
        )
        r[f"gzip{level}_decompress_ms"] = timed(lambda z=packed: gzip.decompress(z), 9) * 1e3
    r["page_bytes"] = len(page)
    return r


LINKS = {
    "loopback (~2 GB/s)": 2e9,
    "office LAN (100 Mbit/s)": 12.5e6,
    "slow link (2 Mbit/s)": 2.5e5,
}


def report(results: list[dict[str, Any]], load: tuple[float, float, float]) -> str:
    lines = [f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"]
    for r in results:
        lines.append(
            f"{r['kind']:>9}: {r['old_bytes_per_record']:6.0f} -> {r['new_bytes_per_record']:6.0f} "
            f"bytes/record ({r['new_bytes_per_record'] / r['old_bytes_per_record']:.2f}x; clocks "
            f"{r['old_clock_bytes_per_record']:.0f} -> {r['new_clock_bytes_per_record']:.0f}); "
            f"parse {r['old_parse_ms_per_page']:.2f} -> {r['new_parse_ms_per_page']:.2f} ms/page "
            f"({r['new_parse_ms_per_page'] / r['old_parse_ms_per_page']:.2f}x); dump "
            f"{r['old_dump_ms_per_page']:.2f} -> {r['new_dump_ms_per_page']:.2f} ms/page"
        )
        cost = []
        for link, rate in LINKS.items():
            plain = r["page_bytes"] / rate * 1e3
            zipped = (
                r["gzip1_page_bytes"] / rate * 1e3
                + r["gzip1_compress_ms"]
                + r["gzip1_decompress_ms"]
            )
            cost.append(f"{link} {plain:.1f} vs {zipped:.1f} ms")
        lines.append(
            f"           gzip of a {r['page_bytes'] / 1024:.0f} KiB page: level 1 "
            f"{r['gzip1_page_bytes'] / 1024:.0f} KiB ({r['gzip1_compress_ms']:.2f} ms + "
            f"{r['gzip1_decompress_ms']:.2f} ms), level 6 {r['gzip6_page_bytes'] / 1024:.0f} KiB "
            f"({r['gzip6_compress_ms']:.2f} ms); per page plain vs gzip 1: " + "; ".join(cost)
        )
    return "\n".join(lines)


def loopback(repeats: int, n: int = 1000) -> dict[str, float]:
    """Seconds per pulled page over 127.0.0.1, gzip against identity (``n`` resources)."""
    import tempfile

    import httpx
    from sync import fresh_programme, server_process

    from linksdesk.core.ids import uuid7
    from linksdesk.server.db import init_database

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/server.db"
        init_database(db_url)
        with server_process(db_url, Path(tmp) / "server.log") as server:
            _team, worker, code = fresh_programme(db_url)
            with httpx.Client(base_url=server.url, timeout=60) as http:
                enrolled = http.post("/v1/enrol", json={"code": code}).json()
                auth = {"Authorization": f"Bearer {enrolled['token']}"}
                me = enrolled["device_id"]
                for first in range(0, n, 250):
                    batch = [
                        {
                            "change_id": uuid7(),
                            "table": "resource",
                            "row_id": uuid7(),
                            "op": "upsert",
                            "hlc": HLC(1_733_000_000_000 + i, 0, me).encode(),
                            "origin": me,
                            "owner": worker,
                            "fields": {
                                "organisation": f"Organisation {i}",
                                "service": f"Service {i}",
                                "description": "Weekly drop-in sessions, no referral needed.",
                                "categories": ["Food"],
                                "area": "North",
                                "capacity": "open",
                                "problem_reports": [],
                            },
                        }
                        for i in range(first, first + 250)
                    ]
                    body = {"batch_key": uuid7(), "changes": batch}
                    answer = http.post("/v1/push", json=body, headers=auth).json()
                    assert {r["status"] for r in answer["results"]} == {"applied"}, answer
                best = {
                    "identity": [float("inf")] * (n // 250),
                    "gzip": [float("inf")] * (n // 250),
                }
                for _ in range(repeats):
                    for page in range(n // 250):
                        for encoding, times in best.items():
                            t0 = time.perf_counter()
                            r = http.post(
                                "/v1/pull",
                                json={"cursor": page * 250, "limit": 250},
                                headers={**auth, "Accept-Encoding": encoding},
                            )
                            PullResponse.model_validate_json(r.content)
                            times[page] = min(times[page], time.perf_counter() - t0)
                            zipped = r.headers.get("content-encoding") == "gzip"
                            assert r.status_code == 200 and zipped == (encoding == "gzip"), (
                                r.status_code,
                                r.headers,
                            )
    return {k: statistics.median(v) for k, v in best.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--participants", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    results = [
        measure(kind, changes(a.participants, kind), a.repeats)
        for kind in ("new", "edits", "snapshots")
    ]
    pulled = loopback(a.repeats)
    load = os.getloadavg()
    out = {"load": load, "results": results, "loopback_pull_s": pulled}
    if a.json:
        print(json.dumps(out, indent=2))
    else:
        print(report(results, load))
        print(
            "loopback pull of a page of 250 resources: "
            f"identity {pulled['identity'] * 1e3:.1f} ms, gzip {pulled['gzip'] * 1e3:.1f} ms "
            f"({pulled['gzip'] / pulled['identity']:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
