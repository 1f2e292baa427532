"""The record puts its own saves in place without reading the whole record again; a change
made anywhere else (another view, a use case run through the session) still reloads it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from screens_kit import goal, person, schedule, settle, texts
from shell_kit import call_casework

from linksdesk.casework import erasure, notes
from linksdesk.casework.record import RecordData, open_record
from linksdesk.core.changes import Changes
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import OutcomeDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.views import participant
from linksdesk.ui.views.participant import ParticipantView

pytestmark = pytest.mark.gui


def count_full_reads(monkeypatch: Any) -> list[str]:
    """Record each whole-record read (``open_record``), still reading for real."""
    reads: list[str] = []

    def counted(cb: Any, pid: str, *, opening: bool = True) -> RecordData:
        reads.append(pid)
        return open_record(cb, pid, opening=opening)

    monkeypatch.setattr(participant, "open_record", counted)
    return reads


def open_view(qtbot: Any, session: UiSession, pid: str) -> ParticipantView:
    view = ParticipantView(session)
    qtbot.addWidget(view)
    session.sig_changed.connect(view.on_changes)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(pid)
    return view


def test_the_records_own_saves_are_put_in_place_without_a_full_reload(
    qtbot: Any, unlocked: UiSession, monkeypatch: Any
) -> None:
    who = person(qtbot, unlocked, "Iona", "Ownsave")
    booked = schedule(qtbot, unlocked, who.id, dt.datetime.now() - dt.timedelta(hours=1))
    aim = goal(qtbot, unlocked, who.id, "Back to the choir", steps=["Ring the choir", "Go once"])
    reads = count_full_reads(monkeypatch)
    view = open_view(qtbot, unlocked, who.id)
    assert reads == [who.id]  # the opening reads the whole record once
    assert view.appointments_label.text() == "Appointments: 1 of 6"  # the booking counts
    heard: list[Changes] = []
    unlocked.sig_changed.connect(heard.append)

    # a case note: in the timeline at once, no second read of the whole record
    editor = view.timeline.editor
    editor.text_edit.setPlainText("Talked about the choir.")
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        editor.save_button.click()
    settle(qtbot, unlocked)
    assert heard[-1].initiator is view and heard[-1].entities >= {"note"}
    assert reads == [who.id]
    assert sorted(i.kind for i in view.timeline.model.rows()) == ["contact", "note"]
    assert editor.text_edit.toPlainText() == ""
    assert view.data is not None and [n.id for n in view.data.notes] == [
        i.id for i in view.timeline.model.rows() if i.kind == "note"
    ]

    # a goal step done: the goals tab shows it, still no full read
    view.goals.goals_table.setCurrentIndex(view.goals.goals_proxy.index(0, 0))
    assert view.goals.goals_model.index(0, 3).data() == "0 of 2"
    view.goals.steps_table.setCurrentIndex(view.goals.steps_proxy.index(0, 0))
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.goals.done_button.click()
    settle(qtbot, unlocked)
    assert reads == [who.id]
    assert view.goals.goals_model.index(0, 3).data() == "1 of 2"
    assert view.data is not None and [g.id for g in view.data.goals] == [aim.id]

    # a contact outcome: the header's figure (appointments used) follows, no full read
    monkeypatch.setattr(
        OutcomeDialog, "ask", classmethod(lambda cls, *a, **k: {"status": ContactStatus.CANCELLED})
    )
    monkeypatch.setattr(view.timeline, "ask_schedule_again", lambda _contact: False)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.timeline.record_outcome(booked)
    settle(qtbot, unlocked)
    assert reads == [who.id]
    assert view.appointments_label.text() == "Appointments: 0 of 6"  # cancelled: not counted
    assert view.data is not None
    [contact] = view.data.contacts
    assert contact.status is ContactStatus.CANCELLED
    item = view.timeline.model.rows()[view.timeline.model.row_of_id(booked.id)]
    assert item.contact is not None and item.contact.status is ContactStatus.CANCELLED
    assert view.status_chip.text() == "Referred"
    # what the record shows is what a fresh read of the whole record shows
    shown = view.data
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.refresh()
    assert view.data == shown


def test_a_change_made_elsewhere_still_reloads_the_whole_record(
    qtbot: Any, unlocked: UiSession, monkeypatch: Any
) -> None:
    who = person(qtbot, unlocked, "Ruaridh", "Elsewhere")
    reads = count_full_reads(monkeypatch)
    view = open_view(qtbot, unlocked, who.id)
    assert reads == [who.id]

    # a use case run through the session (no view asked): the record reads itself again
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        call_casework(qtbot, unlocked, notes.write_note, who.id, "Rang about the bus pass.")
    settle(qtbot, unlocked)
    assert reads == [who.id, who.id]
    assert [i.kind for i in view.timeline.model.rows()] == ["note"]

    # another record view of the same person saves a note: that view puts it in place, this
    # one (not the initiator) reloads
    other = open_view(qtbot, unlocked, who.id)
    assert reads == [who.id] * 3
    other.timeline.editor.text_edit.setPlainText("Met at the library.")
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        other.timeline.editor.save_button.click()
    settle(qtbot, unlocked)
    assert reads == [who.id] * 4  # this view's reload only
    assert texts(view.timeline.model, 0) == texts(other.timeline.model, 0)
    assert len(view.timeline.model.rows()) == 2

    # an erasure of this person made elsewhere closes the record
    call_casework(qtbot, unlocked, erasure.erase_participant, who.id)
    settle(qtbot, unlocked)
    assert view.participant_id is None and view.data is None
    assert view.name_label.text() == "No participant open"


def test_an_outcome_recorded_on_today_reloads_the_open_record(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    today = window.today_view
    who = person(qtbot, ui_session, "Morven", "Todaysave")
    # seen recently, so "not seen for a while" does not list them
    booked = schedule(
        qtbot, ui_session, who.id, dt.datetime.combine(dt.date.today(), dt.time(0, 1))
    )
    reads = count_full_reads(monkeypatch)
    record = window.participant_view
    with qtbot.waitSignal(record.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    assert reads == [who.id]
    window.show_view("today")
    today.refresh()
    settle(qtbot, ui_session)
    assert [e.contact_id for e in today.follow_model.rows()] == [booked.id]

    monkeypatch.setattr(
        OutcomeDialog, "ask", classmethod(lambda cls, *a, **k: {"status": ContactStatus.CANCELLED})
    )
    today.follow_section.table.setCurrentIndex(today.proxies[2].index(0, 0))
    with qtbot.waitSignal(record.sig_loaded, timeout=20_000):
        assert today.record_outcome_selected()
    settle(qtbot, ui_session)
    assert reads == [who.id, who.id]  # Today's change: the record is read again in full
    assert record.data is not None
    assert [c.status for c in record.data.contacts] == [ContactStatus.CANCELLED]
    assert record.appointments_label.text() == "Appointments: 0 of 6"
