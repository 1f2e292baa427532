"""Render the supervisor's dashboard offscreen: ``python tests/ui/supervision_screenshots.py OUT``.

A synthetic team (5 workers, linksdesk.demo in each worker's vault, brought into one vault
through sync's page applier) shown light and dark: supervision-dashboard*.png,
supervision-wellbeing*.png, supervision-ons4.png, supervision-numbers.png and
supervision-board.png (small numbers hidden).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests/: synthetic


def ons4_follow_ups(cb: Any, rng: random.Random) -> None:
    """The demo records ONS4 once; a review about two months later for most, through
    casework, so the ONS4 change table has pairs to show."""
    from sqlalchemy import select

    from linksdesk.casework import measures
    from linksdesk.core.vocab import MeasureContext, MeasureKind
    from linksdesk.storage.tables import Measure

    with cb.store.read() as s:
        first = list(
            s.execute(
                select(Measure.participant_id, Measure.taken_on, Measure.items).where(
                    Measure.kind == MeasureKind.ONS4.value
                )
            )
        )
    today = dt.date.today()
    for pid, taken_on, items in first:
        later = min(taken_on + dt.timedelta(days=60), today)
        if later <= taken_on or rng.random() < 0.2:
            continue
        moves = (rng.choice((0, 1, 1, 2, 3)), rng.choice((-1, 0, 1, 2)), rng.choice((0, 1, 2)),
                 rng.choice((-3, -2, -1, 0, 1)))  # fmt: skip
        answers = [max(0, min(10, int(a) + d)) for a, d in zip(items, moves, strict=True)]
        measures.record_measure(cb, pid, MeasureKind.ONS4, answers,
                                context=MeasureContext.REVIEW, taken_on=later)  # fmt: skip


def main(out: Path) -> int:
    import shots_kit
    from PySide6.QtCore import Qt
    from shots_kit import idle, settle, unlocked_window
    from team_kit import PASSPHRASE, bring_in, new_worker, outbox_changes

    from linksdesk.casework.casebook import Casebook
    from linksdesk.demo import build_demo
    from linksdesk.ui.main import apply_color_scheme

    app, tmp = shots_kit.begin(out, "linksdesk-team-shots-")
    supervisor, _ = Casebook.create(tmp / "supervisor.vault", PASSPHRASE)
    seq = 1
    for w in range(5):
        cb = new_worker(tmp / f"w{w}.vault", w)
        build_demo(cb, participants=70 + 15 * w, seed=20 + w, resources=12)
        ons4_follow_ups(cb, random.Random(w))
        changes = outbox_changes(cb, seq)
        cb.lock()
        seq += len(changes)
        bring_in(supervisor, changes)
    # the supervisor knows three of the five by name (synthetic); a board sees ids only
    from linksdesk.casework import supervision

    known = sorted(w.worker_id for w in supervision.worker_names(supervisor))
    supervision.name_workers(
        supervisor, dict(zip(known[:3], ("Ailsa", "Bram", "Catriona"), strict=True))
    )
    path = supervisor.path
    supervisor.lock()

    session, window = unlocked_window(path, PASSPHRASE, (1280, 900))
    view = window.supervision_view

    def shoot(name: str, section: str | None = None, table: str | None = None) -> None:
        idle(session, tries=200, then=400)
        if section is None:
            view.scroll_area.verticalScrollBar().setValue(0)
            settle(200)
        else:
            view.scroll_area.ensureWidgetVisible(view.sections[section], 0, 0)
            top = view.sections[section].y()
            if table is not None:  # a table further down the section, with what is above it
                top += view.sections[section].tables[table].y() - 320
            view.scroll_area.verticalScrollBar().setValue(top)
            settle(200)
        window.grab().save(str(out / name))

    window.show_view("supervision")
    shoot("supervision-dashboard.png")
    shoot("supervision-wellbeing.png", "wellbeing")
    shoot("supervision-ons4.png", "wellbeing", "ons4_change")
    names = view.name_workers()
    idle(session, tries=200, then=400)
    names.grab().save(str(out / "supervision-worker-names.png"))
    names.reject()
    panel = view.sections["caseload"].chart
    assert panel is not None
    panel.table_button.setChecked(True)
    shoot("supervision-numbers.png", "caseload")
    panel.table_button.setChecked(False)
    # as a board sees it: small numbers hidden ("c"), jointly across tables
    view.external_check.setChecked(True)
    view.refresh()
    idle(session, tries=200, then=400)  # the sections are built anew when the report arrives
    board = view.sections["referrals"].chart
    assert board is not None
    board.table_button.setChecked(True)
    shoot("supervision-board.png", "referrals")
    view.external_check.setChecked(False)
    apply_color_scheme(app, Qt.ColorScheme.Dark)
    view.refresh()
    shoot("supervision-dashboard-dark.png")
    shoot("supervision-wellbeing-dark.png", "wellbeing")
    session.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
