"""A worker locks on Friday with the Diary on this week, and unlocks on Monday: the Diary
still showed last week, so Monday's bookings were not where they looked. The Diary shown as
"this week" follows the week; a week the worker went to stays shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from screens_kit import settle, unlock_again

from linksdesk.ui.session import UiSession
from linksdesk.ui.views.diary import week_start

pytestmark = pytest.mark.gui


def lock_and_unlock(qtbot: Any, window: Any, session: UiSession) -> None:
    with qtbot.waitSignal(session.sig_locked, timeout=20_000):
        session.lock()
    unlock_again(qtbot, window, session)
    window.show_view("diary")
    settle(qtbot, session)


def test_this_week_follows_the_week_a_week_gone_to_stays(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    window.show_view("diary")
    settle(qtbot, ui_session)
    diary = window.diary_view
    monday = week_start(dt.date.today())
    assert diary.start == monday
    # the page as it was built on the Friday before: showing its "this week"
    friday_week = monday - dt.timedelta(days=7)
    diary.start = diary._this_week = friday_week
    lock_and_unlock(qtbot, window, ui_session)
    assert diary.start == monday
    assert f"{monday.day} {monday:%B %Y}" in diary.title.text()

    diary.next_button.click()  # the worker goes to next week: it stays there
    settle(qtbot, ui_session)
    lock_and_unlock(qtbot, window, ui_session)
    assert diary.start == monday + dt.timedelta(days=7)
