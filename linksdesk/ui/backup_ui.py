"""File › Back up…, File › Moving to a new laptop…, and restoring a backup when locked."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import backup
from linksdesk.casework.casebook import Casebook, default_vault_path
from linksdesk.core.errors import WrongPassphraseError, WrongRecoveryKeyError
from linksdesk.core.item_words import counted
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.runner import Job, is_expected
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import InlineMessage, PassphraseEdit, PathRow, StrengthHint

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
        self._job: Job | None = None
        self._out: Path | None = None
        session.runner.sig_cancelled.connect(self._on_cancelled)

    def choose_file(self) -> Path | None:
        tr = self.window.tr
        name, _filter = QFileDialog.getSaveFileName(
            self.window,
            tr("Back up the vault"),
            str(suggested_name()),
            tr("LinksDesk backups (*{suffix})").format(suffix=backup.SUFFIX),
        )
        if not name:
            return None
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(backup.SUFFIX)
            # the file dialog asked about the name typed, not this one: ask here
            if path.exists() and not self.confirm_replace_file(self.window, path):
                self.window.show_status(
                    tr("No backup was made; {name} is as it was.").format(name=path.name)
                )
                return None
        return path

    @classmethod
    def confirm_replace_file(cls, parent: QWidget, path: Path) -> bool:
        """Ask before a file is written over; No is the default. Tests replace this."""
        return kit.confirm_replace_file(parent, path)

    def back_up(self, out: Path | None = None, *, confirmed_overwrite: bool = True) -> None:
        """Back up to ``out`` (asks when None). The file dialog has asked about overwriting."""
        if self._job is not None:
            self.window.show_status(
                self.window.tr("A backup is being made already; this bar says when it is done."),
                0,
            )
            return
        if out is None:
            out = self.choose_file()
            if out is None:
                return
        self.window.show_status(self.window.tr("Backing up the vault…"), 0)

        def done(info: backup.BackupInfo) -> None:
            self._job = None
            self.last_file, self.last_info = out, info
            self.window.show_status(
                self.window.tr(
                    "Backed up to {file}. It opens with your passphrase or recovery key; keep "
                    "it somewhere safe, away from this laptop."
                ).format(file=out),
                30_000,
            )

        def failed(exc: BaseException) -> None:
            self._job = None
            if is_expected(exc):  # a bug reaches the crash dialog by itself
                self.window.report_error(exc)

        self._out = out
        self._job = self.session.call(
            backup.back_up,
            out,
            overwrite=confirmed_overwrite,
            progress=True,
            on_done=done,
            on_error=failed,
        )

    def _on_cancelled(self, job_id: int, finished: bool) -> None:
        if self._job is None or job_id != self._job.id:
            return
        self._job = None
        tr = self.window.tr
        if finished:  # Cancel came after the copy was made: the file is there, say so
            text = tr("The backup was already written when it was cancelled: {file}.")
        else:
            text = tr(
                "Backup cancelled: nothing was written to {file}, and a file that was there "
                "before is as it was."
            )
        self.window.show_status(text.format(file=self._out), 30_000)

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
        stays.append(counted("private record", found.private_records))
    if found.unshared_participants:
        stays.append(counted("unshared participant", found.unshared_participants))
    if found.waiting_changes and found.enrolled:
        stays.append(
            tr("{changes} not yet synced").format(changes=counted("change", found.waiting_changes))
        )
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
    revoke = tr(
        "Once the new laptop works, ask your administrator to revoke this one before it "
        "is wiped or handed back."
    )
    if found.device_id:
        revoke += " " + tr(
            "This laptop is device {device}: give them that id (the new laptop has one of its own)."
        ).format(device=found.device_id)
    lines.append(revoke)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Moving to a new laptop"))
    box.setText(tr("Moving to a new laptop"))
    box.setInformativeText("\n\n".join(lines))
    box.backup_button = box.addButton(tr("Back up now…"), QMessageBox.ButtonRole.AcceptRole)  # type: ignore[attr-defined]
    box.addButton(QMessageBox.StandardButton.Close)
    return box


# -- restoring a backup from the unlock screen (a new laptop has no vault yet) ---------------
class RestoreDialog(QDialog):
    """Restore a backup file to a vault with its passphrase or recovery key, on the DB thread.

    A vault already at the chosen place is replaced only after the worker confirms it (its
    files are kept beside it); a newer one is named as newer in the question.
    """

    sig_restored = Signal(object)  # RestoreResult

    def __init__(
        self, session: UiSession, vault_path: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.result_: backup.RestoreResult | None = None
        self._job: Job | None = None
        tr = self.tr
        intro = kit.introduced(
            self,
            tr("Restore from a backup"),
            tr(
                "Bring back a vault from a backup file made with File › Back up — on a new "
                "laptop, or after losing this one's vault. It opens with the passphrase it had "
                "when the backup was made, or with its recovery key."
            ),
            640,
        )
        self.backup_row = PathRow(tr("Backup file"), self.ask_backup_file, self)
        self.about_backup = QLabel(self)
        self.about_backup.setWordWrap(True)
        self.about_backup.setAccessibleName(tr("About this backup"))
        self.vault_row = PathRow(tr("Where to put the vault"), self.ask_vault_file, self)
        self.vault_row.set_path(vault_path or default_vault_path())
        self.with_passphrase = QRadioButton(tr("I know its &passphrase"), self)
        self.with_key = QRadioButton(tr("I have its &recovery key"), self)
        self.with_passphrase.setChecked(True)
        self.passphrase = PassphraseEdit(self, tr("Passphrase of the backup"))
        self.recovery_key = PassphraseEdit(self, tr("Recovery key"))
        self.new_passphrase = PassphraseEdit(self, tr("New passphrase"))
        self.strength = StrengthHint(self)
        self.repeat = PassphraseEdit(self, tr("Repeat the new passphrase"))
        self.form = QFormLayout()
        self.form.addRow(tr("&Backup file:"), self.backup_row)
        self.form.addRow("", self.about_backup)
        self.form.addRow(tr("&Vault file:"), self.vault_row)
        self.form.addRow("", self.with_passphrase)
        self.form.addRow("", self.with_key)
        self.form.addRow(tr("Pa&ssphrase:"), self.passphrase)
        self.form.addRow(tr("Recovery &key:"), self.recovery_key)
        self.form.addRow(tr("&New passphrase:"), self.new_passphrase)
        self.form.addRow("", self.strength)
        self.form.addRow(tr("R&epeat it:"), self.repeat)
        self.message = InlineMessage(self)
        self.stage = QLabel(self)
        self.stage.setAccessibleName(tr("Progress"))
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(tr("Restoring"))
        self.progress.setRange(0, 3)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.stage.hide()
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton(
            tr("&Restore"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button.clicked.connect(lambda: self.start())
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.stage)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.with_key.toggled.connect(self._show_secret_fields)
        kit.follow_strength(self.strength, self.new_passphrase)
        self.backup_row.edit.editingFinished.connect(self.describe_backup)
        self.session.runner.sig_progress.connect(self._on_progress)
        self._show_secret_fields()

    # -- file choosers (classmethods so tests can answer them) ------------------------------
    @classmethod
    def ask_backup_file(cls, start: Path | None) -> Path | None:
        name, _f = QFileDialog.getOpenFileName(
            None,
            QApplication.translate("RestoreDialog", "Choose the backup file"),
            str(start.parent if start else Path.home()),
            QApplication.translate(
                "RestoreDialog", "LinksDesk backups (*{suffix});;All files (*)"
            ).format(suffix=backup.SUFFIX),
        )
        return Path(name) if name else None

    @classmethod
    def ask_vault_file(cls, start: Path | None) -> Path | None:
        name, _f = QFileDialog.getSaveFileName(
            None,
            QApplication.translate("RestoreDialog", "Where to put the vault"),
            str(start or default_vault_path()),
            "LinksDesk vaults (*.vault)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # we ask, knowing what is there
        )
        if name and not name.endswith(".vault"):
            name += ".vault"
        return Path(name) if name else None

    @classmethod
    def confirm_replace(cls, parent: QWidget, reason: str, newer: bool) -> bool:
        """Ask ``reason`` (the whole question, ``replace_question``) before replacing a
        vault; Cancel is the default, and Escape. Tests replace this."""
        tr = parent.tr
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("Replace the vault there?"),
            reason,
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        replace = box.addButton(
            tr("&Replace it with the backup"), QMessageBox.ButtonRole.AcceptRole
        )
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is replace

    # -- the form -----------------------------------------------------------------------------
    def _show_secret_fields(self) -> None:
        by_key = self.with_key.isChecked()
        for field in (self.recovery_key, self.new_passphrase, self.strength, self.repeat):
            self.form.setRowVisible(field, by_key)
        self.form.setRowVisible(self.passphrase, not by_key)

    def describe_backup(self) -> None:
        """Say what the chosen file is (when and by which version) before anything is typed."""
        path = self.backup_row.path()
        if path is None:
            self.about_backup.clear()
            return

        def shown(info: backup.BackupInfo) -> None:
            if self.backup_row.path() == path:
                self.about_backup.setText(
                    self.tr("A {what}.").format(what=backup_in_words(info, self.tr))
                )

        def failed(exc: BaseException) -> None:
            if self.backup_row.path() == path:
                self.about_backup.clear()
                self.message.show_message(kit.failure_text(exc))

        self.message.clear_message()
        self.session.runner.submit(
            backup.read_backup,
            path,
            on_done=kit.while_open(self, shown),
            on_error=kit.while_open(self, failed),
        )

    def start(self, *, replace: bool = False) -> None:
        """Check the form, then restore on the DB thread (``replace`` once confirmed)."""
        if self._job is not None:
            return
        tr = self.tr
        source, target = self.backup_row.path(), self.vault_row.path()
        checks: list[kit.Check] = [
            (source is None, tr("Choose the backup file."), self.backup_row),
            (target is None, tr("Choose where to put the vault."), self.vault_row),
        ]
        # a vault already there is replaced only once asked, even an older copy of this one
        kwargs: dict[str, Any] = {"replace": replace, "replace_older": replace}
        if self.with_key.isChecked():
            verdict = Casebook.passphrase_strength(self.new_passphrase.text())
            checks += [
                (
                    not self.recovery_key.text().strip(),
                    tr("Type the recovery key."),
                    self.recovery_key,
                ),
                *kit.new_passphrase_checks(
                    self.new_passphrase, self.repeat, tr("Choose a new passphrase.")
                ),
                (not verdict.acceptable, verdict.message, self.new_passphrase),
            ]
            kwargs["recovery_key"] = self.recovery_key.text().strip()
            kwargs["new_passphrase"] = self.new_passphrase.text()
        else:
            checks.append(
                (
                    not self.passphrase.text(),
                    tr("Type the passphrase of the backup."),
                    self.passphrase,
                )
            )
            kwargs["passphrase"] = self.passphrase.text()
        if kit.refused(self.message, checks):
            return None
        self._set_busy(True, tr("Checking the backup and its passphrase…"))
        self._job = self.session.runner.submit(
            backup.restore_backup,
            source,
            target,
            progress=True,
            on_done=self._on_restored,
            on_error=self._on_failed,
            **kwargs,
        )
        return None

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self.stage.setVisible(busy)
        self.stage.setText(text)
        for widget in (
            self.backup_row,
            self.vault_row,
            self.with_passphrase,
            self.with_key,
            self.passphrase,
            self.recovery_key,
            self.new_passphrase,
            self.repeat,
            self.restore_button,
        ):
            widget.setEnabled(not busy)

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if self._job is None or job_id != self._job.id:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        stages = {
            1: self.tr("Checking the backup and its passphrase…"),
            2: self.tr("Putting the vault in place…"),
        }
        if done in stages:
            self.stage.setText(stages[done])

    def _wipe(self) -> None:
        for edit in (self.passphrase, self.recovery_key, self.new_passphrase, self.repeat):
            edit.wipe()

    def _on_restored(self, result: backup.RestoreResult) -> None:
        self._job = None
        self._set_busy(False)
        self._wipe()
        self.result_ = result
        log.info("backup restored from the unlock screen")
        self.sig_restored.emit(result)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._job = None
        self._set_busy(False)
        if isinstance(exc, backup.VaultInTheWayError):
            if self.confirm_replace(self, replace_question(exc, self.tr), exc.newer):
                self.start(replace=True)
            else:
                self.message.show_message(
                    self.tr("Nothing was restored; the vault there is as it was."), "info"
                )
            return
        field: QWidget | None = None
        text = kit.failure_text(exc)
        if isinstance(exc, WrongPassphraseError):
            field = self.passphrase
            text = self.tr(
                "That passphrase does not open this backup. Use the passphrase the vault "
                "had when the backup was made, or its recovery key."
            )
        elif isinstance(exc, WrongRecoveryKeyError):
            field = self.recovery_key
            text = self.tr(
                "That recovery key does not open this backup. Check it against the copy you stored."
            )
        elif isinstance(exc, backup.BackupError):
            field = self.backup_row
        self.message.show_message(text)
        if field is not None:
            kit.select_field(field)

    def reject(self) -> None:
        if self._job is not None:
            # a restore is moving files: it finishes (in seconds) before the dialog goes
            self.message.show_message(
                self.tr(
                    "The restore cannot be stopped half-way: a vault half in place would open "
                    "for no one. It takes seconds, and you are told when it is done."
                ),
                "info",
            )
            return
        self._wipe()
        super().reject()


def in_words(when: dt.datetime) -> str:
    """A moment as a worker reads it, in this computer's time: "Friday 4 December 2026 at
    17:05"."""
    local = when.astimezone()
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def backup_in_words(info: backup.BackupInfo, tr: Callable[[str], str]) -> str:
    """A backup as the window names it: "backup of Friday 4 December 2026 at 17:05 (508 KB,
    made by LinksDesk 0.1.0)", in this computer's time."""
    return tr("backup of {when} ({size:,} KB, made by LinksDesk {version})").format(
        when=in_words(info.made_at), size=info.size // 1024, version=info.app_version
    )


