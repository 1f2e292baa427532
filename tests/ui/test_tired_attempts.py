"""A call not answered (Attempted contact) is kept as attended, as the attempt happened; it was
shown as "Attempted contact — Attended" on the timeline, Today, the diary and the note's
About list, and counted as attended in the GP summary. The person was never reached."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import stored
from PySide6.QtCore import Qt
from screens_kit import on_record_tab, settle
from shell_kit import on_db_thread

from linksdesk.core.vocab import ContactKind
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.diary import entry_text, load_week

pytestmark = pytest.mark.gui


def test_a_call_not_answered_reads_not_reached_wherever_it_is_shown(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = on_record_tab(qtbot, window, ui_session, "timeline")
    view = window.participant_view
    timeline = view.timeline
    qtbot.mouseClick(timeline.attempt_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    (attempt,), _use, _notes = stored(qtbot, ui_session, who.id)
    assert attempt.kind is ContactKind.ATTEMPTED

    shown = [timeline.proxy.index(r, 1).data() for r in range(timeline.proxy.rowCount())]
    assert shown == ["Attempted contact — Not reached"]
    box = timeline.editor.contact_box
    about = [box.itemText(i) for i in range(box.count()) if box.itemData(i) == attempt.id]
    assert len(about) == 1 and "Not reached" in about[0] and "Attended" not in about[0]

    window.show_view("today")
    settle(qtbot, ui_session)
    today = window.today_view.proxies[0]
    row = next(r for r in range(today.rowCount()) if today.row_at(r).id == attempt.id)
    statuses = [str(today.index(row, c).data()) for c in range(today.columnCount())]
    assert "Not reached" in statuses and "Attended" not in statuses

    week, _read_only = on_db_thread(
        qtbot, ui_session, lambda: load_week(ui_session.require_casebook(), dt.date.today())
    )
    (entry,) = [e for e in week if e.id == attempt.id]
    assert entry_text(entry).endswith("Attempted contact · Not reached")
