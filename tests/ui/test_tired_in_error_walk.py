"""A tired links worker at the end of a long day puts entries right: a case note moved to the
right record, a note whose move was a mistake, an onward referral's step dated wrong. The
window must not turn one slip into another. Synthetic data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, move_note_to, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox
from screens_kit import person, resource, settle
from shell_kit import call_casework
from test_tired_outcome_note import answer_box

from linksdesk.casework import goals, notes, onward, referrals
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import OnwardKind, OnwardStatus, ReferralSource
from linksdesk.ui.dialogs.in_error import InErrorDialog
from linksdesk.ui.dialogs.onward import OnwardUpdateDialog, short_day
from linksdesk.ui.dialogs.person_chooser import PersonChooser
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

WRITTEN = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)


def _open(qtbot: Any, window: Any, pid: str) -> Any:
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(pid)
    return window.participant_view


def test_enter_at_once_in_the_move_chooser_moves_the_note_to_nobody(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The chooser chose the first of the caseload (here someone the note has nothing to do
    with) and Enter wrote the note, with its details, into their record."""
    window = unlocked_window
    bystander = person(qtbot, ui_session, "Aileen", "Aardvarkson")  # first on the caseload
    wrong = person(qtbot, ui_session, "Morag", "Testington")
    note = call_casework(
        qtbot, ui_session, notes.write_note, wrong.id, "Rang about the rent", written_at=WRITTEN
    ).value
    tab = _open(qtbot, window, wrong.id).timeline
    assert tab.select_id(note.id)
    seen: dict[str, Any] = {}

    def enter_at_once(dialog: PersonChooser) -> None:
        qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=20_000)
        seen["offered"] = [r.participant_id for r in dialog.model.rows()]
        qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Return)
        seen["open"] = dialog.isVisible()
        seen["said"] = dialog.message.text()
        qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Escape)

    state = on_modal(enter_at_once, kind=PersonChooser)
    qtbot.mouseClick(tab.move_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)

    assert seen["open"] and "Type part of their name" in seen["said"]
    assert seen["offered"] == [bystander.id]  # not the record the note is being moved out of
    assert call_casework(qtbot, ui_session, notes.list_notes, bystander.id) == []
    [kept] = call_casework(qtbot, ui_session, notes.list_notes, wrong.id)
    assert not kept.in_error


def test_an_onward_step_dated_in_the_future_is_refused_and_nothing_typed_is_lost(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """ "Attended" typed on the 16th for the 6th was kept: counted as attended in a month
    still to come, and as made (not attended) in this month's report."""
    window = unlocked_window
    today = dt.date.today()
    who = person(qtbot, ui_session)
    place = resource(qtbot, ui_session, "Craigbank Library", "Reading group")
    call_casework(
        qtbot, ui_session, onward.refer_onward, who.id, place.id, OnwardKind.REFERRAL,
        on=today - dt.timedelta(days=5),
    )  # fmt: skip
    view = _open(qtbot, window, who.id)
    view.tabs.setCurrentWidget(view.referrals)
    tab = view.referrals
    seen: dict[str, Any] = {}

    def ten_days_on_then_today(dialog: OnwardUpdateDialog) -> None:
        dialog.widget("outcome").setPlainText("Phoned them with her")
        day = dialog.widget("on")
        day.edit.setText(short_day(today + dt.timedelta(days=10)))
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["open"] = dialog.isVisible()
        seen["said"] = dialog.message.text()
        seen["kept"] = dialog.widget("outcome").toPlainText()
        day.edit.setText(short_day(today))
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(ten_days_on_then_today, kind=OnwardUpdateDialog)
    tab.onward_table.setCurrentIndex(tab.onward_proxy.index(0, 0))
    tab.update_button.click()
    finished(qtbot, state)
    settle(qtbot, ui_session)

    assert seen["open"] and "after today" in seen["said"]
    assert seen["kept"] == "Phoned them with her"
    [now] = call_casework(qtbot, ui_session, onward.list_onward_referrals, who.id)
    assert (now.status, now.made_on) == (OnwardStatus.MADE, today)
    # casework refuses it whoever asks (the worker's other laptop, a script)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        call_casework(
            qtbot, ui_session, onward.update_onward, now.id, OnwardStatus.ATTENDED,
            on=today + dt.timedelta(days=1),
        )  # fmt: skip


