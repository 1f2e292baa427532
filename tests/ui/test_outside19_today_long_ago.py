"""Outside check 19: a booking whose outcome was never recorded stays on Today however old.

"Outcomes to record" looked back four weeks only. A worker back from five weeks' leave (or
who simply missed one) found last month's booking gone from it, the list saying "Every past
contact has its outcome recorded." — while the booking stayed "scheduled" in the record,
counted in no figure as attended or missed, and nothing would ever ask for it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from screens_kit import person, schedule, settle

from linksdesk.ui.session import UiSession
from linksdesk.ui.views.today import TodayView

pytestmark = pytest.mark.gui


def test_a_booking_left_without_its_outcome_for_five_weeks_is_still_to_record(
    qtbot: Any, unlocked: UiSession
) -> None:
    who = person(qtbot, unlocked)
    long_ago = dt.datetime.combine(dt.date.today() - dt.timedelta(weeks=5), dt.time(10))
    booked = schedule(qtbot, unlocked, who.id, long_ago)
    view = TodayView(unlocked)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    settle(qtbot, unlocked)
    assert [e.contact_id for e in view.follow_model.rows()] == [booked.id]
    assert "overdue 5 weeks" in view.follow_model.index(0, 0).data()
    assert not view.follow_section.empty.isVisible()  # never "every outcome is recorded"
