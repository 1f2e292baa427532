"""Goal steps: moved up and down and removed from the Goals tab, by button, key and menu."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from screens_kit import goal, person, texts
from shell_kit import call_casework

from linksdesk.casework import goals
from linksdesk.ui.views.participant import ParticipantView
from linksdesk.ui.views.participant_goals import GoalsTab

pytestmark = pytest.mark.gui


def open_goals(qtbot: Any, session: Any, pid: str) -> ParticipantView:
    view = ParticipantView(session)
    qtbot.addWidget(view)
    session.sig_changed.connect(view.on_changes)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(pid)
    view.tabs.setCurrentWidget(view.goals)
    return view


def steps_shown(tab: GoalsTab) -> list[tuple[str, str]]:
    """(number, step) as the steps table shows them, top to bottom."""
    return list(zip(texts(tab.steps_proxy, 0), texts(tab.steps_proxy, 2), strict=True))


def select_step(tab: GoalsTab, description: str) -> None:
    row = texts(tab.steps_proxy, 2).index(description)
    tab.steps_table.setCurrentIndex(tab.steps_proxy.index(row, 0))


def stored_order(qtbot: Any, session: Any, goal_id: str) -> list[str]:
    return [s.description for s in call_casework(qtbot, session, goals.get_goal, goal_id).steps]


def test_steps_move_up_and_down_by_button_and_keyboard_and_keep_their_selection(
    qtbot: Any, unlocked: Any
) -> None:
    ailsa = person(qtbot, unlocked)
    aim = goal(qtbot, unlocked, ailsa.id, "Join a choir", steps=["Find", "Visit", "Sing"])
    view = open_goals(qtbot, unlocked, ailsa.id)
    tab = view.goals
    assert steps_shown(tab) == [("1", "Find"), ("2", "Visit"), ("3", "Sing")]
    for button, name in (
        (tab.up_button, "Move the selected step up"),
        (tab.down_button, "Move the selected step down"),
        (tab.remove_button, "Remove the selected step"),
    ):
        assert button.accessibleName() == name
        assert not button.isEnabled()  # nothing selected yet

    select_step(tab, "Find")
    assert not tab.up_button.isEnabled()  # already first
    assert tab.down_button.isEnabled() and tab.remove_button.isEnabled()
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        tab.down_button.click()
    assert stored_order(qtbot, unlocked, aim.id) == ["Visit", "Find", "Sing"]
    assert steps_shown(tab) == [("1", "Visit"), ("2", "Find"), ("3", "Sing")]
    assert tab.current_step() is not None and tab.current_step().description == "Find"

    # again from the keyboard, on the step the table still has selected
    tab.steps_table.setFocus()
    qtbot.waitUntil(tab.steps_table.hasFocus)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.keyClick(tab.steps_table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert stored_order(qtbot, unlocked, aim.id) == ["Visit", "Sing", "Find"]
    assert not tab.down_button.isEnabled()  # now last
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.keyClick(tab.steps_table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.keyClick(tab.steps_table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert stored_order(qtbot, unlocked, aim.id) == ["Find", "Visit", "Sing"]
    assert steps_shown(tab)[0] == ("1", "Find")
    # the header no longer sorts steps: their order is the goal's
    assert not tab.steps_table.isSortingEnabled()


def test_a_step_is_removed_after_confirmation_by_key_and_context_menu(
    qtbot: Any, unlocked: Any, monkeypatch: Any
) -> None:
    ailsa = person(qtbot, unlocked)
    aim = goal(qtbot, unlocked, ailsa.id, "Cook twice a week", steps=["Shop", "Plan", "Cook"])
    view = open_goals(qtbot, unlocked, ailsa.id)
    tab = view.goals
    answers: list[bool] = [False]
    asked: list[str] = []

    def confirm(_self: GoalsTab, step: Any) -> bool:
        asked.append(step.description)
        return answers[0]

    monkeypatch.setattr(GoalsTab, "confirm_remove_step", confirm)

    # Delete on a step asks first; "no" keeps it
    select_step(tab, "Plan")
    tab.steps_table.setFocus()
    qtbot.waitUntil(tab.steps_table.hasFocus)
    qtbot.keyClick(tab.steps_table, Qt.Key.Key_Delete)
    assert asked == ["Plan"]
    assert stored_order(qtbot, unlocked, aim.id) == ["Shop", "Plan", "Cook"]
    answers[0] = True
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.keyClick(tab.steps_table, Qt.Key.Key_Delete)
    assert stored_order(qtbot, unlocked, aim.id) == ["Shop", "Cook"]
    # numbered 1, 2 again even though the stored positions now have a gap
    assert steps_shown(tab) == [("1", "Shop"), ("2", "Cook")]
    assert tab.goals_model.index(0, 3).data() == "0 of 2"

    # the context menu, opened from the keyboard (Menu key / Shift+F10) on the current step
    select_step(tab, "Cook")
    viewport = tab.steps_table.viewport()
    pos = QPoint(5, viewport.height() - 5)  # not on the current row: the menu follows the row
    QApplication.sendEvent(
        viewport,
        QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard,
            pos,
            viewport.mapToGlobal(pos),
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    menu = tab.step_menu
    assert menu.isVisible()
    assert menu.accessibleName() == "Step actions"
    entries = {a.text().replace("&", ""): a for a in menu.actions()}
    assert {k: a.isEnabled() for k, a in entries.items()} == {
        "Step done / not done": True,
        "Move step up": True,
        "Move step down": False,  # it is last
        "Remove step…": True,
    }
    assert entries["Move step up"].shortcut().toString() == "Alt+Up"
    assert entries["Remove step…"].shortcut().toString() == "Del"
    assert tab.current_step().description == "Cook"  # the menu did not pick another row
    menu.close()
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        entries["Remove step…"].trigger()
    assert stored_order(qtbot, unlocked, aim.id) == ["Shop"]
    assert asked == ["Plan", "Plan", "Cook"]
    assert steps_shown(tab) == [("1", "Shop")]


def test_enter_on_the_remove_question_keeps_the_step(qtbot: Any, unlocked: Any) -> None:
    """The question's default was Yes: a tired Enter took the step away."""
    ailsa = person(qtbot, unlocked)
    aim = goal(qtbot, unlocked, ailsa.id, "Cook twice a week", steps=["Shop", "Plan"])
    tab = open_goals(qtbot, unlocked, ailsa.id).goals
    select_step(tab, "Plan")
    seen: dict[str, Any] = {}

    def enter() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, enter)
            return
        default = box.defaultButton()
        seen["default"] = default.text() if default is not None else "(none)"
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, enter)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert stored_order(qtbot, unlocked, aim.id) == ["Shop", "Plan"]
    assert seen["default"].replace("&", "") == "No"
