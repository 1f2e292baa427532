"""Not the same person after all… on a person registered three times: the "Which record?"
question cancelled, or closed by a lock. Outside checker, round 16."""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import merging
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def _three_records_open(qtbot: Any, window: Any, session: UiSession) -> list[Any]:
    kept = person(qtbot, session, "Isla", "Threeton")
    others = [person(qtbot, session, "Isla", "Threeton") for _ in range(2)]
    for other in others:
        call_casework(qtbot, session, merging.merge_records, kept.id, other.id)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(kept.id)
    view = window.participant_view
    qtbot.waitUntil(lambda: view.data is not None and len(view.data.same_person) == 2)
    return [kept, *others]


def _answer_then_watch(on_which: Any, seen: list[dict[str, Any]], session: UiSession) -> None:
    """When "Which record?" comes up, ``on_which(dialog)``; any question after it is noted
    (its text, and whether the vault was open) and answered No."""

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, QInputDialog) and not seen:
            seen.append({"which": True})
            on_which(w)
        elif isinstance(w, QMessageBox):
            seen.append({"text": w.text(), "unlocked": session.is_unlocked})
            w.button(QMessageBox.StandardButton.No).click()
            return
        if time.monotonic() < deadline:
            QTimer.singleShot(10, poll)

    deadline = time.monotonic() + 8
    QTimer.singleShot(0, poll)


def test_a_lock_while_asked_which_record_asks_nothing_more_over_the_locked_vault(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    _three_records_open(qtbot, window, ui_session)
    seen: list[dict[str, Any]] = []
    _answer_then_watch(lambda _w: ui_session.lock(), seen, ui_session)
    qtbot.mouseClick(window.participant_view.profile.separate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ui_session.is_unlocked, timeout=20_000)
    qtbot.wait(1_000)
    assert seen and seen[0] == {"which": True}
    after = seen[1:]
    assert not after, f"asked again after the lock: vault open {after[0]['unlocked']}"


def test_cancel_on_which_record_cancels(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    _three_records_open(qtbot, window, ui_session)
    seen: list[dict[str, Any]] = []
    _answer_then_watch(lambda w: w.reject(), seen, ui_session)
    qtbot.mouseClick(window.participant_view.profile.separate_button, Qt.MouseButton.LeftButton)
    qtbot.wait(1_500)
    settle(qtbot, ui_session)
    assert seen and seen[0] == {"which": True}
    assert len(seen) == 1, "Cancel was followed by another question"
