"""Fixtures for the desktop tests: a session whose DB thread always stops, vaults, unlocks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from shell_kit import PASSPHRASE, FakeClock, SyncServer, on_db_thread

from linksdesk.casework.casebook import Casebook
from linksdesk.ui.collector import GuiThreadCollector
from linksdesk.ui.session import UiSession


def pytest_configure(config: pytest.Config) -> None:
    # the offscreen platform says this for every top-level window; it is not our warning
    config.addinivalue_line("qt_log_ignore", "This plugin does not support propagateSizeHints")
    config.addinivalue_line("qt_log_ignore", "This plugin does not support raise")
    # and this for every popup menu it shows
    config.addinivalue_line("qt_log_ignore", "This plugin does not support grabbing the keyboard")


@pytest.fixture(scope="session", autouse=True)
def gui_thread_collector(qapp: Any) -> Iterator[GuiThreadCollector]:
    """As in the app: cycles are collected on the GUI thread, never on the DB thread."""
    collector = GuiThreadCollector(qapp)
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def empty_clipboard(qapp: Any) -> Iterator[None]:
    """Each test starts and ends with nothing on the clipboard: the offscreen clipboard lives
    as long as the test process, so one test's pasted letter was read as another's copy."""
    QGuiApplication.clipboard().clear()
    yield
    QGuiApplication.clipboard().clear()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sync_server(tmp_path: Path) -> Iterator[SyncServer]:
    """A real sync server on 127.0.0.1 with a worker and an enrolment code."""
    server = SyncServer(tmp_path)
    server.start()
    yield server
    server.close()


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    return tmp_path / "worker.vault"


@pytest.fixture
def ui_session(qtbot: Any, clock: FakeClock) -> Iterator[UiSession]:
    """A locked session with a fake clock, a fast idle tick and a short clipboard delay."""
    session = UiSession(clock=clock, idle_tick_ms=20, clipboard_clear_ms=200)
    yield session
    session.shutdown()


@pytest.fixture
def made_vault(qtbot: Any, ui_session: UiSession, vault_file: Path) -> Path:
    """A vault on disk, created and locked again (its passphrase is ``PASSPHRASE``)."""

    def make() -> None:
        cb, _key = Casebook.create(vault_file, PASSPHRASE)
        cb.lock()

    on_db_thread(qtbot, ui_session, make)
    return vault_file


@pytest.fixture
def unlocked(qtbot: Any, ui_session: UiSession, made_vault: Path) -> UiSession:
    """The session with the vault open (settings and drafts loaded)."""
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(made_vault, PASSPHRASE)
    return ui_session


@pytest.fixture
def window(qtbot: Any, ui_session: UiSession, made_vault: Path) -> Any:
    """The main window on the unlock screen of ``made_vault``."""
    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.unlock import UnlockOptions

    w = MainWindow(ui_session, UnlockOptions(made_vault))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def unlocked_window(qtbot: Any, window: Any, ui_session: UiSession) -> Any:
    """The main window unlocked through its own unlock screen."""
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    return window
