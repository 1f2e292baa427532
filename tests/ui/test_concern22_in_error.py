"""A tired worker adds "Debt" to the wrong participant. There was no way to take it back: it
stayed in that person's GP summary and own record and in the team's count of people with
debt. Now the Concerns list under Profile and consent has "Entered in error…": asked why,
struck through, counted nowhere, resolved no more, and the mark can be taken off.
Synthetic data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from day_kit import marked_from_the_keyboard
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import concerns, consent, gp_summary
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import MarkedInErrorError
from linksdesk.core.vocab import ENTERED_IN_ERROR, ConsentScope
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

SEEN = dt.date.today() - dt.timedelta(days=1)
WRONG = "Recorded on the wrong participant"


def _what_counts(cb: Casebook, pid: str) -> tuple[list[str], int]:
    """The GP summary's concern lines about debt (as the practice reads them), and the
    people with debt in the team's report of the month."""
    letter = str(gp_summary.export_gp_summary(cb, pid, "text").content)
    table = (
        report_from_store(cb.store, Scope(Period.parse(f"{SEEN:%Y-%m}")), audience=INTERNAL)
        .section("concerns")
        .table("concerns")
    )
    people = [int(r[3]) for r in table.rows if r[0] == "Debt"]
    return [line for line in letter.splitlines() if "Debt" in line], sum(people)


def test_a_concern_on_the_wrong_person_is_marked_and_leaves_the_count(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    right = person(qtbot, ui_session, "Brodie", "Samplewood")
    wrong = person(qtbot, ui_session, "Morag", "Testington")
    call_casework(qtbot, ui_session, consent.record_consent, wrong.id, ConsentScope.GP, True)
    for pid in (right.id, wrong.id):  # meant for Brodie; added to Morag too, by mistake
        call_casework(qtbot, ui_session, concerns.add_concern, pid, "Debt", identified_on=SEEN)
    [added] = call_casework(qtbot, ui_session, concerns.list_concerns, wrong.id)
    letter, with_debt = call_casework(qtbot, ui_session, _what_counts, wrong.id)
    assert len(letter) == 1 and with_debt == 2

    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(wrong.id)
    tab = view.profile
    button = tab.in_error_button
    # it named the person and said what would happen before anything was written
    marked_from_the_keyboard(
        qtbot, ui_session, tab, tab.concern_table, button, "wrong_person", "Morag Testington"
    )
    [kept] = call_casework(qtbot, ui_session, concerns.list_concerns, wrong.id)
    assert kept.id == added.id and kept.in_error and kept.in_error_reason == WRONG
    assert kept.category == "Debt"  # what was recorded stays
    # struck through in the list, saying why in words; the button now takes the mark off
    row = tab.concern_model.row_of_id(added.id)
    assert tab.concern_model.index(row, 0).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert f"{ENTERED_IN_ERROR}: {WRONG}" in str(tab.concern_model.index(row, 3).data())
    tab.concern_table.setCurrentIndex(tab.concern_proxy.index(0, 0))
    assert button.text() == "Not in error after all…"

    # gone from Morag's GP summary; Brodie alone has debt in the report
    letter, with_debt = call_casework(qtbot, ui_session, _what_counts, wrong.id)
    assert letter == [] and with_debt == 1

    # it is resolved no more: the button says so, and so does casework
    tab.resolve_button.click()
    assert "entered in error" in view.message.text()
    with pytest.raises(MarkedInErrorError):
        call_casework(qtbot, ui_session, concerns.resolve_concern, added.id)

    # the mark was the mistake after all: taken off, it counts again as it was recorded
    tab.ask_restore = lambda entry: True  # type: ignore[method-assign]
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    letter, with_debt = call_casework(qtbot, ui_session, _what_counts, wrong.id)
    assert len(letter) == 1 and with_debt == 2
