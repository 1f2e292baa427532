"""A links worker's day by keyboard alone: at each step the focus is on a control a screen
reader can name, Enter and Ctrl+Enter do what the dialog is for, Escape loses nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import Keys, active, finished, focus_named, on_modal, spoken_name, stored
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from screens_kit import person, resource, schedule, settle
from shell_kit import PASSPHRASE, call_casework

from linksdesk.casework import goals, measures, onward
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.goal import GoalDialog, StepDialog
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.dialogs.onward import OnwardDialog
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.dialogs.person_chooser import PersonChooser

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
DISCARD = "Discard what you have written?"


def tab_to(keys: Keys, target: QWidget) -> None:
    """Tab until ``target`` has the focus, as a worker does (it must be in Tab's reach)."""
    for _ in range(60):
        if QApplication.focusWidget() is target:
            return
        keys.press(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()!r}")


def answer_with(keys: Keys, key: Qt.Key) -> dict[str, Any]:
    """The question coming up next is answered with ``key`` (its state, as ``on_modal``)."""
    return on_modal(lambda q: keys.press(key, widget=q.focusWidget() or q), kind=QMessageBox)


def unlocked_by_keys(qtbot: Any, window: Any, session: Any) -> Keys:
    """The passphrase typed at the unlock screen, then Enter."""
    active(qtbot, window)
    keys = Keys(qtbot, window)
    assert focus_named(window) is window.unlock_screen.open_page.passphrase
    keys.type(PASSPHRASE)
    with qtbot.waitSignal(session.sig_unlocked, timeout=20_000):
        keys.press(Qt.Key.Key_Return)
    settle(qtbot, session)
    focus_named(window)
    return keys


def found_by_name(qtbot: Any, keys: Keys, window: Any, session: Any, name: str) -> None:
    """Ctrl+K, part of the name, Enter: the person's record is open."""
    keys.press(Qt.Key.Key_K, CTRL)
    palette = window.search_palette
    qtbot.waitUntil(palette.edit.hasFocus)
    keys.type(name)
    qtbot.waitUntil(lambda: palette.model.hit_at(0) is not None and not palette._timer.isActive())
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        keys.press(Qt.Key.Key_Return)
    settle(qtbot, session)
    active(qtbot, window)
    focus_named(window.participant_view)


def test_unlock_today_find_and_lock_by_keys(qtbot: Any, window: Any, ui_session: Any) -> None:
    keys = unlocked_by_keys(qtbot, window, ui_session)
    who = person(qtbot, ui_session)
    schedule(qtbot, ui_session, who.id, dt.datetime.now() + dt.timedelta(minutes=5))
    today = window.today_view
    settle(qtbot, ui_session)
    # from the navigation, Tab goes into the page: its Refresh button, then today's list
    window.lock_button.setFocus()
    keys.press(Qt.Key.Key_Tab)
    assert focus_named(today) is today.refresh_button
    keys.press(Qt.Key.Key_Tab)
    assert focus_named(today) is today.todays_section.table
    # and back again: never onto the page's scroll area
    keys.press(Qt.Key.Key_Backtab, SHIFT)
    keys.press(Qt.Key.Key_Backtab, SHIFT)
    assert focus_named(window) is window.lock_button
    found_by_name(qtbot, keys, window, ui_session, "Ails")
    assert window.participant_view.participant_id == who.id
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        keys.press(Qt.Key.Key_L, CTRL)
    assert focus_named(window) is window.unlock_screen.open_page.passphrase


def test_contacts_from_the_record_and_the_diary_by_keys(
    qtbot: Any, window: Any, ui_session: Any
) -> None:
    keys = unlocked_by_keys(qtbot, window, ui_session)
    who = person(qtbot, ui_session, "Brodie", "Samplewood")
    found_by_name(qtbot, keys, window, ui_session, "Brod")

    def venue_then_enter(dialog: ContactDialog) -> None:
        focus_named(dialog)
        tab_to(keys, dialog.widget("venue"))
        keys.type("Craigbank Library")
        keys.press(Qt.Key.Key_Return)  # the default button: OK

    state = on_modal(venue_then_enter, kind=ContactDialog)
    keys.press(Qt.Key.Key_C, CTRL | SHIFT)
    finished(qtbot, state)
    settle(qtbot, ui_session)

    # from the Diary no record is open: whose, by name, then the same dialog
    active(qtbot, window)
    keys.press(Qt.Key.Key_3, CTRL)
    assert window.current_view_key() == "diary"
    focus_named(window)

    def whose(chooser: PersonChooser) -> None:
        assert focus_named(chooser) is chooser.filter_edit
        keys.type("Brod")
        qtbot.waitUntil(lambda: chooser.model.rowCount() == 1)
        keys.press(Qt.Key.Key_Return)

    def phoned(dialog: ContactDialog) -> None:
        assert focus_named(dialog) is dialog.widget("kind")
        keys.press(Qt.Key.Key_Down)  # not the visit recorded above: a telephone call
        keys.press(Qt.Key.Key_Return)

    chooser = on_modal(whose, kind=PersonChooser)
    contact = on_modal(phoned, kind=ContactDialog)
    keys.press(Qt.Key.Key_C, CTRL | SHIFT)
    finished(qtbot, chooser)
    finished(qtbot, contact)
    settle(qtbot, ui_session)
    contact_list, _use, _notes = stored(qtbot, ui_session, who.id)
    assert sorted((c.kind.value, c.venue) for c in contact_list) == [
        ("appointment", "Craigbank Library"),
        ("phone", None),
    ]


def test_case_notes_plain_and_private_by_keys(qtbot: Any, window: Any, ui_session: Any) -> None:
    keys = unlocked_by_keys(qtbot, window, ui_session)
    who = person(qtbot, ui_session)
    found_by_name(qtbot, keys, window, ui_session, "Ails")
    editor = window.participant_view.timeline.editor
    keys.press(Qt.Key.Key_N, CTRL | SHIFT)
    assert focus_named(editor) is editor.text_edit
    keys.type("Talked about the walking group.")
    keys.press(Qt.Key.Key_Escape)  # nothing is thrown away by Escape here
    assert editor.text_edit.toPlainText() == "Talked about the walking group."
    keys.press(Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: editor.text_edit.toPlainText() == "")
    settle(qtbot, ui_session)

    keys.press(Qt.Key.Key_N, CTRL | SHIFT)
    keys.press(Qt.Key.Key_Backtab, SHIFT)
    assert focus_named(editor) is editor.private_check
    keys.press(Qt.Key.Key_Space)
    keys.press(Qt.Key.Key_Tab)
    assert focus_named(editor) is editor.text_edit
    keys.type("Worried about the rent arrears.")
    keys.press(Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: editor.text_edit.toPlainText() == "")
    settle(qtbot, ui_session)
    _contacts, _use, note_list = stored(qtbot, ui_session, who.id)
    assert sorted((n.text, n.private) for n in note_list) == [
        ("Talked about the walking group.", False),
        ("Worried about the rent arrears.", True),
    ]


def test_a_goal_and_a_step_by_keys(qtbot: Any, window: Any, ui_session: Any) -> None:
    keys = unlocked_by_keys(qtbot, window, ui_session)
    who = person(qtbot, ui_session)
    found_by_name(qtbot, keys, window, ui_session, "Ails")
    tab = window.participant_view.goals
    keys.press(Qt.Key.Key_O, ALT)  # the tab's mnemonic (G&oals: Alt+G is the Go menu)
    assert window.participant_view.tabs.currentWidget() is tab
    tab_to(keys, tab.set_button)

    def goal_then_ctrl_enter(dialog: GoalDialog) -> None:
        assert spoken_name(focus_named(dialog)) == "Goal, in the person's own words"
        keys.type("Walk to the shop")
        # Escape asks first; Enter there is Cancel, and the words are still there
        question = answer_with(keys, Qt.Key.Key_Return)
        keys.press(Qt.Key.Key_Escape)
        assert (question.get("title"), question.get("error")) == (DISCARD, None)
        assert dialog.isVisible() and "Walk to the shop" in str(dialog.values()["title"])
        active(qtbot, dialog)
        keys.press(Qt.Key.Key_Return, CTRL)  # Enter makes a new line here: Ctrl+Enter is OK

    state = on_modal(goal_then_ctrl_enter, kind=GoalDialog)
    keys.press(Qt.Key.Key_Space)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    active(qtbot, window)
    tab_to(keys, tab.goals_table)
    tab.goals_table.setCurrentIndex(tab.goals_proxy.index(0, 0))
    tab_to(keys, tab.step_button)

    def step_then_ctrl_enter(dialog: StepDialog) -> None:
        assert spoken_name(focus_named(dialog)) == "Step"
        keys.type("Find the bus times")
        keys.press(Qt.Key.Key_Return, CTRL)

    state = on_modal(step_then_ctrl_enter, kind=StepDialog)
    keys.press(Qt.Key.Key_Space)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    (g,) = call_casework(qtbot, ui_session, goals.list_goals, who.id)
    assert g.title == "Walk to the shop"
    assert [s.description for s in g.steps] == ["Find the bus times"]


def test_wemwbs_and_an_onward_referral_by_keys(qtbot: Any, window: Any, ui_session: Any) -> None:
    keys = unlocked_by_keys(qtbot, window, ui_session)
    who = person(qtbot, ui_session)
    place = resource(qtbot, ui_session, "Craigbank Library", "Chair yoga")
    found_by_name(qtbot, keys, window, ui_session, "Ails")
    view = window.participant_view
    keys.press(Qt.Key.Key_W, ALT)
    assert view.tabs.currentWidget() is view.wellbeing
    tab_to(keys, view.wellbeing.record_button)

    def answered(dialog: MeasureDialog) -> None:
        focus_named(dialog)
        for group in dialog.groups:  # each statement: "some of the time" (3)
            tab_to(keys, group.buttons()[0])
            keys.press(Qt.Key.Key_Space)
            keys.press(Qt.Key.Key_Right)
            keys.press(Qt.Key.Key_Right)
            assert focus_named(dialog) is group.checkedButton()
        keys.press(Qt.Key.Key_Return)  # the default button: Save

    state = on_modal(answered, kind=MeasureDialog)
    keys.press(Qt.Key.Key_Space)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    (taken,) = call_casework(qtbot, ui_session, measures.list_measures, who.id)
    assert taken.total == 14 * 3

    active(qtbot, window)
    keys.press(Qt.Key.Key_E, ALT)  # R&eferrals: Alt+R is the Record menu
    assert view.tabs.currentWidget() is view.referrals
    tab_to(keys, view.referrals.refer_button)

    def referred(dialog: OnwardDialog) -> None:
        focus_named(dialog)
        keys.type("yoga")
        tab_to(keys, dialog.widget("why"))
        keys.type("Gentle exercise near home")
        keys.press(Qt.Key.Key_Return)

    state = on_modal(referred, kind=OnwardDialog)
    keys.press(Qt.Key.Key_Space)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    (made,) = call_casework(qtbot, ui_session, onward.list_onward_referrals, who.id)
    _contacts, _use, note_list = stored(qtbot, ui_session, who.id)
    assert made.resource_id == place.id  # the one found by typing
    assert "Gentle exercise near home" in note_list[0].text  # the why, kept as a case note


def test_escape_in_a_new_participant_asks_before_the_name_goes(
    qtbot: Any, window: Any, ui_session: Any
) -> None:
    keys = unlocked_by_keys(qtbot, window, ui_session)

    def tab_to_discard(question: QMessageBox) -> None:
        keys.press(Qt.Key.Key_Tab, widget=question.focusWidget())  # from Cancel, the default
        assert spoken_name(question.focusWidget()) == "Discard"
        keys.press(Qt.Key.Key_Space, widget=question.focusWidget())

    def typed_then_escape(dialog: ParticipantDialog) -> None:
        focus_named(dialog)
        keys.type("Catriona")
        question = answer_with(keys, Qt.Key.Key_Escape)
        keys.press(Qt.Key.Key_Escape)
        assert (question.get("title"), question.get("error")) == (DISCARD, None)
        assert dialog.isVisible() and dialog.values()["given_name"] == "Catriona"
        active(qtbot, dialog)
        discard = on_modal(tab_to_discard, kind=QMessageBox)
        keys.press(Qt.Key.Key_Escape)
        assert (discard.get("title"), discard.get("error")) == (DISCARD, None)

    state = on_modal(typed_then_escape, kind=ParticipantDialog)
    keys.press(Qt.Key.Key_P, CTRL | SHIFT)
    finished(qtbot, state)
