"""The dialog for a bug: what happened in plain words, the stack and the recent log (no content)."""

from __future__ import annotations

import collections
import logging
import sys
import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from linksdesk.core.logs import FORMAT, OursOrWarnings, SafeFormatter, write_crash_report
from linksdesk.core.logsafe import safe_traceback
from linksdesk.ui.dialog_kit import open_modeless
from linksdesk.ui.icons import icon
from linksdesk.ui.widgets import heading


class RecentLog(logging.Handler):
    """Keeps the last lines of the log in memory for the crash dialog.

    The log holds ids and events only (never names or note text), so it is safe to show.
    """

    def __init__(self, capacity: int = 200) -> None:
        super().__init__(logging.INFO)
        self._lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self._guard = threading.Lock()
        # the log file's own rules: exceptions as type and frames, other libraries' values out
        self.setFormatter(SafeFormatter(FORMAT))
        self.addFilter(OursOrWarnings())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # a bad log call must never take the app down
            return
        with self._guard:
            self._lines.append(line)

    def tail(self, lines: int = 60) -> str:
        with self._guard:
            return "\n".join(list(self._lines)[-lines:])


_recent: RecentLog | None = None


def install_recent_log() -> RecentLog:
    """Attach the in-memory log tail to the root logger (once)."""
    global _recent
    if _recent is None:
        _recent = RecentLog()
        logging.getLogger().addHandler(_recent)
        if logging.getLogger().level > logging.INFO or logging.getLogger().level == 0:
            logging.getLogger().setLevel(logging.INFO)
    return _recent


def recent_log_tail(lines: int = 60) -> str:
    return _recent.tail(lines) if _recent is not None else ""


def describe_exception(exc: BaseException) -> str:
    """The type and stack of a bug, never its message (which may quote personal data)."""
    return safe_traceback(exc)


class CrashDialog(QDialog):
    """Shown for anything that is not a user or environment error."""

    def __init__(self, exc: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("LinksDesk — something went wrong"))
        self.setAccessibleName(self.tr("Error report"))
        self.setMinimumWidth(560)
        title_row = QHBoxLayout()
        badge = QLabel(self)
        badge.setPixmap(icon("error", "#b3261e").pixmap(32, 32))
        title_row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(heading(self.tr("Something went wrong"), self, size_delta=4), 1)
        explanation = QLabel(
            self.tr(
                "LinksDesk hit a problem it did not expect. Work you had saved is safe in your "
                "vault. If this keeps happening, copy the report below and send it to your "
                "administrator: it holds no names or notes, only what the program was doing."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Error report details"))
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlainText(self.report_text(exc))
        # kept beside the log too, for the administrator (frames and events only)
        self.report_file = write_crash_report(exc, recent=recent_log_tail(), where="window")
        self.details.setMinimumHeight(220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(
            self.tr("&Copy report"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setIcon(icon("copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the error report"))
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(explanation)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    @staticmethod
    def report_text(exc: BaseException) -> str:
        from linksdesk import __version__ as version

        parts = [
            f"LinksDesk {version}, Python {sys.version.split()[0]}",
            "",
            describe_exception(exc),
            "",
            "Recent log:",
            recent_log_tail() or "(empty)",
        ]
        return "\n".join(parts)

    def _on_copy_clicked(self) -> None:
        # the report has no personal data, so it need not be cleared from the clipboard
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    @classmethod
    def ask(cls, exc: BaseException, parent: QWidget | None = None) -> CrashDialog:
        """Show the report without blocking; returns the dialog (tests read it)."""
        return open_modeless(cls(exc, parent))
