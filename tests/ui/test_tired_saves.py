"""A tired worker's saves while the vault is busy: clicked twice, locked or closed at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from day_kit import record_contact_with
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from screens_kit import person, settle, unlock_again
from shell_kit import PASSPHRASE, call_casework

from linksdesk.casework import contacts, notes
from linksdesk.core.vocab import ContactKind
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

NOTE = "Walked to the library together; she will try the Tuesday group."


@contextmanager
def busy_vault(session: UiSession) -> Iterator[None]:
    """The DB thread busy with a long read (a big caseload loading) until the block ends."""
    gate = threading.Event()
    session.runner.submit(lambda: gate.wait(20))
    try:
        yield
    finally:
        gate.set()


def activate(qtbot: Any, window: Any) -> None:
    """As a window manager does when a dialog closes: the window is active again."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def open_record(qtbot: Any, window: Any, session: UiSession) -> str:
    who = person(qtbot, session)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    activate(qtbot, window)
    return str(who.id)


def note_typed(qtbot: Any, window: Any, session: UiSession) -> tuple[str, Any]:
    """A person's record open with NOTE typed into its note editor: (their id, the editor)."""
    pid = open_record(qtbot, window, session)
    editor = window.participant_view.timeline.editor
    qtbot.keyClicks(editor.text_edit, NOTE)
    return pid, editor


def record_a_visit(qtbot: Any, window: Any) -> None:
    """Record contact…, a home visit at the library, OK."""

    def fill(dialog: ContactDialog) -> None:
        dialog.set_values({"kind": ContactKind.HOME_VISIT, "venue": "Craigbank Library"})
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    record_contact_with(qtbot, window, fill)


def test_save_note_clicked_twice_while_the_vault_is_busy_saves_one_note(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    pid, editor = note_typed(qtbot, window, ui_session)
    with busy_vault(ui_session):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.wait(150)  # a tired double click: the first save has not come back yet
        assert not editor.save_button.isEnabled()  # the button says it is saving
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    saved = call_casework(qtbot, ui_session, notes.list_notes, pid)
    assert [n.text for n in saved] == [NOTE]  # once, not twice
    assert editor.text_edit.toPlainText() == ""
    assert not editor.save_button.isEnabled()  # nothing left to save


def test_a_contact_saved_just_before_ctrl_l_is_in_the_vault_after_unlock(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    pid = open_record(qtbot, window, ui_session)
    with busy_vault(ui_session):
        record_a_visit(qtbot, window)
        activate(qtbot, window)
        qtbot.keyClick(window.participant_view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is window.unlock_screen  # locked at once
    qtbot.waitUntil(lambda: not ui_session.runner.busy, timeout=20_000)
    unlock_again(qtbot, window, ui_session)
    saved = call_casework(qtbot, ui_session, contacts.list_contacts, pid)
    assert [(c.kind, c.venue) for c in saved] == [(ContactKind.HOME_VISIT, "Craigbank Library")]
    # back on the record, the visit is on its timeline
    qtbot.waitUntil(lambda: window.participant_view.timeline.model.rowCount() == 1, timeout=20_000)


def test_a_note_saving_when_the_vault_locks_is_saved_once_and_not_kept_as_a_draft_too(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    pid, editor = note_typed(qtbot, window, ui_session)
    with busy_vault(ui_session):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        window.action_lock.trigger()
    qtbot.waitUntil(lambda: not ui_session.runner.busy, timeout=20_000)
    unlock_again(qtbot, window, ui_session)
    saved = call_casework(qtbot, ui_session, notes.list_notes, pid)
    assert [n.text for n in saved] == [NOTE]
    cb = ui_session.require_casebook()
    assert call_casework(qtbot, ui_session, lambda _cb: cb.drafts()) == []
    # the editor is empty: nothing offered to be saved a second time
    qtbot.waitUntil(lambda: window.participant_view.data is not None, timeout=20_000)
    assert editor.text_edit.toPlainText() == ""


def test_a_contact_saved_just_before_the_window_closes_is_kept(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, made_vault: Any
) -> None:
    window = unlocked_window
    pid = open_record(qtbot, window, ui_session)
    with busy_vault(ui_session):
        record_a_visit(qtbot, window)
        window.close()  # quitting at the end of the day
    qtbot.waitUntil(lambda: not ui_session.runner.busy, timeout=20_000)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(made_vault, PASSPHRASE)
    saved = call_casework(qtbot, ui_session, contacts.list_contacts, pid)
    assert [c.venue for c in saved] == ["Craigbank Library"]
