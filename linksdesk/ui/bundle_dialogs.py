"""Dialogs to export a bundle for a supervisor and to import one into a supervisor's vault.

Both run their work as one job on the DB thread with progress; an unknown signer is never
accepted silently: the dialog shows its fingerprint and the person ticks that they compared
it with the sender (by phone) before importing again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import bundles
from linksdesk.core.changes import Changes
from linksdesk.core.item_words import counted
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import InlineMessage, typed_path

if TYPE_CHECKING:
    from linksdesk.casework.casebook import Casebook


def _export_job(cb: Casebook, out: Path, *, progress: Any, **kw: Any) -> bundles.ExportResult:
    return bundles.export_bundle(cb, out, progress=lambda _s, d, t: progress(d, t), **kw)


def _import_job(cb: Casebook, path: Path, *, progress: Any, trust: str | None) -> Any:
    return bundles.import_file(cb, path, trust=trust, progress=lambda _s, d, t: progress(d, t))


class _BundleDialog(kit.SessionDialog):
    def __init__(self, session: UiSession, title: str, parent: QWidget | None) -> None:
        super().__init__(session, parent)
        self.job_id: int | None = None
        self.result_info: Any = None
        kit.set_title(self, title)
        self.setMinimumWidth(620)  # a fingerprint and what to do with it, on one line
        self.form = QFormLayout()
        self.message = InlineMessage(self)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.hide()
        self.buttons = kit.button_box(self, kit.OK_CANCEL, self.start, parent=self)
        self.ok_button = kit.accept_button(self.buttons)
        session.runner.sig_progress.connect(self._on_runner_progress)

    def _finish_layout(self, intro: str, extra: QWidget | None = None) -> None:
        label = QLabel(intro, self)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        if extra is not None:
            layout.addWidget(extra)  # below the message that explains it
        layout.addWidget(self.buttons)

    def _file_row(self, text: str, field: QLineEdit, browse: Any) -> None:
        row = QHBoxLayout()
        row.addWidget(field, 1)
        button = QPushButton(self.tr("Choose…"), self)
        button.setAccessibleName(self.tr("Choose a file"))
        button.clicked.connect(browse)
        row.addWidget(button)
        label = QLabel(text, self)
        label.setBuddy(field)
        self.form.addRow(label, row)

    def start(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _on_done(self, result: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _on_error(self, exc: BaseException) -> None:
        self._failed(exc)

    def _run(self, job: Callable[..., Any], *args: Any, work: str, **options: Any) -> None:
        """Start ``job`` on the DB thread, its progress shown here: its result comes to
        ``_on_done``, a refusal to ``_on_error``; ``work`` (what it is) is said after the
        next unlock if a lock stops it (this dialog closes with the vault)."""
        started = self.session.call(
            job,
            *args,
            progress=True,
            on_done=self._on_done,
            on_error=self._on_error,
            work=work,
            **options,
        )
        self.job_id = started.id
        self.ok_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()

    def _on_runner_progress(self, job_id: int, done: int, total: int) -> None:
        if job_id == self.job_id:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, total))

    def _failed(self, exc: BaseException) -> None:
        self.job_id = None
        self.ok_button.setEnabled(True)
        self.progress.hide()
        self.message.show_message(kit.failure_text(exc, self.tr("That did not work.")))
        self._fit()

    def _fit(self) -> None:
        # the fingerprint to compare by phone was cut off
        kit.grow_to_fit(self)


class ExportBundleDialog(_BundleDialog):
    """Export this worker's caseload as a signed, encrypted bundle for a supervisor."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(session, tr("Export for a supervisor"), parent)
        self.kind = QComboBox(self)
        self.kind.addItem(tr("Supervision (identifiable, shared cases only)"), "supervision")
        self.kind.addItem(tr("Evaluation (pseudonymised)"), "evaluation")
        self.kind.setAccessibleName(tr("Kind of bundle"))
        self.recipients = QPlainTextEdit(self)
        self.recipients.setAccessibleName(tr("Supervisors' keys"))
        self.recipients.setPlaceholderText("age1…")
        self.recipients.setFixedHeight(70)
        self.period = QLineEdit(self)
        self.period.setAccessibleName(tr("Period"))
        self.period.setPlaceholderText(tr("Optional, e.g. 2026-04..2026-09"))
        self.out = QLineEdit(self)
        self.out.setAccessibleName(tr("Save as"))
        self.form.addRow(tr("&Kind"), self.kind)
        self.form.addRow(tr("Supervisors' &keys (one a line)"), self.recipients)
        self.form.addRow(tr("&Period"), self.period)
        self._file_row(tr("&Save as"), self.out, self._browse)
        self.ok_button.setText(tr("&Export"))
        self._finish_layout(
            tr(
                "The bundle holds only what your participants' consent lets leave this laptop. "
                "Its signature file is written beside it: copy both files together."
            )
        )

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the bundle as"), "", "*.age")
        if path:
            self.out.setText(path)

    def start(self) -> None:
        recipients = [r.strip() for r in self.recipients.toPlainText().splitlines() if r.strip()]
        out = typed_path(self.out.text())
        if not recipients or out is None:
            self.message.show_message(self.tr("Enter at least one key and where to save."))
            return
        work = self.tr("the export of a bundle for your supervisor to {file}")
        self._run(
            _export_job,
            out,
            work=work.format(file=out),
            kind=self.kind.currentData(),
            recipients=recipients,
            period=self.period.text().strip() or None,
        )

    def _on_error(self, exc: BaseException) -> None:
        self._failed(exc)
        if isinstance(exc, bundles.NotARecipient):
            # the command line's words name the encryption library and a command; a worker
            # copied the key from their supervisor's window
            shown = exc.given if len(exc.given) <= 24 else exc.given[:20] + "…"
            self.message.show_message(
                self.tr(
                    "“{key}” is not a whole bundle key. Copy it again from your supervisor's "
                    "File › Your bundle key… (it starts with age1), all of it, and paste it "
                    "here. Nothing was saved."
                ).format(key=shown)
            )
            self.recipients.setFocus()
            self._fit()

    def _on_done(self, result: bundles.ExportResult) -> None:
        self.result_info = result
        self.session.sig_status.emit(
            self.tr("Bundle written: %s (and its signature beside it).") % result.path.name
        )
        self.accept()


