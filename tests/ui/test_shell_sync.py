"""Sync in the window: enrol with a code, sync now, the status bar says how it went."""

from __future__ import annotations

from typing import Any

import pytest
from shell_kit import SyncServer, call_casework
from sqlalchemy import select

from linksdesk.casework import consent, participants
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.models import Device, Record
from linksdesk.sync import client as sync_client
from linksdesk.ui import sync_ui
from linksdesk.ui.session import UiSession
from linksdesk.ui.sync_ui import EnrolDialog

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def code_is_theirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked whose the code is (test_enrol_whose.py), the person says Yes."""
    monkeypatch.setattr(sync_ui.kit, "ask_yes_no", lambda *_a: True)


def test_enrol_then_sync_now_and_the_status_bar_follows(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, sync_server: SyncServer
) -> None:
    window = unlocked_window
    assert not window.sync_label.isVisible()  # not enrolled: nothing about sync in the bar
    assert not window.action_sync_now.isVisible()

    window.action_enrol.trigger()
    dialog = window.findChild(EnrolDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.server.setText(sync_server.url)
    dialog.code.setText("WRONG-CODE-0000")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=20_000)
    assert "not accepted" in dialog.message.text()
    assert dialog.code.selectedText() == "WRONG-CODE-0000"

    dialog.code.setText(sync_server.code)
    dialog.label.setText("Library laptop")
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        dialog.ok_button.click()  # enrolling starts the first sync
    with sync_server.db.reading() as s:  # the name given reaches the server's device list
        assert s.scalars(select(Device.label)).all() == ["Library laptop"]
    qtbot.waitUntil(lambda: "Synced" in window.sync_label.text(), timeout=10_000)
    assert window.sync_label.isVisible()
    assert window.action_sync_now.isVisible()

    person = call_casework(
        qtbot, ui_session, participants.create_participant, given_name="Iona", family_name="Sync"
    ).value
    # only people who agreed to share with the team leave the laptop
    call_casework(qtbot, ui_session, consent.record_consent, person.id, ConsentScope.TEAM, True)
    with qtbot.waitSignal(window.sync.sig_status, timeout=10_000):
        window.sync.refresh_status()
    assert window.sync.status.waiting >= 1
    assert "waiting to send" in window.sync_label.text()

    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        window.action_sync_now.trigger()
    qtbot.waitUntil(
        lambda: window.sync.status is not None and window.sync.status.waiting == 0, timeout=10_000
    )
    assert "waiting" not in window.sync_label.text()

    # the server goes away: a plain message, and the bar says offline
    sync_server.stop()
    with qtbot.waitSignal(window.sync.sig_failed, timeout=60_000):
        window.action_sync_now.trigger()
    qtbot.waitUntil(lambda: "Offline" in window.sync_label.text(), timeout=10_000)
    assert window.statusBar().currentMessage()
    assert window.crash_dialog is None


def test_locking_during_a_sync_waits_for_it_and_locks(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, sync_server: SyncServer
) -> None:
    window = unlocked_window
    cb = ui_session.require_casebook()
    ui_session.net.submit(sync_client.enrol, cb, sync_server.url, sync_server.code)
    qtbot.waitUntil(lambda: not ui_session.net.busy, timeout=20_000)
    window.sync.sync_now()
    with qtbot.waitSignal(ui_session.sig_closed, timeout=90_000):
        window.action_lock.trigger()
    assert cb.is_locked
    assert not window.sync.running


def test_a_revoked_laptop_is_offered_enrolment_at_once_and_sends_its_work_as_a_new_laptop(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, sync_server: SyncServer
) -> None:
    """Reported lost, revoked, found again with a participant not yet sent: the refused
    sync opens the enrolment at once, and the administrator's new code enrols the laptop
    as a new one with the vault still open (no locking and unlocking in between)."""
    from linksdesk.server import admin

    window = unlocked_window
    cb = ui_session.require_casebook()
    ui_session.net.submit(sync_client.enrol, cb, sync_server.url, sync_server.code)
    qtbot.waitUntil(lambda: not ui_session.net.busy, timeout=20_000)
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        window.sync.sync_now()
    lost = cb.device_id
    person = call_casework(
        qtbot, ui_session, participants.create_participant, given_name="Wren", family_name="Lost"
    ).value
    call_casework(qtbot, ui_session, consent.record_consent, person.id, ConsentScope.TEAM, True)
    admin.revoke_device(sync_server.db, lost)

    with qtbot.waitSignal(window.sync.sig_failed, timeout=30_000):
        window.action_sync_now.trigger()
    dialog = window.findChild(EnrolDialog)
    assert dialog is not None and dialog.isVisible()
    assert "no longer enrolled" in dialog.message.text()
    assert dialog.server.text() == sync_server.url  # only the new code is left to type
    dialog.code.setText(admin.make_enrol_code(sync_server.db, sync_server.worker).code)
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        dialog.ok_button.click()  # enrolling starts the sync that sends the waiting work

    assert ui_session.require_casebook() is cb and cb.device_id != lost
    with sync_server.db.reading() as s:
        devices = {d.id: d for d in s.scalars(select(Device))}
        sent = s.scalars(select(Record.row_id).where(Record.table_name == "participant")).all()
    assert devices[lost].revoked_ms is not None
    assert devices[cb.device_id].revoked_ms is None
    assert person.id in sent


def test_set_up_sync_asked_again_shows_the_dialog_already_open(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """A second Set up sync… (or a refused sync offering it) while the first is open brings
    that one forward with what was typed in it, and leaves no second dialog behind."""
    window = unlocked_window
    window.action_enrol.trigger()
    first = window.findChild(EnrolDialog)
    assert first is not None and first.isVisible()
    first.code.setText("ABCD-EFGH")
    window.action_enrol.trigger()
    again = EnrolDialog(window.sync, window).opened(why="This laptop is no longer enrolled.")
    assert again is first
    assert window.findChildren(EnrolDialog) == [first]
    assert first.code.text() == "ABCD-EFGH" and not first.message.text()
    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        window.lock()
    assert not first.isVisible()
