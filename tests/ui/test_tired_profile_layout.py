"""The Profile and consent tab reads at 1280×800 and 1200×780 without sideways scrolling."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import concerns, consent
from linksdesk.core.vocab import ConsentMethod, ConsentScope
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

NOTE = "Asked that her daughter is told before any letter goes to the surgery"


def profile_of_a_person_with_consent_notes(qtbot: Any, window: Any, session: UiSession) -> Any:
    who = person(qtbot, session)
    day = dt.date.today() - dt.timedelta(days=30)
    for scope in ConsentScope:
        call_casework(
            qtbot, session, consent.record_consent, who.id, scope, True,
            method=ConsentMethod.WRITTEN, recorded_on=day, note=NOTE,
        )  # fmt: skip
    call_casework(
        qtbot, session, concerns.add_concern, who.id, "Housing",
        detail="Damp in the bedroom since the winter; the landlord has not replied to two letters",
    )  # fmt: skip
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    view = window.participant_view
    view.tabs.setCurrentWidget(view.profile)
    settle(qtbot, session)
    return view.profile


@pytest.mark.parametrize("size", [(1280, 800), (1200, 780)])
def test_the_consent_table_shows_its_note_column_without_a_sideways_scroll_bar(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, size: tuple[int, int]
) -> None:
    window = unlocked_window
    window.resize(*size)
    profile = profile_of_a_person_with_consent_notes(qtbot, window, ui_session)
    qtbot.wait(200)
    shots = os.environ.get("LINKSDESK_SHOTS")
    if shots:  # to look at: LINKSDESK_SHOTS=/tmp/shots pytest …
        window.grab().save(str(Path(shots) / f"profile-{size[0]}.png"))
    for table in (profile.consent_table, profile.concern_table, profile.status_table):
        header = table.horizontalHeader()
        last = header.count() - 1
        assert not table.horizontalScrollBar().isVisible(), table.accessibleName()
        # the last column (the note, the detail) starts in view with room to read in it
        start = header.sectionViewportPosition(last)
        assert start + 80 <= table.viewport().width(), table.accessibleName()
        assert header.sectionSize(last) >= 80, table.accessibleName()
    # every consent's words are whole in its first column, and the note is there in full
    table = profile.consent_table
    first = table.horizontalHeader().sectionSize(0)
    width = table.fontMetrics().horizontalAdvance("Share with the GP practice")
    assert first >= width
    note_index = profile.consent_proxy.index(0, 5)
    assert note_index.data() == NOTE
    assert note_index.data(Qt.ItemDataRole.ToolTipRole) == NOTE  # whole when it is cut short
