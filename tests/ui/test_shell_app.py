"""The app as a whole: --smoke-test, 150 % scaling, menus and shortcuts, names, light and dark."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from linksdesk.ui import icons
from linksdesk.ui.main import apply_color_scheme, dark_palette, light_palette, parse_args
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_smoke_test_exits_zero() -> None:
    done = run_python(
        "import sys; from linksdesk.ui.main import run; sys.exit(run(['--smoke-test']))"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "search found the planted participant" in done.stderr


def test_arguments_from_the_command_line() -> None:
    args, rest = parse_args(["--vault", "/tmp/w.vault", "--smoke-test", "-platform", "xcb"])
    assert args.vault == Path("/tmp/w.vault") and args.smoke_test
    assert rest == ["-platform", "xcb"]  # left for Qt


SCALING_CHECK = textwrap.dedent(
    """
    import sys, tempfile
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox,
                                   QLabel, QLineEdit, QWidget)
    from linksdesk.ui.main import make_app
    app = make_app(["scaling"])
    from linksdesk.ui.crash_dialog import CrashDialog
    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.unlock import UnlockOptions
    from linksdesk.ui.session import UiSession
    from linksdesk.ui.settings_dialog import SettingsDialog

    def clipped(root):
        bad = []
        kinds = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QCheckBox, QLabel)
        for w in root.findChildren(QWidget):
            if not isinstance(w, kinds) or not w.isVisibleTo(root) or w.width() == 0:
                continue
            if isinstance(w.parentWidget(), (QLineEdit, QAbstractSpinBox)):
                continue  # Qt's own parts of a field, sized by the field
            hint = w.minimumSizeHint()
            if isinstance(w, QLabel) and w.wordWrap():
                need_h = w.heightForWidth(w.width())
                if need_h > w.height() + 1:
                    bad.append(f"{type(w).__name__} {w.text()[:30]!r} {w.size()} < h {need_h}")
                continue
            if w.width() + 1 < hint.width() or w.height() + 1 < hint.height():
                label = getattr(w, "text", lambda: "")() or w.accessibleName()
                bad.append(f"{type(w).__name__} {label[:30]!r} {w.size()} < {hint}")
        return bad

    problems = []
    session = UiSession()
    window = MainWindow(session, UnlockOptions(Path(tempfile.mkdtemp()) / "new.vault"))
    window.resize(window.minimumSize())
    window.show()
    screen = window.unlock_screen
    for show in (screen.show_create, screen.show_open, screen.show_recover):
        show()
        QTest.qWait(30)
        problems += clipped(screen.pages.currentWidget())
    screen.key_page.show_key("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567")
    screen.pages.setCurrentWidget(screen.key_page)
    QTest.qWait(30)
    problems += clipped(screen.key_page)
    settings = SettingsDialog(session, window)
    settings.show()
    for i in range(settings.tabs.count()):
        settings.tabs.setCurrentIndex(i)
        QTest.qWait(30)
        problems += clipped(settings)
    try:
        raise ValueError("x")
    except ValueError as exc:
        crash = CrashDialog(exc, window)
    crash.show()
    QTest.qWait(30)
    problems += clipped(crash)
    window.search_palette.popup()
    QTest.qWait(30)
    problems += clipped(window.search_palette)
    print("\\n".join(problems))
    session.shutdown()
    sys.exit(1 if problems else 0)
    """
)


@pytest.mark.parametrize("scale", ["1.5"])
def test_nothing_is_clipped_at_150_percent(scale: str) -> None:
    done = run_python(SCALING_CHECK, QT_SCALE_FACTOR=scale, QT_FONT_DPI="144")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_menus_show_shortcuts_and_tooltips_name_them(unlocked_window: Any) -> None:
    window = unlocked_window
    expected = {
        window.action_search: "Ctrl+K",
        window.action_lock: "Ctrl+L",
        window.action_new_participant: "Ctrl+Shift+P",
        window.action_new_contact: "Ctrl+Shift+C",
        window.action_new_note: "Ctrl+Shift+N",
    }
    menu_actions = [a for m in window.menuBar().actions() for a in m.menu().actions()]
    for action, keys in expected.items():
        assert action.shortcut() == QKeySequence(keys)
        assert action in menu_actions  # shown with its shortcut in a menu
        native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        assert native in action.toolTip()


def test_new_note_from_another_page_asks_whose_record(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shell_kit import call_casework

    from linksdesk.casework import participants
    from linksdesk.ui.dialogs.person_chooser import PersonChooser

    window = unlocked_window
    person = call_casework(
        qtbot, ui_session, participants.create_participant, given_name="Ann", family_name="Lee"
    ).value
    other = call_casework(
        qtbot, ui_session, participants.create_participant, given_name="Bea", family_name="Roe"
    ).value
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=10_000):
        window.open_participant(person.id)
    window.show_view("today")
    asked: list[str] = []
    answer: list[str | None] = [None]

    def ask(chooser: PersonChooser) -> str | None:
        asked.append(chooser.windowTitle().removesuffix(" — who is it for?"))
        return answer[0]

    monkeypatch.setattr(PersonChooser, "asked", ask)
    # never silently the last record viewed: it asks, and cancelling does nothing
    assert window.action_new_note.isEnabled()
    window.action_new_note.trigger()
    assert asked == ["New case note"] and window.current_view_key() == "today"
    answer[0] = other.id
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=10_000):
        window.action_new_note.trigger()
    assert window.current_view_key() == "record"  # the note editor of the one chosen
    assert window.participant_view.participant_id == other.id


def test_new_participant_action_uses_the_dialog_and_opens_the_record(
    qtbot: Any, unlocked_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linksdesk.ui.dialogs.participant import ParticipantDialog

    window = unlocked_window
    monkeypatch.setattr(
        ParticipantDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, existing=None: {
                "given_name": "Nora",
                "family_name": "Newcombe",
            }
        ),
    )
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=10_000):
        window.caseload_view.sig_new_participant.emit()
    assert window.current_view_key() == "record"
    assert "Nora" in window.participant_view.name_label.text()


def test_shell_controls_have_accessible_names(unlocked_window: Any) -> None:
    window = unlocked_window
    window.open_settings()
    window.open_search()
    roots = [
        window.unlock_screen,
        window.statusBar(),
        window.search_palette,
        window.settings_dialog,
        window.findChild(QFrame, "navigation"),
    ]
    kinds = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit)
    for root in roots:
        for w in root.findChildren(QWidget):
            if not isinstance(w, kinds) or isinstance(w.parentWidget(), QAbstractSpinBox):
                continue  # a spin box's own line edit is announced as the spin box
            assert w.accessibleName(), f"{type(w).__name__} in {type(root).__name__} has no name"
    for button in window.nav_buttons.values():
        assert button.accessibleName() and button.toolTip()


def test_light_and_dark_palettes_follow_the_system_scheme(qtbot: Any) -> None:
    app = QApplication.instance()
    before = app.palette()
    try:
        apply_color_scheme(app, Qt.ColorScheme.Dark)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
        dark_icon = icons.icon("lock").pixmap(16, 16).toImage()
        apply_color_scheme(app, Qt.ColorScheme.Light)
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
        light_icon = icons.icon("lock").pixmap(16, 16).toImage()
        assert dark_icon != light_icon  # icons are redrawn in the text colour
    finally:
        app.setPalette(before)
        icons.clear_cache()
    for palette in (dark_palette(), light_palette()):
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        assert abs(text.lightness() - base.lightness()) > 150  # readable either way


def test_a_scheme_switch_while_running_reaches_widgets_already_shown(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

    from linksdesk.ui.main import _STYLESHEET

    app = QApplication.instance()
    before, sheet = app.palette(), app.styleSheet()
    app.setStyleSheet(_STYLESHEET)  # as make_app sets it
    try:
        apply_color_scheme(app, Qt.ColorScheme.Light)
        host = QWidget()
        qtbot.addWidget(host)
        layout = QVBoxLayout(host)
        label, table = QLabel("Synthetic"), QTableView()
        layout.addWidget(label)
        layout.addWidget(table)
        host.show()
        qtbot.waitExposed(host)
        apply_color_scheme(app, Qt.ColorScheme.Dark)  # the system turned dark meanwhile
        # text light and fields dark on what was already on screen, not only on new windows
        assert label.palette().color(QPalette.ColorRole.WindowText).lightness() > 180
        assert table.palette().color(QPalette.ColorRole.Base).lightness() < 80
    finally:
        app.setStyleSheet(sheet)
        app.setPalette(before)
        icons.clear_cache()


def test_every_icon_is_a_valid_svg(qtbot: Any) -> None:
    names = icons.icon_names()
    assert {"lock", "search", "participant", "app", "settings"} <= set(names)
    for name in names:
        assert not icons.icon(name).isNull()


def test_icons_are_found_in_a_frozen_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from linksdesk.core.resources import resource_dir

    bundled = tmp_path / "resources" / "icons"
    bundled.mkdir(parents=True)
    (bundled / "lock.svg").write_text(icons.icon_path("lock").read_text())
    monkeypatch.delenv("LINKSDESK_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    resource_dir.cache_clear()
    try:
        assert icons.icon_path("lock") == bundled / "lock.svg"
    finally:
        monkeypatch.undo()
        resource_dir.cache_clear()


def test_long_work_shows_progress_and_can_be_cancelled(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    import threading

    window = unlocked_window
    release = threading.Event()
    reached: list[int] = []

    def long_job(cb: Any, progress: Any) -> str:
        for i in range(100):
            progress(i, 100)
            reached.append(i)
            if i == 5:
                release.wait(10)  # until the worker has pressed Cancel
        return "finished"

    finished: list[Any] = []
    ui_session.call(long_job, progress=True, on_done=finished.append)
    qtbot.waitUntil(lambda: window.progress.isVisible() and window.progress.value() >= 5)
    assert window.progress.maximum() == 100
    assert window.cancel_button.isVisible()
    window.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: not ui_session.runner.busy, timeout=10_000)
    assert not window.progress.isVisible()
    assert finished == []  # stopped, and nothing half-done reported as done
    assert reached == [0, 1, 2, 3, 4, 5]
