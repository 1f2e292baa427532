"""Outside check 17: a resource added to the directory with what a tired worker has to hand.

"Email: see their website" or a last-verified day read as next year ("3/4/27") is refused by
casework. COMMON's rule: bad input gets a clear message and loses nothing. Refused only after
Add resource closed, the organisation, service, address and opening times typed went too.
"""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from screens_kit import settle
from shell_kit import call_casework

from linksdesk.casework import resources
from linksdesk.ui.dialogs.resource import ResourceDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

TYPED = {
    "organisation": "Kettle Cafe",
    "service": "Tuesday walking group",
    "address": "1 Sample Row",
    "when": "Tuesdays 10:00",
}


@pytest.mark.parametrize(
    "wrong",
    [{"email": "see their website"}, {"last_verified": "3/4/27"}],
    ids=["email", "last-verified"],
)
def test_add_resource_refused_by_casework_stays_open_with_what_was_typed(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, wrong: dict[str, str]
) -> None:
    window = unlocked_window
    window.show_view("resources")
    view = window.resources_view
    settle(qtbot, ui_session)
    seen: dict[str, Any] = {}

    def typed(dialog: ResourceDialog) -> None:
        dialog.set_values(TYPED)
        for key, text in wrong.items():  # typed, as the worker does
            widget = dialog.widget(key)
            qtbot.keyClicks(getattr(widget, "edit", widget), text)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen["first"] = (dialog.isVisible(), dialog.message.text(), dialog.values())
        for key in wrong:
            widget = dialog.widget(key)
            getattr(widget, "edit", widget).clear()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    state = on_modal(typed, kind=ResourceDialog)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    finished(qtbot, state)
    settle(qtbot, ui_session)
    still_open, said, values = seen["first"]
    assert still_open, f"Add resource closed; the screen said: {view.message.text()}"
    assert said and {k: values[k] for k in TYPED} == TYPED
    listed = call_casework(qtbot, ui_session, resources.list_resources)
    assert [(r.organisation, r.service) for r in listed] == [
        ("Kettle Cafe", "Tuesday walking group")
    ]
