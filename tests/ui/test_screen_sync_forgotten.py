"""The Sync page: a record recorded as the same person as a participant forgotten since (the
two laptops did not know of each other's step) is listed under Needs attention with what to
do; Not the same person after all… there makes it a person of its own, erasing nothing."""

from __future__ import annotations

from typing import Any

import pytest
from shell_kit import call_casework, on_db_thread

from linksdesk.casework import erasure, participants
from linksdesk.storage.tables import Participant
from linksdesk.sync import same_person
from linksdesk.ui.session import UiSession
from linksdesk.ui.views import sync_history
from linksdesk.ui.views.sync_history import SyncView

pytestmark = pytest.mark.gui


def _kept_after_erasure(qtbot: Any, session: UiSession) -> tuple[str, str]:
    """A record whose mark names a participant erased here since (as a sync leaves it when
    the mark and the erasure were made on different laptops): its id and programme id."""
    gone = call_casework(
        qtbot, session, participants.create_participant, given_name="Ilse", family_name="Gone"
    ).value
    kept = call_casework(
        qtbot, session, participants.create_participant, given_name="Ilse", family_name="Gone"
    ).value
    call_casework(qtbot, session, erasure.erase_participant, gone.id)
    cb = session.require_casebook()

    def mark_and_tell() -> tuple[str, ...]:
        with cb.store.write() as tx:
            row = tx.session.get(Participant, kept.id)
            tx.update_together(row, {"merged_into_id": gone.id, "merged_on": row.created_on})
            return same_person.tell_forgotten(tx.session)

    assert on_db_thread(qtbot, session, mark_and_tell) == (kept.programme_id,)
    return kept.id, kept.programme_id


def test_a_record_of_a_person_forgotten_is_listed_and_made_a_person_of_its_own(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = unlocked_window
    view: SyncView = window.sync_view
    kept, code = _kept_after_erasure(qtbot, ui_session)
    window.go_actions["sync"].trigger()
    view.refresh()
    qtbot.waitUntil(lambda: view.attention_model.rowCount() == 1, timeout=20_000)
    reason = view.attention_proxy.index(0, 2).data()
    assert code in reason and "forgotten" in reason and "Forget this participant" in reason
    assert "Ilse" not in reason
    assert not view.separate_button.isVisibleTo(window)  # nothing selected yet
    view.attention_table.selectRow(0)
    assert view.separate_button.isVisibleTo(window) and view.separate_button.isEnabled()
    assert view.separate_button.accessibleName()

    asked: list[str] = []
    monkeypatch.setattr(sync_history, "ask_yes_no", lambda _p, _t, text: asked.append(text))
    view.separate_button.click()  # No: nothing changes
    assert asked and "Nothing is erased" in asked[0]
    cb = ui_session.require_casebook()

    def mark() -> Any:
        with cb.store.read() as s:
            row = s.get(Participant, kept)
            return None if row is None else row.merged_into_id

    assert on_db_thread(qtbot, ui_session, mark) is not None
    monkeypatch.setattr(sync_history, "ask_yes_no", lambda *_a: True)
    view.separate_button.click()
    qtbot.waitUntil(lambda: view.attention_model.rowCount() == 0, timeout=20_000)
    assert on_db_thread(qtbot, ui_session, mark) is None, "the record is not its own"
    assert not view.separate_button.isVisibleTo(window)
    with cb.store.read() as s:
        assert s.get(Participant, kept) is not None, "the record was erased"
