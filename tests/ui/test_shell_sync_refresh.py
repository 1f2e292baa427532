"""A sync tells the pages exactly what it brought: only the pages showing it reload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from screens_kit import settle
from shell_kit import PASSPHRASE, SyncServer, on_db_thread, on_net
from test_screen_lazy_refresh import count_loads

from linksdesk.casework import consent, contacts, participants, resources
from linksdesk.casework.casebook import Casebook
from linksdesk.core.changes import Changes
from linksdesk.core.vocab import ConsentScope, ContactKind
from linksdesk.server import admin
from linksdesk.sync import client as sync_client
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def sync_here(qtbot: Any, window: Any, session: UiSession) -> list[Changes]:
    heard: list[Changes] = []
    session.sig_changed.connect(heard.append)
    try:
        with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
            assert window.sync.sync_now()
        settle(qtbot, session)
    finally:
        session.sig_changed.disconnect(heard.append)
    return heard


def test_a_pulled_resource_reloads_the_directory_only_and_a_pulled_booking_the_diary(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, sync_server: SyncServer, tmp_path: Path
) -> None:
    window = unlocked_window
    cb = ui_session.require_casebook()
    on_net(qtbot, ui_session, sync_client.enrol, cb, sync_server.url, sync_server.code)
    sync_here(qtbot, window, ui_session)
    for key in ("diary", "caseload", "resources"):  # each page loaded once, Resources shown
        window.show_view(key)
        settle(qtbot, ui_session)
    loads = count_loads(window)

    # the worker's other laptop adds a resource to the team's directory
    other, _key = Casebook.create(tmp_path / "other.vault", PASSPHRASE)
    try:
        code = admin.make_enrol_code(sync_server.db, sync_server.worker).code
        sync_client.enrol(other, sync_server.url, code, label="other laptop")
        resources.add_resource(other, organisation="Kettle Café", service="Lunch club")
        sync_client.sync_once(other)

        heard = sync_here(qtbot, window, ui_session)
        assert len(heard) == 1
        assert "resource" in heard[0].entities  # the real changes, not an empty Changes()
        assert not heard[0].entities & {"participant", "contact"}
        assert loads["resources"] == 1  # shown and touched: reloaded
        assert [r.resource.service for r in window.resources_view.model.rows()] == ["Lunch club"]
        assert loads["diary"] == 0 and not window.diary_view.load_pending
        assert loads["caseload"] == 0 and not window.caseload_view.load_pending

        # then a shared participant with a booking this week: the Diary (hidden) is due
        person = participants.create_participant(
            other, given_name="Isla", family_name="Pulledweek"
        ).value
        consent.record_consent(other, person.id, ConsentScope.TEAM, True)
        monday = window.diary_view.start
        contacts.schedule_contact(
            other,
            person.id,
            kind=ContactKind.APPOINTMENT,
            at=dt.datetime.combine(monday, dt.time(11, 0)),
        )
        sync_client.sync_once(other)
    finally:
        other.lock()

    heard = sync_here(qtbot, window, ui_session)
    assert len(heard) == 1
    assert {"participant", "contact"} <= heard[0].entities
    assert heard[0].participants == {person.id}
    assert loads["resources"] == 1  # shown, but the sync brought no resource: not reloaded
    assert window.diary_view.load_pending and loads["diary"] == 0  # hidden: when shown
    window.show_view("diary")
    settle(qtbot, ui_session)
    assert loads["diary"] == 1
    assert [e.participant_id for e in window.diary_view.model.rows()] == [person.id]
    names = on_db_thread(qtbot, ui_session, lambda: participants.get_participant(cb, person.id))
    assert names.given_name == "Isla"
