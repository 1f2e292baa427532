"""Onward referrals started from the resource directory: whom (never the record viewed last),
a full resource said so, a handed-over case refused, cancel, and a second press."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from screens_kit import person, resource, settle
from shell_kit import call_casework, on_db_thread
from test_screen_read_only import hand_over_keeping_a_copy

from linksdesk.casework import onward
from linksdesk.core.vocab import ResourceCapacity
from linksdesk.ui.dialogs.onward import OnwardDialog
from linksdesk.ui.dialogs.person_chooser import PersonChooser
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

WHY = "Wants company on Tuesdays"


def at_the_directory(qtbot: Any, window: Any, session: UiSession) -> dict[str, Any]:
    """Two people (Ailsa's record viewed last), an open resource and a full one; the
    directory shown with the full one selected."""
    found = {
        "ailsa": person(qtbot, session),
        "brodie": person(qtbot, session, "Brodie", "Samplewood"),
        "open": resource(qtbot, session, "Craigbank Library", "Reading group"),
        "full": resource(
            qtbot, session, "Craigbank Men's Shed", "Woodwork", capacity=ResourceCapacity.FULL
        ),
    }
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(found["ailsa"].id)
    window.show_view("resources")
    directory = window.resources_view
    settle(qtbot, session)
    directory.open_resource(found["full"].id)
    return found


def choose(qtbot: Any, who: str) -> dict[str, Any]:
    """Answer the person chooser with the first match for ``who`` (what it said is kept)."""

    def typed_and_chose(chooser: PersonChooser) -> None:
        chooser.filter_edit.setText(who)
        chooser.refresh()
        qtbot.waitUntil(lambda: not chooser.session.runner.busy, timeout=10_000)
        qtbot.waitUntil(
            lambda: bool(chooser.model.rowCount() or chooser.message.text()), timeout=10_000
        )
        if chooser.model.rowCount():
            chooser.list.setCurrentIndex(chooser.model.index(0, 0))
            chooser._choose_current()
        state["said"] = chooser.message.text()
        if chooser.isVisible():
            chooser.reject()

    state = on_modal(typed_and_chose, kind=PersonChooser)
    return state


def referrals_of(qtbot: Any, session: UiSession, pid: str) -> list[Any]:
    return list(call_casework(qtbot, session, onward.list_onward_referrals, pid))


def test_a_referral_from_the_directory_lands_on_the_person_chosen_and_shows_there(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    found = at_the_directory(qtbot, window, ui_session)
    seen: dict[str, Any] = {}

    def wrote_why_and_pressed_ok_twice(dialog: OnwardDialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["chosen"] = dialog.chosen().id
        seen["note"] = dialog.capacity_note.text() if dialog.capacity_note.isVisible() else ""
        dialog.widget("why").setText(WHY)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # a tired double press

    chooser = choose(qtbot, "Brodie")
    state = on_modal(wrote_why_and_pressed_ok_twice, kind=OnwardDialog)
    window.resources_view.refer_button.click()
    finished(qtbot, chooser)
    finished(qtbot, state)
    settle(qtbot, ui_session)

    assert "Brodie Samplewood" in seen["title"]  # whose record, said in the dialog
    assert seen["chosen"] == found["full"].id  # the resource chosen in the directory
    assert "is full" in seen["note"]
    view = window.participant_view
    assert window.current_view_key() == "record" and view.participant_id == found["brodie"].id
    (made,) = referrals_of(qtbot, ui_session, found["brodie"].id)
    assert made.resource_id == found["full"].id
    assert referrals_of(qtbot, ui_session, found["ailsa"].id) == []
    # on the record at once, not after reopening it
    assert view.tabs.currentWidget() is view.referrals
    assert [r.id for r in view.referrals.onward_model.rows()] == [made.id]


def test_a_handed_over_case_is_not_offered_and_cancel_writes_nothing(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    found = at_the_directory(qtbot, window, ui_session)
    cb = ui_session.require_casebook()
    on_db_thread(qtbot, ui_session, hand_over_keeping_a_copy, cb, found["brodie"].id)

    chooser = choose(qtbot, "Brodie")
    window.resources_view.refer_button.click()
    finished(qtbot, chooser)
    # not on this worker's caseload any more, so not offered
    assert chooser["said"] == "Nobody on the caseload matches."
    assert window.current_view_key() == "resources"

    def cancelled(dialog: OnwardDialog) -> None:
        dialog.reject()

    chooser = choose(qtbot, "Ailsa")
    state = on_modal(cancelled, kind=OnwardDialog)
    window.resources_view.refer_button.click()
    finished(qtbot, chooser)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    for who in ("ailsa", "brodie"):
        assert referrals_of(qtbot, ui_session, found[who].id) == []


def test_refer_onward_pressed_twice_while_the_directory_is_read_asks_once(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    found = at_the_directory(qtbot, window, ui_session)
    window.show_view("record")
    view = window.participant_view
    view.tabs.setCurrentWidget(view.referrals)
    opened: list[OnwardDialog] = []

    def watch() -> None:
        # every Refer onward dialog that comes up is counted, then cancelled (a second one
        # would open over the first, in its own loop)
        for w in QApplication.topLevelWidgets():
            if isinstance(w, OnwardDialog) and w.isVisible() and w not in opened:
                opened.append(w)
                QTimer.singleShot(300, w.reject)

    watcher = QTimer()
    watcher.timeout.connect(watch)
    watcher.start(10)
    view.referrals.refer_button.click()
    view.referrals.refer_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    qtbot.waitUntil(lambda: not any(w.isVisible() for w in opened), timeout=10_000)
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: not any(w.isVisible() for w in opened), timeout=10_000)
    watcher.stop()
    assert len(opened) == 1
    assert referrals_of(qtbot, ui_session, found["ailsa"].id) == []
