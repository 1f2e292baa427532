"""The Referrals tab shows the day each step of an onward referral was taken, and Update
status asks on which day the new step was taken: a day before the last step keeps the dialog
open with what was typed; the day of suggestion stays when the referral is made. Synthetic
data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import person, resource, settle
from shell_kit import call_casework

from linksdesk.casework import onward
from linksdesk.core.vocab import OnwardKind, OnwardStatus
from linksdesk.ui.dialogs.onward import OnwardUpdateDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

TODAY = dt.date.today()
SUGGESTED = TODAY - dt.timedelta(days=12)
MADE = TODAY - dt.timedelta(days=3)


def short(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def test_making_a_suggestion_keeps_the_day_it_was_suggested(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    ailsa = person(qtbot, ui_session)
    place = resource(qtbot, ui_session, "Craigbank Library", "Reading group")
    o = call_casework(
        qtbot, ui_session, onward.refer_onward, ailsa.id, place.id, OnwardKind.REFERRAL,
        on=SUGGESTED,
    ).value  # fmt: skip
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(ailsa.id)
    view.tabs.setCurrentWidget(view.referrals)
    tab = view.referrals
    model = tab.onward_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Suggested", "Made", "Resource"]
    assert [model.index(0, c).data() for c in range(2)] == [short(SUGGESTED), ""]

    seen: dict[str, Any] = {}

    def typed_a_day_too_early_then_the_right_one(dialog: OnwardUpdateDialog) -> None:
        seen["intro"] = " ".join(
            label.text() for label in dialog.findChildren(type(dialog.message))
        )
        dialog.widget("outcome").setPlainText("Phoned them for her")
        day = dialog.widget("on")
        day.edit.setText(short(SUGGESTED - dt.timedelta(days=1)))
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["refused"] = dialog.message.text() if dialog.isVisible() else ""
        seen["kept"] = dialog.widget("outcome").toPlainText()
        day.edit.setText(short(MADE))
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(typed_a_day_too_early_then_the_right_one, kind=OnwardUpdateDialog)
    tab.onward_table.setCurrentIndex(tab.onward_proxy.index(0, 0))
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        tab.update_button.click()
        finished(qtbot, state)
    settle(qtbot, ui_session)

    assert f"suggested {short(SUGGESTED)}" in seen["intro"]
    assert "cannot be before" in seen["refused"] and short(SUGGESTED) in seen["refused"]
    assert seen["kept"] == "Phoned them for her"  # nothing typed was lost
    [now] = call_casework(qtbot, ui_session, onward.list_onward_referrals, ailsa.id)
    assert (now.id, now.status, now.suggested_on, now.made_on) == (
        o.id, OnwardStatus.MADE, SUGGESTED, MADE,
    )  # fmt: skip
    # the tab shows both days at once, not after reopening the record
    assert [model.index(0, c).data() for c in range(2)] == [short(SUGGESTED), short(MADE)]
