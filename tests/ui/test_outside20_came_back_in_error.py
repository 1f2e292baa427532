"""Outside check 20: a wellbeing score typed wrong, marked entered in error, then scored again.

docs/measures.md: a score marked entered in error "is in no episode and no figure", and a new
form starts as *Baseline* when the person has no score of that measure yet, or when they came
back (case reopened, or a new referral in after their last score). The form says why only in
the second case: "A new baseline: they came back (case reopened or referred in again)…".

A tired worker records a person's first WEMWBS with the answers typed wrong, marks it entered
in error on the Wellbeing tab, and chooses Record a score… to enter the right answers. The
person never left; the form told the worker they had come back, because the tab counted the
score in error as "a score of that measure" although casework had not.
"""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from screens_kit import person, settle
from shell_kit import call_casework
from test_tired_kept_forms import tick

from linksdesk.casework import measures
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_scoring_again_after_a_score_in_error_says_nobody_came_back(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session)
    wrong = call_casework(
        qtbot, ui_session, measures.record_measure, who.id, MeasureKind.WEMWBS, [1] * 14,
        context=MeasureContext.BASELINE,
    ).value  # fmt: skip
    call_casework(qtbot, ui_session, measures.mark_in_error, wrong.id, "Answers typed wrong")
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.wellbeing)
    seen: dict[str, Any] = {}

    def score_again(dialog: MeasureDialog) -> None:  # a tired worker keeps the first choice
        seen["context"] = dialog.context_box.currentData()
        seen["why"] = dialog.why_label.text() if dialog.why_label.isVisibleTo(dialog) else ""
        tick(dialog, [3] * 14)
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        qtbot.mouseClick(box.button(box.StandardButton.Save), Qt.MouseButton.LeftButton)

    state = on_modal(score_again, kind=MeasureDialog)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.mouseClick(view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["context"] == MeasureContext.BASELINE  # no score of it stands: a baseline
    assert "came back" not in seen["why"], seen["why"]
    saved = call_casework(qtbot, ui_session, measures.list_measures, who.id)
    assert [(m.total, m.in_error, m.episode, m.is_baseline) for m in saved] == [
        (14, True, 0, False),
        (42, False, 1, True),
    ]
