"""A tired worker types dates as they would write them: each is kept as meant, or refused
with the dialog still open; none is silently turned into another day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import settle
from shell_kit import call_casework

from linksdesk.casework import lists, participants
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.ui.date_field import DateField
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def everyone(qtbot: Any, session: UiSession) -> set[str]:
    query = CaseloadQuery(include_closed=True)
    return set(call_casework(qtbot, session, lists.caseload_ids, query))


def type_into(qtbot: Any, field: Any, text: str) -> None:
    line = field.edit if isinstance(field, DateField) else field
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)


@pytest.mark.parametrize("typed", ["14/03/1958", "14 Mar 1958", "14/3/58", "140358"])
def test_a_date_of_birth_typed_into_the_empty_field_is_saved_as_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, typed: str
) -> None:
    before = everyone(qtbot, ui_session)
    seen: dict[str, str] = {}

    def fill(dialog: ParticipantDialog) -> None:
        type_into(qtbot, dialog.widget("given_name"), "Ailsa")
        type_into(qtbot, dialog.widget("family_name"), "Testperson")
        birth = dialog.widget("date_of_birth")
        type_into(qtbot, birth, typed)
        seen["reading"] = birth.reading.text()
        qtbot.keyClick(birth.edit, Qt.Key.Key_Tab)  # typing ends: written out in full
        seen["shown"] = birth.edit.text()
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    state = on_modal(fill, kind=ParticipantDialog)
    with qtbot.waitSignal(unlocked_window.participant_view.sig_loaded, timeout=20_000):
        unlocked_window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    (new,) = everyone(qtbot, ui_session) - before
    saved = call_casework(qtbot, ui_session, participants.get_participant, new)
    assert saved.date_of_birth == dt.date(1958, 3, 14)
    assert seen["reading"] == "Friday 14 March 1958"
    assert seen["shown"] == "14 Mar 1958"


def test_a_date_it_cannot_read_keeps_the_dialog_open_with_the_words_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    before = everyone(qtbot, ui_session)
    seen: dict[str, Any] = {}

    def fill(dialog: ParticipantDialog) -> None:
        type_into(qtbot, dialog.widget("given_name"), "Ailsa")
        type_into(qtbot, dialog.widget("family_name"), "Testperson")
        birth = dialog.widget("date_of_birth")
        type_into(qtbot, birth, "14/13/1958")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        ok.click()
        seen["open"] = dialog.isVisible()
        seen["message"] = dialog.message.text()
        seen["kept"] = birth.edit.text()
        seen["reading"] = birth.reading.text()
        type_into(qtbot, birth, "14/3/1958")  # put right, then saved
        ok.click()

    state = on_modal(fill, kind=ParticipantDialog)
    with qtbot.waitSignal(unlocked_window.participant_view.sig_loaded, timeout=20_000):
        unlocked_window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["open"] and seen["kept"] == "14/13/1958"
    assert seen["message"].startswith("Date of birth: ")
    assert "not a date" in seen["message"] and "not a date" in seen["reading"]
    (new,) = everyone(qtbot, ui_session) - before
    saved = call_casework(qtbot, ui_session, participants.get_participant, new)
    assert saved.date_of_birth == dt.date(1958, 3, 14)


def test_the_calendar_writes_the_day_picked_and_an_emptied_field_holds_no_date(
    qtbot: Any,
) -> None:
    field = DateField(dt.date(2026, 3, 9))
    qtbot.addWidget(field)
    calendar = field.calendarWidget()
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 3)
    calendar.clicked.emit(calendar.selectedDate().addDays(2))  # as a click on the 11th
    assert field.value() == dt.date(2026, 3, 11) and field.edit.text() == "11 Mar 2026"
    field.edit.clear()
    assert field.value() is None and field.problem() is None
