"""Outside check 18: a day and month typed without a year, in the window, near the year's end.

A booking typed "6/1" in December was put on last January's 6th (and shown in nobody's
diary), a goal's review "6/1" was refused as before the goal was set, and a score dated
"28/12" on a January morning was refused as after today. The user guide: a field that looks
ahead reads a yearless day as the next such day; one about the past as the latest such day
not after today. Each test types a day that is on the other side of today from the one
meant, so it fails on the old reading on every day but one of the year (1 January for the
days ahead, 31 December for the score), and runs on that day too: nothing is skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import on_record_tab, settle
from shell_kit import call_casework
from test_outside17_measure_dates import save
from test_tired_kept_forms import tick

from linksdesk.casework import contacts, goals, measures
from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.dialogs.goal import GoalDialog
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def such_day(m: int, d: int, today: dt.date, *, ahead: bool) -> dt.date:
    """The next such day from today (ahead), or the latest not after it: the guide's rule,
    worked out here on its own, year by year."""
    years = range(today.year, today.year + 9) if ahead else range(today.year, today.year - 9, -1)
    for year in years:
        try:
            day = dt.date(year, m, d)
        except ValueError:  # 29 February in a year without one
            continue
        if (day >= today) if ahead else (day <= today):
            return day
    raise AssertionError("no such day")


def yesterday() -> dt.date:
    """Yesterday, to be typed without its year: on every day but 1 January the next such day
    is a year on, so the old reading (this year's) put the booking in the past."""
    return dt.date.today() - dt.timedelta(days=1)


def press_ok(qtbot: Any, dialog: Any) -> None:
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_a_booking_typed_without_its_year_is_the_next_such_day(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    day = yesterday()
    who = on_record_tab(qtbot, unlocked_window, ui_session, "timeline")
    seen: dict[str, Any] = {}

    def book(dialog: ContactDialog) -> None:
        when = dialog.widget("at")
        when.edit.clear()
        qtbot.keyClicks(when.edit, f"{day.day}/{day.month}")
        when.time_edit.clear()
        qtbot.keyClicks(when.time_edit, "10:00")
        seen["read"] = when.reading.text()
        press_ok(qtbot, dialog)
        seen["open"] = dialog.isVisible()

    state = on_modal(book, kind=ContactDialog)
    timeline = unlocked_window.participant_view.timeline
    qtbot.mouseClick(timeline.schedule_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    meant = such_day(day.month, day.day, dt.date.today(), ahead=True)
    assert str(meant.year) in seen["read"], seen["read"]
    (booked,) = call_casework(qtbot, ui_session, contacts.list_contacts, who.id)
    assert booked.status is ContactStatus.SCHEDULED
    assert booked.at == dt.datetime.combine(meant, dt.time(10))


def test_a_goals_review_typed_without_its_year_is_the_next_such_day(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    day = yesterday()
    who = on_record_tab(qtbot, unlocked_window, ui_session, "goals")
    seen: dict[str, Any] = {}

    def set_goal(dialog: GoalDialog) -> None:
        dialog.set_values({"title": "Walk to the allotment twice a week"})
        review = dialog.widget("review_on")
        review.edit.clear()
        qtbot.keyClicks(review.edit, f"{day.day} {day:%b}")
        press_ok(qtbot, dialog)
        seen["said"] = dialog.message.text()

    state = on_modal(set_goal, kind=GoalDialog)
    qtbot.mouseClick(unlocked_window.participant_view.goals.set_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    kept = call_casework(qtbot, ui_session, goals.list_goals, who.id)
    meant = such_day(day.month, day.day, dt.date.today(), ahead=True)
    assert [g.review_on for g in kept] == [meant], seen.get("said")


def test_a_score_dated_without_its_year_is_the_latest_such_day_gone(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    # tomorrow, typed without its year: on every day but 31 December the latest such day is
    # a year ago, so the old reading (this year's) was refused as after today
    today = dt.date.today()
    day = today + dt.timedelta(days=1)
    who = on_record_tab(qtbot, unlocked_window, ui_session, "wellbeing")
    seen: dict[str, Any] = {}

    def score(dialog: MeasureDialog) -> None:
        tick(dialog, [4] * 14)
        dialog.date_edit.edit.clear()
        qtbot.keyClicks(dialog.date_edit.edit, f"{day.day}/{day.month}")
        save(qtbot, dialog)
        seen["said"] = dialog.message.text()

    state = on_modal(score, kind=MeasureDialog)
    view = unlocked_window.participant_view
    qtbot.mouseClick(view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    saved = call_casework(qtbot, ui_session, measures.list_measures, who.id)
    meant = such_day(day.month, day.day, today, ahead=False)
    assert [m.taken_on for m in saved] == [meant], seen.get("said")
