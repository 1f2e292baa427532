"""The caseload's filter and New participant… with text as it arrives from elsewhere: a
whole letter pasted into the filter, an invisible direction mark carried along with a
name copied from an email or a GP letter. Outside checker, round 16."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from screens_kit import settle
from shell_kit import call_casework, on_db_thread

from linksdesk.casework import participants
from linksdesk.ui.dialogs.same_person import add_unless_known
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

LRM = "\u200e"  # LEFT-TO-RIGHT MARK: invisible, carried along by copy and paste
BORN = dt.date(1971, 2, 9)
# about 10,000 characters, as a GP letter pasted into the wrong field
LETTER = " ".join(f"word{n % 97}" for n in range(1500))


def _caseload(qtbot: Any, window: Any, session: UiSession) -> Any:
    window.show_view("caseload")
    settle(qtbot, session)
    return window.caseload_view


def _listed(view: Any) -> list[str]:
    return [view.model.id_at(r) for r in range(view.model.rowCount())]


def test_a_letter_pasted_into_the_caseload_filter_finds_nobody_without_a_crash(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    call_casework(
        qtbot, ui_session, participants.create_participant,
        given_name="Bram", family_name="Testcase",
    )  # fmt: skip
    view = _caseload(qtbot, window, ui_session)
    assert view.model.rowCount() == 1
    view.filter_edit.setFocus()
    QApplication.clipboard().setText(LETTER)
    view.filter_edit.paste()  # Ctrl+V, as the worker did
    assert len(view.filter_edit.text()) > 9_000
    qtbot.wait(400)  # the pause after typing that starts the filter
    settle(qtbot, ui_session, timeout=60_000)
    assert window.crash_dialog is None
    assert view.model.rowCount() == 0  # no one's names hold all those words
    assert "1 person" not in view.count_label.text()  # not the count of before


def test_a_name_pasted_with_an_invisible_mark_still_filters_the_caseload(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    bram = call_casework(
        qtbot, ui_session, participants.create_participant,
        given_name="Bram", family_name="Testcase",
    ).value  # fmt: skip
    call_casework(
        qtbot, ui_session, participants.create_participant,
        given_name="Other", family_name="Personne",
    )  # fmt: skip
    view = _caseload(qtbot, window, ui_session)
    view.filter_edit.setText(f"Testcase{LRM}")  # looks exactly like "Testcase"
    view.refresh()  # what the pause after typing does
    settle(qtbot, ui_session)
    assert _listed(view) == [bram.id]


def test_a_name_first_pasted_with_an_invisible_mark_is_already_on_record_when_typed(
    qtbot: Any, unlocked: UiSession
) -> None:
    """Her names were pasted from the GP's letter (with a direction mark after the given
    name); months later she is typed in by hand with the same date of birth. New
    participant… (its job, ``add_unless_known``) must ask about her record, not make a
    second one."""
    cb = unlocked.require_casebook()
    first = call_casework(
        qtbot, unlocked, participants.create_participant,
        given_name=f"Morag{LRM}", family_name="Testperson", date_of_birth=BORN,
    ).value  # fmt: skip
    typed = {"given_name": "Morag", "family_name": "Testperson", "date_of_birth": BORN}
    outcome = on_db_thread(qtbot, unlocked, lambda: add_unless_known(cb, typed))
    assert isinstance(outcome, list), "a second record was made"
    assert [p.id for p in outcome] == [first.id]


def test_only_spaces_in_the_filter_lists_everyone_and_says_how_many(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """What held: spaces alone (and a no-break space) are no filter."""
    window = unlocked_window
    for given in ("Ann", "Ben", "Cai"):
        call_casework(
            qtbot, ui_session, participants.create_participant,
            given_name=given, family_name="Spaceson",
        )  # fmt: skip
    view = _caseload(qtbot, window, ui_session)
    view.filter_edit.setText("   \u00a0  \t ")
    view.refresh()
    settle(qtbot, ui_session)
    assert view.model.rowCount() == 3
    assert "3" in view.count_label.text()
