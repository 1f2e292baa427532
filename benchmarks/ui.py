"""UI benchmark: unlock to caseload and record painted, against the same work with no window.

Usage: python benchmarks/ui.py [--participants 10000] [--small 100] [--repeat 2]
[--cache-dir DIR] [--append]

Demo vaults (linksdesk.demo.build_demo) are built once into the cache directory and reused.
Every unlock figure counts from the start of the unlock with the key derivation (Argon2id,
timed on its own in the same unlock) taken out and shown apart: opening the vault (proving
the key, the page check when it runs first, reading the identity) counts.
The window and the same queries without it are each measured in a fresh process of their own
(so peak memory, ru_maxrss, is that vault's alone), interleaved, and the best of each is kept.
With --append the figures are appended to docs/performance.md under "## UI".
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PASSPHRASE = "benchmark passphrase only"
ROOT = Path(__file__).resolve().parents[1]


def build(path: Path, participants: int) -> None:
    from linksdesk.casework.casebook import Casebook
    from linksdesk.demo import build_demo

    if path.exists():
        return
    tmp = path.with_name(path.name + ".building")
    for leftover in tmp.parent.glob(tmp.name + "*"):
        leftover.unlink()
    started = time.monotonic()
    cb, _key = Casebook.create(tmp, PASSPHRASE)
    try:
        build_demo(
            cb,
            participants=participants,
            seed=42,
            progress=lambda d, t: print(f"  built {d}/{t}", flush=True) if d % 1000 == 0 else None,
        )
    finally:
        cb.lock()
    for f in tmp.parent.glob(tmp.name + "*"):
        f.rename(f.with_name(f.name.replace(tmp.name, path.name)))
    print(f"  {participants} participants built in {time.monotonic() - started:.0f} s")


def _wait(app: Any, cond: Any, timeout: float = 600.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not finish loading")
        app.processEvents()
        time.sleep(0.001)


class Timed:
    """The key derivation and the page check of the unlock being measured, timed where
    they run (whatever the code under test does with them, first or beside the reads)."""

    def __init__(self) -> None:
        from linksdesk.storage import keyfile
        from linksdesk.storage import vault as vault_module

        self.kdf_s = 0.0
        self.check: tuple[float, str] | None = None  # when it ended, on which thread
        derive, check = keyfile.unlock_with_passphrase, vault_module.check_pages

        def timed_derive(*args: Any, **kw: Any) -> Any:
            started = time.perf_counter()
            try:
                return derive(*args, **kw)
            finally:
                self.kdf_s += time.perf_counter() - started

        def timed_check(*args: Any, **kw: Any) -> Any:
            result = check(*args, **kw)
            self.check = (time.perf_counter(), threading.current_thread().name)
            return result

        keyfile.unlock_with_passphrase = timed_derive  # type: ignore[assignment]
        vault_module.check_pages = timed_check  # type: ignore[assignment]

    def since(self, started: float, at: float) -> float:
        """Seconds from ``started`` to ``at`` without the key derivation."""
        return at - started - self.kdf_s

    def figures(self, started: float) -> dict[str, Any]:
        ended, thread = self.check if self.check is not None else (float("nan"), "")
        return {
            "kdf_s": self.kdf_s,
            "checked_s": self.since(started, ended),
            "check_beside": thread == "vault-page-check",
        }


def measure(path: Path) -> dict[str, Any]:
    """Runs in a child process: time the window.

    The window unlocks on its first screen (Today) and the worker goes straight to the
    caseload (Ctrl+2), as the issue's "unlock to caseload painted" reads; both paints are
    timed from the start of the unlock, without the key derivation: opening the vault,
    reading settings and drafts and showing the workspace count too.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    timed = Timed()

    from PySide6.QtWidgets import QApplication

    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.session import UiSession
    from linksdesk.ui.unlock import UnlockOptions

    app = QApplication.instance() or QApplication([])
    session = UiSession()
    window = MainWindow(session, UnlockOptions(path))
    window.resize(1280, 800)
    window.show()
    unlocked: list[float] = []
    session.sig_unlocked.connect(lambda: unlocked.append(time.perf_counter()))
    today_shown: list[float] = []
    today = window.today_view
    fill = today._show

    def filled(data: Any) -> None:  # Today's lists filled from its load (painted next frame)
        fill(data)
        today_shown.append(time.perf_counter())

    today._show = filled  # type: ignore[method-assign]
    opened: list[float] = []
    t_unlock = time.perf_counter()
    # the key derived (taken out of every figure), the vault opened; the window then reads
    # the settings and drafts, shows its workspace and loads its first page
    session.unlock(path, PASSPHRASE, on_done=lambda _cb: opened.append(time.perf_counter()))
    _wait(app, lambda: bool(unlocked))

    caseload = window.caseload_view
    loaded: list[float] = []
    caseload.sig_rows_loaded.connect(lambda: loaded.append(time.perf_counter()))
    window.show_view("caseload")
    _wait(app, lambda: bool(loaded))
    caseload.table.viewport().repaint()
    t_caseload = timed.since(t_unlock, time.perf_counter())
    _wait(app, lambda: bool(today_shown))
    t_today = timed.since(t_unlock, today_shown[0])
    # the record is opened once the check has ended and what waited for it is written (the
    # unlock audit), as on the code that checked first: its figure is the record's alone
    _wait(app, lambda: timed.check is not None)
    _wait(app, lambda: not session.runner.busy)
    rows = caseload.model.rowCount()
    first = caseload.model.id_at(0)

    record = window.participant_view
    shown: list[float] = []
    record.sig_loaded.connect(lambda _pid: shown.append(time.perf_counter()))
    t1 = time.perf_counter()
    window.open_participant(first)
    _wait(app, lambda: bool(shown))
    record.repaint()
    t_record = time.perf_counter() - t1
    _wait(app, lambda: not session.runner.busy)
    resident_kb = _resident_kb()
    session.shutdown()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    return {
        "rows": rows,
        "first": first,
        "open_s": timed.since(t_unlock, opened[0]),
        **timed.figures(t_unlock),
        "today_s": t_today,
        "caseload_s": t_caseload,
        "record_s": t_record,
        "peak_mb": peak_kb / 1024,
        "resident_mb": resident_kb / 1024,
    }


