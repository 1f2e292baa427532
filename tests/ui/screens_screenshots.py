"""Render the screens offscreen to PNG: ``python tests/ui/screens_screenshots.py OUTDIR [N]``.

Synthetic demo data only (linksdesk.demo, N participants, default 60). Writes today.png,
caseload.png, diary.png, resources.png, participant-*.png and wellbeing.png (plus a dark
participant-timeline-dark.png to check the chips in the dark palette).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests/: synthetic


def main(out: Path, people: int) -> int:
    import shots_kit
    from PySide6.QtCore import Qt
    from shots_kit import idle, settle, unlocked_window

    from linksdesk.casework import lists, measures
    from linksdesk.casework.casebook import Casebook
    from linksdesk.core.vocab import MeasureKind
    from linksdesk.demo import build_demo
    from linksdesk.ui.dialogs.measure import MeasureDialog
    from linksdesk.ui.main import apply_color_scheme

    app, tmp = shots_kit.begin(out, "linksdesk-shots-")
    passphrase = shots_kit.PASSPHRASE
    path = tmp / "demo.vault"
    cb, _key = Casebook.create(path, passphrase)
    build_demo(cb, participants=people, seed=11)
    # the person with the most wellbeing scores makes the most telling record
    best, best_n = None, -1
    for pid in lists.caseload_ids(cb):
        n = len(measures.list_measures(cb, pid))
        if n > best_n:
            best, best_n = pid, n
    cb.lock()

    session, window = unlocked_window(path, passphrase, (1280, 820))
    settle(400)

    def shoot(key: str, name: str) -> None:
        window.show_view(key)
        idle(session)
        window.grab().save(str(out / name))

    shoot("today", "today.png")
    shoot("caseload", "caseload.png")
    diary = window.diary_view
    diary.show_week(diary.start)
    shoot("diary", "diary.png")
    shoot("resources", "resources.png")
    assert best is not None
    window.open_participant(best)
    record = window.participant_view
    for _ in range(300):  # the record loads on the DB thread; select a row once it is there
        settle(30)
        if record.data is not None and not session.runner.busy:
            break
    names = ["timeline", "goals", "wellbeing-tab", "network", "referrals", "profile"]
    for i, name in enumerate(names):
        record.tabs.setCurrentIndex(i)
        if name == "timeline" and record.timeline.proxy.rowCount():
            record.timeline.table.setCurrentIndex(record.timeline.proxy.index(0, 0))
        if name == "goals" and record.goals.steps_proxy.rowCount() > 1:
            # a step in the middle: done, move up, move down and remove all on offer
            record.goals.steps_table.setCurrentIndex(record.goals.steps_proxy.index(1, 0))
        if name == "profile" and record.profile.concern_proxy.rowCount():
            # a concern chosen: its mark button says what it will do
            record.profile.concern_table.setCurrentIndex(record.profile.concern_proxy.index(0, 0))
        shoot("record", f"participant-{name}.png")
    record.tabs.setCurrentIndex(2)
    shoot("record", "wellbeing.png")
    dialog = MeasureDialog(MeasureKind.WEMWBS, parent=window)
    dialog.set_answers([4, 3, 3, 4, 2, 3, 4, 3, 4, 3, 4, 4, 3, 3])
    dialog.assisted_check.setChecked(True)
    dialog.show()
    settle(300)
    dialog.grab().save(str(out / "participant-wellbeing-entry.png"))
    dialog.done(0)  # close() would ask before discarding the answers set above
    apply_color_scheme(app, Qt.ColorScheme.Dark)
    record.tabs.setCurrentIndex(0)
    shoot("record", "participant-timeline-dark.png")
    session.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)  # the demo vault and its key file
    print(f"screenshots in {out} ({dt.datetime.now():%H:%M})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 60))
