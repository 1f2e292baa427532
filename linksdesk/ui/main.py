"""Start the desktop app: Qt application, light or dark palette, error routing, --smoke-test."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from linksdesk import APP_NAME
from linksdesk.core.logsafe import safe_traceback
from linksdesk.ui import icons
from linksdesk.ui.collector import GuiThreadCollector
from linksdesk.ui.crash_dialog import install_recent_log

if TYPE_CHECKING:
    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.session import UiSession

log = logging.getLogger(__name__)

_collector: GuiThreadCollector | None = None

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(mode: QtMsgType, _context: Any, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="linksdesk", add_help=False)
    parser.add_argument("--vault", type=Path, default=None)
    parser.add_argument("--smoke-test", action="store_true")
    return parser.parse_known_args(argv)


# -- palette ------------------------------------------------------------------------------
def dark_palette() -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#202326",
        roles.WindowText: "#e6e8eb",
        roles.Base: "#16181b",
        roles.AlternateBase: "#26292d",
        roles.ToolTipBase: "#2d3136",
        roles.ToolTipText: "#e6e8eb",
        roles.PlaceholderText: "#9aa1a9",
        roles.Text: "#e6e8eb",
        roles.Button: "#2a2e33",
        roles.ButtonText: "#e6e8eb",
        roles.BrightText: "#ff6b6b",
        roles.Light: "#3a3f45",
        roles.Midlight: "#32363b",
        roles.Mid: "#4a5057",
        roles.Dark: "#121416",
        roles.Shadow: "#000000",
        roles.Highlight: "#2f7f89",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#7cc4cc",
        roles.LinkVisited: "#b39ddb",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor("#7b828a"))
    p.setColor(disabled, roles.Highlight, QColor("#3a3f45"))
    return p


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    p = style.standardPalette() if style is not None else QPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor("#1f6f78"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#17606a"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#5f6670"))
    return p


def apply_color_scheme(app: QApplication, scheme: Any = None) -> None:
    """Light or dark following the system (QStyleHints.colorScheme), same look everywhere."""
    if scheme is None:
        scheme = app.styleHints().colorScheme()
    dark = scheme == Qt.ColorScheme.Dark
    app.setPalette(dark_palette() if dark else light_palette())
    if app.styleSheet():
        # widgets already polished by the style sheet keep the old palette otherwise (a
        # switch while running left the record half light, half dark)
        app.setStyleSheet(app.styleSheet())
    icons.clear_cache()


_STYLESHEET = """
QPushButton#primary { background: palette(highlight); color: palette(highlighted-text);
  border: 1px solid palette(highlight); border-radius: 5px; padding: 6px 16px;
  font-weight: 600; }
QPushButton#primary:disabled { background: palette(midlight); color: palette(mid);
  border-color: palette(midlight); }