def measure_direct(path: Path, first: str, *, check_first: bool = False) -> dict[str, Any]:
    """Runs in a child process of its own (fresh, as the window's was): the same work with no
    window, in the order the window queues it — the unlock as the window makes it (the page
    check beside the reads where the code has that), the sync status, the Today screen, the
    caseload's ids (with its read-only copies) and first page of rows; then the record the
    window opened. ``check_first``: the unlock as the command line makes it (every page
    checked before anything is read)."""
    from linksdesk.casework import lists
    from linksdesk.casework.casebook import Casebook
    from linksdesk.casework.dto import CaseloadQuery
    from linksdesk.sync import client as sync_client
    from linksdesk.ui.session import _load_session_state
    from linksdesk.ui.views.caseload import load_caseload
    from linksdesk.ui.views.participant import load_record
    from linksdesk.ui.views.today import load_today

    timed = Timed()
    beside = not check_first and "check_beside" in inspect.signature(Casebook.unlock).parameters
    t2 = time.perf_counter()
    cb = Casebook.unlock(path, PASSPHRASE, **({"check_beside": True} if beside else {}))
    try:
        _load_session_state(cb)  # settings and drafts, as the window reads them first
        sync_client.sync_status(cb)
        load_today(cb, dt.date.today(), dt.datetime.now())
        d_today = timed.since(t2, time.perf_counter())
        ids, _read_only = load_caseload(cb, CaseloadQuery())  # the caseload's first query
        lists.caseload_rows(cb, ids[:100])
        d_caseload = timed.since(t2, time.perf_counter())
        t3 = time.perf_counter()
        load_record(cb, first)
        d_record = time.perf_counter() - t3
    finally:
        cb.lock()
    name = "direct_first" if check_first else "direct"
    return {
        "rows": len(ids),
        **{f"{name}_{k}": v for k, v in timed.figures(t2).items()},
        f"{name}_today_s": d_today,
        f"{name}_caseload_s": d_caseload,
        f"{name}_record_s": d_record,
    }


