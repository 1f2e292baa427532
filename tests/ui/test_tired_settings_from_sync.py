"""The programme changes its figures on the server (the appointment limit, the weeks before
"not seen for"). A worker's laptop syncs and stores them, but the open window went on with
the figures read at unlock: an open record warned against the old appointment limit and
Today listed by the old weeks until the worker locked and unlocked again. Real server on
127.0.0.1, real vault; synthetic people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screens_kit import person, settle
from shell_kit import SyncServer

from linksdesk.server import admin
from linksdesk.sync import client as sync_client
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_programme_figures_a_sync_brings_reach_the_open_window(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    window = unlocked_window
    server = SyncServer(tmp_path)
    server.start()
    try:
        ui_session.net.submit(sync_client.enrol, ui_session.require_casebook(), server.url,
                              server.code)  # fmt: skip
        qtbot.waitUntil(lambda: not ui_session.net.busy, timeout=20_000)
        with qtbot.waitSignal(window.sync.sig_status, timeout=10_000):
            window.sync.refresh_status()  # the window knows it is enrolled
        who = person(qtbot, ui_session)
        view = window.participant_view
        with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
            window.open_participant(who.id)
        assert view.data.appointments.limit == 6 and ui_session.settings.not_seen_weeks == 6

        admin.set_setting(server.db, server.team, "appointment_limit", "3")
        admin.set_setting(server.db, server.team, "not_seen_weeks", "4")
        with qtbot.waitSignal(window.sync.sig_finished, timeout=60_000):
            window.action_sync_now.trigger()
        settle(qtbot, ui_session)
        qtbot.waitUntil(lambda: ui_session.settings.not_seen_weeks == 4, timeout=20_000)
        assert ui_session.settings.appointment_limit == 3
        # the open record reads again under the new limit, without a lock and unlock
        qtbot.waitUntil(lambda: view.data is not None and view.data.appointments.limit == 3,
                        timeout=20_000)  # fmt: skip
    finally:
        server.close()