QPushButton#primary:focus { border: 2px solid palette(link); }
"""


def make_app(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setApplicationName(APP_NAME)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setOrganizationName(APP_NAME)
    QGuiApplication.setDesktopFileName("linksdesk")
    app = QApplication(argv)
    app.setStyle("Fusion")
    apply_color_scheme(app)
    app.styleHints().colorSchemeChanged.connect(lambda scheme: apply_color_scheme(app, scheme))
    app.setStyleSheet(_STYLESHEET)
    app.setWindowIcon(icons.icon("app"))
    global _collector
    _collector = GuiThreadCollector(app)  # Qt objects must never be freed on the DB thread
    return app


# -- running ------------------------------------------------------------------------------
def run(argv: list[str]) -> int:
    """The desktop app; ``--vault PATH`` chooses the vault, ``--smoke-test`` checks a build."""
    args, rest = parse_args(list(argv))
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migration chatter is not news
    install_recent_log()
    if args.smoke_test and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    previous_handler = qInstallMessageHandler(_qt_message)
    app = make_app([sys.argv[0] if sys.argv else "linksdesk", *rest])

    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.remembered import RememberedVault
    from linksdesk.ui.session import UiSession
    from linksdesk.ui.unlock import UnlockOptions

    session = UiSession()
    # --vault wins over the vault remembered from last time; a smoke test remembers nothing
    remembered = None if args.smoke_test else RememberedVault()
    window = MainWindow(session, UnlockOptions(args.vault, remembered))
    previous_hook = sys.excepthook

    def excepthook(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        log.error("bug on the GUI thread:\n%s", safe_traceback(exc))
        window.report_error(exc)

    sys.excepthook = excepthook
    try:
        if args.smoke_test:
            return _smoke_test(app, window, session)
        window.show()
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        session.shutdown()
        window.deleteLater()
        qInstallMessageHandler(previous_handler)


def _smoke_test(app: QApplication, window: MainWindow, session: UiSession) -> int:
    """Temporary vault, main window offscreen, one search through the palette; 0 if it works."""
    from linksdesk.casework import participants

    outcome = {"code": 1}
    tmp = tempfile.TemporaryDirectory(prefix="linksdesk-smoke-")
    path = Path(tmp.name) / "smoke.vault"

    def finish(code: int, why: str) -> None:
        outcome["code"] = code
        log.info("smoke test: %s", why)
        app.quit()

    def failed(exc: BaseException) -> None:
        log.error("smoke test failed:\n%s", safe_traceback(exc))
        finish(1, f"failed with {type(exc).__name__}")

    def created(result: Any) -> None:
        cb, _recovery_key = result
        session.open(cb)

    def unlocked() -> None:
        window.show()
        session.call(
            participants.create_participant,
            given_name="Smoke",
            family_name="Check",
            on_done=lambda _o: search(),
            on_error=failed,
        )

    def search() -> None:
        palette = window.search_palette
        palette.model.modelReset.connect(searched)
        window.open_search()
        palette.edit.setText("smoke")
        palette.search_now()

    def searched() -> None:
        rows = window.search_palette.model.rowCount()
        if rows:
            problems = _bundle_problems(window, path)
            if problems:
                finish(1, "; ".join(problems))
            else:
                finish(0, "window shown, search found the planted participant, bundle complete")

    session.sig_unlocked.connect(unlocked)
    session.runner.sig_unhandled.connect(failed)
    QTimer.singleShot(90_000, lambda: finish(2, "timed out"))
    session.create(path, secrets.token_urlsafe(18), on_done=created, on_error=failed)
    try:
        app.exec()
    finally:
        session.shutdown()
        tmp.cleanup()
    return outcome["code"]


def _bundle_problems(window: Any, vault: Path) -> list[str]:
    """What a build may have left out: resources, the guide, licences; the vault encrypted."""
    from linksdesk.core.resources import guide_path, resource_path
    from linksdesk.ui.help_dialogs import AboutDialog, UserGuideWindow

    problems = []
    try:
        for parts in (("icons", "app.svg"), ("licences", "components.json")):
            resource_path(*parts)
        guide_path()
    except FileNotFoundError as exc:
        problems.append(str(exc))
    about = AboutDialog(window)
    if about.components.count() < 5:
        problems.append("the About dialog lists no bundled components")
    guide = UserGuideWindow(window)
    if "recovery key" not in guide.browser.toPlainText():
        problems.append("the user guide did not render")
    about.deleteLater()
    guide.deleteLater()
    with vault.open("rb") as fh:
        if fh.read(16) == b"SQLite format 3\x00":
            problems.append("the vault was written unencrypted")
    if getattr(sys, "frozen", False):
        # what the spec leaves out must stay out (WebEngine alone is some 200 MB)
        import importlib.util

        for name in FROZEN_LEAVES_OUT:
            try:
                found = importlib.util.find_spec(name) is not None
            except (ImportError, ValueError):
                found = False
            if found:
                problems.append(f"the bundle carries {name}, which the desktop app never loads")
    return problems


FROZEN_LEAVES_OUT = (
    "linksdesk.server",
    "fastapi",
    "uvicorn",
    "psycopg",
    "pytest",
    "hypothesis",
    "PySide6.QtWebEngineCore",
    "PySide6.QtQml",
    "PySide6.QtQuick",
)


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
