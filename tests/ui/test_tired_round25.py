"""Round 25 of the tired worker: the end of a long day, through the window as a person uses it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from day_kit import contact_menu, finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from screens_kit import person, schedule, settle
from shell_kit import call_casework

from linksdesk.casework import contacts, participants
from linksdesk.core.vocab import ContactStatus, ParticipantStatus
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.participant import StatusDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui
S = ParticipantStatus


def _status_changed(
    qtbot: Any, view: Any, session: UiSession, pid: str, fill: Callable[[Any], None]
) -> Any:
    """Change status… clicked on the Profile tab, the dialog filled by ``fill``: the person
    as the vault has them after."""
    state = on_modal(fill, kind=StatusDialog)
    qtbot.mouseClick(view.profile.status_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, session)
    return call_casework(qtbot, session, participants.get_participant, pid)


def test_closing_a_case_with_an_appointment_still_booked_asks_first(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Closed ("Goals met") on a Friday with Thursday's appointment forgotten: the booking
    stayed booked in the Diary and Today for a closed case, and once its day passed sat in
    Outcomes to record; nothing said so when the case was closed."""
    who = person(qtbot, ui_session)
    at = (dt.datetime.now() + dt.timedelta(days=2)).replace(hour=10, minute=0, second=0)
    schedule(qtbot, ui_session, who.id, at.replace(microsecond=0), venue="Craigbank Library")
    view = unlocked_window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        unlocked_window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.profile)
    asked: list[str] = []

    def ok_answered(dialog: StatusDialog, key: Qt.Key) -> None:
        box = on_modal(lambda b: asked.append(b.text()) or qtbot.keyClick(b, key), kind=QMessageBox)
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
        finished(qtbot, box)

    def close(dialog: StatusDialog) -> None:
        dialog.set_values({"to_status": S.CLOSED, "reason": "Goals met"})
        ok_answered(dialog, Qt.Key.Key_Return)  # No, the default: back to the dialog
        assert dialog.isVisible() and dialog.values()["reason"] == "Goals met"
        ok_answered(dialog, Qt.Key.Key_Y)

    now = _status_changed(qtbot, view, ui_session, who.id, close)
    assert len(asked) == 2 and "still booked" in asked[0]
    assert now.status is S.CLOSED  # Yes: closed as the worker chose, with the reason typed
    assert now.status_reason == "Goals met"


def test_closing_with_no_reason_is_said_in_the_dialog_and_the_reason_typed_then_saves(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Closed chosen and Enter pressed, no reason: the dialog's "Say why the record is being
    closed." never showed (the status box gives back text, not the status it was compared
    with), the dialog shut and the vault refused it afterwards, the choice gone."""
    who = person(qtbot, ui_session)
    view = unlocked_window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        unlocked_window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.profile)

    def by_keys(dialog: StatusDialog) -> None:
        dialog.set_values({"to_status": S.CLOSED})
        reason = dialog.widget("reason")
        reason.setFocus()
        qtbot.keyClick(reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert dialog.isVisible() and dialog.message.isVisible()
        assert "why" in dialog.message.text()
        qtbot.keyClicks(reason, "Moved out of the area")
        qtbot.keyClick(reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    now = _status_changed(qtbot, view, ui_session, who.id, by_keys)
    assert now.status is S.CLOSED and now.status_reason == "Moved out of the area"


def test_an_active_case_closed_by_keys_alone_is_closed_not_sent_back_to_referred(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Change status… on an active case, the reason typed, Ctrl+Enter: the first choice was
    "Referred", so the case went back to waiting for its first meeting, with "Goals met" as
    the reason for it, and stayed on the Caseload and Today."""
    who = person(qtbot, ui_session)
    call_casework(qtbot, ui_session, participants.change_status, who.id, S.ACTIVE)
    view = unlocked_window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        unlocked_window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.profile)

    def by_keys(dialog: StatusDialog) -> None:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.focusWidget(), "Goals met")
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    now = _status_changed(qtbot, view, ui_session, who.id, by_keys)
    assert now.status is S.CLOSED and now.status_reason == "Goals met"


def test_booking_someone_whose_case_is_closed_offers_to_reopen_it(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Back at the library months after her case was closed, she asks to see the worker
    again; Schedule contact… on her record: the booking was made and the case stayed
    closed, off the Caseload, and her next wellbeing form compared her with the baseline
    of months before, as if she had never left (a referral in offered to reopen it)."""
    who = person(qtbot, ui_session)
    call_casework(qtbot, ui_session, participants.close_participant, who.id, "Goals met")
    view = unlocked_window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        unlocked_window.open_participant(who.id)
    meant = dt.datetime.combine(dt.date.today() + dt.timedelta(days=3), dt.time(14, 0))

    def book(dialog: ContactDialog) -> None:
        when = dialog.widget("at")
        when.edit.setFocus()
        when.edit.selectAll()
        qtbot.keyClicks(when.edit, f"{meant.day}/{meant.month}/{meant.year} 2pm")
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    asked = on_modal(lambda box: qtbot.keyClick(box, Qt.Key.Key_Return), kind=QMessageBox)
    state = on_modal(book, kind=ContactDialog)
    qtbot.mouseClick(view.timeline.schedule_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: "title" in asked, timeout=3000)
    finished(qtbot, asked)
    settle(qtbot, ui_session)
    (booked,) = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert booked.at == meant
    now = call_casework(qtbot, ui_session, participants.get_participant, who.id)
    assert now.status is S.ACTIVE  # Enter: Yes, the default, reopens it


def test_schedule_again_from_the_record_keeps_what_the_missed_one_was_for(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """A missed appointment booked "to fill in the benefits form": Schedule again… from
    the Diary or Today offered the new booking with its purpose; from the record's Timeline
    (its menu, or the offer after Record outcome) the purpose was blank, and the booking
    made as offered said nothing of what it was for."""
    who = person(qtbot, ui_session)
    missed_at = dt.datetime.combine(dt.date.today() - dt.timedelta(days=2), dt.time(10))
    missed = schedule(qtbot, ui_session, who.id, missed_at, purpose="Benefits form")
    call_casework(
        qtbot, ui_session, contacts.record_outcome, missed.id, ContactStatus.DID_NOT_ATTEND
    )
    again = contact_menu(qtbot, unlocked_window, who.id, missed.id)["Schedule again…"]

    def as_offered(dialog: ContactDialog) -> None:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    state = on_modal(as_offered, kind=ContactDialog)
    again.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    (booked,) = (
        c
        for c in call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
        if c.status is ContactStatus.SCHEDULED
    )
    assert booked.purpose == "Benefits form"
