"""Render the shell's screens offscreen to PNG: ``python tests/ui/shell_screenshots.py OUTDIR``.

Synthetic data only. Writes unlock*.png, create*.png, search*.png, settings*.png,
new-laptop*.png and restore-dialog*.png, in light and dark palettes.
"""

from __future__ import annotations

import os
import shutil
import sys
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests/: synthetic


def main(out: Path) -> int:
    import shots_kit
    from PySide6.QtCore import Qt
    from shots_kit import settle, wait_for

    from linksdesk.casework import backup, notes, participants, resources
    from linksdesk.casework.casebook import Casebook
    from linksdesk.ui.main import apply_color_scheme
    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.session import UiSession
    from linksdesk.ui.settings_dialog import SettingsDialog
    from linksdesk.ui.unlock import UnlockOptions

    app, tmp = shots_kit.begin(out, "linksdesk-shots-")
    passphrase = shots_kit.PASSPHRASE

    save = partial(shots_kit.save, out, ms=150)

    def shoot(suffix: str) -> None:
        session = UiSession()
        path = tmp / f"shots{suffix}.vault"
        window = MainWindow(session, UnlockOptions(path))
        window.resize(1100, 760)
        window.show()
        screen = window.unlock_screen

        # create: passphrase typed, then the recovery key page
        page = screen.create_page
        page.passphrase.setText(passphrase)
        page.repeat.setText(passphrase)
        save(window, f"create-passphrase{suffix}.png")
        page.create_button.click()
        wait_for(lambda: screen.pages.currentWidget() is screen.key_page)
        save(window, f"create-recovery-key{suffix}.png")
        screen.key_page.stored.setChecked(True)
        screen.key_page.continue_button.click()
        wait_for(lambda: session.is_unlocked)

        cb = session.require_casebook()
        done: list[object] = []

        def plant(cb: Casebook = cb) -> None:
            p = participants.create_participant(
                cb, given_name="Morag", family_name="Kettleby", postcode="G31 2XT"
            ).value
            participants.create_participant(cb, given_name="Morris", family_name="Dunmore")
            notes.write_note(cb, p.id, "Morag wants to join the Monday walking group.")
            resources.add_resource(
                cb,
                organisation="Morven Community Garden",
                service="Growing together",
                description="Weekly gardening sessions for beginners.",
            )

        session.runner.submit(plant, on_done=done.append)
        wait_for(lambda: bool(done))

        window.open_search()
        window.search_palette.edit.setText("mor")
        window.search_palette.search_now()
        wait_for(lambda: window.search_palette.model.rowCount() >= 3)
        save(window.search_palette, f"search-palette{suffix}.png")
        window.search_palette.reject()

        dialog = SettingsDialog(session, window)
        dialog.show()
        save(dialog, f"settings-working{suffix}.png")
        dialog.tabs.setCurrentIndex(1)
        dialog.new.setText("lantern otter")
        save(dialog, f"settings-passphrase{suffix}.png")
        dialog.reject()

        # File › Moving to a new laptop…: what stays behind, and the offer of a backup
        window.backups.explain_new_laptop()
        wait_for(lambda: getattr(window.backups, "new_laptop_box", None) is not None)
        box = window.backups.new_laptop_box
        save(box, f"new-laptop{suffix}.png")
        box.reject()

        session.lock()
        wait_for(lambda: window.stack.currentWidget() is screen)
        save(window, f"unlock{suffix}.png")
        screen.open_page.passphrase.setText("not it")
        screen.open_page.unlock_button.click()
        wait_for(
            lambda: (
                screen.open_page.message.isVisible() and screen.open_page.unlock_button.isEnabled()
            )
        )
        save(window, f"unlock-wrong-passphrase{suffix}.png")

        # Restore from a backup… (issue 16): a backup of this vault chosen, its passphrase typed
        backed: list[object] = []
        session.runner.submit(
            lambda: _back_up(path, passphrase, tmp / f"friday{suffix}{backup.SUFFIX}"),
            on_done=backed.append,
        )
        wait_for(lambda: bool(backed))
        dialog = screen.open_restore()
        dialog.backup_row.set_path(tmp / f"friday{suffix}{backup.SUFFIX}")
        dialog.vault_row.set_path(tmp / "new-laptop" / "linksdesk.vault")
        dialog.describe_backup()
        wait_for(lambda: bool(dialog.about_backup.text()))
        dialog.passphrase.setText(passphrase)
        save(dialog, f"restore-dialog{suffix}.png")
        dialog.reject()
        session.shutdown()
        window.close()

        # "Checking passphrase…": a vault with the shipped key derivation (about a second)
        shipped = tmp / f"shipped{suffix}.vault"
        os.environ.pop("LINKSDESK_KDF_PROFILE", None)
        try:
            Casebook.create(shipped, passphrase)[0].lock()
        finally:
            os.environ["LINKSDESK_KDF_PROFILE"] = "fast"
        session = UiSession()
        window = MainWindow(session, UnlockOptions(shipped))
        window.resize(1100, 760)
        window.show()
        settle(300)
        page = window.unlock_screen.open_page
        page.passphrase.setText(passphrase)
        page.unlock_button.click()
        settle(100)
        if not page.busy_label.isVisible():
            raise RuntimeError("the key derivation ended before the picture was taken")
        window.grab().save(str(out / f"unlock-checking-passphrase{suffix}.png"))
        print("wrote", out / f"unlock-checking-passphrase{suffix}.png")
        wait_for(lambda: session.is_unlocked)
        session.shutdown()
        window.close()

    for scheme, suffix in ((Qt.ColorScheme.Light, ""), (Qt.ColorScheme.Dark, "-dark")):
        apply_color_scheme(app, scheme)
        shoot(suffix)
    shutil.rmtree(tmp, ignore_errors=True)  # the vaults made for the pictures
    return 0


def _back_up(vault: Path, passphrase: str, out: Path) -> None:
    from linksdesk.casework import backup
    from linksdesk.casework.casebook import Casebook

    cb = Casebook.unlock(vault, passphrase)
    try:
        backup.back_up(cb, out)
    finally:
        cb.lock()


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
