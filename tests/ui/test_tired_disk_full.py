"""A case note saved as the laptop's disk fills up (a real tmpfs, the small_disk fixture):
the window says so in plain words, the words stay in the editor, and a lock while the disk is
still full (the idle lock, or the worker's) does not lose them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from day_kit import on_modal
from PySide6.QtWidgets import QMessageBox
from screens_kit import on_record_tab, settle, unlock_again
from shell_kit import call_casework

from linksdesk.casework import notes
from linksdesk.ui.session import UiSession

if TYPE_CHECKING:
    from conftest import SmallDisk

pytestmark = pytest.mark.gui

WORDS = "Talked about the allotment; wants to ask about the Thursday session. " * 40


@pytest.fixture
def laptop_disk(small_disk: Callable[[str], SmallDisk]) -> SmallDisk:
    return small_disk("4m")


@pytest.fixture
def vault_file(laptop_disk: SmallDisk) -> Path:
    """The worker's vault on the laptop disk that fills up (replaces tests/ui's fixture)."""
    return laptop_disk / "worker.vault"


def test_a_case_note_when_the_disk_fills(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, laptop_disk: SmallDisk
) -> None:
    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "timeline")
    editor = window.participant_view.timeline.editor
    editor.start_new()
    editor.text_edit.setPlainText(WORDS)
    filler = laptop_disk.fill()

    editor.save()
    settle(qtbot, ui_session)
    said = window.participant_view.message.text()
    assert "disk is full" in said and "nothing was saved" in said, said
    assert editor.text_edit.toPlainText() == WORDS  # still there, to save again

    # the worker walks away; the laptop locks while the disk is still full, and the vault is
    # closed all the same (its key dropped), though the words could not be kept in it
    with qtbot.waitSignals([ui_session.sig_locked, ui_session.sig_closed], timeout=20_000):
        window.action_lock.trigger()
    settle(qtbot, ui_session)
    said = window.statusBar().currentMessage()
    assert "disk is full" in said and "until you unlock" in said, said

    # a tired worker quits: asked first, Cancel keeps LinksDesk open and the words held
    said_on_quit: list[str] = []

    def cancel(box: QMessageBox) -> None:
        said_on_quit.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    on_modal(cancel, kind=QMessageBox)
    assert not window.close()
    assert "If you quit now, they are lost" in said_on_quit[0]
    assert window.isVisible() and ui_session.holds_unsaved_words

    filler.unlink()  # room again; the words come back with the vault
    unlock_again(qtbot, window, ui_session)
    assert window.participant_view.participant_id == who.id  # the record opens again...
    assert editor.text_edit.toPlainText() == WORDS  # ...with the words in its editor
    key = editor.key()
    # and they are in the vault now, so closing LinksDesk no longer loses them
    cb = ui_session.require_casebook()
    assert call_casework(qtbot, ui_session, lambda _cb: cb.load_draft(key)) == WORDS
    assert call_casework(qtbot, ui_session, notes.list_notes, who.id) == []
    assert not ui_session.holds_unsaved_words


def test_unlocking_when_the_disk_is_full(
    qtbot: Any, window: Any, ui_session: UiSession, laptop_disk: SmallDisk
) -> None:
    """Back at the laptop the next morning, the disk still full: the unlock screen says so
    and what to do, not "check the memory stick is connected"; with room, it opens."""
    filler = laptop_disk.fill()
    page = window.unlock_screen.open_page
    page.passphrase.setText("correct horse battery staple")
    page.unlock_button.click()
    qtbot.waitUntil(lambda: "full" in page.message.text(), timeout=20_000)
    said = page.message.text()
    assert "Free some space" in said and "connected" not in said, said
    assert ui_session.casebook is None
    filler.unlink()
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
