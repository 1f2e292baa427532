"""The DB thread is the vault's only writer, even while a long sync pulls page after page."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from shell_kit import PASSPHRASE, SyncServer, call_casework, on_db_thread
from sqlalchemy import text

from linksdesk.casework import consent, notes, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage.writer import OffWriterThreadError
from linksdesk.sync import client as sync_client
from linksdesk.ui.session import UiSession
from linksdesk.ui.sync_ui import SyncController

pytestmark = pytest.mark.gui

PEOPLE = 40  # each with a team consent and two notes: ~160 changes, 8 pages of 20


def _other_laptop_shares(tmp_path: Path, server: SyncServer, people: int = PEOPLE) -> None:
    """The same worker's other laptop records a caseload and sends it to the server."""
    from linksdesk.server import admin

    cb, _key = Casebook.create(tmp_path / "other.vault", PASSPHRASE)
    try:
        sync_client.enrol(cb, server.url, admin.make_enrol_code(server.db, server.worker).code)
        for i in range(people):
            person = participants.create_participant(
                cb, given_name=f"Synthetic{i}", family_name="Pagewise"
            ).value
            consent.record_consent(cb, person.id, ConsentScope.TEAM, True)
            notes.write_note(cb, person.id, f"First synthetic note {i}.")
            notes.write_note(cb, person.id, f"Second synthetic note {i}.")
        assert sync_client.sync_once(cb).pushed >= people * 4
    finally:
        cb.lock()


def test_saving_notes_while_a_long_pull_applies_pages_never_meets_a_locked_vault(
    qtbot: Any,
    unlocked: UiSession,
    sync_server: SyncServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = unlocked
    _other_laptop_shares(tmp_path, sync_server)
    cb = session.require_casebook()
    on_db_thread(qtbot, session, sync_client.enrol, cb, sync_server.url, sync_server.code)
    mine = call_casework(
        qtbot, session, participants.create_participant, given_name="Iona", family_name="Typing"
    ).value

    # small pages, so the pull hands many transactions to the DB thread one after another
    pages: list[int] = []

    def paged_sync(target: Any, **kwargs: Any) -> Any:
        def seen(name: str) -> None:
            if name == "pull:before-commit":
                pages.append(threading.get_ident())

        client = sync_client.SyncClient(target, page_size=20, checkpoint=seen)
        return client.sync(**kwargs)

    monkeypatch.setattr(sync_client, "sync_once", paged_sync)
    sync = SyncController(session)
    reports: list[Any] = []
    failures: list[BaseException] = []
    sync.sig_finished.connect(reports.append)
    sync.sig_failed.connect(failures.append)
    session.runner.sig_unhandled.connect(failures.append)

    saved: list[str] = []
    save_errors: list[BaseException] = []
    assert sync.sync_now()
    # the worker keeps saving notes through the DB thread for as long as the sync runs, one
    # after another (each once the last is saved: on a loaded machine, saves queued every
    # 15 ms piled up beyond the wait below)
    queued = 0
    while sync.running:
        if queued == len(saved) + len(save_errors):
            queued += 1
            session.call(
                notes.write_note,
                mine.id,
                f"Written while syncing {queued}.",
                on_done=lambda out: saved.append(out.value.id),
                on_error=save_errors.append,
            )
        qtbot.wait(15)
    qtbot.waitUntil(lambda: not session.runner.busy, timeout=20_000)

    assert not failures, [type(e).__name__ for e in failures]
    assert not save_errors, [str(e) for e in save_errors]
    assert len(reports) == 1
    assert reports[0].pulled >= PEOPLE * 4
    assert len(pages) >= 8  # the pull really came in many pages
    # every page was written on the DB thread, none on the network thread
    assert set(pages) == {session.runner._thread.ident}  # type: ignore[union-attr]
    assert saved, "no note was saved while the sync ran"
    people = call_casework(qtbot, session, participants.find_participants, "Pagewise", limit=100)
    assert len(people) == PEOPLE
    written = call_casework(qtbot, session, notes.list_notes, mine.id)
    assert {n.id for n in written} == set(saved)


def test_a_vault_write_off_the_db_thread_fails(qtbot: Any, unlocked: UiSession) -> None:
    cb = unlocked.require_casebook()
    with pytest.raises(OffWriterThreadError):
        participants.create_participant(cb, given_name="Off", family_name="Thread")
    with pytest.raises(OffWriterThreadError), cb.store.bookkeeping() as s:
        s.execute(text("DELETE FROM sync_history"))
    # reading from any thread is fine, and the DB thread writes as before
    assert participants.find_participants(cb, "Thread") == []
    person = call_casework(
        qtbot, unlocked, participants.create_participant, given_name="On", family_name="Thread"
    ).value
    assert person.id


def test_a_sync_tells_the_views_exactly_what_it_touched(
    qtbot: Any, unlocked: UiSession, sync_server: SyncServer, tmp_path: Path
) -> None:
    session = unlocked
    _other_laptop_shares(tmp_path, sync_server, people=3)
    cb = session.require_casebook()
    on_db_thread(qtbot, session, sync_client.enrol, cb, sync_server.url, sync_server.code)
    heard: list[Any] = []
    session.sig_changed.connect(heard.append)
    sync = SyncController(session)
    with qtbot.waitSignal(sync.sig_finished, timeout=60_000) as finished:
        assert sync.sync_now()
    report = finished.args[0]
    pulled = {
        p.id for p in call_casework(qtbot, session, participants.find_participants, "Pagewise")
    }
    assert len(pulled) == 3
    # one announcement naming the tables written and whose records they are, not an
    # empty Changes() that reloads every view
    assert heard == [report.changed]
    changes = report.changed
    assert {"participant", "consent", "note", "note_revision"} <= changes.entities
    assert "resource" not in changes.entities
    assert changes.participants == pulled

    # nothing new on the server: a sync that touches nothing announces nothing
    with qtbot.waitSignal(sync.sig_finished, timeout=60_000):
        assert sync.sync_now()
    assert heard == [report.changed]