class ImportBundleDialog(_BundleDialog):
    """Import a bundle (or the team's roster) into a supervisor's vault."""

    # the folder the last bundle was imported from while the app runs (never kept on disk):
    # Choose… opens there, so the next of a stick's bundles is not looked for afresh
    last_folder: ClassVar[str] = ""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        tr = self.tr
        super().__init__(session, tr("Import a bundle"), parent)
        self.path = QLineEdit(self)
        self.path.setAccessibleName(tr("Bundle file"))
        self._file_row(tr("&Bundle file"), self.path, self._browse)
        self.fingerprint = ""
        self.accept_signer = QCheckBox(self)
        self.accept_signer.setAccessibleName(tr("Accept this signer"))
        self.accept_signer.hide()
        self.ok_button.setText(tr("&Import"))
        self._finish_layout(
            tr(
                "Every signature, the expiry and the contents are checked before anything is "
                "imported; a bundle that fails a check changes nothing."
            ),
            self.accept_signer,
        )
        # said before a file is chosen: a links worker's own vault takes no bundles in, and
        # a supervisor's opens them only once its bundle key is made
        session.call(bundles.bundle_key_state, on_done=self._show_whose)

    def _show_whose(self, state: tuple[bool, str | None]) -> None:
        supervisor, key = state
        if supervisor and key is None:
            self.ok_button.setEnabled(False)
            self.message.show_message(
                self.tr(
                    "This vault has no bundle key yet, so no bundle can be opened here. Make "
                    "it with File › Your bundle key… and give it to your workers; bundles "
                    "they make for it can then be imported."
                ),
                "info",
            )
            self._fit()
        if not supervisor:
            self.ok_button.setEnabled(False)
            self.message.show_message(
                self.tr(
                    "This laptop's vault is a links worker's, not a supervisor's: bundles are "
                    "imported by your supervisor, into their own vault. To send your work to "
                    "them, use File › Export for a supervisor…."
                ),
                "info",
            )

    def _browse(self) -> None:
        typed = typed_path(self.path.text())
        folder = str(typed.parent) if typed is not None else ImportBundleDialog.last_folder
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a bundle"), folder, "*.age *.json"
        )
        if path:
            self.path.setText(path)

    def start(self) -> None:
        path = typed_path(self.path.text())
        if path is None:
            self.message.show_message(self.tr("Choose the bundle file."))
            return
        ImportBundleDialog.last_folder = str(path.parent)
        trust = self.fingerprint if self.accept_signer.isChecked() else None
        work = self.tr("the import of a bundle")
        self._run(_import_job, path, trust=trust, work=work)

    def _on_error(self, exc: BaseException) -> None:
        self._failed(exc)
        if isinstance(exc, bundles.UnknownSigner) and exc.may_accept:
            self.fingerprint = exc.fingerprint
            grouped = " ".join(exc.fingerprint[i : i + 4] for i in range(0, 16, 4))
            self.message.show_message(
                self.tr(
                    "This bundle is signed by a key this vault does not know (fingerprint %s). "
                    "Phone the person who sent it and compare the fingerprint; if it matches, "
                    "tick the box below and import again. Nothing was imported."
                )
                % grouped
            )
            self.accept_signer.setText(
                self.tr("I compared the fingerprint %s with the sender; accept this signer")
                % grouped
            )
            self.accept_signer.setChecked(False)
            self.accept_signer.show()
        elif isinstance(exc, bundles.AlreadyImported):
            self.message.show_message(str(exc), "info")  # news, not a fault
        self._fit()

    def _on_done(self, result: Any) -> None:
        self.result_info = result
        text = (
            self.tr("Roster imported: %s.") % counted("new signer", result)
            if isinstance(result, int)
            else result.describe()
        )
        if isinstance(result, int):
            # a roster names the team's workers and laptops (the Team dashboard lists every
            # worker this vault knows of): every view reads again, as after a bundle
            self.session.sig_changed.emit(Changes())
        self.session.sig_status.emit(text)
        if getattr(result, "left_out", 0):
            # imported, but a participant left out until the server's bundle settles it:
            # said here, where it is read, not a moment in the status bar; the team's bundle
            # can be chosen and imported next in this window
            self.job_id = None
            self.progress.hide()
            self.ok_button.setEnabled(True)
            self.message.show_message(text, "warning")
            self._fit()
            return
        self.accept()
