"""The door is always open: a person closed months ago comes back, and is not made twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from screens_kit import settle, unlock_again
from shell_kit import FakeClock, call_casework, on_db_thread

from linksdesk.casework import lists, participants
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

BORN = dt.date(1958, 3, 14)


def closed_months_ago(
    qtbot: Any, session: UiSession, given: str = "Morag", family: str = "Testperson"
) -> Any:
    who = call_casework(
        qtbot, session, participants.create_participant,
        given_name=given, family_name=family, date_of_birth=BORN,
    ).value  # fmt: skip
    call_casework(
        qtbot, session, participants.close_participant, who.id, "Goals met; moved on",
        on=dt.date.today() - dt.timedelta(days=120),
    )  # fmt: skip
    return who


def add_her_again(monkeypatch: Any, given: str = "morag", family: str = "TESTPERSON") -> None:
    """New participant…, the same names (typed in other case) and date of birth."""
    monkeypatch.setattr(
        ParticipantDialog,
        "ask",
        classmethod(
            lambda cls, parent=None, existing=None: {
                "given_name": given,
                "family_name": family,
                "date_of_birth": BORN,
            }
        ),
    )


def everyone(qtbot: Any, session: UiSession) -> list[str]:
    return list(
        call_casework(qtbot, session, lists.caseload_ids, CaseloadQuery(include_closed=True))
    )


def answer(button_text: str, seen: dict[str, str]) -> Any:
    def click(box: QMessageBox) -> None:
        seen["text"] = f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}"
        seen["default"] = box.defaultButton().text()
        chosen = next(b for b in box.buttons() if b.text() == button_text)
        chosen.click()

    return click


def opened_when_asked(qtbot: Any, window: Any, session: UiSession, who: Any) -> dict[str, str]:
    """New participant…, and "Open P…" chosen when asked: what the question said."""
    seen: dict[str, str] = {}
    state = on_modal(answer(f"Open {who.programme_id}", seen), kind=QMessageBox)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, session)
    return seen


def test_adding_a_closed_person_again_offers_her_record_and_makes_no_second_one(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    morag = closed_months_ago(qtbot, ui_session)
    add_her_again(monkeypatch)
    seen = opened_when_asked(qtbot, window, ui_session, morag)
    assert "Morag Testperson" in seen["text"] and "closed" in seen["text"]
    assert seen["default"] == f"Open {morag.programme_id}"  # a tired Enter opens, never adds
    assert window.participant_view.participant_id == morag.id
    assert everyone(qtbot, ui_session) == [morag.id]


def test_her_name_typed_without_its_accent_or_curly_apostrophe_still_finds_her_record(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    """Her name came from the GP's letter as "Zoë O’Brien"; months later it is typed on a
    laptop keyboard as "Zoe O'Brien": the caseload's filter finds her, and New participant…
    asks about her record instead of making her a second one."""
    window = unlocked_window
    zoe = closed_months_ago(qtbot, ui_session, "Zo\u00eb", "O\u2019Brien")
    window.show_view("caseload")
    view = window.caseload_view
    view.status_box.setCurrentIndex(view.status_box.findData("all"))
    view.filter_edit.setText("zoe o'b")
    view.refresh()  # what the debounce timer would do
    settle(qtbot, ui_session)
    assert [view.model.id_at(r) for r in range(view.model.rowCount())] == [zoe.id]

    add_her_again(monkeypatch, "Zoe", "O'Brien")
    seen = opened_when_asked(qtbot, window, ui_session, zoe)
    assert "Zo\u00eb O\u2019Brien" in seen["text"]
    assert window.participant_view.participant_id == zoe.id
    assert everyone(qtbot, ui_session) == [zoe.id]


def test_the_caseload_says_where_a_closed_person_is_when_her_name_is_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """Closed cases are left out of the caseload; her name typed there showed an empty list
    and nothing more, as if she had never been seen, and a tired worker added her again."""
    window = unlocked_window
    morag = closed_months_ago(qtbot, ui_session)
    window.show_view("caseload")
    view = window.caseload_view

    def typed(text: str) -> list[str]:
        view.filter_edit.setText(text)
        view.refresh()  # what the debounce timer would do
        settle(qtbot, ui_session)
        return [view.model.id_at(r) for r in range(view.model.rowCount())]

    assert typed("morag test") == []
    assert view.message.isVisible()
    said = view.message.text()
    assert "1 closed case matches what you typed" in said
    assert "choose Everyone or Closed under Status" in said
    assert typed("nobody like her") == [] and not view.message.isVisible()

    typed("morag test")
    view.status_box.setCurrentIndex(view.status_box.findData("all"))
    settle(qtbot, ui_session)
    assert [view.model.id_at(r) for r in range(view.model.rowCount())] == [morag.id]
    assert not view.message.isVisible()


def test_a_different_person_of_the_same_name_can_still_be_added(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    morag = closed_months_ago(qtbot, ui_session)
    add_her_again(monkeypatch)
    seen: dict[str, str] = {}
    state = on_modal(answer("Add a new participant", seen), kind=QMessageBox)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    added = window.participant_view.participant_id
    assert added not in (None, morag.id)
    assert sorted(everyone(qtbot, ui_session)) == sorted([morag.id, added])


def test_escape_on_the_question_adds_nobody(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    morag = closed_months_ago(qtbot, ui_session)
    add_her_again(monkeypatch)
    state = on_modal(lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape), kind=QMessageBox)
    window.action_new_participant.trigger()
    finished(qtbot, state)
    settle(qtbot, ui_session)
    assert everyone(qtbot, ui_session) == [morag.id]


def test_a_lock_while_asked_keeps_the_details_typed_for_new_participant(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any, clock: FakeClock
) -> None:
    window = unlocked_window
    morag = closed_months_ago(qtbot, ui_session)
    add_her_again(monkeypatch)

    def called_away(box: QMessageBox) -> None:
        clock.advance(ui_session.settings.auto_lock_minutes * 60 + 1)

    state = on_modal(called_away, kind=QMessageBox)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.action_new_participant.trigger()
    finished(qtbot, state)
    unlock_again(qtbot, window, ui_session)
    assert everyone(qtbot, ui_session) == [morag.id]  # the lock decided nothing
    bar = window.kept_drafts
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert "New participant" in bar.said()
    (key,) = on_db_thread(qtbot, ui_session, ui_session.require_casebook().drafts)

    monkeypatch.undo()  # the real dialog again, as the bar's link opens it
    seen: dict[str, Any] = {}

    def look(dialog: ParticipantDialog) -> None:
        seen.update(dialog.values())
        dialog.done(0)

    state = on_modal(look, kind=ParticipantDialog)
    bar.label.linkActivated.emit(key)
    finished(qtbot, state)
    assert (seen["given_name"], seen["family_name"]) == ("morag", "TESTPERSON")
    assert seen["date_of_birth"] == BORN
