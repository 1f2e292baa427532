"""At the end of a long day a worker finds a contact recorded twice. There was no way in the
window to put it right: it counted twice against the appointment limit for good. Now the
Timeline's "Entered in error…" asks why, says what will happen, and keeps the contact struck
through; a mark made on the wrong row is taken off with "Not in error after all…"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal, stored
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import contacts, measures, notes, referrals
from linksdesk.core.vocab import ENTERED_IN_ERROR, ContactKind, ReferralSource
from linksdesk.ui.dialogs.in_error import InErrorDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.participant_timeline import TimelineTab
from linksdesk.ui.views.participant_wellbeing import WellbeingTab

pytestmark = pytest.mark.gui

AT = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)


def _two_the_same(qtbot: Any, window: Any, session: UiSession) -> tuple[Any, Any, Any]:
    who = person(qtbot, session, "Morag", "Testington")
    first, twice = (
        call_casework(
            qtbot, session, contacts.record_contact, who.id, kind=ContactKind.APPOINTMENT, at=AT
        ).value
        for _ in range(2)
    )
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    tab = window.participant_view.timeline
    assert tab.select_id(twice.id)
    return who, first, twice


def _row_of(tab: TimelineTab, contact_id: str) -> int:
    row = tab.model.row_of_id(contact_id)
    assert row >= 0
    return row


def _mark_as(qtbot: Any, why: str, said: dict[str, Any]) -> Any:
    """What fills the dialog: keeps its title and words in ``said``, chooses ``why``, OK."""

    def fill(dialog: InErrorDialog) -> None:
        said["title"] = dialog.windowTitle()
        said["text"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
        box = dialog.widget("why")
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(why))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    return fill


def _press(qtbot: Any, tab: Any, fill: Any) -> None:
    state = on_modal(fill, kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)


def test_a_contact_recorded_twice_is_marked_struck_through_and_counted_once(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, first, twice = _two_the_same(qtbot, window, ui_session)
    tab = window.participant_view.timeline
    assert tab.in_error_button.isEnabled()
    assert stored(qtbot, ui_session, who.id)[1].used == 2
    said: dict[str, Any] = {}
    _press(qtbot, tab, _mark_as(qtbot, "twice", said))
    settle(qtbot, ui_session)

    # it named the person, and said what would happen before anything was written
    assert "Morag Testington" in said["title"]
    for words in ("Nothing is deleted", "struck through", "counts nowhere", "syncs"):
        assert words in said["text"], words
    kept, use, _notes = stored(qtbot, ui_session, who.id)
    assert {c.id for c in kept} == {first.id, twice.id}
    [marked] = [c for c in kept if c.in_error]
    assert marked.id == twice.id and marked.in_error_reason == "Recorded twice"
    assert use.used == 1
    # shown struck through, saying so, and the button now offers to take the mark off
    row = _row_of(tab, twice.id)
    assert ENTERED_IN_ERROR in str(tab.model.index(row, 1).data())
    assert tab.model.index(row, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert tab.model.index(_row_of(tab, first.id), 0).data(Qt.ItemDataRole.FontRole) is None
    assert "Recorded twice" in tab.detail.toPlainText()
    assert tab.in_error_button.text() == "Not in error after all…"


def test_cancel_writes_nothing_and_something_else_needs_words(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, _first, twice = _two_the_same(qtbot, window, ui_session)
    tab = window.participant_view.timeline

    def cancel(dialog: InErrorDialog) -> None:
        dialog.widget("why").setCurrentIndex(1)  # type: ignore[attr-defined]
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )

    _press(qtbot, tab, cancel)
    settle(qtbot, ui_session)
    assert not any(c.in_error for c in stored(qtbot, ui_session, who.id)[0])

    refused: dict[str, Any] = {}

    def own_words(dialog: InErrorDialog) -> None:
        why, detail = dialog.widget("why"), dialog.widget("detail")
        assert isinstance(why, QComboBox) and isinstance(detail, QLineEdit)
        why.setCurrentIndex(why.findData("other"))
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        refused["open"] = dialog.isVisible()
        refused["message"] = dialog.message.text()
        detail.setText("Phone call was with the person's neighbour")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    _press(qtbot, tab, own_words)
    settle(qtbot, ui_session)
    assert refused == {"open": True, "message": "Say in your words what went wrong."}
    [marked] = [c for c in stored(qtbot, ui_session, who.id)[0] if c.in_error]
    assert marked.id == twice.id
    assert marked.in_error_reason == "Phone call was with the person's neighbour"


def test_a_mark_on_the_wrong_row_is_taken_off_and_it_counts_again(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    who, _first, twice = _two_the_same(qtbot, window, ui_session)
    tab = window.participant_view.timeline
    call_casework(qtbot, ui_session, contacts.mark_in_error, twice.id, "Recorded twice")
    settle(qtbot, ui_session)
    assert tab.select_id(twice.id)
    assert stored(qtbot, ui_session, who.id)[1].used == 1
    asked: list[Any] = []
    monkeypatch.setattr(TimelineTab, "ask_restore", lambda self, c: asked.append(c) or True)

    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)

    assert [c.id for c in asked] == [twice.id]
    kept, use, _notes = stored(qtbot, ui_session, who.id)
    assert not any(c.in_error for c in kept) and use.used == 2
    row = _row_of(tab, twice.id)
    assert tab.model.index(row, 0).data(Qt.ItemDataRole.FontRole) is None
    assert tab.in_error_button.text() == "Entered in error…"


def test_with_nothing_chosen_it_says_what_to_choose_and_a_note_is_asked_about(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    note = call_casework(qtbot, ui_session, notes.write_note, who.id, "Met at the library").value
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view = window.participant_view
    tab = view.timeline
    assert tab.in_error_button.isEnabled()  # a button that acts on a row is always there
    tab.table.setCurrentIndex(tab.table.model().index(-1, -1))
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    assert view.message.text() == "Choose a contact or case note in the list first."
    # a case note chosen: it is asked about as a note (moving it is offered too), and Cancel
    # leaves it as it was
    said: dict[str, str] = {}

    def cancel(dialog: InErrorDialog) -> None:
        said["text"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )

    assert tab.select_id(note.id)
    _press(qtbot, tab, cancel)
    settle(qtbot, ui_session)
    written = f"Case note written on {note.written_at:%a %d %b %Y at %H:%M}"
    assert written in said["text"] and "Move to the right record" in said["text"]
    contacts_held, _use, notes_held = stored(qtbot, ui_session, who.id)
    assert contacts_held == [] and not notes_held[0].in_error


def test_a_wemwbs_typed_wrong_is_marked_from_the_wellbeing_tab(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    day = dt.date.today() - dt.timedelta(days=1)
    wrong, right = (
        call_casework(
            qtbot, ui_session, measures.record_measure, who.id, "wemwbs", [answer] * 14,
            context="baseline", taken_on=day,
        ).value
        for answer in (1, 3)
    )  # fmt: skip
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.wellbeing)
    tab = view.wellbeing
    row = tab.model.row_of_id(wrong.id)
    tab.table.setCurrentIndex(tab.proxy.mapFromSource(tab.model.index(row, 0)))
    said: dict[str, Any] = {}
    _press(qtbot, tab, _mark_as(qtbot, "typed_wrong", said))
    settle(qtbot, ui_session)

    assert "Nothing is deleted" in said["text"] and "Record a score" in said["text"]
    listed = {m.id: m for m in call_casework(qtbot, ui_session, measures.list_measures, who.id)}
    assert listed[wrong.id].in_error_reason == "Answers or score typed wrong"
    assert listed[right.id].is_baseline  # the right answers are the baseline now
    row = tab.model.row_of_id(wrong.id)
    assert tab.model.index(row, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert ENTERED_IN_ERROR in str(tab.model.index(row, 5).data())

    # the wrong score was marked after all: taken off, the first score is the baseline again
    tab.table.setCurrentIndex(tab.proxy.mapFromSource(tab.model.index(row, 0)))
    assert tab.in_error_button.text() == "Not in error after all…"
    asked: list[Any] = []
    monkeypatch.setattr(WellbeingTab, "ask_restore", lambda self, m: asked.append(m) or True)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    assert [m.id for m in asked] == [wrong.id]
    listed = {m.id: m for m in call_casework(qtbot, ui_session, measures.list_measures, who.id)}
    assert not listed[wrong.id].in_error and listed[wrong.id].is_baseline


def test_the_mark_button_says_what_it_will_do_with_the_row_chosen(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Choosing a marked row, then one not marked, the Timeline's and the Referrals tab's
    button say (and tell a screen reader) whether it marks or takes a mark off."""
    window = unlocked_window
    who, first, twice = _two_the_same(qtbot, window, ui_session)
    old, new = (
        call_casework(
            qtbot, ui_session, referrals.record_referral, who.id, source=ReferralSource.GP
        ).value
        for _ in range(2)
    )
    call_casework(qtbot, ui_session, contacts.mark_in_error, twice.id, "Recorded twice")
    call_casework(qtbot, ui_session, referrals.mark_in_error, new.id, "Recorded twice")
    settle(qtbot, ui_session)
    tab = window.participant_view.timeline
    take_off = "Take the entered in error mark off the selected contact or case note"
    mark = "Mark the selected contact or case note entered in error"

    assert tab.select_id(twice.id)
    assert tab.in_error_button.text() == "Not in error after all…"
    assert tab.in_error_button.accessibleName() == take_off
    assert tab.select_id(first.id)
    assert tab.in_error_button.text() == "Entered in error…"
    assert tab.in_error_button.accessibleName() == mark

    in_tab = window.participant_view.referrals
    for referral, said in ((new, "Not in error after all…"), (old, "Entered in error…")):
        row = in_tab.in_model.row_of_id(referral.id)
        in_tab.in_table.setCurrentIndex(
            in_tab.in_proxy.mapFromSource(in_tab.in_model.index(row, 0))
        )
        assert in_tab.in_error_button.text() == said