def _resident_kb() -> float:
    """Resident memory now (Linux); the peak is set by Argon2id while unlocking."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def run_child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run_pair(path: Path, repeat: int) -> dict[str, Any]:
    """The window and the direct queries, each in a fresh process, interleaved ``repeat``
    times; the best figure of each (the least disturbed by other work on the machine)."""
    runs: list[dict[str, Any]] = []
    for _ in range(repeat):
        ui = run_child("--measure", str(path))
        direct = run_child("--measure-direct", str(path), ui["first"])
        first = run_child("--measure-direct", str(path), ui["first"], "--check-first")
        if not direct["rows"] == first["rows"] == ui["rows"]:
            raise RuntimeError("the direct queries did not find the caseload the window showed")
        runs.append({**ui, **first, **direct})
    best = {k: min(r[k] for r in runs) for k in runs[0] if k.endswith("_s")}
    return {**runs[-1], **best}


def _row(label: str, b: dict[str, Any], key: str) -> str:
    ui, direct, first = b[key], b[f"direct_{key}"], b[f"direct_first_{key}"]
    return (
        f"| {label} | {ui * 1000:.0f} ms | {direct * 1000:.0f} ms | {ui / direct:.2f}× "
        f"| {first * 1000:.0f} ms |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "ld-bench")
    parser.add_argument("--append", action="store_true", help="append to docs/performance.md")
    parser.add_argument("--repeat", type=int, default=2, help="interleaved runs; best kept")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-direct", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--check-first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure)))
        return 0
    if args.measure_direct is not None:
        where, first = Path(args.measure_direct[0]), args.measure_direct[1]
        print(json.dumps(measure_direct(where, first, check_first=args.check_first)))
        return 0
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    big = args.cache_dir / f"demo-{args.participants}.vault"
    small = args.cache_dir / f"demo-{args.small}.vault"
    for path, n in ((small, args.small), (big, args.participants)):
        print(f"vault of {n} participants: {path}")
        build(path, n)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    s = run_pair(small, 1)
    b = run_pair(big, args.repeat)
    lines = [
        f"### {dt.date.today().isoformat()} — {args.participants} vs {args.small} participants "
        f"(offscreen, {os.cpu_count()} cores)",
        "",
        "Unlock figures count from the start of the unlock, without the key derivation "
        "(shown apart below); opening the vault counts.",
        "",
        "| measure | big vault | direct, same work | ratio | direct, every page checked first |",
        "| --- | --- | --- | --- | --- |",
        _row("unlock → Today painted (first screen)", b, "today_s"),
        _row(f"unlock → caseload painted ({b['rows']} open cases; target ≤ 1 s)", b, "caseload_s"),
        _row("unlock → every page's HMAC checked", b, "checked_s"),
        _row("open → participant record painted", b, "record_s"),
        "",
        f"Key derivation (Argon2id), apart: {b['kdf_s'] * 1000:.0f} ms in the window's unlock. "
        f"Opening the vault (the unlock job's result, without it): {b['open_s'] * 1000:.0f} ms; "
        f"the page check ran {'beside the reads' if b['check_beside'] else 'first'}. "
        f"Load average at the start: {load}.",
        "",
        f"Memory with caseload and record painted: {b['resident_mb']:.0f} MB resident with "
        f"{args.participants} participants, {s['resident_mb']:.0f} MB with {args.small}: "
        f"{b['resident_mb'] / s['resident_mb']:.2f}× (target ≤ 1.5×). Peak of the whole run: "
        f"{b['peak_mb']:.0f} MB vs {s['peak_mb']:.0f} MB "
        f"({b['peak_mb'] / s['peak_mb']:.2f}×), set by Argon2id while unlocking.",
        "",
        "Unlock loads only the screen shown (Today); the caseload loads when the worker "
        "goes to it, straight after. The direct figures do the same work in the same "
        "order with no window: the unlock as the window makes it, settings and drafts, the "
        "sync status and the Today screen's lists, then the "
        "caseload's ids, its read-only copies and its first page of rows (100). The UI "
        "figures add the job round trips, filling the models and painting. The last column "
        "is the same direct work with the unlock the command line makes (every page's HMAC "
        "checked before anything is read).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.append:
        doc = ROOT / "docs" / "performance.md"
        existing = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
        if "## UI" not in existing:
            existing = existing.rstrip("\n") + "\n\n## UI\n\n"
            doc.write_text(existing + text, encoding="utf-8")
        else:
            # append inside our section: at its end (before the next "## " heading, if any)
            head, _sep, tail = existing.partition("## UI\n")
            nxt = tail.find("\n## ")
            if nxt == -1:
                doc.write_text(existing.rstrip("\n") + "\n\n" + text, encoding="utf-8")
            else:
                body, rest = tail[:nxt], tail[nxt:]
                doc.write_text(
                    head + "## UI\n" + body.rstrip("\n") + "\n\n" + text + rest, encoding="utf-8"
                )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
