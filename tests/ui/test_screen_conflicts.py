"""Conflicts screen: a real conflict between two laptops of one worker, settled in the window."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from shell_kit import PASSPHRASE, SyncServer, call_casework, on_db_thread, on_net, texts_on_screen

from linksdesk.casework import consent, notes, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import admin
from linksdesk.sync import client as sync_client
from linksdesk.ui.dialogs.conflict_merge import ConflictMergeDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

FIRST = "First version of the case note, before either laptop edited it."
HERE = "Version written on this laptop while offline."
THERE = "Version written on the other laptop while offline."
NAME = ("Morag", "Conflictson")  # synthetic


@dataclass
class Conflicted:
    other: Casebook  # the worker's second laptop, used headless
    participant_id: str
    programme_id: str
    note_id: str


def sync_here(qtbot: Any, window: Any) -> Any:
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000) as blocker:
        assert window.sync.sync_now()
    return blocker.args[0]


def latest_text(qtbot: Any, session: UiSession, note_id: str) -> str:
    return str(call_casework(qtbot, session, notes.get_note, note_id).text)


@pytest.fixture
def conflicted(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    sync_server: SyncServer,
    tmp_path: Path,
) -> Iterator[Conflicted]:
    """One case note revised offline on both laptops, then synced: a conflict on both."""
    window = unlocked_window
    cb = ui_session.require_casebook()
    on_net(qtbot, ui_session, sync_client.enrol, cb, sync_server.url, sync_server.code)
    person = call_casework(
        qtbot, ui_session, participants.create_participant, given_name=NAME[0], family_name=NAME[1]
    ).value
    call_casework(qtbot, ui_session, consent.record_consent, person.id, ConsentScope.TEAM, True)
    note = call_casework(qtbot, ui_session, notes.write_note, person.id, FIRST).value
    assert sync_here(qtbot, window).pushed >= 3

    other, _key = Casebook.create(tmp_path / "other.vault", PASSPHRASE)
    try:
        code = admin.make_enrol_code(sync_server.db, sync_server.worker).code
        sync_client.enrol(other, sync_server.url, code, label="other laptop")
        sync_client.sync_once(other)
        assert notes.get_note(other, note.id).text == FIRST

        base = note.latest.id
        call_casework(qtbot, ui_session, notes.revise_note, note.id, HERE, base_revision_id=base)
        notes.revise_note(other, note.id, THERE, base_revision_id=base)
        sync_here(qtbot, window)
        sync_client.sync_once(other)
        sync_here(qtbot, window)
        assert len(sync_client.list_conflicts(other)) == 1
        yield Conflicted(other, person.id, person.programme_id, note.id)
    finally:
        other.lock()


def open_conflicts(qtbot: Any, window: Any) -> Any:
    window.go_actions["conflicts"].trigger()
    view = window.conflicts_view
    assert window.current_view_key() == "conflicts"
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=20_000)
    qtbot.waitUntil(lambda: view.current() is not None, timeout=5_000)
    return view


def shoot(widget: Any, name: str) -> None:
    """With LINKSDESK_SCREENSHOT_DIR set, save what the widget looks like (for the docs)."""
    folder = os.environ.get("LINKSDESK_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / name))


def test_keep_this_laptops_version_settles_the_conflict_on_both_laptops(
    qtbot: Any,
    qtmodeltester: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    conflicted: Conflicted,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    window = unlocked_window

    # Today says there is something to resolve and leads there
    window.show_view("today")
    today = window.today_view
    today.refresh()
    qtbot.waitUntil(lambda: today.conflicts_section.isVisibleTo(window), timeout=20_000)
    assert "(1)" in today.conflicts_heading.text()
    today.conflicts_button.click()
    assert window.current_view_key() == "conflicts"

    view = open_conflicts(qtbot, window)
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    # the list: who by programme id only, which record, when
    assert view.model.index(0, 0).data() == conflicted.programme_id
    assert view.model.index(0, 1).data() == "Case note"
    assert view.model.index(0, 2).data()
    listed = [view.model.index(0, c).data() for c in range(view.model.columnCount())]
    assert not any(NAME[0] in str(t) or NAME[1] in str(t) for t in listed)
    # both versions side by side, read-only, with their clocks as local times
    assert view.mine_label.text() == "On this laptop"
    assert view.theirs_label.text() == "From the server"
    assert view.mine_text.toPlainText() == HERE
    assert view.theirs_text.toPlainText() == THERE
    assert view.mine_text.isReadOnly() and view.theirs_text.isReadOnly()
    assert view.mine_clock.text().startswith("Changed ")
    assert view.theirs_clock.text().startswith("Changed ")
    for w in (view.keep_mine_button, view.keep_theirs_button, view.merge_button, view.table):
        assert w.accessibleName()
    window.resize(1100, 720)
    shoot(window, "conflicts.png")

    view.keep_mine_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=20_000)
    assert view.mine_text.toPlainText() == "" and not view.detail.isVisibleTo(window)
    assert on_db_thread(qtbot, ui_session, sync_client.list_conflicts, ui_session.casebook) == []
    assert latest_text(qtbot, ui_session, conflicted.note_id) == HERE

    # the choice syncs like any change and settles the conflict on the other laptop too
    sync_here(qtbot, window)
    sync_client.sync_once(conflicted.other)
    assert sync_client.list_conflicts(conflicted.other) == []
    assert notes.get_note(conflicted.other, conflicted.note_id).text == HERE
    sync_here(qtbot, window)
    assert on_db_thread(qtbot, ui_session, sync_client.list_conflicts, ui_session.casebook) == []
    window.show_view("today")
    today.refresh()
    qtbot.waitUntil(lambda: not today.conflicts_section.isVisibleTo(window), timeout=20_000)

    # note text never reaches the log
    for text in (FIRST, HERE, THERE, NAME[0], NAME[1]):
        assert text not in caplog.text


def test_keep_the_servers_version(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, conflicted: Conflicted
) -> None:
    window = unlocked_window
    view = open_conflicts(qtbot, window)
    view.keep_theirs_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=20_000)
    assert latest_text(qtbot, ui_session, conflicted.note_id) == THERE
    sync_here(qtbot, window)
    sync_client.sync_once(conflicted.other)
    assert sync_client.list_conflicts(conflicted.other) == []
    assert notes.get_note(conflicted.other, conflicted.note_id).text == THERE


def test_a_merged_edit_settles_it_with_the_merged_text(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    conflicted: Conflicted,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = unlocked_window
    view = open_conflicts(qtbot, window)
    merged = "Merged by hand: both laptops' points kept."
    prefilled: list[str] = []

    def ask(mine: str, theirs: str, what: str, parent: Any = None) -> str | None:
        # the real dialog, driven as a worker would: it starts with both versions
        dialog = ConflictMergeDialog(mine, theirs, what, parent)
        qtbot.addWidget(dialog)
        prefilled.append(dialog.editor.toPlainText())
        assert dialog.editor.accessibleName() and dialog.ok_button.accessibleName()
        dialog.editor.setPlainText("   ")
        dialog.ok_button.click()  # empty: refused with a message, stays open
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.message.isVisibleTo(dialog)
        dialog.editor.setPlainText(merged)
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.text()

    monkeypatch.setattr(ConflictMergeDialog, "ask", staticmethod(ask))
    view.merge_button.click()
    assert HERE in prefilled[0] and THERE in prefilled[0]
    assert prefilled[0].index(HERE) < prefilled[0].index(THERE)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=20_000)
    assert latest_text(qtbot, ui_session, conflicted.note_id) == merged

    sync_here(qtbot, window)
    sync_client.sync_once(conflicted.other)
    assert sync_client.list_conflicts(conflicted.other) == []
    assert notes.get_note(conflicted.other, conflicted.note_id).text == merged


def test_lock_clears_the_conflicts_view(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, conflicted: Conflicted
) -> None:
    window = unlocked_window
    view = open_conflicts(qtbot, window)
    assert HERE in texts_on_screen(view)
    with qtbot.waitSignal(ui_session.sig_locked, timeout=30_000):
        window.action_lock.trigger()
    assert view.model.rowCount() == 0
    shown = " ".join(texts_on_screen(view))
    for text in (HERE, THERE, conflicted.programme_id):
        assert text not in shown
    assert not view.keep_mine_button.isEnabled()
