"""A tired worker's searches: an emoji on its own, and a hidden null pasted from a PDF."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from screens_kit import person, resource
from shell_kit import call_casework

from linksdesk.casework import notes
from linksdesk.ui.search_palette import DETAIL_HTML_ROLE, TITLE_HTML_ROLE
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def searched(qtbot: Any, window: Any, pasted: str) -> tuple[Any, str]:
    """Ctrl+K, ``pasted`` into the box; the palette and what its status line says."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.open_search()
    palette = window.search_palette
    qtbot.waitUntil(palette.isVisible)
    palette.edit.setText(pasted)  # a paste arrives whole
    palette.search_now()
    qtbot.waitUntil(lambda: palette.status.text() != "Searching…", timeout=10_000)
    return palette, palette.status.text()


def test_an_emoji_on_its_own_finds_the_note_and_the_resource_holding_it(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who = person(qtbot, ui_session)
    call_casework(qtbot, ui_session, notes.write_note, who.id, "Came in smiling 🙂 today")
    call_casework(qtbot, ui_session, notes.write_note, who.id, "Quiet, tired today")
    resource(qtbot, ui_session, "Craigbank Café 🙂", "Friendly lunch")
    resource(qtbot, ui_session, "Craigbank Library", "Reading group 📚")

    palette, said = searched(qtbot, unlocked_window, "🙂")
    assert said == "2 matches."
    hits = [palette.model.hit_at(r) for r in range(palette.model.rowCount())]
    assert sorted(h.kind for h in hits) == ["note", "resource"]
    rows = {h.kind: r for r, h in enumerate(hits)}
    assert "<b>🙂</b>" in palette.model.index(rows["note"], 0).data(DETAIL_HTML_ROLE)
    assert "<b>🙂</b>" in palette.model.index(rows["resource"], 0).data(TITLE_HTML_ROLE)

    # with a word too, both must be there; the variation selector another keyboard types
    # after an emoji does not stop it being found
    _palette, said = searched(qtbot, unlocked_window, "café 🙂\ufe0f")
    assert said == "1 match."
    _palette, said = searched(qtbot, unlocked_window, "📚")
    assert said == "1 match."
    _palette, said = searched(qtbot, unlocked_window, "🙃")
    assert said == "No matches."


def test_a_hidden_null_pasted_into_search_searches_the_words_and_says_nothing_untrue(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    who = person(qtbot, ui_session)
    call_casework(qtbot, ui_session, notes.write_note, who.id, "Talked about the walking group")
    palette, said = searched(qtbot, unlocked_window, "walking\x00group")
    assert said == "1 match."
    assert palette.model.hit_at(0).hit.participant_id == who.id
    # half of an emoji, left by a broken paste, is no refusal either
    _palette, said = searched(qtbot, unlocked_window, "walking \ud83d")
    assert said == "1 match."
    _palette, said = searched(qtbot, unlocked_window, "\x00")
    assert said == "No matches."
    assert "saved" not in said
