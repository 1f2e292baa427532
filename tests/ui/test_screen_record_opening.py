"""The record view audits each opening once, not every reload after a save."""

from __future__ import annotations

from typing import Any

import pytest
from screens_kit import person
from shell_kit import on_db_thread
from sqlalchemy import func, select

from linksdesk.storage.tables import AuditEvent
from linksdesk.ui.views.participant import ParticipantView

pytestmark = pytest.mark.gui


def _views(qtbot: Any, session: Any) -> int:
    cb = session.require_casebook()

    def count() -> int:
        with cb.store.read() as s:
            return int(
                s.scalar(
                    select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")
                )
                or 0
            )

    return int(on_db_thread(qtbot, session, count))


def test_saving_notes_reloads_the_record_without_auditing_a_new_view(
    qtbot: Any, unlocked: Any
) -> None:
    ailsa = person(qtbot, unlocked)
    view = ParticipantView(unlocked)
    qtbot.addWidget(view)
    unlocked.sig_changed.connect(view.on_changes)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(ailsa.id)
    assert _views(qtbot, unlocked) == 1

    editor = view.timeline.editor
    for text in ("Talked about the lunch club.", "Rang back about the walking group."):
        editor.text_edit.setPlainText(text)
        with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
            editor.save_button.click()  # the save's Changes reload the record
    assert len(view.timeline.model.rows()) == 2
    assert _views(qtbot, unlocked) == 1

    # opened again (another person, then back): a new opening, a new event
    other = person(qtbot, unlocked, "Bram", "Testington")
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(other.id)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(ailsa.id)
    assert _views(qtbot, unlocked) == 3
