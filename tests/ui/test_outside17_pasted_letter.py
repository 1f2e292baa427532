"""Outside check 17: a GP letter or an email pasted whole into a dialog's text field.

Casework keeps at most so many characters of a referral's reason, a concern's detail or a
contact's purpose (4000). A pasted referral letter is often longer. COMMON's rule: bad input
gets a clear message and loses nothing. The user guide: a dialog that cannot take what was
typed says so with the dialog still open. Refused only after the dialog closed, the letter
and everything else typed went with it (the record showed "… is too long").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import concerns, contacts, referrals
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.form import FormDialog
from linksdesk.ui.dialogs.record import ConcernDialog, ReferralDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

# a referral letter as pasted: several paragraphs, curly quotes, a long dash (synthetic)
PARAGRAPH = (
    "Dear colleague,\nI would be grateful if you could see Mrs Testington, who has become "
    "increasingly isolated since her husband\u2019s death \u2014 she \u201cdoesn\u2019t see "
    "anyone from one week to the next\u201d.\n\n"
)
LETTER = PARAGRAPH * 25  # well over 4000 characters


def tab_button(view: Any, tab: str, button: str) -> Any:
    view.tabs.setCurrentWidget(getattr(view, tab))
    return getattr(getattr(view, tab), button)


# (the dialog, how it is opened on the record, the field pasted into, what else is typed,
# the list of what was saved)
CASES: dict[str, tuple[type, str, str, str, dict[str, Any], Callable[..., Any]]] = {
    "referral reason": (ReferralDialog, "referrals", "add_referral_button", "reason",
                        {"referrer": "Dr Sample"}, referrals.list_referrals),
    "concern detail": (ConcernDialog, "profile", "concern_button", "detail", {},
                       concerns.list_concerns),
    "booking purpose": (ContactDialog, "timeline", "schedule_button", "purpose",
                        {"venue": "Craigbank Library"}, contacts.list_contacts),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_letter_too_long_is_refused_with_the_dialog_open_and_nothing_lost(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, case: str
) -> None:
    kind, tab, button, field, others, saved = CASES[case]
    window = unlocked_window
    who = person(qtbot, ui_session)
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    seen: dict[str, Any] = {}

    def pasted_then_cut_down(dialog: FormDialog) -> None:
        dialog.set_values({field: LETTER, **others})
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["first"] = (dialog.isVisible(), dialog.message.text(), dialog.values())
        dialog.set_values({field: PARAGRAPH})  # the worker keeps the part that matters
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(pasted_then_cut_down, kind=kind)
    qtbot.mouseClick(tab_button(view, tab, button), Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, values = seen["first"]
    assert still_open, f"the dialog closed; the record said: {view.message.text()}"
    assert "too long" in said and "4000" in said
    assert values[field] == LETTER.strip()  # the letter is still there, to cut down
    assert all(values[k] == v for k, v in others.items())
    (kept,) = call_casework(qtbot, ui_session, saved, who.id)
    assert getattr(kept, field) == PARAGRAPH.strip()


def test_an_onward_outcome_too_long_is_refused_with_the_dialog_open(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    from screens_kit import resource

    from linksdesk.casework import onward
    from linksdesk.ui.dialogs.onward import OnwardUpdateDialog

    window = unlocked_window
    who = person(qtbot, ui_session)
    walk = resource(qtbot, ui_session, "Kettle Cafe", "Walking group")
    call_casework(qtbot, ui_session, onward.refer_onward, who.id, walk.id, "referral",
                  status="made")  # fmt: skip
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.referrals)
    table = view.referrals.onward_table
    table.setCurrentIndex(table.model().index(0, 0))
    seen: dict[str, Any] = {}

    def pasted_then_cut_down(dialog: FormDialog) -> None:
        dialog.set_values({"outcome": LETTER})
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["first"] = (dialog.isVisible(), dialog.message.text(), dialog.values())
        dialog.set_values({"outcome": PARAGRAPH})
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(pasted_then_cut_down, kind=OnwardUpdateDialog)
    qtbot.mouseClick(view.referrals.update_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, values = seen["first"]
    assert still_open, f"the dialog closed; the record said: {view.message.text()}"
    assert "too long" in said and values["outcome"] == LETTER.strip()
    (kept,) = call_casework(qtbot, ui_session, onward.list_onward_referrals, who.id)
    assert kept.outcome == PARAGRAPH.strip()


def test_record_outcome_with_a_venue_too_long_stays_open_with_its_note(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    from day_kit import morning_of_a_booking

    from linksdesk.ui.dialogs.contact import OutcomeDialog

    window = unlocked_window
    who, booked = morning_of_a_booking(qtbot, ui_session)
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    timeline = view.timeline
    assert timeline.select_id(booked.id)
    venue = "Craigbank Library, community room (" + "upstairs, second door on the left, " * 8 + ")"
    seen: dict[str, Any] = {}

    def typed(dialog: OutcomeDialog) -> None:
        dialog.set_values({"venue": venue})
        qtbot.keyClicks(dialog.note_edit, "Talked about the walking group.")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["first"] = (dialog.isVisible(), dialog.message.text(), dialog.values())
        dialog.set_values({"venue": "Craigbank Library"})
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(typed, kind=OutcomeDialog)
    qtbot.keyClick(timeline.table, Qt.Key.Key_Return)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, values = seen["first"]
    assert still_open, f"Record outcome closed; the record said: {view.message.text()}"
    assert "Venue" in said and values["note"] == "Talked about the walking group."
    listed = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert next(c for c in listed if c.id == booked.id).venue == "Craigbank Library"
