"""Outside check 19: a did not attend recorded from Today is offered another appointment.

"After a did not attend, LinksDesk offers to book again" held on the record and in the
Diary, not on Today, where most missed appointments are recorded ("Outcomes to record"):
the person who missed was offered nothing. And the offer follows what was saved: Record
outcome opened as attended and changed to did not attend in the dialog is a missed one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal, today_row_menu
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from screens_kit import person, schedule, settle
from shell_kit import call_casework
from test_tired_outcome_note import answer_box

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog, OutcomeDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_a_missed_booking_recorded_on_today_offers_another(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session)
    missed_at = dt.datetime.combine(dt.date.today() - dt.timedelta(days=2), dt.time(10))
    booked = schedule(qtbot, ui_session, who.id, missed_at, venue="Library")
    window.show_view("today")
    today = window.today_view
    settle(qtbot, ui_session)
    menu = today_row_menu(today, "follow_section", 2)
    menu.close()
    (attended,) = [a for a in menu.actions() if a.text().replace("&", "").endswith("attended…")
                   and "not" not in a.text()]  # fmt: skip

    def missed_after_all(dialog: OutcomeDialog) -> None:
        box = dialog.widget("status")
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)  # attended → did not attend
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    seen: dict[str, Any] = {}

    def as_offered(dialog: ContactDialog) -> None:
        seen["at"] = dialog.values()["at"]
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    recorded = on_modal(missed_after_all, kind=OutcomeDialog)
    answer_box(QMessageBox.StandardButton.Yes, seen)
    offered = on_modal(as_offered, kind=ContactDialog)
    attended.trigger()
    finished(qtbot, recorded)
    finished(qtbot, offered)
    settle(qtbot, ui_session)
    assert "Ailsa" in seen["question"] and "Ailsa Testington" in offered["title"]
    assert seen["at"].date() > dt.date.today() and seen["at"].time() == missed_at.time()
    saved = {c.id: c for c in call_casework(qtbot, ui_session, contacts.list_contacts, who.id)}
    assert saved.pop(booked.id).status is ContactStatus.DID_NOT_ATTEND
    ((_, again),) = saved.items()
    assert (again.status, again.at, again.venue) == (ContactStatus.SCHEDULED, seen["at"], "Library")
    assert today.follow_model.rowCount() == 0
