"""A person who came back: the worker's next wellbeing form starts as a baseline, and the
Wellbeing tab compares within the new episode while still showing the first one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from screens_kit import on_record_tab, person, settle, texts
from shell_kit import call_casework
from test_screen_participant import open_view
from test_tired_kept_forms import tick

from linksdesk.casework import measures, participants
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_after_a_reopen_the_form_starts_as_a_baseline_and_the_tab_shows_both_episodes(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    view = window.participant_view
    who = person(qtbot, ui_session)  # back after months away, before the record is opened
    for day, items, context in ((dt.date(2026, 1, 10), [3] * 14, "baseline"),
                                (dt.date(2026, 4, 10), [4] * 14, "review")):  # fmt: skip
        call_casework(qtbot, ui_session, measures.record_measure, who.id, MeasureKind.WEMWBS,
                      items, context=context, taken_on=day)  # fmt: skip
    call_casework(qtbot, ui_session, participants.close_participant, who.id, "finished",
                  on=dt.date(2026, 5, 1))  # fmt: skip
    call_casework(qtbot, ui_session, participants.reopen_participant, who.id,
                  on=dt.date(2026, 9, 1))  # fmt: skip
    settle(qtbot, ui_session)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view.tabs.setCurrentWidget(view.wellbeing)
    seen: dict[str, Any] = {}

    def tired_worker(dialog: MeasureDialog) -> None:  # ticks the answers, keeps the rest
        seen["context"] = dialog.context_box.currentData()
        seen["why"] = dialog.why_label.text() if dialog.why_label.isVisible() else ""
        tick(dialog, [2] * 14)
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        qtbot.mouseClick(box.button(box.StandardButton.Save), Qt.MouseButton.LeftButton)

    state = on_modal(tired_worker, kind=MeasureDialog)
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.mouseClick(view.wellbeing.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert seen["context"] == MeasureContext.BASELINE  # was Review: the old baseline's
    assert "they came back" in seen["why"]  # and the form says why

    tab = view.wellbeing
    saved = call_casework(qtbot, ui_session, measures.list_measures, who.id)
    assert [(m.total, m.episode, m.is_baseline) for m in saved] == [
        (42, 1, True), (56, 1, False), (28, 2, True)
    ]  # fmt: skip
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert texts(tab.model, headers.index("Episode")) == ["1", "1", "2"]
    against = texts(tab.model, headers.index("Against the episode's baseline"))
    assert against[2] == "Baseline"  # not a clear decline of 14 from the first time round
    # the chart: bands around the new baseline, each episode its own line
    ax = tab.chart.figure.axes[0]
    lines = {ln.get_label(): list(ln.get_ydata()) for ln in ax.get_lines()}
    assert lines == {"Episode 2": [28.0], "Episode 1": [42.0, 56.0]}
    assert tab.chart.description.startswith("Baseline 28;")
    assert "Episode 1, 10 Jan 2026: 42" in tab.chart.description


def test_scores_of_one_day_stand_in_the_table_as_they_were_recorded(
    qtbot: Any, unlocked: UiSession
) -> None:
    # a review, then the closing score, at the last meeting: the newest-first table put the
    # review on top, while the reports (core.episodes) take the closing score as the latest
    who = person(qtbot, unlocked)
    for day, items, context in ((dt.date(2026, 2, 1), [3] * 12 + [2] * 2, "baseline"),
                                (dt.date(2026, 5, 1), [3] * 6 + [4] * 8, "review"),
                                (dt.date(2026, 5, 1), [3] * 11 + [4] * 3, "closing")):  # fmt: skip
        call_casework(qtbot, unlocked, measures.record_measure, who.id, MeasureKind.WEMWBS,
                      items, context=context, taken_on=day)  # fmt: skip
    view = open_view(qtbot, unlocked, who.id)
    tab = view.wellbeing
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert texts(tab.proxy, headers.index("Score")) == ["45", "50", "40"]  # newest first
    assert texts(tab.proxy, headers.index("Context")) == ["Closing", "Review", "Baseline"]
    (line,) = tab.chart.figure.axes[0].get_lines()
    assert list(line.get_ydata()) == [40.0, 50.0, 45.0]  # the chart ends where the table starts


def test_a_form_from_before_the_baseline_typed_in_late_leaves_one_episode_of_support(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The baseline and a review are on the record; a paper form from a first meeting a
    fortnight before the baseline turns up in the bag and is typed in, its day typed into
    Taken on, the rest left as the form opened (Review). The tab said "Episode 1, Review"
    for it and "Episode 2" for every later score, and the reports counted a second episode
    of support: the person never left, nothing was reopened or referred again."""
    who = on_record_tab(qtbot, unlocked_window, ui_session, "wellbeing")
    today = dt.date.today()
    for context, days in ((MeasureContext.BASELINE, 20), (MeasureContext.REVIEW, 5)):
        taken = today - dt.timedelta(days=days)
        call_casework(qtbot, ui_session, measures.record_measure, who.id, MeasureKind.WEMWBS,
                      [3] * 14, context=context, taken_on=taken)  # fmt: skip
    settle(qtbot, ui_session)
    tab = unlocked_window.participant_view.wellbeing
    paper = today - dt.timedelta(days=34)

    def typed_in_late(dialog: MeasureDialog) -> None:
        tick(dialog, [2] * 14)
        dialog.date_edit.edit.selectAll()
        qtbot.keyClicks(dialog.date_edit.edit, f"{paper.day}/{paper.month}/{paper.year}")
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        qtbot.mouseClick(box.button(box.StandardButton.Save), Qt.MouseButton.LeftButton)

    state = on_modal(typed_in_late, kind=MeasureDialog)
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    scores = call_casework(qtbot, ui_session, measures.list_measures, who.id)
    assert (scores[0].taken_on, scores[0].context) == (paper, MeasureContext.REVIEW)
    assert [s.episode for s in scores] == [1, 1, 1]
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert len(set(texts(tab.model, headers.index("Episode")))) == 1
    assert len(tab.chart.figure.axes[0].get_lines()) == 1  # one line: one episode
