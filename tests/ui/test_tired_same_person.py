"""Same person as…, from the record's profile, as a tired worker does it: the chooser, a
confirmation that names both records and defaults to Cancel, then one person in the window;
and Not the same person after all… back."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import Keys, finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import contacts, lists, record
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.core.vocab import ContactKind
from linksdesk.ui.dialogs.person_chooser import PersonChooser

pytestmark = pytest.mark.gui


def _open(qtbot: Any, window: Any, pid: str) -> None:
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(pid)


def _ask(
    qtbot: Any, window: Any, other: Any, answer: Any, *, from_menu: bool = False
) -> dict[str, Any]:
    """Same person as… on the open record (its profile's button, or the Record menu):
    ``other`` chosen, the question answered by ``answer(box)``; what it said comes back."""
    keys = Keys(qtbot, window)
    said: dict[str, Any] = {}

    def choose(dialog: PersonChooser) -> None:
        qtbot.waitUntil(lambda: dialog.model.rowCount() >= 1)
        keys.type(other.programme_id, dialog.filter_edit)
        keys.press(Qt.Key.Key_Return, widget=dialog.filter_edit)

    def question(box: QMessageBox) -> None:
        said["text"] = box.text() + "\n" + box.informativeText()
        said["default"] = box.defaultButton().text()
        answer(box)

    chooser = on_modal(choose, kind=PersonChooser)
    asked = on_modal(question, kind=QMessageBox)
    if from_menu:
        window.action_same_person.trigger()
    else:
        qtbot.mouseClick(window.participant_view.profile.same_button, Qt.MouseButton.LeftButton)
    finished(qtbot, chooser)
    finished(qtbot, asked)
    settle(qtbot, window.session)
    return said


def test_same_person_from_the_record_defaults_to_cancel_then_shows_one_person(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    window = unlocked_window
    first = person(qtbot, ui_session, "Isla", "Twiceton")
    second = person(qtbot, ui_session, "Isla", "Twiceton")
    call_casework(
        qtbot, ui_session, contacts.record_contact, second.id, kind=ContactKind.PHONE,
        at=__import__("datetime").datetime(2025, 3, 4, 10, 0), minutes=15,
    )  # fmt: skip
    _open(qtbot, window, first.id)
    view = window.participant_view

    # a tired Enter on the question: Cancel, nothing changes
    said = _ask(qtbot, window, second, lambda box: Keys(qtbot, box).press(Qt.Key.Key_Return))
    assert first.programme_id in said["text"] and second.programme_id in said["text"]
    # what each record holds, in words: "1 contact", never "1 contacts"
    assert "0 contacts, 0 case notes" in said["text"]  # the kept record
    assert "1 contact, 0 case notes" in said["text"]  # the record brought in
    assert said["default"] == "Cancel"
    listed = call_casework(qtbot, ui_session, lists.caseload_ids, CaseloadQuery())
    assert second.id in listed

    def bring_in(box: QMessageBox) -> None:
        (go,) = [b for b in box.buttons() if b.text().startswith("Bring")]
        go.click()

    _ask(qtbot, window, second, bring_in)
    qtbot.waitUntil(lambda: view.data is not None and bool(view.data.same_person))
    assert view.participant_id == first.id
    assert second.programme_id in view.pid_label.text()
    assert len(view.data.contacts) == 1  # the other record's contact, in this record
    assert view.profile.separate_button.isVisibleTo(view.profile)
    listed = call_casework(qtbot, ui_session, lists.caseload_ids, CaseloadQuery())
    assert second.id not in listed and first.id in listed

    # the other record's id opens the person
    _open(qtbot, window, second.id)
    assert view.participant_id == first.id

    # Not the same person after all…: Yes, and both stand as they were
    told: list[str] = []

    def yes(box: QMessageBox) -> None:
        told.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    asked = on_modal(yes, kind=QMessageBox)
    qtbot.mouseClick(view.profile.separate_button, Qt.MouseButton.LeftButton)
    finished(qtbot, asked)
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: view.data is not None and not view.data.same_person)
    # the worker is told what happens to the consents
    assert f"{second.programme_id}'s consents go back to what was recorded for it" in told[0]
    data = call_casework(qtbot, ui_session, record.open_record, second.id)
    assert data.participant.id == second.id and len(data.contacts) == 1


def test_same_person_from_the_record_menu(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    """Record › Same person as… asks the same of the open record, from any of its tabs."""
    window = unlocked_window
    first = person(qtbot, ui_session, "Isla", "Twiceton")
    second = person(qtbot, ui_session, "Isla", "Twiceton")
    _open(qtbot, window, first.id)
    view = window.participant_view
    view.tabs.setCurrentWidget(view.timeline)
    menu = window.menuBar().actions()[1].menu()
    assert window.action_same_person in menu.actions()
    assert window.action_same_person.isEnabled()

    def bring_in(box: QMessageBox) -> None:
        (go,) = [b for b in box.buttons() if b.text().startswith("Bring")]
        go.click()

    said = _ask(qtbot, window, second, bring_in, from_menu=True)
    assert second.programme_id in said["text"]
    qtbot.waitUntil(lambda: view.data is not None and bool(view.data.same_person))
    assert view.participant_id == first.id
    listed = call_casework(qtbot, ui_session, lists.caseload_ids, CaseloadQuery())
    assert second.id not in listed and first.id in listed
