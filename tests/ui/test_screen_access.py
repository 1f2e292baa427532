"""Every control on the screens and dialogs has a name a screen reader can say, and Tab
reaches every one of them, stopping only where there is something to do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import active, morning_of_a_booking, qt_part, record_dialogs, tab_problems
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from screens_kit import goal, resource, settle
from shell_kit import call_casework

from linksdesk.casework import measures, notes, onward, referrals
from linksdesk.core.vocab import (
    MeasureContext,
    MeasureKind,
    OnwardKind,
    ParticipantStatus,
    ReferralSource,
)
from linksdesk.ui.dialogs import in_error
from linksdesk.ui.dialogs.contact import ContactDialog, OutcomeDialog
from linksdesk.ui.dialogs.erasure import ErasureDialog
from linksdesk.ui.dialogs.goal import GoalDialog
from linksdesk.ui.dialogs.in_error import InErrorDialog
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.dialogs.onward import OnwardDialog, OnwardUpdateDialog
from linksdesk.ui.dialogs.participant import ParticipantDialog, StatusDialog
from linksdesk.ui.dialogs.person_chooser import PersonChooser
from linksdesk.ui.dialogs.record import (
    ConsentDialog,
    RelationshipDialog,
)
from linksdesk.ui.dialogs.resource import ResourceDialog
from linksdesk.ui.views.caseload import CaseloadView
from linksdesk.ui.views.diary import DiaryView
from linksdesk.ui.views.participant import ParticipantView
from linksdesk.ui.views.resources import ResourcesView
from linksdesk.ui.views.today import TodayView

pytestmark = pytest.mark.gui

CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or w.parent() is None:
            continue
        if isinstance(w, QHeaderView) or qt_part(w):
            continue
        name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not name.replace("&", "").strip():
            missing.append(f"{type(w).__name__} in {type(w.parentWidget()).__name__}")
    return missing


def test_every_control_on_every_screen_and_dialog_has_an_accessible_name(
    qtbot: Any, ui_session: Any
) -> None:
    roots: list[QWidget] = [
        TodayView(ui_session),
        CaseloadView(ui_session),
        DiaryView(ui_session),
        ResourcesView(ui_session),
        ParticipantView(ui_session),
        ParticipantDialog(),
        StatusDialog(ParticipantStatus.ACTIVE),
        ContactDialog(schedule=True),
        GoalDialog(),
        ConsentDialog(None),
        RelationshipDialog(),
        ResourceDialog(),
        ErasureDialog("P1001", {"case notes": 2}),
        MeasureDialog(MeasureKind.WEMWBS),
        MeasureDialog(MeasureKind.ONS4),
    ]
    problems: dict[str, list[str]] = {}
    for root in roots:
        qtbot.addWidget(root)
        missing = unnamed(root)
        if missing:
            problems[type(root).__name__] = missing
    assert problems == {}


def test_tab_reaches_every_control_of_every_page_and_stops_only_at_named_ones(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    """Each page with something in every list, walked by Tab from the navigation."""
    window = unlocked_window
    active(qtbot, window)
    settle(qtbot, ui_session)
    # an empty Today first: its lists hidden, what is left still in reach
    problems = {"empty today": tab_problems(qtbot, window, window.search_button)}
    who, _booked = morning_of_a_booking(qtbot, ui_session)
    goal(qtbot, ui_session, who.id, "Walk to the shop", review_on=dt.date.today())
    resource(qtbot, ui_session, "Craigbank Library", "Chair yoga")
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    for key in ("today", "caseload", "diary", "resources", "record"):
        window.show_view(key)
        settle(qtbot, ui_session)
        problems[key] = tab_problems(qtbot, window, window.search_button)
    tabs = window.participant_view.tabs
    for i in range(1, tabs.count()):
        tabs.setCurrentIndex(i)
        settle(qtbot, ui_session)
        problems[tabs.tabText(i)] = tab_problems(qtbot, window, window.search_button)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.lock()
    passphrase = window.unlock_screen.open_page.passphrase
    problems["unlock"] = tab_problems(qtbot, window.unlock_screen, passphrase)
    assert {k: v for k, v in problems.items() if v} == {}


def test_tab_in_every_dialog_of_the_day_stops_only_at_named_controls(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    window = unlocked_window
    who, booked = morning_of_a_booking(qtbot, ui_session)
    g = goal(qtbot, ui_session, who.id, "Walk to the shop")
    place = resource(qtbot, ui_session, "Craigbank Library", "Chair yoga")
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view = window.participant_view
    dialogs: list[QDialog] = [
        *record_dialogs(view, g),
        OutcomeDialog(booked, parent=view.timeline),
        OnwardDialog([place], view.referrals),
        ParticipantDialog(parent=window),
        PersonChooser(ui_session, "Record contact", window),
    ]
    problems: dict[str, list[str]] = {}
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        active(qtbot, dialog)
        settle(qtbot, ui_session)
        start = dialog.focusWidget()
        assert start is not None, type(dialog).__name__
        problems[type(dialog).__name__] = tab_problems(qtbot, dialog, start)
        dialog.hide()
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_dialogs_that_put_an_entry_right_are_named_and_reached_by_tab(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    """Entered in error (a contact, a score, a case note, a referral in, a goal), the person
    chooser of Move to the right record, and an onward referral's Update status."""
    window = unlocked_window
    who, booked = morning_of_a_booking(qtbot, ui_session)
    g = goal(qtbot, ui_session, who.id, "Walk to the shop")
    place = resource(qtbot, ui_session, "Craigbank Library", "Chair yoga")
    note = call_casework(qtbot, ui_session, notes.write_note, who.id, "Phoned her").value
    referral = call_casework(
        qtbot, ui_session, referrals.record_referral, who.id, source=ReferralSource.GP
    ).value
    sent = call_casework(
        qtbot, ui_session, onward.refer_onward, who.id, place.id, OnwardKind.REFERRAL
    ).value
    score = call_casework(
        qtbot, ui_session, measures.record_measure, who.id, MeasureKind.ONS4, [7, 6, 5, 3],
        context=MeasureContext.BASELINE,
    ).value  # fmt: skip
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view = window.participant_view
    dialogs: list[QDialog] = [
        InErrorDialog(in_error.contact_marking(booked, has_note=True), view.timeline),
        InErrorDialog(in_error.score_marking(score, "7, 6, 5, 3"), view.wellbeing),
        InErrorDialog(in_error.note_marking(note), view.timeline),
        InErrorDialog(in_error.referral_marking(referral), view.referrals),
        InErrorDialog(in_error.goal_marking(g), view.goals),
        OnwardUpdateDialog(sent, view.referrals),
        PersonChooser(ui_session, "Move case note", view, other_than=who.id),
    ]
    problems: dict[str, list[str]] = {}
    for i, dialog in enumerate(dialogs):
        qtbot.addWidget(dialog)
        dialog.show()
        active(qtbot, dialog)
        settle(qtbot, ui_session)
        start = dialog.focusWidget()
        assert start is not None, type(dialog).__name__
        found = unnamed(dialog) + tab_problems(qtbot, dialog, start)
        if found:
            problems[f"{i} {type(dialog).__name__}"] = found
        dialog.hide()
    assert problems == {}
