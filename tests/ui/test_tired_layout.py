"""A very long name at 1200×780: the record's header and Today's row still read whole."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QStyle
from screens_kit import person, schedule, settle
from shell_kit import call_casework

from linksdesk.casework import contacts, participants
from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

GIVEN = "Maria-Magdalena Alexandrina Philippa-Josephine"
FAMILY = "Featherstonehaugh-Cholmondeley-Wolfeschlegelsteinhausen"


def long_named(qtbot: Any, session: UiSession) -> Any:
    who = call_casework(
        qtbot, session, participants.create_participant, given_name=GIVEN, family_name=FAMILY
    ).value
    at = dt.datetime.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=30)
    if at.date() != dt.date.today():
        at = dt.datetime.now().replace(second=0, microsecond=0)
    schedule(qtbot, session, who.id, at, venue="Craigbank Community Wellbeing Centre, Room 3")
    return who


def inside(widget: Any, outer: Any) -> bool:
    """``widget`` is drawn whole inside ``outer`` (not cut at its right edge)."""
    right = widget.mapTo(outer, widget.rect().topRight()).x()
    return widget.width() >= widget.sizeHint().width() and right <= outer.width()


def record_at_1200(qtbot: Any, window: Any, session: UiSession, who: Any) -> Any:
    """``who``'s record open in the window at 1200×780 (its smallest comfortable size)."""
    window.resize(1200, 780)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    settle(qtbot, session)
    return window.participant_view


def test_a_long_name_ends_in_an_ellipsis_and_leaves_the_consent_chips_whole(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    view = record_at_1200(qtbot, window, ui_session, long_named(qtbot, ui_session))
    qtbot.waitUntil(lambda: view.name_label.isVisible())
    assert window.minimumSizeHint().width() <= 1200  # the name does not widen the window
    for chip in view.consent_chips.values():
        assert inside(chip, view), chip.text()
    assert inside(view.appointments_label, view)
    shown = view.name_label.shown_text()
    assert shown.startswith(GIVEN) and shown.endswith("…")  # never cut mid-word unmarked
    assert view.name_label.text() == f"{GIVEN} {FAMILY}"  # the whole name kept
    assert FAMILY in view.name_label.accessibleName()  # screen readers read it whole


def test_todays_row_for_a_long_name_is_not_hidden_behind_a_scroll_bar(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    window.resize(1200, 780)
    long_named(qtbot, ui_session)
    window.show_view("today")
    settle(qtbot, ui_session)
    table = window.today_view.todays_section.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    qtbot.wait(300)
    header = table.horizontalHeader()
    name_column = header.sectionSize(1)
    assert name_column <= 400  # the name is shortened in its middle, the venue keeps its room
    assert name_column + header.sectionSize(0) < table.viewport().width() // 2
    assert table.viewport().height() >= table.rowHeight(0)  # the row is seen whole

    # narrower (the smallest window): a scroll bar, and the row still seen whole above it
    window.resize(760, 600)
    qtbot.waitUntil(lambda: table.horizontalScrollBar().isVisible())
    qtbot.wait(50)
    assert table.viewport().height() >= table.rowHeight(0)


def test_the_timeline_says_did_not_attend_and_not_reached_whole(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """ "Appointment — Did not atte…": the outcome, the word a worker looks for, was cut."""
    window = unlocked_window
    who = person(qtbot, ui_session)
    at = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    for kind in (ContactKind.SUPPORTED_VISIT, ContactKind.APPOINTMENT, ContactKind.HOME_VISIT):
        call_casework(
            qtbot, ui_session, contacts.record_contact, who.id,
            kind=kind, at=at, status=ContactStatus.DID_NOT_ATTEND,
        )  # fmt: skip
    call_casework(qtbot, ui_session, contacts.record_attempted_contact, who.id, at=at)
    table = record_at_1200(qtbot, window, ui_session, who).timeline.table
    metrics = table.fontMetrics()
    whats = [table.model().index(r, 1).data() for r in range(table.model().rowCount())]
    assert len(whats) == 4 and "Attempted contact — Not reached" in whats
    room = table.columnWidth(1) - 2 * table.style().pixelMetric(
        QStyle.PixelMetric.PM_FocusFrameHMargin
    )
    cut = [w for w in whats if metrics.horizontalAdvance(w) > room - 2]
    assert cut == []
    assert table.horizontalHeader().sectionSize(3) > 150  # the detail keeps its room
