"""Ctrl+K search palette: highlighted hits from the vault, Enter opens the participant."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shell_kit import call_casework

from linksdesk.casework import notes, participants, resources
from linksdesk.ui.search_palette import DETAIL_HTML_ROLE, TITLE_HTML_ROLE, highlight_html
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def test_markers_become_bold_and_everything_else_is_escaped() -> None:
    assert highlight_html("a <i>&</i> \x02Quarr\x03ington") == (
        "a &lt;i&gt;&amp;&lt;/i&gt; <b>Quarr</b>ington"
    )
    assert highlight_html("cut \x02off") == "cut <b>off</b>"  # a snippet cut mid-match
    assert highlight_html("stray\x03 end") == "stray end"


def test_ctrl_k_finds_a_planted_participant_and_enter_opens_the_record(
    qtbot: Any, qtmodeltester: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    person = call_casework(
        qtbot,
        ui_session,
        participants.create_participant,
        given_name="Wilhelmina",
        family_name="Quarrington <Esq>",
    ).value
    other = call_casework(
        qtbot,
        ui_session,
        participants.create_participant,
        given_name="Bob",
        family_name="Smith",
    ).value
    call_casework(qtbot, ui_session, notes.write_note, other.id, "Met Quarrington's neighbour")
    call_casework(
        qtbot,
        ui_session,
        resources.add_resource,
        organisation="Quarry Walkers",
        service="Walking group",
    )

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.today_view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.search_palette
    qtbot.waitUntil(palette.isVisible)
    qtbot.waitUntil(palette.edit.hasFocus)

    with qtbot.waitSignal(palette.model.modelReset, timeout=10_000):
        qtbot.keyClicks(palette.edit, "quarr")
    qtbot.waitUntil(lambda: palette.model.rowCount() >= 3, timeout=10_000)
    qtmodeltester.check(palette.model)
    kinds = {palette.model.hit_at(r).kind for r in range(palette.model.rowCount())}
    assert {"participant", "note", "resource"} <= kinds

    first = palette.model.hit_at(0)
    assert first.kind == "participant" and first.hit.row_id == person.id  # names rank first
    title = palette.model.index(0, 0).data(TITLE_HTML_ROLE)
    assert "<b>Quarr" in title and "&lt;Esq&gt;" in title  # highlighted, and escaped
    note_row = next(
        r for r in range(palette.model.rowCount()) if palette.model.hit_at(r).kind == "note"
    )
    note_title = palette.model.index(note_row, 0).data(TITLE_HTML_ROLE)
    assert "Bob Smith" in note_title  # who the note is about
    assert "<b>Quarr" in palette.model.index(note_row, 0).data(DETAIL_HTML_ROLE)

    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=10_000):
        qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert not palette.isVisible()
    assert window.participant_view.participant_id == person.id
    assert window.current_view_key() == "record"


def test_arrow_keys_choose_and_a_resource_hit_opens_the_directory(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    call_casework(
        qtbot,
        ui_session,
        participants.create_participant,
        given_name="Zed",
        family_name="Allotment",
    )
    call_casework(
        qtbot,
        ui_session,
        resources.add_resource,
        organisation="Allotment Society",
        service="Community plots",
    )
    window.open_search()
    palette = window.search_palette
    palette.edit.setText("allotment")
    with qtbot.waitSignal(palette.model.modelReset, timeout=10_000):
        palette.search_now()
    assert palette.model.rowCount() == 2
    resource_row = next(r for r in range(2) if palette.model.hit_at(r).kind == "resource")
    for _ in range(resource_row):
        qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    assert palette.results.currentIndex().row() == resource_row
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert window.current_view_key() == "resources"


def test_search_runs_on_the_db_thread_and_stale_results_are_dropped(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    call_casework(
        qtbot,
        ui_session,
        participants.create_participant,
        given_name="Ada",
        family_name="Lovelace",
    )
    palette = window.search_palette
    seen_threads: list[str] = []
    ui_session.runner.sig_done.connect(
        lambda *_: seen_threads.append(threading.current_thread().name)
    )
    window.open_search()
    palette.edit.setText("nobody-called-this")
    palette.search_now()
    palette.edit.setText("lovelace")
    with qtbot.waitSignal(palette.model.modelReset, timeout=10_000):
        palette.search_now()
    qtbot.waitUntil(lambda: len(seen_threads) >= 2)
    assert palette.model.rowCount() == 1  # the first search's empty answer did not win
    assert set(seen_threads) == {threading.main_thread().name}  # delivered on the GUI thread
    assert "1 match" in palette.status.text()


def test_ctrl_k_and_ctrl_l_work_while_typing_in_a_field(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    window.show_view("caseload")
    field = window.caseload_view.filter_edit
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "abc")
    field.setCursorPosition(0)
    qtbot.keyClick(field, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_palette.isVisible)
    assert field.text() == "abc"  # the field did not take Ctrl+K as "delete to end of line"
    window.search_palette.reject()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    with qtbot.waitSignal(ui_session.sig_locked, timeout=5000):
        qtbot.keyClick(field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_k_wins_over_a_field_that_claims_it(qtbot: Any, unlocked_window: Any) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QLineEdit

    class EmacsField(QLineEdit):
        """Claims Ctrl+K the way QLineEdit does on Linux and macOS (delete to end of line)."""

        def event(self, e: QEvent) -> bool:
            if e.type() == QEvent.Type.ShortcutOverride and e.key() == Qt.Key.Key_K:
                e.accept()
                return True
            return super().event(e)

    window = unlocked_window
    field = EmacsField(window.today_view)
    field.setAccessibleName("Test field")
    field.show()
    window.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_palette.isVisible)
