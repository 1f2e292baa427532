"""A case note being typed when a sync hands the case over to a colleague (through a real
server on 127.0.0.1): the words are never lost, and the worker is offered them to copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from day_kit import finished, on_modal
from screens_kit import person, settle, unlock_again
from shell_kit import FakeClock, SyncServer, call_casework
from test_tired_kept_dialogs import goal_typed_then_locked
from test_tired_kept_forms import kept_keys
from test_tired_kept_handed_over import shown_and_copied

from linksdesk.casework import consent
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import admin
from linksdesk.sync import client as sync_client
from linksdesk.ui.dialogs.kept_text import KeptTextDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

WORDS = "Talked about the lunch club; she would like to try the Tuesday one"


@pytest.fixture
def synced_record(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, tmp_path: Path
) -> Iterator[tuple[Any, SyncServer, str, str]]:
    """Laptop A's window, enrolled and synced, with a consented person's record open on the
    Timeline; the server, the person's id and a colleague's worker id."""
    window = unlocked_window
    server = SyncServer(tmp_path)
    server.start()
    try:
        colleague = admin.add_worker(server.db, "team-shell-test", "colleague-shell-test")
        cb = ui_session.require_casebook()
        ui_session.net.submit(sync_client.enrol, cb, server.url, server.code)
        qtbot.waitUntil(lambda: not ui_session.net.busy, timeout=20_000)
        who = person(qtbot, ui_session)
        call_casework(qtbot, ui_session, consent.record_consent, who.id, ConsentScope.TEAM, True)
        with qtbot.waitSignal(window.sync.sig_finished, timeout=60_000):
            assert window.sync.sync_now()
        view = window.participant_view
        with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
            window.open_participant(who.id)
        view.tabs.setCurrentWidget(view.timeline)
        yield window, server, who.id, colleague
    finally:
        server.close()


def typing_when_handed_over(
    qtbot: Any,
    window: Any,
    ui_session: UiSession,
    server: SyncServer,
    pid: str,
    to: str,
    *,
    keep_read_only: bool,
) -> None:
    """The worker types a case note; the case is handed over on the server; the sync lands."""
    editor = window.participant_view.timeline.editor
    editor.start_new()
    qtbot.keyClicks(editor.text_edit, WORDS)
    admin.handover(server.db, pid, to, keep_read_only=keep_read_only)
    with qtbot.waitSignal(window.sync.sig_finished, timeout=60_000):
        assert window.sync.sync_now()
    settle(qtbot, ui_session)


@pytest.mark.parametrize("keep_read_only", [True, False], ids=["kept-read-only", "taken-away"])
def test_a_case_note_being_typed_when_the_case_is_handed_over_is_kept_and_offered_to_copy(
    qtbot: Any,
    synced_record: tuple[Any, SyncServer, str, str],
    ui_session: UiSession,
    keep_read_only: bool,
) -> None:
    window, server, pid, colleague = synced_record
    typing_when_handed_over(
        qtbot, window, ui_session, server, pid, colleague, keep_read_only=keep_read_only
    )
    if not keep_read_only:  # the sync says what went, in words
        said = window.statusBar().currentMessage()
        assert "1 case handed to a colleague was removed from this laptop." in said, said
    # the words are kept in the vault (they survive a lock or closing the window)...
    qtbot.waitUntil(
        lambda: any(k.startswith(f"note/{pid}/") for k in ui_session.drafts.pending),
        timeout=20_000,
    )
    (key,) = [k for k in ui_session.drafts.pending if k.startswith(f"note/{pid}/")]
    assert WORDS in ui_session.drafts.pending[key]
    # ...and the worker is told, in plain words, with the way to them
    said = window.participant_view.message.text()
    assert "handed over" in said and "kept for you" in said, said
    editor = window.participant_view.timeline.editor
    assert WORDS not in editor.text_edit.toPlainText()  # in one place: kept, to copy
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert "handed over" in bar.said() and "case note" in bar.said().lower()

    seen = shown_and_copied(qtbot, bar, key)
    assert WORDS in seen["shown"] and WORDS in seen["copied"]
    settle(qtbot, ui_session)
    assert key in ui_session.drafts.pending  # closing the dialog keeps them
    # in the vault: a lock, the next sync and an unlock later, they are still there
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_lock.trigger()
    unlock_again(qtbot, window, ui_session)
    # a case no longer here is not opened again after the unlock ("could not be found")
    assert "could not be found" not in window.participant_view.message.text()
    with qtbot.waitSignal(window.sync.sig_finished, timeout=60_000):
        assert window.sync.sync_now()
    settle(qtbot, ui_session)
    assert WORDS in ui_session.drafts.pending.get(key, "")
    qtbot.waitUntil(lambda: "handed over" in bar.said(), timeout=20_000)


def test_a_goal_kept_at_a_lock_stays_when_the_sync_hands_the_case_away_from_this_laptop(
    qtbot: Any,
    synced_record: tuple[Any, SyncServer, str, str],
    ui_session: UiSession,
    clock: FakeClock,
) -> None:
    """The sync that removes a case handed to a colleague took the worker's kept words
    with it: they stay, named in the bar, to copy and discard."""
    window, server, pid, colleague = synced_record
    view = window.participant_view
    view.tabs.setCurrentWidget(view.goals)
    key = goal_typed_then_locked(
        qtbot, window, ui_session, clock, "Go to the lunch club on Tuesdays"
    )

    admin.handover(server.db, pid, colleague, keep_read_only=False)
    with qtbot.waitSignal(window.sync.sig_finished, timeout=60_000):
        assert window.sync.sync_now()
    settle(qtbot, ui_session)
    assert kept_keys(qtbot, ui_session) == [key]  # the purge left the worker's words
    bar = window.kept_drafts
    qtbot.waitUntil(lambda: "no longer on this laptop" in bar.said(), timeout=20_000)
    assert "Set a goal" in bar.said()

    seen: dict[str, Any] = {}

    def looked(dialog: KeptTextDialog) -> None:
        seen["shown"] = dialog.text_view.toPlainText()
        dialog.keep_button.click()

    state = on_modal(looked, kind=KeptTextDialog)
    bar.label.linkActivated.emit(key)
    finished(qtbot, state)
    assert "Go to the lunch club on Tuesdays" in seen["shown"]


def test_a_case_note_being_typed_when_the_other_laptop_withdraws_team_sharing_is_kept(
    qtbot: Any,
    synced_record: tuple[Any, SyncServer, str, str],
    ui_session: UiSession,
    tmp_path: Path,
) -> None:
    """A person recorded on the worker's other laptop withdraws sharing with the team, there:
    this laptop keeps nothing of them that came from elsewhere (rule 7), but the words the
    worker was typing about them here are theirs, kept to copy, and told so."""
    from linksdesk.casework import participants
    from linksdesk.casework.casebook import Casebook

    window, server, _pid, _colleague = synced_record
    other, _key = Casebook.create(tmp_path / "other.vault", "correct horse battery staple")
    try:
        code = admin.make_enrol_code(server.db, server.worker).code
        sync_client.enrol(other, server.url, code, label="other laptop")
        theirs = participants.create_participant(
            other, given_name="Isla", family_name="Otherlaptop"
        ).value.id
        consent.record_consent(other, theirs, ConsentScope.TEAM, True)
        sync_client.sync_once(other)
        with qtbot.waitSignal(window.sync.sig_finished, timeout=60_000):
            assert window.sync.sync_now()
        view = window.participant_view
        with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
            window.open_participant(theirs)
        view.tabs.setCurrentWidget(view.timeline)
        view.timeline.editor.start_new()
        qtbot.keyClicks(view.timeline.editor.text_edit, WORDS)
        consent.record_consent(other, theirs, ConsentScope.TEAM, False)
        sync_client.sync_once(other)
    finally:
        other.lock()
    with qtbot.waitSignal(window.sync.sig_finished, timeout=60_000):
        assert window.sync.sync_now()
    settle(qtbot, ui_session)
    status = window.statusBar().currentMessage()
    assert "Sharing with the team was withdrawn on your other laptop for 1 participant" in status
    qtbot.waitUntil(
        lambda: any(WORDS in t for t in ui_session.drafts.pending.values()), timeout=20_000
    )
    said = view.message.text()
    assert "sharing with the team was withdrawn" in said and "kept for you" in said, said
    assert view.participant_id is None  # the record left this laptop
    bar = window.kept_drafts
    qtbot.waitUntil(lambda: "no longer on this laptop" in bar.said(), timeout=20_000)
