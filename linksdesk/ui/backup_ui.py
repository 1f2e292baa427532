"""File › Back up… and File › Moving to a new laptop…: a backup of the open vault, with progress."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from linksdesk.casework import backup
from linksdesk.ui.session import UiSession

log = logging.getLogger(__name__)


def suggested_name(folder: Path | None = None) -> Path:
    stamp = dt.date.today().isoformat()
    return (folder or Path.home()) / f"LinksDesk backup {stamp}{backup.SUFFIX}"


class BackupController:
    """Asks where, then copies the open vault on the DB thread (progress in the status bar)."""

    def __init__(self, session: UiSession, window: Any) -> None:
        self.session = session
        self.window = window
        self.last_file: Path | None = None
        self.last_info: backup.BackupInfo | None = None

    def choose_file(self) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self.window,
            self.window.tr("Back up the vault"),
            str(suggested_name()),
            self.window.tr("LinksDesk backups (*{suffix})").format(suffix=backup.SUFFIX),
        )
        if not name:
            return None
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(backup.SUFFIX)
        return path

    def back_up(self, out: Path | None = None, *, confirmed_overwrite: bool = True) -> None:
        """Back up to ``out`` (asks when None). The file dialog has asked about overwriting."""
        if out is None:
            out = self.choose_file()
            if out is None:
                return
        self.window.show_status(self.window.tr("Backing up the vault…"), 0)

        def done(info: backup.BackupInfo) -> None:
            self.last_file, self.last_info = out, info
            self.window.show_status(
                self.window.tr(
                    "Backed up to {file}. It opens with your passphrase or recovery key; keep "
                    "it somewhere safe, away from this laptop."
                ).format(file=out),
                30_000,
            )

        self.session.call(
            backup.back_up,
            out,
            overwrite=confirmed_overwrite,
            progress=True,
            on_done=done,
        )

    def explain_new_laptop(self) -> None:
        """Say plainly what a new laptop gets by syncing, what stays here, and offer a backup."""
        self.session.call(backup.local_only, on_done=self._show_new_laptop)

    def _show_new_laptop(self, found: backup.LocalOnly) -> None:
        box = new_laptop_message(self.window, found)
        box.finished.connect(lambda _r: self._after_new_laptop(box))
        self.new_laptop_box = box
        box.open()

    def _after_new_laptop(self, box: QMessageBox) -> None:
        if box.clickedButton() is getattr(box, "backup_button", None):
            self.back_up()


def new_laptop_message(parent: QWidget, found: backup.LocalOnly) -> QMessageBox:
    tr = parent.tr
    lines = []
    if found.enrolled:
        lines.append(
            tr(
                "On the new laptop, install LinksDesk, create a vault and enrol it with a new "
                "code from your programme administrator. Syncing then brings down your whole "
                "shared caseload."
            )
        )
    else:
        lines.append(
            tr(
                "This laptop does not sync with a server, so everything in this vault is only "
                "here. Back it up and restore the backup on the new laptop."
            )
        )
    stays = []
    if found.private_records:
        stays.append(tr("{n} private record(s)").format(n=found.private_records))
    if found.unshared_participants:
        stays.append(
            tr("{n} participant(s) who have not agreed to share with the team").format(
                n=found.unshared_participants
            )
        )
    if found.waiting_changes and found.enrolled:
        stays.append(tr("{n} change(s) not yet synced").format(n=found.waiting_changes))
    if stays and found.enrolled:
        lines.append(
            tr(
                "These stay only on this laptop and will NOT come down to the new one: "
                "{what}. Private rows never go to the server, by design. To keep them, make a "
                "backup now and restore it on the new laptop instead of starting afresh, and "
                "only then wipe this one."
            ).format(what="; ".join(stays))
        )
    elif found.enrolled:
        lines.append(tr("Everything here is on the server; nothing stays behind."))
    lines.append(
        tr(
            "Once the new laptop works, ask your administrator to revoke this one before it "
            "is wiped or handed back."
        )
    )
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Moving to a new laptop"))
    box.setText(tr("Moving to a new laptop"))
    box.setInformativeText("\n\n".join(lines))
    box.backup_button = box.addButton(tr("Back up now…"), QMessageBox.ButtonRole.AcceptRole)  # type: ignore[attr-defined]
    box.addButton(QMessageBox.StandardButton.Close)
    return box
