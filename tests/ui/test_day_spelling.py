"""Spell checking in the note editor: underlined while typing, suggestions on right-click."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QTextCharFormat
from screens_kit import person

from linksdesk.ui.spelling import SharedDictionary, spelling_menu
from linksdesk.ui.views.participant import ParticipantView

pytestmark = pytest.mark.gui


def underlined(editor: Any) -> list[str]:
    block = editor.text_edit.document().firstBlock()
    text = block.text()
    return [
        text[r.start : r.start + r.length]
        for r in block.layout().formats()
        if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    ]


def test_misspellings_underlined_as_typed_and_fixed_from_the_menu(
    qtbot: Any, unlocked: Any
) -> None:
    SharedDictionary.get().load_now()
    with qtbot.waitSignal(unlocked.sig_settings_changed, timeout=20_000):
        unlocked.update_settings({"spelling_words": ["Craigbank"]})
    who = person(qtbot, unlocked)
    view = ParticipantView(unlocked)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.sig_loaded, timeout=20_000):
        view.open(who.id)
    editor = view.timeline.editor
    qtbot.keyClicks(editor.text_edit, "Went to the Craigbank colour programme; did not recieve")
    qtbot.waitUntil(lambda: underlined(editor) == ["recieve"])  # British, programme words known

    rect = editor.text_edit.cursorRect()  # the cursor sits at the end of "recieve"
    pos = rect.center()
    pos.setX(pos.x() - 5)
    menu = spelling_menu(editor.text_edit, editor.spelling, pos)
    first = menu.actions()[0]
    assert first.text() == "receive"
    first.trigger()
    assert editor.text_edit.toPlainText().endswith("did not receive")
    qtbot.waitUntil(lambda: underlined(editor) == [])


@pytest.mark.parametrize("quitting", [False, True])
def test_a_dictionary_loading_while_the_app_quits_tells_no_one(
    qapp: Any, monkeypatch: pytest.MonkeyPatch, quitting: bool
) -> None:
    """The loader thread never emits on the Qt object once the process has begun to quit
    (it used to, and a quit within the load's two seconds could crash on the way out)."""
    import threading

    from PySide6.QtCore import Qt

    from linksdesk.casework.spelling import SpellChecker

    release = threading.Event()
    real_load = SpellChecker.load

    def slow_load() -> SpellChecker:
        release.wait(10)
        return real_load()

    monkeypatch.setattr(SpellChecker, "load", staticmethod(slow_load))
    shared = SharedDictionary()  # not the process's: its load is held by the test
    told = []
    shared.sig_ready.connect(lambda: told.append(1), Qt.ConnectionType.DirectConnection)
    shared.start()
    if quitting:
        shared.close()  # what the exit handler does
    release.set()
    assert shared._thread is not None
    shared._thread.join(20)
    assert shared.checker is not None  # read either way
    assert told == ([] if quitting else [1])
