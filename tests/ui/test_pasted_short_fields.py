"""Record consent's note and Add a step keep at most 2000 characters, as casework does: a
letter pasted past that is refused with the dialog open and the words still in it (refused
by casework after the dialog closed, they were lost)."""

from __future__ import annotations

from typing import Any

import pytest

from linksdesk.ui.dialogs.form import FormDialog
from linksdesk.ui.dialogs.goal import StepDialog
from linksdesk.ui.dialogs.record import ConsentDialog

pytestmark = pytest.mark.gui

LINE = "She would like to go to the lunch club with her neighbour on Tuesdays.\n"
LETTER = LINE * 40  # over 2000 characters


@pytest.mark.parametrize(("kind", "field"), [(ConsentDialog, "note"), (StepDialog, "description")])
def test_words_over_2000_characters_are_refused_with_the_dialog_open(
    qtbot: Any, kind: type[FormDialog], field: str
) -> None:
    dialog = kind(None)  # type: ignore[call-arg]
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.set_values({field: LETTER})
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible()
    assert "too long" in dialog.message.text() and "2000" in dialog.message.text()
    assert dialog.values()[field] == LETTER.strip()
    dialog.set_values({field: LINE})
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        ok.click()
    assert dialog.values()[field] == LINE.strip()
