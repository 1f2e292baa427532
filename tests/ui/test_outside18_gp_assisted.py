"""Outside check 18: the GP letter compares two wellbeing scores, one of them completed with help.

docs/measures.md: help with completion (statements read out, answers filled in for the
person) pushes scores up, so whether it was assisted is recorded with every score. The GP
summary compared a first score with a later one and said nothing of help with either: a
rise that came from being helped read as the person doing better. Both scores say it, the
same way, in the dialog's text and in the letter saved as PDF (read with pdftotext).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from documents_kit import pdf_text
from screens_kit import person
from shell_kit import call_casework

from linksdesk.casework import consent, measures
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.reports.participant_record import day
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

HELPED = "completed with help"


@pytest.mark.parametrize("helped", [(False, True), (True, False)], ids=["later", "first"])
def test_the_gp_letter_says_which_score_was_completed_with_help(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    tmp_path: Path,
    helped: tuple[bool, bool],
) -> None:
    who = person(qtbot, ui_session)
    call_casework(qtbot, ui_session, consent.record_consent, who.id, "gp", True)
    first_on = dt.date.today() - dt.timedelta(days=70)
    later_on = dt.date.today() - dt.timedelta(days=7)
    for answer, on, context, assisted in (
        (2, first_on, MeasureContext.BASELINE, helped[0]),
        (4, later_on, MeasureContext.REVIEW, helped[1]),
    ):
        call_casework(
            qtbot,
            ui_session,
            measures.record_measure,
            who.id,
            MeasureKind.WEMWBS,
            [answer] * 14,
            context=context,
            taken_on=on,
            assisted=assisted,
        )
    window = unlocked_window
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    window.action_gp_summary.trigger()
    dialog = window.record_documents.gp_dialog
    qtbot.waitUntil(lambda: "WEMWBS" in dialog.preview.toPlainText(), timeout=20_000)
    first = f"28 on {day(first_on)}"
    later = f"56 on {day(later_on)}"
    said = {
        first: f"{first} ({HELPED})" if helped[0] else first,
        later: f"{later} ({HELPED})" if helped[1] else later,
    }
    wanted = f"WEMWBS: {said[first]} → {said[later]}:"
    shown = " ".join(dialog.preview.toPlainText().split())
    assert wanted in shown, shown
    assert shown.count(HELPED) == 1
    dialog.save_pdf_to(tmp_path / "letter")
    saved = tmp_path / "letter.pdf"
    qtbot.waitUntil(saved.exists, timeout=20_000)
    letter = pdf_text(saved)
    assert wanted in letter, letter
    dialog.reject()
