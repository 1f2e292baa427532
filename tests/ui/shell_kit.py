"""Helpers for the desktop tests: the test passphrase, a hand-moved clock, DB-thread calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linksdesk.ui.session import UiSession

PASSPHRASE = "correct horse battery staple"


class FakeClock:
    """A wall clock the test moves by hand (sleep and idle time without waiting)."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def on_db_thread(qtbot: Any, session: UiSession, fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(*args)`` on the session's DB thread and wait for its result (or raise)."""
    outcome: dict[str, Any] = {}
    session.runner.submit(
        fn,
        *args,
        on_done=lambda r: outcome.setdefault("result", r),
        on_error=lambda e: outcome.setdefault("error", e),
    )
    qtbot.waitUntil(lambda: bool(outcome), timeout=20_000)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


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
