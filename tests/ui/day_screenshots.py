"""Render the screens issue 13 changed, offscreen at 1200x780: ``day_screenshots.py OUTDIR``.

Synthetic demo data only. Writes day-*.png: Today, the caseload, the Timeline with a booked
contact's outcome dialog, the signposting chooser, whose-record chooser, Settings' case notes.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests/: synthetic


def main(out: Path) -> int:
    import shots_kit
    from shots_kit import idle, settle, unlocked_window

    from linksdesk.casework import contacts, lists, resources
    from linksdesk.casework.casebook import Casebook
    from linksdesk.demo import build_demo
    from linksdesk.ui.dialogs.contact import OutcomeDialog
    from linksdesk.ui.dialogs.onward import OnwardDialog
    from linksdesk.ui.dialogs.person_chooser import PersonChooser
    from linksdesk.ui.settings_dialog import SettingsDialog
    from linksdesk.ui.spelling import SharedDictionary

    app, tmp = shots_kit.begin(out, "linksdesk-day-")
    path, passphrase = tmp / "demo.vault", shots_kit.PASSPHRASE
    cb, _key = Casebook.create(path, passphrase)
    build_demo(cb, participants=40, seed=11)
    pid = lists.caseload_ids(cb)[0]
    now = dt.datetime.now().replace(second=0, microsecond=0)
    booked = contacts.schedule_contact(
        cb, pid, kind="appointment", at=now, venue="Craigbank Library", purpose="Review"
    ).value
    contacts.schedule_contact(cb, pid, kind="phone", at=now, venue="By phone")
    directory = resources.list_resources(cb)
    cb.lock()
    SharedDictionary.get().load_now()

    session, window = unlocked_window(path, passphrase, (1200, 780))

    def wait() -> None:
        idle(session)

    def shoot(key: str, name: str) -> None:
        window.show_view(key)
        wait()
        window.grab().save(str(out / name))

    shoot("today", "day-today.png")
    shoot("caseload", "day-caseload.png")
    window.open_participant(pid)
    wait()
    view = window.participant_view
    editor = view.timeline.editor
    editor._fill_template_menu()
    editor.template_menu.actions()[1].trigger()
    editor.text_edit.insertPlainText(" she has been to the choir twice and recieved a bus pass")
    view.timeline.select_id(booked.id)
    shoot("record", "day-timeline.png")
    dialogs = [
        (OutcomeDialog(booked, parent=view.timeline), "day-outcome-dialog.png"),
        (OnwardDialog(directory, view.referrals), "day-signpost-dialog.png"),
        (PersonChooser(session, "Record contact", window), "day-who-for.png"),
    ]
    settings = SettingsDialog(session, window)
    settings.tabs.setCurrentIndex(2)
    dialogs.append((settings, "day-settings-case-notes.png"))
    for dialog, name in dialogs:
        dialog.show()
        wait()
        dialog.grab().save(str(out / name))
        dialog.reject()
    session.lock()
    settle(300)
    window.grab().save(str(out / "day-locked.png"))
    session.shutdown()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
