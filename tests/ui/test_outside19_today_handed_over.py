"""Outside check 19: a case handed to a colleague stays off Today's lists of bookings.

Today's goal reviews, onward referrals waiting and "Not seen for a while" leave out a case
handed over to another links worker (no longer this worker's to chase); its bookings did not.
Today's contacts and "Outcomes to record" kept listing them, with every outcome offered: a
tired worker typed the case note into Record outcome, pressed Ctrl+Enter, the dialog closed,
and only then was the write refused (the record here is read-only) — the note was gone, and
"Outcomes to record" nagged about a booking nobody here may record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import today_at_a_booking
from screens_kit import schedule, settle
from shell_kit import on_db_thread
from test_screen_read_only import hand_over_keeping_a_copy

from linksdesk.core.changes import Changes
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_a_handed_over_cases_bookings_leave_todays_lists(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who, _booked, today = today_at_a_booking(qtbot, window, ui_session)
    missed = dt.datetime.combine(dt.date.today() - dt.timedelta(days=2), dt.time(9))
    schedule(qtbot, ui_session, who.id, missed)  # its outcome never recorded
    if dt.date.today().weekday() < 6:
        schedule(
            qtbot,
            ui_session,
            who.id,
            dt.datetime.combine(dt.date.today(), dt.time(9)) + dt.timedelta(days=1),
        )
    today.refresh()
    settle(qtbot, ui_session)
    assert today.todays_model.rowCount() == 1 and today.follow_model.rowCount() == 1

    # the handover arrives with a sync while Today is on screen
    cb = ui_session.require_casebook()
    on_db_thread(qtbot, ui_session, hand_over_keeping_a_copy, cb, who.id)
    ui_session.sig_changed.emit(Changes())  # what a finished sync announces
    settle(qtbot, ui_session)
    listed = [
        (name, model.rowCount())
        for name, model in (
            ("today", today.todays_model),
            ("later this week", today.week_model),
            ("outcomes to record", today.follow_model),
        )
    ]
    assert listed == [("today", 0), ("later this week", 0), ("outcomes to record", 0)]
    # the Diary still shows the week as it was, read-only
    window.show_view("diary")
    settle(qtbot, ui_session)
    assert who.id in window.diary_view.read_only
    assert any(e.participant_id == who.id for e in window.diary_view.model.rows())
