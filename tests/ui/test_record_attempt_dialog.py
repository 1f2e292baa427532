"""Record contact… offered "Attempted contact" beside an outcome (attended, did not attend,
cancelled), minutes and venue: none of which an unanswered call has. A worker who had
picked "Did not attend" and then the attempt saved an attempt that did not attend."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal, stored
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox
from screens_kit import person, settle

from linksdesk.core.vocab import NOT_REACHED, ContactKind, ContactStatus, contact_outcome
from linksdesk.ui.dialogs.contact import ContactDialog
from linksdesk.ui.session import UiSession

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

    state = on_modal(fill, kind=ContactDialog)
    qtbot.mouseClick(window.participant_view.timeline.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)

    assert shown["before"] == [True, True]
    assert shown["attempt"] == [False, False, False]  # no outcome, time or venue to choose
    (attempt,), _use, _notes = stored(qtbot, ui_session, who.id)
    # kept as the attempt button keeps it: attended (the attempt was made), no minutes
    assert attempt.kind is ContactKind.ATTEMPTED
    assert attempt.status is ContactStatus.ATTENDED and attempt.minutes is None
    assert contact_outcome(attempt.kind, attempt.status) == NOT_REACHED
