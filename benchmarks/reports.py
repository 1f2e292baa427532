"""Time the supervisor's dashboard and XLSX report against the same aggregates in raw SQL.

Run: .venv/bin/python benchmarks/reports.py [--workers 20] [--participants 5000]
     [--repeats 5] [--dir DIR]

The team is real: ``--workers`` worker vaults, each filled by ``linksdesk.demo`` (the write
path), whose outboxes are applied to one supervisor vault through sync's page applier (as
in tests/reports/team_kit.py). With ``--dir`` the supervisor vault is kept and reused.

Measured in the same run, medians over ``--repeats``:
- raw: the same figures straight from SQL on the same open connection (GROUP BY counts, the
  waits and the wellbeing pairs with window functions), what a hand-written report would do;
- dashboard: ``reports.build.build_report`` (internal), every figure the screen shows;
- xlsx: building the external report (with suppression) and writing the workbook;
- painted: the dashboard's sections (charts on matplotlib's Qt canvas and tables) built from
  a computed report into a view already on screen, as a refresh does, and painted
  offscreen: the first screen (target: within 1 s; charts are drawn when first on screen)
  and every section scrolled through, with how many times a chart was drawn.
Prints each figure and its ratio to raw (target: dashboard ≤ 2× raw). Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reports"))
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "tests"))  # synthetic

from sqlalchemy import text
from team_kit import PASSPHRASE, bring_in, new_worker, outbox_changes

from linksdesk.casework.casebook import Casebook
from linksdesk.demo import build_demo
from linksdesk.reports.build import build_report, suppress_sections
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.xlsx import write_xlsx

TODAY = dt.date(2026, 11, 30)

# the wellbeing pairs within one episode of support (docs/reports.md): an episode starts at a
# person's first score of a kind and at each score marked baseline on a later day than their
# first score marked baseline or closing (``es``, its first day); per person and kind, of the
# episodes with a score in the period the latest with a later score is paired, first score
# against latest (a day's scores as recorded: by id)
EPISODES = (
    "WITH s AS (SELECT participant_id p, id i, kind k, taken_on d, {value} v, "
    "context = 'baseline' b, min(taken_on) OVER (PARTITION BY participant_id, kind) d0, "
    "min(CASE WHEN context IN ('baseline', 'closing') THEN taken_on END) "
    "OVER (PARTITION BY participant_id, kind) dm "
    "FROM measure WHERE NOT deleted AND taken_on <= :b AND {kinds}), "
    "st AS (SELECT DISTINCT p, k, d FROM s WHERE b AND d > dm UNION SELECT p, k, d0 FROM s), "
    "e AS (SELECT s.*, (SELECT max(st.d) FROM st WHERE st.p = s.p AND st.k = s.k "
    "AND st.d <= s.d) es FROM s), "
    "f AS (SELECT *, row_number() OVER (PARTITION BY p, k, es ORDER BY d, i) fi, "
    "row_number() OVER (PARTITION BY p, k, es ORDER BY d DESC, i DESC) la, "
    "max(d) OVER (PARTITION BY p, k, es) dl FROM e), "
    "paired AS (SELECT x.k kind, x.v a, y.v z, row_number() OVER (PARTITION BY x.p, x.k "
    "ORDER BY x.es DESC) latest FROM f x JOIN f y ON y.p = x.p AND y.k = x.k "
    "AND y.es = x.es AND y.la = 1 AND y.d > x.d WHERE x.fi = 1 AND x.dl >= :a) "
)

RAW = {
    "caseload_open": "SELECT owner, count(*) FROM participant WHERE NOT deleted "
    "AND status != 'closed' GROUP BY owner",
    "caseload_worked": "SELECT owner, count(DISTINCT participant_id) FROM contact WHERE NOT "
    "deleted AND status='attended' AND kind != 'attempted' AND date(scheduled_at) BETWEEN :a "
    "AND :b GROUP BY owner",
    "new_referrals": "SELECT owner, count(*) FROM referral WHERE NOT deleted AND received_on "
    "BETWEEN :a AND :b GROUP BY owner",
    "referrals_by_source": "SELECT source, substr(received_on,1,7) m, count(*) FROM referral "
    "WHERE NOT deleted AND received_on BETWEEN :a AND :b GROUP BY source, m",
    "waits": "SELECT r.owner, julianday((SELECT min(date(c.scheduled_at)) FROM contact c "
    "INDEXED BY ix_contact_participant_time WHERE c.participant_id = r.participant_id "
    "AND NOT c.deleted AND c.status='attended' AND c.kind != 'attempted' "
    "AND date(c.scheduled_at) >= r.received_on AND date(c.scheduled_at) <= :b)) "
    "- julianday(r.received_on) FROM referral r WHERE NOT r.deleted "
    "AND r.received_on BETWEEN :a AND :b",
    "concerns": "SELECT category, stage, count(DISTINCT participant_id) FROM concern WHERE NOT "
    "deleted AND identified_on BETWEEN :a AND :b GROUP BY category, stage",
    "contacts": "SELECT kind, status, count(*) FROM contact WHERE NOT deleted AND "
    "date(scheduled_at) BETWEEN :a AND :b GROUP BY kind, status",
    "appointments": "SELECT participant_id, count(*) FROM contact WHERE NOT deleted AND kind "
    "NOT IN ('supported_visit','attempted') AND status != 'cancelled' AND "
    "date(scheduled_at) <= :b GROUP BY participant_id",
    # by status at the period's end: a goal closed after it was in progress then
    "goals": "SELECT owner, CASE WHEN closed_on > :b THEN 'active' ELSE status END s, count(*) "
    "FROM goal WHERE NOT deleted AND set_on BETWEEN :a AND :b GROUP BY owner, s",
    "wellbeing": EPISODES.format(value="coalesce(metric, total)", kinds="kind != 'ons4'")
    + "SELECT kind, count(*), avg(z - a) FROM paired WHERE latest = 1 GROUP BY kind",
    "ons4": EPISODES.format(value="items", kinds="kind = 'ons4'")
    + "SELECT count(*), "
    + ", ".join(f"avg(json_extract(z, '$[{q}]') - json_extract(a, '$[{q}]'))" for q in range(4))
    + " FROM paired WHERE latest = 1",
    # by the day first recorded and the status at the period's end (core.onward)
    "onward": "SELECT resource_id, substr(coalesce(suggested_on, made_on),1,7) m, CASE "
    "WHEN outcome_on > :b OR (status = 'made' AND made_on > :b) THEN CASE WHEN made_on <= :b "
    "AND status != 'suggested' THEN 'made' ELSE 'suggested' END ELSE status END s, count(*) "
    "FROM onward_referral WHERE NOT deleted AND coalesce(suggested_on, made_on) "
    "BETWEEN :a AND :b GROUP BY resource_id, m, s",
    "people_in_period": "SELECT count(*) FROM participant p WHERE NOT deleted AND (EXISTS "
    "(SELECT 1 FROM referral r WHERE r.participant_id=p.id AND r.received_on BETWEEN :a AND :b)"
    " OR EXISTS (SELECT 1 FROM contact c WHERE c.participant_id=p.id AND c.status='attended' "
    "AND c.kind != 'attempted' "
    "AND date(c.scheduled_at) BETWEEN :a AND :b))",
    "freshness": "SELECT owner, max(hlc), count(*) FROM participant GROUP BY owner",
}


def build_team(root: Path, workers: int, participants: int) -> Path:
    supervisor, _ = Casebook.create(root / "supervisor.vault", PASSPHRASE)
    seq = 1
    each = participants // workers
    for w in range(workers):
        started = time.perf_counter()
        cb = new_worker(root / f"worker{w}.vault", w)
        build_demo(cb, participants=each, seed=100 + w, today=TODAY, resources=20)
        changes = outbox_changes(cb, seq)
        cb.lock()
        seq += len(changes)
        bring_in(supervisor, changes)
        print(f"  worker {w + 1}/{workers}: {len(changes)} changes in "
              f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    path = supervisor.path
    supervisor.lock()
    return path


def median_time(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def paint_seconds(report: Any) -> tuple[float, float, int]:
    """(first screen, every section, charts drawn): the dashboard built from a report and
    painted; a chart drawn twice (laid out again after its first draw) counts twice."""
    from PySide6.QtWidgets import QApplication, QScrollArea, QVBoxLayout, QWidget

    from linksdesk.ui.views.chart_panel import LazyCanvas
    from linksdesk.ui.views.supervision import SectionBox

    app = QApplication.instance() or QApplication([])
    draws = 0
    real_draw = LazyCanvas.draw

    def counted(canvas: LazyCanvas) -> None:
        nonlocal draws
        draws += 1
        real_draw(canvas)  # type: ignore[no-untyped-call]

    LazyCanvas.draw = counted  # type: ignore[method-assign, assignment]
    # as on the dashboard: the view is on screen when the report arrives, and its sections
    # are added to it then (laid out as they come, and painted as they are laid out)
    body = QWidget()
    layout = QVBoxLayout(body)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(body)
    area.resize(1200, 800)
    area.show()
    app.processEvents()
    started = time.perf_counter()
    for section in report.sections:
        layout.addWidget(SectionBox(section, body))

    def drawn(widget: QWidget) -> None:
        """``widget`` painted with its charts drawn: a chart is built at its first paint and
        drawn on the event loop's next turn, once its section is laid out (``LazyCanvas``)."""
        app.processEvents()
        widget.grab()
        app.processEvents()
        widget.grab()

    drawn(area)  # what the supervisor sees first: the sections in view, charts drawn
    first = time.perf_counter() - started
    for box in body.findChildren(SectionBox):  # every section, scrolled through
        area.ensureWidgetVisible(box)
        drawn(area)
    everything = time.perf_counter() - started
    area.close()
    LazyCanvas.draw = real_draw  # type: ignore[method-assign]
    return first, everything, draws


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=20)
    ap.add_argument("--participants", type=int, default=5000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--dir", type=Path)
    args = ap.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="linksdesk-reports-"))
    root.mkdir(parents=True, exist_ok=True)
    vault = root / "supervisor.vault"
    if not vault.exists():
        print(f"building a team of {args.workers} workers, {args.participants} participants")
        build_team(root, args.workers, args.participants)
    cb = Casebook.unlock(vault, PASSPHRASE)
    period = Period.last_twelve_months(TODAY)
    scope = Scope(period)
    params = {"a": period.first.isoformat(), "b": period.last.isoformat()}
    try:
        with cb.store.read() as s:
            people = s.execute(text("SELECT count(*) FROM participant")).scalar()

            def raw() -> None:
                for sql in RAW.values():
                    s.execute(text(sql), params).fetchall()

            def dashboard() -> Any:
                return build_report(s, scope, audience="internal", today=TODAY)

            def xlsx() -> None:
                out = root / "bench.xlsx"
                out.unlink(missing_ok=True)
                write_xlsx(build_report(s, scope, audience="external", today=TODAY), out)

            raw()
            dashboard()  # warm both: the first read pays for the page cache
            t_raw = median_time(raw, args.repeats)
            t_dash = median_time(dashboard, args.repeats)
            t_xlsx = median_time(xlsx, args.repeats)
            report = dashboard()
            t_supp = median_time(lambda: suppress_sections(report.sections, 10), args.repeats)
        t_paint, t_paint_all, draws = paint_seconds(report)
    finally:
        cb.lock()
    print(f"participants in the supervisor's vault: {people}; workers: {args.workers}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    print(f"raw SQL aggregates   {t_raw * 1000:8.1f} ms")
    print(f"dashboard figures    {t_dash * 1000:8.1f} ms   {t_dash / t_raw:5.2f}x raw (target 2x)")
    print(f"xlsx (external)      {t_xlsx * 1000:8.1f} ms   {t_xlsx / t_raw:5.2f}x raw")
    print(f"  of which suppressed{t_supp * 1000:8.1f} ms   (every table, jointly across tables)")
    print(f"dashboard painted    {t_paint * 1000:8.1f} ms   first screen (target 1000 ms)")
    print(
        f"  every section      {t_paint_all * 1000:8.1f} ms   (all charts drawn, scrolled through)"
    )
    charts = sum(1 for section in report.sections if section.chart is not None)
    print(f"  charts drawn       {draws:8d}      ({charts} charts: once each is the least)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
