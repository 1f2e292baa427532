"""Sync in the desktop: enrol this laptop, sync now or on a timer, and say how it went."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from linksdesk.casework.casebook import Casebook
from linksdesk.core.changes import Changes
from linksdesk.core.errors import ServerUnreachableError, SyncAuthError
from linksdesk.sync import client as sync_client
from linksdesk.sync.client import SyncReport
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.runner import is_expected
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import InlineMessage

log = logging.getLogger(__name__)


def _sync_job(
    cb: Casebook,
    *,
    cancel: threading.Event,
    allow_mass_delete: bool = False,
    progress_signal: SignalInstance | None = None,
) -> SyncReport:
    """On the network thread: one push, pull and verify."""

    def progress(stage: str, done: int, total: int | None) -> None:
        if progress_signal is not None:
            progress_signal.emit(stage, int(done), int(total or 0))

    return sync_client.sync_once(
        cb, progress=progress, cancel=cancel, allow_mass_delete=allow_mass_delete
    )


class SyncController(QObject):
    """Runs sync on the session's network thread, on demand and when the scheduler says so.

    ``SyncScheduler`` decides when an automatic sync is due (every 5 minutes, backing off
    after failures, pausing for problems only the worker can fix); a timer asks it.
    """

    sig_status = Signal(object)  # SyncStatus
    sig_running = Signal(bool)
    sig_finished = Signal(object)  # SyncReport
    sig_failed = Signal(object)  # exception
    sig_progress = Signal(str, int, int)  # stage, done, total (0 = unknown)

    def __init__(
        self,
        session: UiSession,
        parent: QObject | None = None,
        *,
        tick_ms: int = 15_000,
        interval_s: float = 300.0,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.scheduler = sync_client.SyncScheduler(interval_s)
        self.status: Any = None
        self.running = False
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        session.sig_unlocked.connect(self._on_session_unlocked)
        session.sig_locked.connect(self._on_session_locked)

    @property
    def enrolled(self) -> bool:
        return bool(self.status is not None and self.status.enrolled)

    # -- status ---------------------------------------------------------------------------
    def refresh_status(self) -> None:
        if not self.session.is_unlocked:
            return
        self.session.call(sync_client.sync_status, on_done=self._on_status, on_error=lambda e: None)

    def _on_status(self, status: Any) -> None:
        if not self.session.is_unlocked:
            return
        self.status = status
        if status.enrolled and not self._timer.isActive():
            self._timer.start()
        self.sig_status.emit(status)

    def describe(self) -> str:
        """The status in plain words for the status bar."""
        s = self.status
        if s is None or not s.enrolled:
            return self.tr("Sync not set up")
        if self.running:
            return self.tr("Syncing…")
        parts = []
        if s.offline:
            parts.append(self.tr("Offline"))
        if s.last_synced_at is None:
            parts.append(self.tr("Never synced"))
        else:
            local = s.last_synced_at.replace(tzinfo=dt.UTC).astimezone()
            parts.append(self.tr("Synced {time}").format(time=f"{local:%d %b %H:%M}"))
        if s.waiting:
            parts.append(self.tr("{n} waiting to send").format(n=s.waiting))
        if s.conflicts:
            parts.append(self.tr("{n} to resolve").format(n=s.conflicts))
        if s.attention:
            parts.append(self.tr("{n} need attention").format(n=s.attention))
        if self.scheduler.paused_reason:
            parts.append(self.tr("paused"))
        return " · ".join(parts)

    # -- syncing --------------------------------------------------------------------------
    def sync_now(self, *, allow_mass_delete: bool = False) -> bool:
        """Start a sync unless one is running or the vault is locked; True if started."""
        if self.running or not self.session.is_unlocked:
            return False
        self.scheduler.resume()  # the worker asked: try now, even after a pause
        self._start(allow_mass_delete)
        return True

    def _start(self, allow_mass_delete: bool) -> None:
        self.running = True
        self.sig_running.emit(True)
        self.session.call_network(
            _sync_job,
            allow_mass_delete=allow_mass_delete,
            progress_signal=self.sig_progress,
            on_done=self._on_sync_done,
            on_error=self._on_sync_failed,
        )

    def _on_timer_timeout(self) -> None:
        if self.running or not self.session.is_unlocked or not self.enrolled:
            return
        if self.scheduler.due():
            self._start(False)

    def _on_sync_done(self, report: Any) -> None:
        self.running = False
        self.scheduler.succeeded()
        self.sig_running.emit(False)
        self.sig_finished.emit(report)
        if report.settings_changed:
            self.session.reload_settings()  # pages then read again under the new figures
        changes: Changes = report.changed
        if changes.entities:
            # exactly what the sync touched: only the views showing it reload
            self.session.sig_changed.emit(changes)
        self.refresh_status()

    def _on_sync_failed(self, exc: BaseException) -> None:
        self.running = False
        self.scheduler.failed(exc)
        self.sig_running.emit(False)
        if isinstance(exc, sync_client.MassDeletionError):
            self.sig_failed.emit(exc)
            self.refresh_status()
            return
        if is_expected(exc):
            self.sig_failed.emit(exc)
        self.refresh_status()

    # -- lock and unlock ------------------------------------------------------------------
    def _on_session_unlocked(self) -> None:
        self.status = None
        self.scheduler = sync_client.SyncScheduler(self.scheduler.interval_s)
        self.refresh_status()

    def _on_session_locked(self) -> None:
        self._timer.stop()
        self.running = False
        self.status = None


class EnrolDialog(kit.SessionBoundDialog):
    """Set this laptop up to sync with the code from the programme administrator (on the
    session ``sync`` runs in); made, then ``opened()``."""

    def __init__(self, sync: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(sync.session, parent)
        self.sync = sync
        self.result_info: Any = None
        tr = self.tr
        intro = kit.introduced(
            self,
            tr("Set up sync"),
            tr(
                "Your programme administrator gives you the server address and a one-time "
                "enrolment code. Records you made before enrolling will sync too, following "
                "each person's consent."
            ),
            460,
        )
        self.server = QLineEdit(self)
        self.server.setAccessibleName(tr("Server address"))
        self.server.setPlaceholderText("https://sync.example.org")
        self.code = QLineEdit(self)
        self.code.setAccessibleName(tr("Enrolment code"))
        self.code.setPlaceholderText("ABCD-EFGH-JKLM-NPQR")
        self.label = QLineEdit(self)
        self.label.setAccessibleName(tr("Name of this laptop"))
        self.label.setPlaceholderText(tr("For example: Laptop 3"))
        form = QFormLayout()
        form.addRow(tr("&Server address"), self.server)
        form.addRow(tr("Enrolment &code"), self.code)
        form.addRow(tr("&Name of this laptop"), self.label)
        self.message = InlineMessage(self)
        self.buttons = kit.button_box(self, kit.OK_CANCEL, self.enrol, parent=self)
        self.ok_button = kit.name_buttons(self.buttons, tr("&Enrol"), tr("Enrol this laptop"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def opened(self, why: str = "") -> EnrolDialog:
        """This dialog, opened without blocking; but one already open over the same window
        (a refused sync offers it once) is shown instead, and this one dropped. ``why``: the
        sync was refused (the laptop is no longer enrolled): said at the top, with the server
        address it synced with already filled in."""
        parent = self.parentWidget()
        for open_one in parent.findChildren(EnrolDialog) if parent is not None else ():
            if open_one.isVisible():
                self.setParent(None)
                self.deleteLater()
                open_one.raise_()
                return open_one
        if why:
            self.message.show_message(
                why + " " + self.tr("Enter the new code here to go on syncing."), "info"
            )
            self.server.setText(getattr(self.sync.status, "server_url", None) or "")
            self.code.setFocus()
        return kit.open_modeless(self)

    def enrol(self) -> None:
        """First asks the server whose the code is, and the person whether it is theirs:
        only then is the code used (and the laptop's records sent as that worker's)."""
        server, code = self.server.text().strip(), self.code.text().strip()
        if not server or not code:
            self.message.show_message(self.tr("Enter the server address and the code."))
            return
        self.ok_button.setEnabled(False)
        self.message.show_message(self.tr("Contacting the server…"), "info")
        self.session.net.submit(
            sync_client.whose_code,
            self.session.require_casebook(),
            server,
            code,
            on_done=functools.partial(self._on_whose, server, code),
            on_error=self._on_failed,
        )

    def _on_whose(self, server: str, code: str, owner: sync_client.CodeOwner | None) -> None:
        if owner is not None and not kit.ask_yes_no(
            self,
            self.tr("Whose code is this?"),
            self.tr("This code is for {worker} ({team}). Enrol this laptop as theirs?").format(
                worker=owner.worker, team=owner.team
            ),
        ):
            self.ok_button.setEnabled(True)
            self.message.show_message(
                self.tr(
                    "Nothing was used and nothing was sent. If the code is not yours, ask your "
                    "programme administrator for your own code."
                )
            )
            return
        self.session.net.submit(
            # the device's label is enrol's; submit's own ``label`` names the job
            functools.partial(sync_client.enrol, label=self.label.text().strip() or None),
            self.session.require_casebook(),
            server,
            code,
            on_done=functools.partial(self._on_enrolled, owner is None),
            on_error=self._on_failed,
        )

    def _on_enrolled(self, unasked: bool, info: Any) -> None:
        self.result_info = info
        self.code.clear()
        if getattr(info, "new_laptop", False):
            done = self.tr(
                "This laptop had been revoked, so it is set up to sync as a new laptop; "
                "everything on it is kept and is sent now."
            )
        else:
            done = self.tr("This laptop is set up to sync.")
        if unasked:
            done += " " + self.tr(
                "The server could not say whose the code was (it is an older one): ask your "
                "programme administrator to check this laptop is listed as yours."
            )
        self.session.sig_status.emit(done)
        self.accept()
        self.sync.refresh_status()
        self.sync.sync_now()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, ServerUnreachableError):
            text = self.tr(
                "The server could not be reached. Check the address and your network, then "
                "try again."
            )
        else:
            text = kit.failure_text(exc, self.tr("Enrolment failed."))
        self.message.show_message(text)
        if isinstance(exc, SyncAuthError):
            kit.select_field(self.code)


def confirm_mass_deletion(parent: QWidget, exc: BaseException) -> bool:
    """The sync stopped because it would delete many records here: ask before going on."""
    why = parent.tr(
        "Go on only if you expected this (for example, cases handed to a colleague, or "
        "several people withdrawing their consent to share)."
    )
    return kit.ask_yes_no(parent, parent.tr("Sync stopped"), f"{exc}\n\n{why}")
