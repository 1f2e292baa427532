"""Record contact… offered "Attempted contact" beside an outcome (attended, did not attend,
cancelled), minutes and venue: none of which an unanswered call has. A worker who had
picked "Did not attend" and then the attempt saved an attempt that did not attend."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import record_contact_with, stored
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox
from screens_kit import person, schedule, settle

from linksdesk.core.vocab import NOT_REACHED, ContactKind, ContactStatus
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.participant_timeline import TimelineTab

pytestmark = pytest.mark.gui


def test_an_attempt_has_no_outcome_to_choose_and_is_saved_as_an_attempt(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    shown: dict[str, Any] = {}

    def fill(dialog: ContactDialog) -> None:
        status, kind, minutes = (dialog.widget(k) for k in ("status", "kind", "minutes"))
        assert isinstance(status, QComboBox) and isinstance(kind, QComboBox)
        assert isinstance(minutes, QSpinBox)
        status.setCurrentIndex(status.findData(ContactStatus.DID_NOT_ATTEND))
        minutes.setValue(30)
        shown["before"] = [dialog.widget(k).isVisibleTo(dialog) for k in ("status", "minutes")]
        kind.setCurrentIndex(kind.findData(ContactKind.ATTEMPTED))
        shown["attempt"] = [
            dialog.widget(k).isVisibleTo(dialog) for k in ("status", "minutes", "venue")
        ]
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    record_contact_with(qtbot, window, fill)
    settle(qtbot, ui_session)

    assert shown["before"] == [True, True]
    assert shown["attempt"] == [False, False, False]  # no outcome, time or venue to choose
    (attempt,), _use, _notes = stored(qtbot, ui_session, who.id)
    # kept as the attempt button keeps it: attended (the attempt was made), no minutes
    assert attempt.kind is ContactKind.ATTEMPTED
    assert attempt.status is ContactStatus.ATTENDED and attempt.minutes is None
    assert attempt.outcome == NOT_REACHED


def test_an_attempt_at_a_bookings_time_leaves_the_booking_to_be_recorded(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    """The booking near the attempt's time was offered, and "Yes" recorded it as attended."""
    window = unlocked_window
    who = person(qtbot, ui_session, "Morag", "Testington")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    # further from now than "near" (3 hours): offered only for the time chosen; earlier,
    # yesterday's evening after midnight (an attempt is recorded once made, never ahead)
    when = now - dt.timedelta(hours=4)
    booked = schedule(qtbot, ui_session, who.id, when, kind=ContactKind.PHONE)
    offered: list[Any] = []
    monkeypatch.setattr(TimelineTab, "ask_use_booking", lambda self, c: offered.append(c) or True)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)

    def fill(dialog: ContactDialog) -> None:
        kind = dialog.widget("kind")
        assert isinstance(kind, QComboBox)
        kind.setCurrentIndex(kind.findData(ContactKind.ATTEMPTED))
        dialog.widget("at").set_value(when)  # type: ignore[attr-defined]
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    record_contact_with(qtbot, window, fill)
    settle(qtbot, ui_session)

    assert offered == []
    got = {c.id: c for c in stored(qtbot, ui_session, who.id)[0]}
    assert got[booked.id].status is ContactStatus.SCHEDULED  # still to be recorded
    (attempt,) = [c for c in got.values() if c.id != booked.id]
    assert attempt.kind is ContactKind.ATTEMPTED and attempt.at == when


def test_an_attempt_on_a_later_day_is_not_offered_a_cancellation(qtbot: Any) -> None:
    # a tired worker picks next week for the attempt: the dialog told them it "can be
    # cancelled now", an outcome an attempt does not have (and the form no longer shows)
    dialog = ContactDialog(schedule=False)
    qtbot.addWidget(dialog)
    kind = dialog.widget("kind")
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData(ContactKind.ATTEMPTED))
    later = dt.datetime.now().replace(second=0, microsecond=0) + dt.timedelta(days=7)
    dialog.widget("at").set_value(later)  # type: ignore[attr-defined]
    problem = dialog.problem()
    assert problem is not None and "cancelled" not in problem
    assert problem.endswith("record an attempt once you have tried to reach them.")
    kind.setCurrentIndex(kind.findData(ContactKind.PHONE))  # a call still to come can be
    assert "can be cancelled now" in (dialog.problem() or "")
