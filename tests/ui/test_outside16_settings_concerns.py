"""Settings… with odd values a tired worker types: a concern line longer than a concern
may be. Outside checker, round 16."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from shell_kit import call_casework

from linksdesk.casework import concerns, participants
from linksdesk.core.errors import ValidationError
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

# 70 characters: the programme's wording of a concern, typed in full
LONG_CONCERN = "Housing, including temporary accommodation and homelessness prevention"


def test_a_concern_settings_accepts_can_be_recorded(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Either Settings says the line is too long (and saves nothing), or a concern of that
    kind can be recorded: never a list that offers what it then refuses."""
    assert len(LONG_CONCERN) > 64
    window = unlocked_window
    person = call_casework(
        qtbot, ui_session, participants.create_participant,
        given_name="Iona", family_name="Settingsfolk",
    ).value  # fmt: skip
    window.action_settings.trigger()
    dialog = window.settings_dialog
    dialog.concerns.setPlainText(f"Money and benefits\n{LONG_CONCERN}")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.message.isVisible(), timeout=10_000)
    if dialog.isVisible():  # refused in words where it was typed: that is right too
        assert "64" in dialog.message.text()
        assert LONG_CONCERN not in ui_session.settings.concern_taxonomy
        return
    assert LONG_CONCERN in ui_session.settings.concern_taxonomy
    try:
        added = call_casework(qtbot, ui_session, concerns.add_concern, person.id, LONG_CONCERN)
    except ValidationError as refused:
        pytest.fail(f"the programme's own concern was refused: {refused}")
    assert added.value.category == LONG_CONCERN
