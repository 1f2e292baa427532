"""A worker records "Referred to" an advice centre on the wrong participant. There was no way
to put it right: it stayed in that person's GP summary and own record, on Today's list of
referrals waiting for an outcome, in the resource's demand and the supervisor's figures. Now
the Referrals tab's onward list has "Entered in error…" too: asked why, struck through,
counted nowhere, refused any further step, and the mark can be taken off. Synthetic data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import marked_from_the_keyboard
from PySide6.QtCore import Qt
from screens_kit import person, resource, settle
from shell_kit import call_casework

from linksdesk.casework import consent, gp_summary, lists, onward, resources
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import MarkedInErrorError
from linksdesk.core.vocab import ENTERED_IN_ERROR, ConsentScope, OnwardKind, OnwardStatus
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

MADE = dt.date.today() - dt.timedelta(days=3)
WRONG = "Recorded on the wrong participant"


def _what_counts(cb: Casebook, pid: str, resource_id: str) -> dict[str, Any]:
    """What the person's GP summary says (as the practice reads it), and whether the
    referral is on Today's waiting list, in the resource's demand and the report."""
    letter = gp_summary.export_gp_summary(cb, pid, "text").content
    demand = {d.resource_id: d.last_30_days for d in resources.resource_demand(cb)}
    month = Scope(Period.parse(f"{MADE:%Y-%m}"))
    table = (
        report_from_store(cb.store, month, audience=INTERNAL)
        .section("onward")
        .table("onward_by_month")
    )
    return {
        "letter": letter,
        "waiting": [w.onward_id for w in lists.awaiting_outcome(cb)],
        "demand": demand[resource_id],
        "reported": [r for r in table.rows if str(r[0]).startswith("Craigbank Advice")],
    }


def test_an_onward_referral_on_the_wrong_person_is_marked_and_counted_nowhere(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    wrong = person(qtbot, ui_session, "Morag", "Testington")
    call_casework(qtbot, ui_session, consent.record_consent, wrong.id, ConsentScope.GP, True)
    place = resource(qtbot, ui_session, "Craigbank Advice Centre", "Money advice")
    made = call_casework(
        qtbot, ui_session, onward.refer_onward, wrong.id, place.id, OnwardKind.REFERRAL,
        status=OnwardStatus.MADE, on=MADE,
    ).value  # fmt: skip
    before = call_casework(qtbot, ui_session, _what_counts, wrong.id, place.id)
    assert "Referred to Craigbank Advice Centre" in before["letter"]
    assert made.id in before["waiting"] and before["demand"] == 1 and before["reported"]

    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(wrong.id)
    tab = view.referrals
    button = tab.onward_error_button
    # it named the person and said what would happen before anything was written
    marked_from_the_keyboard(
        qtbot, ui_session, tab, tab.onward_table, button, "wrong_person", "Morag Testington"
    )
    [kept] = call_casework(qtbot, ui_session, onward.list_onward_referrals, wrong.id)
    assert kept.id == made.id and kept.in_error and kept.in_error_reason == WRONG
    assert kept.status is OnwardStatus.MADE  # what was recorded stays
    # struck through in the list, saying why in words; the button now takes the mark off
    row = tab.onward_model.row_of_id(made.id)
    assert tab.onward_model.index(row, 2).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert f"{ENTERED_IN_ERROR}: {WRONG}" in str(tab.onward_model.index(row, 5).data())
    tab.onward_table.setCurrentIndex(tab.onward_proxy.index(0, 0))
    assert button.text() == "Not in error after all…"

    after = call_casework(qtbot, ui_session, _what_counts, wrong.id, place.id)
    assert "Craigbank" not in after["letter"]
    assert "Onward referrals and signposting:\n    None." in after["letter"]
    assert made.id not in after["waiting"] and after["demand"] == 0 and not after["reported"]

    # it moves along no further: Update status says so, and so does casework
    tab.update_button.click()
    assert "entered in error" in view.message.text()
    with pytest.raises(MarkedInErrorError):
        call_casework(qtbot, ui_session, onward.update_onward, made.id, OnwardStatus.ATTENDED)

    # the mark was the mistake after all: taken off, it counts again as it was recorded
    tab.ask_restore = lambda entry: True  # type: ignore[method-assign]
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    again = call_casework(qtbot, ui_session, _what_counts, wrong.id, place.id)
    assert "Referred to Craigbank Advice Centre" in again["letter"]
    assert made.id in again["waiting"] and again["demand"] == 1
