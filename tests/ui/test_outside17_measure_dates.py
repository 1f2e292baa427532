"""Outside check 17: the day a wellbeing measure was taken, as a tired worker types it.

- A date typed a few days ahead ("9/12" for 9 November): the user guide promises a date that
  cannot be taken is refused with the dialog still open, and COMMON's rule is that bad input
  gets a clear message and loses nothing. Fourteen ticked answers must not go.
- A first score taken before the referral in arrived (the person filled a form at a drop-in
  before their GP's referral was typed in): docs/measures.md starts the next form as a
  baseline only when the person came back (case reopened, or a *new* referral in after
  their last score). Their first referral is not a coming back: the review must not start a
  second episode and hide the change (the tired worker keeps the first choice).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from screens_kit import person, settle
from shell_kit import call_casework
from test_tired_kept_forms import tick

from linksdesk.casework import measures, referrals
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def save(qtbot: Any, dialog: MeasureDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(box.StandardButton.Save), Qt.MouseButton.LeftButton)


def on_wellbeing(qtbot: Any, window: Any, who: Any) -> Any:
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.wellbeing)
    return view


def test_a_measure_dated_ahead_stays_open_with_its_answers(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who = person(qtbot, ui_session)
    view = on_wellbeing(qtbot, unlocked_window, who)
    ahead = dt.date.today() + dt.timedelta(days=3)
    seen: dict[str, Any] = {}

    def typed_ahead_then_put_right(dialog: MeasureDialog) -> None:
        tick(dialog, [4] * 14)
        dialog.assisted_check.setChecked(True)
        dialog.date_edit.edit.clear()
        qtbot.keyClicks(dialog.date_edit.edit, f"{ahead.day}/{ahead.month}/{ahead.year}")
        save(qtbot, dialog)
        seen["ahead"] = (dialog.isVisible(), dialog.message.text(), dialog.answers())
        dialog.date_edit.edit.clear()
        qtbot.keyClicks(dialog.date_edit.edit, "today")
        save(qtbot, dialog)

    state = on_modal(typed_ahead_then_put_right, kind=MeasureDialog)
    qtbot.mouseClick(view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, answers = seen["ahead"]
    assert still_open, "the form closed on a day still to come"
    assert "future" in said
    assert answers == [4] * 14  # nothing ticked was lost
    saved = call_casework(qtbot, ui_session, measures.list_measures, who.id)
    assert [(m.total, m.taken_on, m.assisted) for m in saved] == [(56, dt.date.today(), True)]


def test_a_first_score_before_the_first_referral_is_followed_by_a_review(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who = person(qtbot, ui_session)
    today = dt.date.today()
    call_casework(qtbot, ui_session, measures.record_measure, who.id, MeasureKind.WEMWBS,
                  [3] * 14, context="baseline", taken_on=today - dt.timedelta(days=40))  # fmt: skip
    call_casework(qtbot, ui_session, referrals.record_referral, who.id, source="gp",
                  received_on=today - dt.timedelta(days=35))  # fmt: skip
    view = on_wellbeing(qtbot, unlocked_window, who)
    seen: dict[str, Any] = {}

    def tired_worker(dialog: MeasureDialog) -> None:  # ticks the answers, keeps the rest
        seen["context"] = dialog.context_box.currentData()
        seen["why"] = dialog.why_label.text() if dialog.why_label.isVisible() else ""
        tick(dialog, [4] * 14)
        save(qtbot, dialog)

    state = on_modal(tired_worker, kind=MeasureDialog)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.mouseClick(view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    assert "came back" not in seen["why"]
    assert seen["context"] == MeasureContext.REVIEW
    saved = call_casework(qtbot, ui_session, measures.list_measures, who.id)
    assert [(m.total, m.episode) for m in saved] == [(42, 1), (56, 1)]
    assert saved[1].vs_baseline is not None
    assert saved[1].vs_baseline.summary == "Clear improvement (14 points)"


def test_a_referral_in_after_the_last_score_of_a_second_time_still_starts_a_baseline(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The rule kept: referred in again after the last score, the person came back."""
    who = person(qtbot, ui_session)
    today = dt.date.today()
    call_casework(qtbot, ui_session, referrals.record_referral, who.id, source="gp",
                  received_on=today - dt.timedelta(days=300))  # fmt: skip
    call_casework(qtbot, ui_session, measures.record_measure, who.id, MeasureKind.WEMWBS,
                  [3] * 14, context="baseline", taken_on=today - dt.timedelta(days=29))  # fmt: skip
    call_casework(qtbot, ui_session, referrals.record_referral, who.id, source="self",
                  received_on=today - dt.timedelta(days=10))  # fmt: skip
    view = on_wellbeing(qtbot, unlocked_window, who)
    seen: dict[str, Any] = {}

    def look(dialog: MeasureDialog) -> None:
        seen["context"] = dialog.context_box.currentData()
        seen["why"] = dialog.why_label.text()
        dialog.done(0)

    state = on_modal(look, kind=MeasureDialog)
    qtbot.mouseClick(view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    assert seen["context"] == MeasureContext.BASELINE
    assert "came back" in seen["why"]
