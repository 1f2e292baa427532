"""Helpers for the links worker's day tests: modal dialogs driven by keys, key presses counted,
the Tab order walked and what a screen reader calls each stop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from screens_kit import person, schedule, settle
from shell_kit import call_casework
from shiboken6 import Shiboken

from linksdesk.casework import contacts
from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.ui.dialogs.in_error import InErrorDialog
from linksdesk.ui.dialogs.person_chooser import PersonChooser


def on_modal(fn: Callable[[Any], None], *, kind: type | None = None) -> dict[str, Any]:
    """Run ``fn(dialog)`` once a modal dialog (of ``kind``) is up; the dict says how it went."""
    state: dict[str, Any] = {}

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if w is None or (kind is not None and not isinstance(w, kind)):
            QTimer.singleShot(10, poll)
            return
        state["dialog"] = w
        # as a window manager would: the dialog is the active window, keys go to its focus
        w.activateWindow()
        for _ in range(50):
            if QApplication.activeWindow() is w:
                break
            QApplication.processEvents()
        state["active"] = QApplication.activeWindow() is w
        state["title"] = w.windowTitle()
        try:
            fn(w)
        except BaseException as exc:  # the test fails on it after the dialog is gone
            state["error"] = exc
            shut(w)

        def still_open() -> None:
            if Shiboken.isValid(w) and w.isVisible():  # (a question's box is deleted once shut)
                state.setdefault("error", AssertionError("the dialog did not close"))
                shut(w)
            state["done"] = True

        QTimer.singleShot(2000 if w.isVisible() else 0, still_open)

    QTimer.singleShot(0, poll)
    return state


def active(qtbot: Any, w: QWidget) -> None:
    """As a window manager would (a dialog closed, the window clicked): ``w`` is the active
    window and its focus widget has the keyboard again."""
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    if QApplication.focusWidget() is None and w.focusWidget() is not None:
        # offscreen, a window active already is not activated again when a dialog over it
        # closes; a window system gives the window's focus widget its focus back then
        w.focusWidget().setFocus(Qt.FocusReason.ActiveWindowFocusReason)


def shut(w: QWidget) -> None:
    """Close a dialog left open by a failing test without asking anything (its reject may ask
    whether to discard what was typed, and nobody would answer)."""
    if isinstance(w, QDialog):
        w.done(QDialog.DialogCode.Rejected)
    else:
        w.close()


def finished(qtbot: Any, state: dict[str, Any]) -> dict[str, Any]:
    qtbot.waitUntil(lambda: state.get("done", False), timeout=20_000)
    if "error" in state:
        raise state["error"]
    return state


def marked_from_the_keyboard(
    qtbot: Any, session: Any, tab: Any, table: Any, button: Any, why: str, named: str
) -> None:
    """On the open record's ``tab``, choose the first row of ``table`` and press its
    "Entered in error…" ``button`` from the keyboard; the dialog is answered with the reason
    ``why`` (a key of its choices) and OK. Before anything was written it named the person
    (``named``) and said what would happen."""
    tab.view.tabs.setCurrentWidget(tab)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    assert button.isEnabled() and button.text() == "Entered in error…"
    said: dict[str, str] = {}

    def answer(dialog: InErrorDialog) -> None:
        said["title"] = dialog.windowTitle()
        said["text"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
        box = dialog.widget("why")
        box.setCurrentIndex(box.findData(why))
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    state = on_modal(answer, kind=InErrorDialog)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)  # from the keyboard, as every button is
    finished(qtbot, state)
    settle(qtbot, session)
    assert named in said["title"]
    for words in ("Nothing is deleted", "struck through", "GP summary", "syncs"):
        assert words in said["text"], words


def contact_menu(qtbot: Any, window: Any, participant_id: str, contact_id: str) -> dict[str, Any]:
    """The record opened on its Timeline, one contact chosen: its right-click menu's actions,
    by their words (mnemonic marks left out)."""
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(participant_id)
    view.timeline.select_id(contact_id)
    menu = view.timeline.context_menu(view.timeline.current_item())
    return {a.text().replace("&", ""): a for a in menu.actions()}


def today_row_menu(today: Any, section: str, model: int) -> Any:
    """Right-click (mouse) on the first row of one of Today's lists (``section``, shown by
    proxy ``model``): the menu it opens, still open."""
    table = getattr(today, section).table
    pos = table.visualRect(today.proxies[model].index(0, 1)).center()
    QApplication.sendEvent(
        table.viewport(),
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, table.viewport().mapToGlobal(pos)),
    )
    return today.row_menu


def move_note_to(qtbot: Any, session: Any, timeline: Any, typed: str) -> None:
    """Move the Timeline's selected case note with Move to the right record…, choosing the
    person as a worker does: part of their name typed, then Enter."""

    def choose(dialog: PersonChooser) -> None:
        qtbot.keyClicks(dialog.filter_edit, typed)
        qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Return)

    state = on_modal(choose, kind=PersonChooser)
    qtbot.mouseClick(timeline.move_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, session)


def record_contact_with(qtbot: Any, window: Any, fill: Callable[[Any], None]) -> None:
    """Record contact… on the open record, the dialog filled (and closed) by ``fill``."""
    from linksdesk.ui.dialogs.contact import ContactDialog

    state = on_modal(fill, kind=ContactDialog)
    qtbot.mouseClick(window.participant_view.timeline.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)


class Keys:
    """Simulated key presses, counted; text typed into a field is not counted."""

    def __init__(self, qtbot: Any, window: QWidget | None = None) -> None:
        self.qtbot = qtbot
        self.window = window
        self.presses = 0

    def target(self, widget: QWidget | None) -> QWidget:
        found = widget or QApplication.focusWidget() or self.window
        assert found is not None
        return found

    def press(
        self,
        key: Qt.Key,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        widget: QWidget | None = None,
    ) -> None:
        self.presses += 1
        if modifier & Qt.KeyboardModifier.ShiftModifier:
            # as the keyboard sends it: one key sequence (a Shift+letter keyClick does not
            # reach a window shortcut on the offscreen platform)
            QTest.keySequence(self.target(widget), QKeySequence(modifier.value | key.value))
        else:
            self.qtbot.keyClick(self.target(widget), key, modifier)

    def type(self, text: str, widget: QWidget | None = None) -> None:
        """Typing text (lines split by newline; each line's Return is part of the text)."""
        target = self.target(widget)
        for i, line in enumerate(text.split("\n")):
            if i:
                self.qtbot.keyClick(target, Qt.Key.Key_Return)
            self.qtbot.keyClicks(target, line)


def booked_now() -> dt.datetime:
    """A booking a few minutes from now, on today's date whatever the hour."""
    now = dt.datetime.now().replace(second=0, microsecond=0)
    later = now + dt.timedelta(minutes=5)
    return later if later.date() == now.date() else now


def morning_of_a_booking(qtbot: Any, session: Any, given: str = "Ailsa") -> tuple[Any, Any]:
    """A person with three appointments attended and today's booked one (4 of 6 used)."""
    who = person(qtbot, session, given, "Testington")
    for weeks in (3, 2, 1):
        call_casework(
            qtbot,
            session,
            contacts.record_contact,
            who.id,
            kind=ContactKind.APPOINTMENT,
            at=dt.datetime.now().replace(microsecond=0) - dt.timedelta(weeks=weeks),
            status=ContactStatus.ATTENDED,
        )
    booked = schedule(qtbot, session, who.id, booked_now(), venue="Craigbank Library")
    return who, booked


def stored(qtbot: Any, session: Any, pid: str) -> tuple[list[Any], Any, list[Any]]:
    """What the vault holds for the person: contacts, appointment use, notes."""
    from linksdesk.casework import notes

    return (
        call_casework(qtbot, session, contacts.list_contacts, pid),
        call_casework(qtbot, session, contacts.appointment_use, pid),
        call_casework(qtbot, session, notes.list_notes, pid),
    )


def today_at_a_booking(qtbot: Any, window: Any, session: Any) -> tuple[Any, Any, Any]:
    """This morning's booking (``morning_of_a_booking``), on Today with its row selected;
    returns the person, the booking and the Today view."""
    who, booked = morning_of_a_booking(qtbot, session)
    window.show_view("today")
    today = window.today_view
    settle(qtbot, session)
    select_todays_row(today)
    return who, booked, today


def select_todays_row(today: Any) -> None:
    today.todays_section.table.setFocus()
    today.todays_section.table.setCurrentIndex(today.proxies[0].index(0, 0))


def qt_part(w: QWidget) -> bool:
    """Qt's own inner parts: a line edit's clear button, combo popups, calendar, spin boxes."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QLineEdit | QAbstractSpinBox | QCalendarWidget):
            return True
        if parent.inherits("QComboBoxPrivateContainer") or (
            isinstance(parent, QAbstractItemView) and isinstance(w, QAbstractButton)
        ):
            return True  # a combo box's popup list, a table's corner button
        parent = parent.parentWidget()
    return False


def spoken_name(w: QWidget) -> str:
    """What a screen reader calls ``w``: its accessible name, else the text of the label it
    is the buddy of, else a button's own text (without its &)."""
    name = w.accessibleName()
    if not name:
        labels = w.window().findChildren(QLabel)
        name = next((label.text() for label in labels if label.buddy() is w), "")
    if not name and isinstance(w, QAbstractButton):
        name = w.text()
    if not name and isinstance(w, QTabBar):
        name = w.tabText(w.currentIndex())  # said with the tab that has the focus
    return name.replace("&", "").strip()


def where(w: QWidget) -> str:
    return f"{type(w).__name__} {spoken_name(w)!r} in {type(w.parentWidget()).__name__}"


def focus_named(root: QWidget | None = None) -> QWidget:
    """The widget with the focus (inside ``root`` when given): asserted to be a control with
    a name, never a bare container such as a scroll area."""
    w = QApplication.focusWidget()
    assert w is not None, "nothing has the focus"
    assert root is None or w is root or root.isAncestorOf(w), where(w)
    assert not bare(w) and spoken_name(w), where(w)
    return w


def bare(w: QWidget) -> bool:
    """A focus stop that is only a frame around other things (a scroll area): nothing to do
    there, and nothing a screen reader can say."""
    controls = QAbstractItemView | QPlainTextEdit | QTextEdit
    return isinstance(w, QAbstractScrollArea) and not isinstance(w, controls)


def tab_stops(qtbot: Any, start: QWidget, *, back: bool = False, limit: int = 200) -> list[QWidget]:
    """The widgets Tab (Shift+Tab if ``back``) stops at, from ``start`` round to it again
    (or to a stop met before)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    key = Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab
    shift = Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier
    stops: list[QWidget] = []
    for _ in range(limit):
        w = QApplication.focusWidget()
        assert w is not None, "the focus went nowhere"
        if w in stops:
            return stops
        stops.append(w)
        qtbot.keyClick(w, key, shift)
    raise AssertionError("Tab never came round")


def tab_problems(qtbot: Any, root: QWidget, start: QWidget) -> list[str]:
    """What is wrong with the Tab order in ``root`` walked from ``start`` (Tab, then Shift+Tab):
    stops without a name or with nothing to do, and controls a worker can see but Tab never
    reaches."""
    stops = tab_stops(qtbot, start)
    back = [w for w in tab_stops(qtbot, start, back=True) if w not in stops]
    problems = [f"stop: {where(w)}" for w in stops + back if bare(w) or not spoken_name(w)]
    for w in root.findChildren(QWidget):
        tabbed = w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None
        shown = w.isVisible() and w.isEnabled() and not qt_part(w) and not bare(w)
        if tabbed and shown and w not in stops:  # (a proxy takes the focus of its widget)
            problems.append(f"not reached: {where(w)}")
    return problems


def record_dialogs(view: Any, goal: Any) -> list[Any]:
    """One of each dialog that writes to the record open in ``view`` (``goal`` is one of its
    goals), made over the tab it is opened from."""
    from linksdesk.core.vocab import MeasureKind
    from linksdesk.ui.dialogs.contact import ContactDialog
    from linksdesk.ui.dialogs.goal import GoalDialog, ReviewDialog, StepDialog
    from linksdesk.ui.dialogs.measure import MeasureDialog
    from linksdesk.ui.dialogs.record import ConcernDialog, ConsentDialog, ReferralDialog

    return [
        ContactDialog(False, parent=view.timeline),
        ContactDialog(True, parent=view.timeline),
        GoalDialog(view.goals),
        StepDialog(view.goals),
        ReviewDialog(goal, view.goals),
        MeasureDialog(MeasureKind.WEMWBS, parent=view.wellbeing),
        ConsentDialog(None, view.profile),
        ReferralDialog(view.referrals),
        ConcernDialog(["Loneliness"], view.referrals),
    ]
