"""On an X11 desktop: text selected in LinksDesk is gone from the selection at the lock, and
text copied with Ctrl+C is cleared after the set delay while another program's copy is kept.

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


def on_x_server(tmp_path: Path, script: str, *args: str) -> dict[str, str]:
    """Run ``script`` with ``args`` on its own Xvfb server (Qt's xcb platform); what it
    printed as ``key: value`` lines."""
    env = cli_env(tmp_path / "home")
    env["QT_QPA_PLATFORM"] = "xcb"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), env.get("PYTHONPATH")]))
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 800x600x24", sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)


def test_a_selected_name_is_not_pasteable_after_the_lock(tmp_path: Path) -> None:
    lines = on_x_server(tmp_path, SCRIPT, str(tmp_path / "worker.vault"))
    assert lines.get("selected") == NAME  # the double-click did select the name
    assert NAME not in lines.get("after the lock", NAME)


CLIPBOARD_SCRIPT = textwrap.dedent(
    f"""
    import subprocess, sys, time
    from pathlib import Path
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit
    from linksdesk.casework.casebook import Casebook
    from linksdesk.ui.session import UiSession

    def wait(ms):
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.01)

    app = QApplication(["linksdesk"])
    session = UiSession(clipboard_clear_ms=300)
    cb, _key = Casebook.create(Path(sys.argv[1]), {PASSPHRASE!r})
    session.open(cb)
    field = QPlainTextEdit()
    field.setPlainText("{NAME} Quartermaine-Test, born 19 July 1961")
    field.show()
    QTest.qWaitForWindowExposed(field)
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    board = QGuiApplication.clipboard()
    print("copied:", board.text().split()[0])
    wait(1000)
    print("after the delay:", board.text() or "(empty)")
    # another program copies: LinksDesk's guard must leave it be
    other = subprocess.Popen([sys.executable, "-c", sys.argv[2]], stdout=subprocess.PIPE, text=True)
    assert other.stdout.readline().strip() == "set"
    wait(1000)
    print("another program's:", board.text() or "(empty)")
    other.kill()
    session.shutdown()
    """
)

OTHER_PROGRAM = textwrap.dedent(
    """
    import time
    from PySide6.QtWidgets import QApplication
    app = QApplication(["other"])
    QApplication.clipboard().setText("a shopping list")
    QApplication.processEvents()
    print("set", flush=True)
    end = time.monotonic() + 10
    while time.monotonic() < end:  # the owner of X11's clipboard serves it while it runs
        QApplication.processEvents()
        time.sleep(0.01)
    """
)


def test_ctrl_c_text_is_cleared_after_the_delay_and_another_programs_is_kept(
    tmp_path: Path,
) -> None:
    lines = on_x_server(tmp_path, CLIPBOARD_SCRIPT, str(tmp_path / "worker.vault"), OTHER_PROGRAM)
    assert lines.get("copied") == NAME
    assert lines.get("after the delay") == "(empty)"
    assert lines.get("another program's") == "a shopping list"
