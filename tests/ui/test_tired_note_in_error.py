"""At the end of a long day a worker finds a case note written in the wrong participant's
record, a referral in recorded twice and a goal set by mistake. The window had no way to put
them right: the note (with someone else's details) went on to the person's own record. Now
the Timeline's "Move to the right record…" asks whose record it belongs in (the person
chooser), writes it there and strikes the original through; the Referrals and Goals tabs'
"Entered in error…" ask why and strike the row through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, move_note_to, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import goals, notes, referrals
from linksdesk.core.vocab import ENTERED_IN_ERROR, ReferralSource
from linksdesk.ui.dialogs.in_error import InErrorDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

WRITTEN = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
THEIRS = "Rang about the rent: lives at 9 Canarylane"


def _open(qtbot: Any, window: Any, pid: str) -> Any:
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(pid)
    return window.participant_view


def _choose(qtbot: Any, why: str) -> Any:
    def fill(dialog: InErrorDialog) -> None:
        box = dialog.widget("why")
        assert isinstance(box, QComboBox)
        box.setCurrentIndex(box.findData(why))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    return fill


def test_a_note_in_the_wrong_record_is_moved_from_the_timeline(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    wrong = person(qtbot, ui_session, "Morag", "Testington")
    right = person(qtbot, ui_session, "Ashby", "Rightrecord")
    note = call_casework(
        qtbot, ui_session, notes.write_note, wrong.id, THEIRS, written_at=WRITTEN
    ).value
    tab = _open(qtbot, window, wrong.id).timeline
    assert tab.select_id(note.id)
    assert tab.move_button.isEnabled() and tab.revise_button.isEnabled()

    move_note_to(qtbot, ui_session, tab, "Rightrec")

    [there] = call_casework(qtbot, ui_session, notes.list_notes, right.id)
    assert there.text.startswith(THEIRS) and there.written_at == WRITTEN
    [here] = call_casework(qtbot, ui_session, notes.list_notes, wrong.id)
    assert here.id == note.id and here.in_error and here.in_error_reason == notes.WRONG_RECORD
    # struck through in the worker's view, saying so; its words only in the detail pane
    row = tab.model.row_of_id(note.id)
    assert ENTERED_IN_ERROR in str(tab.model.index(row, 1).data())
    assert tab.model.index(row, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert "Canarylane" not in str(tab.model.index(row, 3).data())
    assert tab.select_id(note.id)
    shown = tab.detail.toPlainText()
    assert "Entered in error" in shown and "Canarylane" in shown
    assert not tab.revise_button.isEnabled()
    assert tab.in_error_button.text() == "Not in error after all…"


def test_a_note_is_marked_entered_in_error_and_the_mark_taken_off(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    note = call_casework(qtbot, ui_session, notes.write_note, who.id, "Written twice").value
    tab = _open(qtbot, window, who.id).timeline
    assert tab.select_id(note.id)
    state = on_modal(_choose(qtbot, "twice"), kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    [marked] = call_casework(qtbot, ui_session, notes.list_notes, who.id)
    assert marked.in_error and marked.in_error_reason == "Written twice"

    monkeypatch.setattr(tab, "ask_restore_note", lambda _what, _why: True)
    assert tab.select_id(note.id)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    [back] = call_casework(qtbot, ui_session, notes.list_notes, who.id)
    assert not back.in_error


def test_a_referral_twice_and_a_goal_by_mistake_are_marked_from_their_tabs(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    day = dt.date.today()
    twice = [
        call_casework(
            qtbot, ui_session, referrals.record_referral, who.id, source=ReferralSource.GP
        ).value
        for _ in range(2)
    ][1]
    goal = call_casework(qtbot, ui_session, goals.set_goal, who.id, "Swim", set_on=day).value
    view = _open(qtbot, window, who.id)

    tab = view.referrals
    tab.in_table.setCurrentIndex(
        tab.in_proxy.mapFromSource(tab.in_model.index(tab.in_model.row_of_id(twice.id), 0))
    )
    state = on_modal(_choose(qtbot, "twice"), kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    kept = {r.id: r for r in call_casework(qtbot, ui_session, referrals.list_referrals, who.id)}
    assert len(kept) == 2 and kept[twice.id].in_error
    row = tab.in_model.row_of_id(twice.id)
    assert tab.in_model.index(row, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert ENTERED_IN_ERROR in str(tab.in_model.index(row, 3).data())

    goals_tab = view.goals
    goals_tab.goals_table.setCurrentIndex(goals_tab.goals_proxy.index(0, 0))
    assert goals_tab.review_button.isEnabled()
    state = on_modal(_choose(qtbot, "mistake"), kind=InErrorDialog)
    qtbot.mouseClick(goals_tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    [marked] = call_casework(qtbot, ui_session, goals.list_goals, who.id)
    assert marked.id == goal.id and marked.in_error_reason == "Set by mistake"
    assert ENTERED_IN_ERROR in str(goals_tab.goals_model.index(0, 1).data())
    # nothing more is recorded of it: only its mark can be taken off
    assert not goals_tab.review_button.isEnabled() and not goals_tab.step_button.isEnabled()
    assert goals_tab.in_error_button.text() == "Not in error after all…"


def test_a_goal_marked_by_mistake_has_its_steps_struck_through_too(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The goal's row was struck through but its steps looked as live as any other goal's:
    a worker reading the steps alone took them for something still to do."""
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    wrong = call_casework(qtbot, ui_session, goals.set_goal, who.id, "Swim").value
    kept = call_casework(qtbot, ui_session, goals.set_goal, who.id, "Walk").value
    for goal, step in ((wrong, "Find the pool"), (kept, "Buy boots")):
        call_casework(qtbot, ui_session, goals.add_step, goal.id, step)
    tab = _open(qtbot, window, who.id).goals

    def choose(goal_id: str) -> None:
        row = tab.goals_model.row_of_id(goal_id)
        tab.goals_table.setCurrentIndex(
            tab.goals_proxy.mapFromSource(tab.goals_model.index(row, 0))
        )

    def step_cells() -> list[tuple[str, bool, str | None]]:
        return [
            (
                str(tab.steps_proxy.index(0, column).data()),
                bool(font and font.strikeOut()),
                tab.steps_proxy.index(0, column).data(Qt.ItemDataRole.ToolTipRole),
            )
            for column in range(tab.steps_proxy.columnCount())
            for font in [tab.steps_proxy.index(0, column).data(Qt.ItemDataRole.FontRole)]
        ]

    choose(wrong.id)
    assert all(not struck and tip is None for _text, struck, tip in step_cells())
    state = on_modal(_choose(qtbot, "mistake"), kind=InErrorDialog)
    qtbot.mouseClick(tab.in_error_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)

    # every cell of its step struck through, as the goal's row is, and saying why
    cells = step_cells()
    assert "Find the pool" in [text for text, _s, _t in cells]
    assert all(struck for _text, struck, _tip in cells)
    assert all("entered in error" in tip and "Set by mistake" in tip for *_, tip in cells)
    assert (
        tab.goals_model.index(tab.goals_model.row_of_id(wrong.id), 0)
        .data(Qt.ItemDataRole.FontRole)
        .strikeOut()
    )
    # another goal's steps are not
    choose(kept.id)
    assert [text for text, _s, _t in step_cells()][2] == "Buy boots"
    assert all(not struck and tip is None for _text, struck, tip in step_cells())
