"""Helpers for the desktop tests: the test passphrase, a hand-moved clock, DB-thread calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from serving import serve
from serving import stop as stop_serving
from synthetic import PASSPHRASE

from linksdesk.ui.session import UiSession


class FakeClock:
    """A wall clock the test moves by hand (sleep and idle time without waiting)."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def window_at_unlock(qtbot: Any, session: UiSession, path: Path) -> tuple[Any, Any]:
    """A main window shown at the unlock screen of the vault at ``path``, the passphrase
    typed: the window and its open page (click its ``unlock_button`` to unlock)."""
    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.unlock import UnlockOptions

    window = MainWindow(session, UnlockOptions(path))
    qtbot.addWidget(window)
    window.show()
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    return window, page


def _waited(qtbot: Any, runner: Any, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    outcome: dict[str, Any] = {}
    runner.submit(
        fn,
        *args,
        on_done=lambda r: outcome.setdefault("result", r),
        on_error=lambda e: outcome.setdefault("error", e),
        **kwargs,
    )
    qtbot.waitUntil(lambda: bool(outcome), timeout=30_000)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def on_db_thread(qtbot: Any, session: UiSession, fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(*args)`` on the session's DB thread and wait for its result (or raise)."""
    return _waited(qtbot, session.runner, fn, *args)


def on_net(
    qtbot: Any, session: UiSession, fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """Run ``fn(*args, **kwargs)`` on the session's network thread and wait (or raise)."""
    return _waited(qtbot, session.net, fn, *args, **kwargs)


def call_casework(
    qtbot: Any, session: UiSession, fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """Run a casework use case ``fn(casebook, *args, **kwargs)`` on the DB thread and wait."""
    cb = session.require_casebook()
    return on_db_thread(qtbot, session, lambda: fn(cb, *args, **kwargs))


def texts_on_screen(root: Any, *, accessibility: bool = True) -> list[str]:
    """Every piece of text a widget tree shows: labels, fields, buttons, titles, table cells.

    With ``accessibility`` also tooltips and what screen readers are told.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTabWidget,
        QTextEdit,
        QWidget,
    )

    found: list[str] = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        if isinstance(w, (QLabel, QLineEdit)):
            found.append(w.text())
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            found.append(w.toPlainText())
        elif isinstance(w, QAbstractButton):
            found.append(w.text())
        elif isinstance(w, QGroupBox):
            found.append(w.title())
        elif isinstance(w, QComboBox):
            found.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QTabWidget):
            found.extend(w.tabText(i) for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for r in range(min(model.rowCount(), 500)):
                for c in range(model.columnCount()):
                    value = model.index(r, c).data(Qt.ItemDataRole.DisplayRole)
                    if value is not None:
                        found.append(str(value))
        if accessibility:
            found.append(w.toolTip())
            found.append(w.accessibleName())
            found.append(w.accessibleDescription())
    return found


class SyncServer:
    """``linksdesk-server serve`` on 127.0.0.1 over a SQLite file, with one enrolable worker."""

    def __init__(self, tmp_path: Any) -> None:
        import socket

        from linksdesk.server import admin
        from linksdesk.server.db import Database, init_database

        self.db_url = f"sqlite:///{tmp_path / 'server.db'}"
        init_database(self.db_url)
        self.db = Database(self.db_url)
        self.team = team = admin.add_team(self.db, "team-shell-test")
        self.worker = admin.add_worker(self.db, team, "worker-shell-test")
        self.code = admin.make_enrol_code(self.db, self.worker).code
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / "server.log"
        self.proc: Any = None

    def start(self) -> None:
        # on the port chosen first (the window is told this address before it starts);
        # ready only once this process says it listens there (see tests/serving.py)
        self.proc, _ = serve(self.db_url, self.log_path, self.port)

    def stop(self) -> None:
        if self.proc is not None:
            stop_serving(self.proc)
        self.proc = None

    def close(self) -> None:
        self.stop()
        self.db.dispose()
