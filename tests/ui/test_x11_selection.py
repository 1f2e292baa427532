"""On an X11 desktop, text selected in LinksDesk is gone from the selection at the lock.

X11 keeps a second clipboard, the selection: whatever was last selected, pasted anywhere with
the middle mouse button. A name double-clicked in a record stayed there after the lock had
cleared the screen (Qt keeps serving it after the field is emptied and destroyed), so anyone
at the unlocked desktop could paste it into another program. This runs the real session on a
real X server (Xvfb, the xcb platform), in its own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_cli import PASSPHRASE, cli_env

pytestmark = pytest.mark.gui

NAME = "Zebedee"

SCRIPT = textwrap.dedent(
    f"""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QClipboard, QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit
    from linksdesk.casework.casebook import Casebook
    from linksdesk.ui.session import UiSession

    app = QApplication(["linksdesk"])
    assert QGuiApplication.platformName() == "xcb", QGuiApplication.platformName()
    session = UiSession()
    cb, _key = Casebook.create(Path(sys.argv[1]), {PASSPHRASE!r})
    session.open(cb)
    field = QPlainTextEdit()
    field.setReadOnly(True)
    field.setPlainText("{NAME} Quartermaine-Test, born 19 July 1961")
    field.show()
    QTest.qWaitForWindowExposed(field)
    QTest.mouseDClick(field.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(12, 8))
    board = QGuiApplication.clipboard()
    selected = board.text(QClipboard.Mode.Selection)
    session.lock()
    field.setPlainText("")  # the lock clears the screen
    field.close()
    app.processEvents()
    print("selected:", selected)
    print("after the lock:", board.text(QClipboard.Mode.Selection))
    session.shutdown()
    """
)


def test_a_selected_name_is_not_pasteable_after_the_lock(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "home")
    env.pop("QT_QPA_PLATFORM")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), env.get("PYTHONPATH")]))
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 800x600x24", sys.executable, "-c", SCRIPT,
         str(tmp_path / "worker.vault")],
        env={**env, "QT_QPA_PLATFORM": "xcb"},
        capture_output=True,
        text=True,
        timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
    assert lines.get("selected") == NAME  # the double-click did select the name
    assert NAME not in lines.get("after the lock", NAME)