def test_a_note_moved_to_the_wrong_person_is_moved_on_not_unmarked_twice_over(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Moved to Ashby instead of Ashley, the worker chose the original and "Not in error
    after all…": the question did not say that the copy stays in Ashby's record, so taking
    the mark off left the note (and its details) in both records."""
    window = unlocked_window
    wrong = person(qtbot, ui_session, "Morag", "Testington")
    ashby = person(qtbot, ui_session, "Ashby", "Rightrecord")
    ashley = person(qtbot, ui_session, "Ashley", "Realperson")
    note = call_casework(
        qtbot, ui_session, notes.write_note, wrong.id, "Rang about the rent", written_at=WRITTEN
    ).value
    moved = call_casework(qtbot, ui_session, notes.move_note, note.id, ashby.id).value

    tab = _open(qtbot, window, wrong.id).timeline
    assert tab.select_id(note.id)
    seen: dict[str, Any] = {}
    answer_box(QMessageBox.StandardButton.No, seen)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "question" in seen, timeout=20_000)
    settle(qtbot, ui_session)
    assert "copy written in the other participant's record stays" in seen["question"]
    assert "move the copy on" in seen["question"]
    [kept] = call_casework(qtbot, ui_session, notes.list_notes, wrong.id)
    assert kept.in_error  # No: nothing changed

    # as the question says: the copy moved on from Ashby's record to Ashley's
    tab = _open(qtbot, window, ashby.id).timeline
    assert tab.select_id(moved.note.id)

    move_note_to(qtbot, ui_session, tab, "Realperson")
    [there] = call_casework(qtbot, ui_session, notes.list_notes, ashley.id)
    assert there.text.startswith("Rang about the rent") and not there.in_error
    [copy] = call_casework(qtbot, ui_session, notes.list_notes, ashby.id)
    assert copy.in_error


def test_a_note_marked_by_keys_alone_escape_marks_nothing_and_enter_never_strands_its_words(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Enter at once marked the note "Written in the wrong participant's record" (the first
    reason), the one case the dialog itself says to use Move to the right record… for: the
    note was struck through and its words reached no one's record."""
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    note = call_casework(qtbot, ui_session, notes.write_note, who.id, "Written twice").value
    tab = _open(qtbot, window, who.id).timeline
    assert tab.select_id(note.id)

    def escape(dialog: InErrorDialog) -> None:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)

    state = on_modal(escape, kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    [note] = call_casework(qtbot, ui_session, notes.list_notes, who.id)
    assert not note.in_error

    seen: dict[str, Any] = {}

    def enter(dialog: InErrorDialog) -> None:
        seen["focus"] = dialog.focusWidget() is dialog.widget("why")
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    assert tab.select_id(note.id)
    state = on_modal(enter, kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["focus"]  # the first thing asked has the keys
    [note] = call_casework(qtbot, ui_session, notes.list_notes, who.id)
    assert note.in_error and note.in_error_reason == "Written twice"


def test_marking_the_only_referral_says_the_referred_on_date_it_set_stays(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The person's only referral, recorded on them by mistake, marked entered in error: the
    dialog said it counts in no waiting time, yet the caseload still showed "Referred on"
    from it, and the evaluation file and "not seen lately" still counted from that day."""
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    received = dt.date.today() - dt.timedelta(days=20)
    only = call_casework(
        qtbot, ui_session, referrals.record_referral, who.id, source=ReferralSource.GP,
        received_on=received,
    ).value  # fmt: skip
    view = _open(qtbot, window, who.id)
    view.tabs.setCurrentWidget(view.referrals)
    tab = view.referrals
    tab.in_table.setCurrentIndex(tab.in_proxy.index(0, 0))
    seen: dict[str, Any] = {}

    def read_then_escape(dialog: InErrorDialog) -> None:
        seen["said"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)

    state = on_modal(read_then_escape, kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert f"Referred on date, {received:%a %d %b %Y}, came from this referral" in seen["said"]
    assert "Edit details" in seen["said"]
    [kept] = call_casework(qtbot, ui_session, referrals.list_referrals, who.id)
    assert kept.id == only.id and not kept.in_error  # Escape marked nothing


def test_a_goal_due_for_review_marked_in_error_and_back_again(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    """The dialog says the goal "and its steps stay in this record, struck through": the
    steps below it were drawn as if they still counted. Today drops the review while it is
    marked and lists it again when the mark comes off."""
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    g = call_casework(
        qtbot, ui_session, goals.set_goal, who.id, "Join the walking group",
        set_on=dt.date.today() - dt.timedelta(days=60), review_on=dt.date.today(),
    ).value  # fmt: skip
    call_casework(qtbot, ui_session, goals.add_step, g.id, "Phone the walking group leader")

    def reviews() -> list[str]:
        window.show_view("today")
        window.today_view.refresh()
        settle(qtbot, ui_session)
        return [r.goal_id for r in window.today_view.reviews_model.rows()]

    assert reviews() == [g.id]
    view = _open(qtbot, window, who.id)
    view.tabs.setCurrentWidget(view.goals)
    tab = view.goals
    tab.goals_table.setCurrentIndex(tab.goals_proxy.index(0, 0))

    def set_by_mistake(dialog: InErrorDialog) -> None:
        box = dialog.widget("why")
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData("mistake"))
        qtbot.keyClick(box, Qt.Key.Key_Return)

    state = on_modal(set_by_mistake, kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert tab.steps_model.rowCount() == 1
    for column in range(tab.steps_model.columnCount()):
        assert tab.steps_model.index(0, column).data(Qt.ItemDataRole.FontRole).strikeOut()
    # the narrow Status column says it all when pointed at
    status = tab.goals_model.index(0, 1)
    assert status.data(Qt.ItemDataRole.ToolTipRole) == "Entered in error: Set by mistake"
    assert reviews() == []

    monkeypatch.setattr(tab, "ask_restore", lambda _goal: True)
    window.show_view("record")
    tab.goals_table.setCurrentIndex(tab.goals_proxy.index(0, 0))
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    assert tab.steps_model.index(0, 2).data(Qt.ItemDataRole.FontRole) is None
    assert reviews() == [g.id]


def test_a_note_being_revised_is_not_moved_or_marked_until_the_revision_is_saved(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    """Halfway through revising a note the worker sees it is in the wrong record and moves
    it: the move took the words as last saved (not the correction in the editor), and the
    correction could then never be saved (the note was marked)."""
    window = unlocked_window
    wrong = person(qtbot, ui_session, "Morag", "Testington")
    right = person(qtbot, ui_session, "Ashby", "Rightrecord")
    note = call_casework(
        qtbot, ui_session, notes.write_note, wrong.id, "Rang about the rnet", written_at=WRITTEN
    ).value
    tab = _open(qtbot, window, wrong.id).timeline
    assert tab.select_id(note.id)
    qtbot.mouseClick(tab.revise_button, Qt.MouseButton.LeftButton)
    tab.editor.text_edit.setPlainText("Rang about the rent")  # corrected, not saved

    asked: list[str] = []
    with monkeypatch.context() as m:  # neither the chooser nor the reason is asked for
        m.setattr(tab, "ask_right_record", lambda: asked.append("whose") or right.id)
        m.setattr(InErrorDialog, "ask_note", classmethod(lambda c, p, n: asked.append("why")))
        qtbot.mouseClick(tab.move_button, Qt.MouseButton.LeftButton)
        settle(qtbot, ui_session)
        assert "save or discard your changes first" in tab.view.message.text()
        qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
        settle(qtbot, ui_session)
    assert asked == []
    assert call_casework(qtbot, ui_session, notes.list_notes, right.id) == []
    [kept] = call_casework(qtbot, ui_session, notes.list_notes, wrong.id)
    assert not kept.in_error
    assert tab.editor.text_edit.toPlainText() == "Rang about the rent"  # nothing typed lost

    qtbot.mouseClick(tab.editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    assert tab.select_id(note.id)

    move_note_to(qtbot, ui_session, tab, "Rightrec")
    [there] = call_casework(qtbot, ui_session, notes.list_notes, right.id)
    assert there.text.startswith("Rang about the rent\n")  # the corrected words went
