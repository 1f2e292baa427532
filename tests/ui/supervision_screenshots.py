"""Render the supervisor's dashboard offscreen: ``python tests/ui/supervision_screenshots.py OUT``.

A synthetic team (5 workers, linksdesk.demo in each worker's vault, brought into one vault
through sync's page applier) shown light and dark: supervision-dashboard*.png,
supervision-wellbeing*.png and supervision-numbers.png.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))


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
        changes = outbox_changes(cb, seq)
        cb.lock()
        seq += len(changes)
        bring_in(supervisor, changes)
    path = supervisor.path
    supervisor.lock()

    session, window = unlocked_window(path, PASSPHRASE, (1280, 900))
    view = window.supervision_view

    def shoot(name: str, section: str | None = None) -> None:
        idle(session, tries=200, then=400)
        if section is not None:
            view.scroll.ensureWidgetVisible(view.sections[section], 0, 0)
            view.scroll.verticalScrollBar().setValue(view.sections[section].y())
            settle(200)
        window.grab().save(str(out / name))

    window.show_view("supervision")
    shoot("supervision-dashboard.png")
    shoot("supervision-wellbeing.png", "wellbeing")
    panel = view.sections["caseload"].chart
    assert panel is not None
    panel.table_button.setChecked(True)
    shoot("supervision-numbers.png", "caseload")
    panel.table_button.setChecked(False)
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
