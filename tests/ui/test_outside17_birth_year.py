"""Outside check 17: a date of birth typed as a GP system shows it, two-digit year and all.

Links workers see many people in their nineties. "3/4/27" is read as 3 April 2027 (a two-digit
year is the latest at most ten years ahead: the user guide's rule), which casework refuses as
a date of birth in the future. The user guide promises a date that cannot be taken is refused
"with the dialog still open, never turned into another day", and COMMON's rule is that bad
input gets a clear message and loses nothing: the name, address and telephone number typed
must still be there to put the year right.
"""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import participants
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

TYPED = {"given_name": "Isla", "family_name": "Oldtestperson", "phone": "07000 000000"}


def ok(qtbot: Any, dialog: ParticipantDialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def born(qtbot: Any, dialog: ParticipantDialog, typed: str) -> None:
    field = dialog.widget("date_of_birth")
    field.edit.clear()
    qtbot.keyClicks(field.edit, typed)


def test_a_birth_year_read_as_next_year_keeps_new_participant_open_with_what_was_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    seen: dict[str, Any] = {}

    def typed_as_the_gp_letter_has_it(dialog: ParticipantDialog) -> None:
        dialog.set_values(TYPED)
        born(qtbot, dialog, "3/4/27")
        ok(qtbot, dialog)
        seen["first"] = (dialog.isVisible(), dialog.message.text(), dialog.values())
        born(qtbot, dialog, "3/4/1927")  # put right, as the message says
        ok(qtbot, dialog)

    state = on_modal(typed_as_the_gp_letter_has_it, kind=ParticipantDialog)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, values = seen["first"]
    assert still_open, "New participant closed on a date of birth still to come"
    assert "future" in said and "1927" in said  # says what to type
    assert {k: values[k] for k in TYPED} == TYPED
    saved = call_casework(qtbot, ui_session, participants.find_participants, "Oldtestperson")
    assert [p.date_of_birth.year for p in saved] == [1927]


def test_edit_details_with_a_birth_year_read_as_next_year_stays_open(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session)
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.profile)
    seen: dict[str, Any] = {}

    def edited(dialog: ParticipantDialog) -> None:
        dialog.set_values({"phone": "07000 000001"})
        born(qtbot, dialog, "3/4/27")
        ok(qtbot, dialog)
        seen["first"] = (dialog.isVisible(), dialog.message.text())
        dialog.done(0)

    state = on_modal(edited, kind=ParticipantDialog)
    qtbot.mouseClick(view.profile.edit_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    still_open, said = seen["first"]
    assert still_open and "future" in said


@pytest.mark.parametrize(
    "wrong",
    [{"email": "ask her daughter"}, {"risk_summary": "Lives alone; falls risk. " * 200}],
    ids=["email", "risk-summary"],
)
def test_details_casework_refuses_keep_new_participant_open(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, wrong: dict[str, str]
) -> None:
    window = unlocked_window
    seen: dict[str, Any] = {}

    def typed(dialog: ParticipantDialog) -> None:
        dialog.set_values({**TYPED, **wrong})
        ok(qtbot, dialog)
        seen["first"] = (dialog.isVisible(), dialog.message.text(), dialog.values())
        dialog.set_values(dict.fromkeys(wrong, ""))
        ok(qtbot, dialog)

    state = on_modal(typed, kind=ParticipantDialog)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, values = seen["first"]
    assert still_open, (
        f"New participant closed; the status bar: {window.statusBar().currentMessage()}"
    )
    assert said
    assert {k: values[k] for k in TYPED} == TYPED
    found = call_casework(qtbot, ui_session, participants.find_participants, "Oldtestperson")
    assert [p.display_name for p in found] == ["Isla Oldtestperson"]  # added once, put right
