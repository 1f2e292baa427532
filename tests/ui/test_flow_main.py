"""The main flow through the window: a person's first weeks, found by search, then erased."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from screens_kit import settle, texts
from shell_kit import PASSPHRASE, FakeClock

from linksdesk.core.vocab import (
    ContactKind,
    ContactStatus,
    MeasureKind,
    OnwardKind,
    OnwardStatus,
    ResourceCapacity,
)
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.erasure import ErasureDialog
from linksdesk.ui.dialogs.goal import GoalDialog
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.dialogs.onward import OnwardDialog
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.dialogs.resource import ResourceDialog
from linksdesk.ui.main_window import MainWindow
from linksdesk.ui.unlock import UnlockOptions

pytestmark = pytest.mark.gui


def search(qtbot: Any, window: MainWindow, text: str) -> list[Any]:
    palette = window.search_palette
    palette.edit.setText(text)
    palette.search_now()
    qtbot.waitUntil(lambda: palette.status.text() not in ("Searching…", "Type to search."))
    return [palette.model.hit_at(r).hit for r in range(palette.model.rowCount())]


def test_main_flow_from_new_person_to_erasure_and_auto_lock(
    qtbot: Any,
    ui_session: Any,
    made_vault: Path,
    monkeypatch: Any,
    clock: FakeClock,
) -> None:
    session = ui_session
    window = MainWindow(session, UnlockOptions(made_vault))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(session.sig_unlocked, timeout=20_000):
        session.unlock(made_vault, PASSPHRASE)
    settle(qtbot, session)
    record = window.participant_view

    # add a participant
    monkeypatch.setattr(
        ParticipantDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, existing=None: {
                "given_name": "Morag",
                "family_name": "Quillfeather",
                "referred_on": dt.date.today(),
            }
        ),
    )
    with qtbot.waitSignal(record.sig_loaded, timeout=20_000):
        window.action_new_participant.trigger()
    pid = record.participant_id
    assert pid and window.current_view_key() == "record"
    programme_id = record.pid_label.text()

    # a contact, then a note about it
    monkeypatch.setattr(
        ContactDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, schedule=False, prefill=None: {
                "kind": ContactKind.APPOINTMENT,
                "status": ContactStatus.ATTENDED,
                "at": dt.datetime.now().replace(second=0, microsecond=0),
                "minutes": 45,
                "venue": "Craigbank Library",
                "purpose": "First meeting",
            }
        ),
    )
    window.action_new_contact.trigger()
    settle(qtbot, session)
    window.action_new_note.trigger()
    editor = record.timeline.editor
    editor.contact_box.setCurrentIndex(1)
    editor.text_edit.setPlainText("Keen on gardening; the allotment came up twice.")
    editor.save_button.click()
    settle(qtbot, session)
    assert sorted(i.kind for i in record.timeline.model.rows()) == ["contact", "note"]

    # a goal with steps
    monkeypatch.setattr(
        GoalDialog,
        "ask",
        classmethod(
            lambda cls, parent=None: {
                "title": "Get an allotment plot",
                "why_it_matters": None,
                "review_on": None,
                "progress": 1,
                "steps": ["Ask the society about the waiting list", "Visit the open day"],
            }
        ),
    )
    record.goals.set_goal()
    settle(qtbot, session)
    assert record.goals.steps_model.rowCount() == 2

    # WEMWBS
    monkeypatch.setattr(
        MeasureDialog,
        "ask",
        classmethod(
            lambda cls, parent, kind, context=None, why="": {
                "kind": MeasureKind.WEMWBS,
                "items": [3] * 14,
                "context": context,
                "taken_on": dt.date.today(),
                "assisted": False,
            }
        ),
    )
    record.wellbeing.record()
    settle(qtbot, session)
    assert [r.total for r in record.wellbeing.records] == [42]

    # a resource in the directory, then signposting to it
    window.show_view("resources")
    monkeypatch.setattr(
        ResourceDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, existing=None: {
                "organisation": "Burnside Allotment Society",
                "service": "Starter plots",
                "categories": ("Physical health", "Isolation"),
                "capacity": ResourceCapacity.LIMITED,
            }
        ),
    )
    window.resources_view.add()
    settle(qtbot, session)
    assert texts(window.resources_view.model) == ["Burnside Allotment Society"]
    window.open_participant(pid)
    settle(qtbot, session)
    monkeypatch.setattr(
        OnwardDialog,
        "ask",
        classmethod(
            lambda cls, parent, resources: {
                "resource_id": resources[0].id,
                "kind": OnwardKind.SIGNPOST,
                "status": OnwardStatus.MADE,
            }
        ),
    )
    record.referrals.refer_onward()
    settle(qtbot, session)
    assert record.referrals.onward_model.rowCount() == 1

    # every list knows about them (a page loads when it is shown: issue 15)
    settle(qtbot, session)
    caseload = window.caseload_view
    window.show_view("caseload")
    settle(qtbot, session)
    assert caseload.model.ids() == [pid]
    today = window.today_view
    window.show_view("today")
    settle(qtbot, session)
    assert pid in {r.participant_id for r in today.awaiting_model.rows()}
    window.open_participant(pid)
    settle(qtbot, session)

    # find it all through search
    kinds = {h.kind for h in search(qtbot, window, "allotment")}
    assert {"note", "goal", "resource"} <= kinds
    assert [h.participant_id for h in search(qtbot, window, "Quillfeather")] == [pid]
    window.search_palette.hide()

    # erasure removes the person from every list and from search
    monkeypatch.setattr(
        ErasureDialog, "ask", classmethod(lambda cls, parent, p_id, counts: p_id == programme_id)
    )
    with qtbot.waitSignal(record.sig_erased, timeout=30_000):
        record.profile.erase_button.click()
    settle(qtbot, session)
    assert window.current_view_key() == "caseload"
    assert caseload.model.ids() == []
    assert pid not in {r.participant_id for r in today.awaiting_model.rows()}
    assert all(
        pid not in {getattr(r, "participant_id", None) for r in m.rows()} for m in today.models
    )
    assert search(qtbot, window, "Quillfeather") == []
    assert {h.kind for h in search(qtbot, window, "allotment")} == {"resource"}
    window.search_palette.hide()

    # the auto-lock clears every view
    window.show_view("resources")
    assert window.resources_view.model.rowCount() == 1
    with qtbot.waitSignal(session.sig_locked, timeout=20_000):
        clock.advance(session.settings.auto_lock_minutes * 60 + 1)
    assert window.resources_view.model.rowCount() == 0
    assert caseload.model.rowCount() == 0
    assert all(m.rowCount() == 0 for m in today.models)
    assert window.diary_view.model.rowCount() == 0
    assert record.participant_id is None and record.timeline.model.rowCount() == 0
    assert window.search_palette.model.rowCount() == 0
    settle(qtbot, session)