def replace_question(exc: backup.VaultInTheWayError, tr: Callable[[str], str]) -> str:
    """What to ask before a restore replaces the vault already there: when the backup was
    made, what the vault there holds against it, and where it is kept."""
    target, info = exc.target, exc.info
    made = in_words(info.made_at) if info is not None else None
    if exc.why == "newer" and target is not None and made is not None:
        text = tr(
            "The vault at {path} has changes newer than this backup. The backup was made on {made}"
        ).format(path=target, made=made)
        if exc.latest_here is not None:
            text += tr("; the latest work in the vault there is from {when}").format(
                when=in_words(exc.latest_here)
            )
        text += tr(
            ".\n\nIf you restore, that later work is not in the restored vault: what was "
            "synced comes back from the server at the next sync; private records and unsaved "
            "words kept for later do not."
        )
    elif exc.why == "older" and target is not None and made is not None:
        text = tr(
            "The vault at {path} is an older copy of this same vault: nothing in it is newer "
            "than the backup, which was made on {made}."
        ).format(path=target, made=made)
    else:
        text = exc.reason
    if target is not None:
        text += "\n\n" + tr(
            "The vault there is not deleted: it is kept in the same folder ({folder}), named "
            "“{name}.before-restore-” followed by today's date and time."
        ).format(folder=target.parent, name=target.name)
    return text + "\n\n" + tr("Replace it with the backup?")


def restored_message(result: backup.RestoreResult, tr: Callable[[str], str]) -> str:
    """What the unlock screen says after a restore: what came back and what to do next."""
    text = tr("Restored the {what}. Enter its passphrase to open it.").format(
        what=backup_in_words(result.info, tr)
    )
    if result.replaced:
        text += " " + tr("The vault that was there is kept beside it.")
    if result.new_laptop:
        text += " " + tr(
            "It was made on another computer, so this is a laptop of its own now: once it "
            "is open, set up sync with a new code from your programme administrator."
        )
    text += " " + tr(
        "If this laptop syncs, sync once it is open: work synced since the backup comes back "
        "from the server, and anyone erased since stays erased."
    )
    return text
