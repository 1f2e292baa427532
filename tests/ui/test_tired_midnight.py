"""A tired worker records last night's contact at ten past midnight: they change only the
time to 23:50, and the day stays today. It was saved as attended almost a day ahead (the
check for a contact still to come looked at the day, not the time). The Record contact
dialog now says so before it closes, and asks for the day as well."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linksdesk.core.vocab import ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog, later_today

pytestmark = pytest.mark.gui

S = ContactStatus


def test_a_time_later_today_is_refused_for_an_outcome_not_for_a_cancellation() -> None:
    now = dt.datetime(2026, 12, 7, 0, 10)
    tonight = dt.datetime(2026, 12, 7, 23, 50)
    said = later_today(tonight, S.ATTENDED, str, now)
    assert said is not None and said.startswith("23:50 today is still to come")
    assert later_today(tonight, S.DID_NOT_ATTEND, str, now) is not None
    assert later_today(tonight, S.CANCELLED, str, now) is None  # cancelled ahead: allowed
    assert later_today(tonight - dt.timedelta(days=1), S.ATTENDED, str, now) is None
    # a meeting running over, a clock a little slow: within the hour is kept as typed
    assert later_today(now + dt.timedelta(minutes=50), S.ATTENDED, str, now) is None


def test_the_record_contact_dialog_asks_before_it_closes(qtbot: Any) -> None:
    dialog = ContactDialog(schedule=False)  # its outcome: attended
    qtbot.addWidget(dialog)
    now = dt.datetime.now().replace(second=0, microsecond=0)
    ahead = now + dt.timedelta(hours=2)
    if ahead.date() == now.date():
        dialog.widget("at").set_value(ahead)  # type: ignore[attr-defined]
        problem = dialog.problem() or ""
        assert problem.startswith(f"{ahead:%H:%M} today is still to come"), problem
    else:  # after 22:00: the same time yesterday is what they meant, and is kept
        dialog.widget("at").set_value(ahead - dt.timedelta(days=1))  # type: ignore[attr-defined]
        assert dialog.problem() is None
