"""What the screenshot scripts share: letting Qt settle, and a main window unlocked on a vault.

Import it inside a script's ``main`` (after the script has set ``QT_QPA_PLATFORM``), as the
scripts import Qt.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from synthetic import PASSPHRASE as PASSPHRASE  # the scripts' vaults open with it

from linksdesk.ui.main import make_app
from linksdesk.ui.main_window import MainWindow
from linksdesk.ui.session import UiSession
from linksdesk.ui.unlock import UnlockOptions


def begin(out: Path, prefix: str) -> tuple[QApplication, Path]:
    """The app, ``out`` made, and a new temporary folder (``prefix``) for the vaults."""
    app = make_app(["screenshots"])
    out.mkdir(parents=True, exist_ok=True)
    return app, Path(tempfile.mkdtemp(prefix=prefix))


def settle(ms: int = 200) -> None:
    """Run the event loop for ``ms`` milliseconds (paints, queued signals, timers)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(check: Callable[[], object], ms: int = 30_000) -> None:
    for _ in range(ms // 20):
        if check():
            return
        settle(20)
    raise TimeoutError("the screen did not get ready")


def idle(session: UiSession, tries: int = 100, then: int = 300) -> None:
    """Wait until the DB thread has nothing left to do, then let the screen paint."""
    for _ in range(tries):
        settle(30)
        if not session.runner.busy:
            break
    settle(then)


def save(out: Path, widget: QWidget, name: str, ms: int = 200) -> None:
    """``widget`` as ``out/name`` once it has settled for ``ms``."""
    settle(ms)
    widget.grab().save(str(out / name))
    print("wrote", out / name)


def unlocked_window(
    path: Path, passphrase: str, size: tuple[int, int]
) -> tuple[UiSession, MainWindow]:
    """The main window on the vault at ``path``, shown at ``size``, unlocked and idle."""
    session = UiSession()
    window = MainWindow(session, UnlockOptions(path))
    window.resize(*size)
    window.show()
    session.unlock(path, passphrase)
    for _ in range(300):
        settle(50)
        if session.is_unlocked and not session.runner.busy:
            break
    return session, window
