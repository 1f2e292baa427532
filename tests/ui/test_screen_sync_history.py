"""The Sync page: the history of real syncs against a server, and refused changes to dismiss."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from shell_kit import SyncServer, call_casework, on_db_thread, on_net, texts_on_screen
from test_screen_conflicts import shoot, sync_here

from linksdesk.casework import consent, participants
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage.tables import SyncAttention
from linksdesk.sync import client as sync_client
from linksdesk.sync.status import SyncStatus
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.sync_history import SyncPageData, SyncView

pytestmark = pytest.mark.gui

REASON = "The server refused this change: the record belongs to another team."


def refused_change(qtbot: Any, session: UiSession) -> str:
    """A change the server refused, recorded as the sync client records one."""
    cb = session.require_casebook()
    change_id = uuid7()

    def add() -> None:
        with cb.store.write() as tx:
            tx.session.add(
                SyncAttention(
                    change_id=change_id,
                    table_name="contact",
                    row_id=uuid7(),
                    reason=REASON,
                    at=dt.datetime(2025, 3, 4, 9, 30),
                )
            )

    on_db_thread(qtbot, session, add)
    return change_id


def test_sync_page_lists_syncs_and_dismisses_refused_changes(
    qtbot: Any,
    qtmodeltester: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    sync_server: SyncServer,
) -> None:
    window = unlocked_window
    view: SyncView = window.sync_view
    window.go_actions["sync"].trigger()
    assert window.current_view_key() == "sync"
    assert window.go_actions["sync"].shortcut().toString() == "Ctrl+6"
    qtbot.waitUntil(lambda: "not set up" in view.status_label.text(), timeout=20_000)
    assert view.history_empty.isVisibleTo(window) and not view.sync_button.isEnabled()

    cb = ui_session.require_casebook()
    on_net(qtbot, ui_session, sync_client.enrol, cb, sync_server.url, sync_server.code)
    person = call_casework(
        qtbot, ui_session, participants.create_participant, given_name="Iona", family_name="Hist"
    ).value
    call_casework(qtbot, ui_session, consent.record_consent, person.id, ConsentScope.TEAM, True)
    first = sync_here(qtbot, window)
    # the page's own button syncs too (once the page and the bar know this laptop is enrolled)
    qtbot.waitUntil(lambda: view.sync_button.isEnabled() and window.sync.enrolled, timeout=20_000)
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        view.sync_button.click()
    sync_server.stop()
    with qtbot.waitSignal(window.sync.sig_failed, timeout=60_000):
        window.sync.sync_now()

    qtbot.waitUntil(lambda: view.history_model.rowCount() == 3, timeout=20_000)
    qtmodeltester.check(view.history_model)
    qtmodeltester.check(view.history_proxy)
    proxy = view.history_proxy
    outcomes = [proxy.index(r, 1).data() for r in range(proxy.rowCount())]
    assert outcomes[0] == "Server not reached"  # newest first
    assert outcomes[1:] == ["Synced", "Synced"] or set(outcomes[1:]) <= {
        "Synced",
        "Synced, check pending",
    }
    oldest = proxy.rowCount() - 1
    assert proxy.index(oldest, 2).data() == str(first.pushed)  # sent
    assert proxy.index(oldest, 3).data() == str(first.pulled)  # received
    assert all(proxy.index(r, 0).data() for r in range(proxy.rowCount()))
    assert sync_server.url in view.status_label.text()
    assert view.history_table.isVisibleTo(window)

    # a refused change: the server's reason is shown; Dismiss removes it
    change_id = refused_change(qtbot, ui_session)
    view.refresh()
    qtbot.waitUntil(lambda: view.attention_model.rowCount() == 1, timeout=20_000)
    qtmodeltester.check(view.attention_model)
    qtmodeltester.check(view.attention_proxy)
    assert view.attention_proxy.index(0, 2).data() == REASON
    assert view.attention_proxy.index(0, 1).data() == "Contact"
    assert "(1)" in view.attention_heading.text()
    assert not view.dismiss_button.isEnabled()  # nothing selected yet
    assert not view.attention_reason.isVisibleTo(window)
    view.attention_table.selectRow(0)
    assert view.dismiss_button.isEnabled()
    # the selected line's reason is shown whole under the list (a long one is cut in it)
    assert view.attention_reason.isVisibleTo(window) and view.attention_reason.text() == REASON
    window.resize(1100, 720)
    shoot(window, "sync.png")
    view.dismiss_button.click()
    qtbot.waitUntil(lambda: view.attention_model.rowCount() == 0, timeout=20_000)
    assert on_db_thread(qtbot, ui_session, sync_client.list_attention, cb) == []
    assert view.attention_empty.isVisibleTo(window)
    assert change_id not in " ".join(texts_on_screen(view))

    for w in (
        view.sync_button,
        view.refresh_button,
        view.dismiss_button,
        view.attention_table,
        view.history_table,
    ):
        assert w.accessibleName()

    # locking drops everything the page showed
    with qtbot.waitSignal(ui_session.sig_locked, timeout=30_000):
        window.action_lock.trigger()
    assert view.history_model.rowCount() == 0 and view.attention_model.rowCount() == 0
    assert sync_server.url not in " ".join(texts_on_screen(view))


def test_one_conflict_and_one_change_are_said_in_the_singular(
    qtbot: Any, unlocked: UiSession
) -> None:
    view = SyncView(unlocked)
    qtbot.addWidget(view)
    status = SyncStatus(True, "https://127.0.0.1:1", False, None, None, None, 1, 1, 0)
    view._show(SyncPageData(status, [], []))
    said = view.status_label.text()
    assert "1 change waiting to be sent" in said and "1 conflict to resolve" in said
    view._show(SyncPageData(SyncStatus(True, "x", False, None, None, None, 2, 3, 0), [], []))
    assert "3 conflicts to resolve" in view.status_label.text()
