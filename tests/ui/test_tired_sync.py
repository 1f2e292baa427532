"""Sync from the window when the server answers nonsense (a Wi-Fi sign-in page)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from shell_kit import SyncServer, call_casework

from linksdesk.casework import consent, participants
from linksdesk.core.vocab import ConsentScope
from linksdesk.sync import client as sync_client
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

PORTAL = b"<html><body><h1>Welcome to Craigbank Library Wi-Fi</h1>Sign in</body></html>"


class _Portal(BaseHTTPRequestHandler):
    """What a library's Wi-Fi answers every request with until the laptop signs in."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(PORTAL)))
        self.end_headers()
        self.wfile.write(PORTAL)

    do_GET = do_POST = _answer

    def log_message(self, *_args: Any) -> None:  # nothing on the test's output
        return


@pytest.fixture
def enrolled_window(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, tmp_path: Path
) -> Iterator[tuple[Any, int]]:
    """The window of a laptop enrolled with a real server, one consented person waiting to
    be sent; the server is gone again (its port is yielded)."""
    server = SyncServer(tmp_path)
    server.start()
    try:
        cb = ui_session.require_casebook()
        ui_session.net.submit(sync_client.enrol, cb, server.url, server.code)
        qtbot.waitUntil(lambda: not ui_session.net.busy, timeout=20_000)
        who = call_casework(
            qtbot,
            ui_session,
            participants.create_participant,
            given_name="Iona",
            family_name="Sync",
        ).value
        call_casework(qtbot, ui_session, consent.record_consent, who.id, ConsentScope.TEAM, True)
        with qtbot.waitSignal(unlocked_window.sync.sig_status, timeout=10_000):
            unlocked_window.sync.refresh_status()
    finally:
        server.close()
    yield unlocked_window, server.port


def test_a_wifi_sign_in_page_instead_of_the_server_says_where_to_look_and_loses_nothing(
    qtbot: Any, enrolled_window: tuple[Any, int]
) -> None:
    window, port = enrolled_window
    waiting = window.sync.status.waiting
    assert waiting >= 1
    portal = ThreadingHTTPServer(("127.0.0.1", port), _Portal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    try:
        with qtbot.waitSignal(window.sync.sig_failed, timeout=60_000):
            window.action_sync_now.trigger()
    finally:
        portal.shutdown()
        portal.server_close()
    message = window.statusBar().currentMessage()
    assert "not understood" in message and "saved on this laptop" in message
    # the advice points at a place the window really has: File › Set up sync again…
    file_menu = window.menuBar().actions()[0].menu()
    places = [a.text().replace("&", "") for a in file_menu.actions() if a.isVisible()]
    assert "Set up sync again…" in places
    assert "Set up sync again…" in message
    assert "Settings" not in message  # Settings has no server address
    assert window.crash_dialog is None
    # nothing lost, and the window can sync again
    with qtbot.waitSignal(window.sync.sig_status, timeout=10_000):
        window.sync.refresh_status()
    assert window.sync.status.waiting == waiting
    assert window.action_sync_now.isEnabled()
