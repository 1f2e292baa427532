"""Outside check 17: what the note editor says about privacy while a note is revised.

The user guide: "A case note marked Private (never leaves this device) is never sent to the
server." A revision keeps its note's sharing (casework.notes.revision_row), and the editor's
Private box is greyed out while revising: it must show that sharing. A tired worker ticked
Private for a new note, then chose to add to yesterday's (team) note instead: the box still
showed ticked, so the worker wrote what should stay on the laptop into a note that goes to
the team. And a private note being revised showed the box unticked.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from screens_kit import person, settle
from shell_kit import call_casework

from linksdesk.casework import notes
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def revise(qtbot: Any, window: Any, note_id: str) -> Any:
    timeline = window.participant_view.timeline
    assert timeline.select_id(note_id)
    qtbot.mouseClick(timeline.revise_button, Qt.MouseButton.LeftButton)
    assert timeline.editor.editing is not None and timeline.editor.editing.id == note_id
    return timeline.editor


def test_the_private_box_shows_the_sharing_of_the_note_being_revised(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    who = person(qtbot, ui_session)
    team = call_casework(qtbot, ui_session, notes.write_note, who.id,
                         "Met at the library, talked about the walking group.").value  # fmt: skip
    private = call_casework(qtbot, ui_session, notes.write_note, who.id,
                            "A worry to keep between us.", private=True).value  # fmt: skip
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    editor = view.timeline.editor
    # Private ticked for a new note, then the worker adds to yesterday's team note instead
    qtbot.mouseClick(editor.private_check, Qt.MouseButton.LeftButton)
    assert editor.private_check.isChecked()
    revise(qtbot, window, team.id)
    shown_for_team = editor.private_check.isChecked()
    qtbot.keyClicks(editor.text_edit, " Her son is back home.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ui_session)
    saved = call_casework(qtbot, ui_session, notes.get_note, team.id)
    assert not saved.private  # the revision went to the team, as its note does
    assert not shown_for_team, "the box said Private over a note shared with the team"

    revise(qtbot, window, private.id)
    assert editor.private_check.isChecked(), "the box said not private over a private note"
    assert not editor.private_check.isEnabled()  # sharing is the note's: not changed here
    qtbot.mouseClick(editor.discard_button, Qt.MouseButton.LeftButton)


def test_the_about_box_shows_the_contact_of_the_note_being_revised(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The greyed About box said "No particular contact" (or the contact chosen for a new
    note) over a note written about a meeting."""
    import datetime as dt

    from linksdesk.casework import contacts

    window = unlocked_window
    who = person(qtbot, ui_session)
    met = call_casework(qtbot, ui_session, contacts.record_contact, who.id, kind="appointment",
                        at=dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=1),
                        venue="Craigbank Library").value  # fmt: skip
    about = call_casework(qtbot, ui_session, notes.write_note, who.id,
                          "Talked about the walking group.", contact_id=met.id).value  # fmt: skip
    loose = call_casework(qtbot, ui_session, notes.write_note, who.id, "Phoned the GP.").value
    view = window.participant_view
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        window.open_participant(who.id)
    editor = view.timeline.editor
    revise(qtbot, window, about.id)
    assert editor.contact_box.currentData() == met.id
    qtbot.mouseClick(editor.discard_button, Qt.MouseButton.LeftButton)
    revise(qtbot, window, loose.id)
    assert editor.contact_box.currentData() in (None, "")
    qtbot.mouseClick(editor.discard_button, Qt.MouseButton.LeftButton)
    # the new note's own choice is as it was before the revision
    assert editor.contact_box.currentIndex() == 0 and not editor.private_check.isChecked()
