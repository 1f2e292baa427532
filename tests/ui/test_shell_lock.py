"""Locking: idle by wall clock, Ctrl+L, drafts kept in the vault, nothing personal on screen."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from shell_kit import PASSPHRASE, FakeClock, call_casework, on_db_thread, texts_on_screen

from linksdesk.casework import participants
from linksdesk.casework.casebook import draft_key
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

GIVEN, FAMILY = "Wilhelmina", "Quarrington"
NOTE = "Talked about the allotment group; wants to try Thursday."


def plant_and_open(qtbot: Any, window: Any, session: UiSession) -> str:
    person = call_casework(
        qtbot, session, participants.create_participant, given_name=GIVEN, family_name=FAMILY
    ).value
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(person.id)
    return str(person.id)


def unlock_again(qtbot: Any, window: Any, session: UiSession) -> None:
    page = window.unlock_screen.open_page
    assert window.stack.currentWidget() is window.unlock_screen
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()


def personal_texts(window: Any, *, accessibility: bool = False) -> list[str]:
    texts = texts_on_screen(window, accessibility=accessibility)
    return [t for t in texts if GIVEN in t or FAMILY in t or NOTE in t]


def assert_nothing_personal(window: Any) -> None:
    assert personal_texts(window) == []
    assert personal_texts(window, accessibility=True) == []  # nor for screen readers
    assert "Locked" in window.windowTitle()


def test_idle_lock_by_wall_clock_clears_views_and_keeps_the_draft(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    pid = plant_and_open(qtbot, window, ui_session)
    assert GIVEN in "\n".join(texts_on_screen(window))  # the record really is on screen

    # a note editor of the shell's own, registered like the screens' editors register
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    key = draft_key("note", pid)
    ui_session.drafts.register(
        lambda: {key: editor.toPlainText()},
        lambda drafts: editor.setPlainText(ui_session.drafts.take(key) or ""),
        owner=editor,
    )
    ui_session.sig_locked.connect(editor.clear)  # as a view's clear() would
    editor.setPlainText(NOTE)
    cb = ui_session.casebook

    minutes = ui_session.settings.auto_lock_minutes
    clock.advance(minutes * 60 - 30)
    ui_session.idle.check()
    assert ui_session.is_unlocked  # not idle long enough yet

    # the laptop sleeps: wall-clock time passes without any timer firing in between
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        clock.advance(31)
    assert not ui_session.is_unlocked
    assert cb is not None and cb.is_locked  # engine disposed and key dropped on the DB thread
    assert editor.toPlainText() == ""
    assert window.participant_view.participant_id is None
    assert window.caseload_view.model.rowCount() == 0
    assert_nothing_personal(window)
    assert ui_session.drafts.pending == {}  # not kept in memory while locked

    with qtbot.waitSignal(ui_session.sig_drafts_restored, timeout=20_000) as restored:
        unlock_again(qtbot, window, ui_session)
    assert restored.args[0] == {key: NOTE}  # it came back out of the vault
    assert editor.toPlainText() == NOTE


def test_input_keeps_it_open_and_sleep_counts(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, clock: FakeClock
) -> None:
    window = unlocked_window
    limit = ui_session.settings.auto_lock_minutes * 60
    clock.advance(limit - 60)
    QApplication.sendEvent(
        window.today_view,
        QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier),
    )
    clock.advance(limit - 60)
    ui_session.idle.check()
    assert ui_session.is_unlocked  # input reset the idle time

    pos = QPointF(10, 10)
    QApplication.sendEvent(
        window.today_view,
        QMouseEvent(
            QEvent.Type.MouseMove,
            pos,
            pos,
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    clock.advance(limit - 1)
    ui_session.idle.check()
    assert ui_session.is_unlocked

    with qtbot.waitSignal(ui_session.sig_locked, timeout=5000):
        clock.advance(3 * 3600)  # closed lid for three hours
    assert window.stack.currentWidget() is window.unlock_screen


def test_ctrl_l_locks_from_anywhere(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    plant_and_open(qtbot, window, ui_session)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    cb = ui_session.casebook
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        qtbot.keyClick(window.participant_view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert cb is not None and cb.is_locked
    assert_nothing_personal(window)
    assert not window.action_search.isEnabled()
    # the unlock screen asks for the passphrase again, nothing more
    assert window.unlock_screen.pages.currentWidget() is window.unlock_screen.open_page
    assert window.unlock_screen.open_page.passphrase.text() == ""


def test_lock_closes_open_dialogs_and_the_search(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    window.open_settings()
    window.open_search()
    window.search_palette.edit.setText("quarr")
    assert window.settings_dialog is not None and window.settings_dialog.isVisible()
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_lock.trigger()
    assert not window.search_palette.isVisible()
    assert window.search_palette.edit.text() == ""
    assert all(not d.isVisible() for d in window.findChildren(type(window.settings_dialog)))


def test_copied_text_is_cleared_after_the_delay_if_still_ours(
    qtbot: Any, ui_session: UiSession
) -> None:
    clipboard = QGuiApplication.clipboard()
    ui_session.copy_text("07700 900123")
    assert clipboard.text() == "07700 900123"
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5000)

    # someone else's text replaced ours: it is left alone
    ui_session.copy_text("07700 900456")
    clipboard.setText("a shopping list")
    with qtbot.waitSignal(ui_session.clipboard._timer.timeout, timeout=5000):
        pass
    assert clipboard.text() == "a shopping list"
    clipboard.clear()


def test_lock_clears_copied_text(qtbot: Any, unlocked: UiSession) -> None:
    unlocked.copy_text("P1001")
    with qtbot.waitSignal(unlocked.sig_closed, timeout=20_000):
        unlocked.lock()
    assert QGuiApplication.clipboard().text() == ""


def test_a_draft_saved_elsewhere_is_discarded_at_the_next_lock(
    qtbot: Any, unlocked: UiSession, made_vault: Any
) -> None:
    texts: dict[str, str] = {"note/p/new": "first words"}
    unlocked.drafts.register(lambda: dict(texts))
    with qtbot.waitSignal(unlocked.sig_closed, timeout=20_000):
        unlocked.lock()
    with qtbot.waitSignal(unlocked.sig_unlocked, timeout=20_000):
        unlocked.unlock(made_vault, PASSPHRASE)
    assert unlocked.drafts.take("note/p/new") == "first words"
    texts.clear()  # the editor saved its note
    with qtbot.waitSignal(unlocked.sig_closed, timeout=20_000):
        unlocked.lock()
    with qtbot.waitSignal(unlocked.sig_unlocked, timeout=20_000):
        unlocked.unlock(made_vault, PASSPHRASE)
    cb = unlocked.require_casebook()
    assert on_db_thread(qtbot, unlocked, cb.drafts) == []


def test_lock_leaves_no_personal_data_for_screen_readers(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    plant_and_open(qtbot, window, ui_session)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_lock.trigger()
    assert personal_texts(window, accessibility=True) == []
