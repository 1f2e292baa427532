"""What sealing participant content costs the server: push and pull, sealed against clear.

Both runs push the same number of changes of the same sizes through ``exchange.push`` and
pull them back through ``exchange.pull``, in one process, interleaved: participant content
(validated, sealed under per-participant keys, a key made per new participant) and team
resources (validated, kept in clear: the baseline doing the same work without sealing).
The ratio is the cost of sealing plus the participant rules (consent, caseload).

Run: .venv/bin/python benchmarks/sealing.py [--batches 10] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.server import admin, exchange
from linksdesk.server.db import Database, init_database
from linksdesk.sync.protocol import EnrolRequest, PullRequest, PushRequest

PER_BATCH = 250
# what each new row also carries, as a device sends it whole (the server refuses less)
WHOLE: dict[str, dict[str, Any]] = {
    "consent": {"method": "verbal", "recorded_on": "2026-01-05"},
    "participant": {
        "programme_id": "P1",
        "family_name": "Example",
        "status": "active",
        "created_on": "2026-01-05",
    },
    "contact": {"scheduled_at": "2026-01-05T10:00:00"},
    "resource": {"categories": [], "capacity": "open", "problem_reports": []},
}


def _change(
    clock: HybridClock, ctx: exchange.DeviceContext, table: str, **kw: Any
) -> dict[str, Any]:
    pid = kw.pop("pid", None)
    return {
        "change_id": uuid7(),
        "table": table,
        "row_id": kw.pop("row_id", None) or uuid7(),
        "op": "upsert",
        "hlc": clock.now().encode(),
        "origin": ctx.device_id,
        "owner": ctx.worker_id,
        "participant_id": pid,
        "sharing": "team",
        "participant_shared": True if pid else None,
        "fields": {**WHOLE[table], **kw},
        "base": {},
    }


def _batches(
    kind: str, n: int, clock: HybridClock, ctx: exchange.DeviceContext
) -> list[PushRequest]:
    out = []
    for _ in range(n):
        changes = []
        while len(changes) < PER_BATCH:
            if kind == "sealed":
                pid = uuid7()
                changes += [
                    _change(clock, ctx, "consent", pid=pid, scope="team", given=True, version=1),
                    _change(
                        clock,
                        ctx,
                        "participant",
                        pid=pid,
                        row_id=pid,
                        given_name="A" * 20,
                        risk_summary="r" * 300,
                    ),
                    _change(
                        clock,
                        ctx,
                        "contact",
                        pid=pid,
                        kind="phone",
                        status="attended",
                        purpose="p" * 300,
                    ),
                    _change(
                        clock,
                        ctx,
                        "contact",
                        pid=pid,
                        kind="phone",
                        status="attended",
                        purpose="p" * 300,
                    ),
                    _change(
                        clock,
                        ctx,
                        "contact",
                        pid=pid,
                        kind="phone",
                        status="attended",
                        purpose="p" * 300,
                    ),
                ]
            else:
                changes += [
                    _change(
                        clock,
                        ctx,
                        "resource",
                        organisation="O" * 20,
                        service="s",
                        description="d" * 300,
                    )
                    for _ in range(5)
                ]
        out.append(
            PushRequest.model_validate({"batch_key": uuid7(), "changes": changes[:PER_BATCH]})
        )
    return out


def _server(folder: Path) -> tuple[Database, exchange.DeviceContext]:
    url = f"sqlite:///{folder / 'server.db'}"
    init_database(url)
    db = Database(url)
    team = admin.add_team(db, f"team-{uuid7()[-8:]}")
    worker = admin.add_worker(db, team, "bench", "worker")
    code = admin.make_enrol_code(db, worker).code
    device = admin.enrol(db, EnrolRequest(code=code, label="benchmark")).device_id
    return db, exchange.DeviceContext(device, worker, team, "worker")


def run(kind: str, batches: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db, ctx = _server(Path(tmp))
        try:
            reqs = _batches(kind, batches, HybridClock(ctx.device_id), ctx)
            start = time.perf_counter()
            for req in reqs:
                exchange.push(db, ctx, req)
            pushed = time.perf_counter() - start
            reader = exchange.DeviceContext("reader", ctx.worker_id, ctx.team_id, "worker")
            start = time.perf_counter()
            cursor, more = 0, True
            while more:
                page = exchange.pull(db, reader, PullRequest(cursor=cursor, limit=250))
                cursor, more = page.next_cursor, page.has_more
            pulled = time.perf_counter() - start
            return pushed, pulled
        finally:
            db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[tuple[float, float]]] = {"sealed": [], "clear": []}
    for _ in range(args.repeats):  # interleaved, so both see the same machine load
        for kind in ("clear", "sealed"):
            times[kind].append(run(kind, args.batches))
    n = args.batches * PER_BATCH
    for kind, rows in times.items():
        push = statistics.median(r[0] for r in rows)
        pull = statistics.median(r[1] for r in rows)
        print(f"{kind:>6}: push {n} changes {push:6.2f} s ({n / push:7.0f}/s), pull {pull:5.2f} s")
    ratio_push = statistics.median(r[0] for r in times["sealed"]) / statistics.median(
        r[0] for r in times["clear"]
    )
    ratio_pull = statistics.median(r[1] for r in times["sealed"]) / statistics.median(
        r[1] for r in times["clear"]
    )
    print(f"sealed / clear: push {ratio_push:.2f}x, pull {ratio_pull:.2f}x")


if __name__ == "__main__":
    main()
