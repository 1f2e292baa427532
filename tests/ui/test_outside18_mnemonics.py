"""Outside check 18: Alt and a letter, with a record open.

With a record open, Alt+R and Alt+G went to the Referrals and Goals tabs, not to the Record
and Go menus whose underlined letters they are: two things on screen answered one key. This
walks what is on screen at once, with a record open on each of its tabs in turn (the menu
bar's titles, the tabs' texts, and every shown button, check box and labelled field with an
underlined letter), and then on each page in turn, and finds no letter claimed twice.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from screens_kit import on_record_tab, settle

from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def letter(text: str) -> str | None:
    """The underlined letter of ``text`` ("&Record" is R; "&&" is a plain ampersand)."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].upper() if 0 <= at < len(plain) - 1 else None


def claimed(window: Any) -> dict[str, list[str]]:
    """Each underlined letter on screen now, and what claims it."""
    found: dict[str, list[str]] = defaultdict(list)
    for action in window.menuBar().actions():
        if action.isVisible() and (key := letter(action.text())):
            found[key].append(f"menu {action.text()!r}")
    tabs = window.participant_view.tabs
    for i in range(tabs.count() if tabs.isVisible() else 0):
        if tabs.isTabVisible(i) and (key := letter(tabs.tabText(i))):
            found[key].append(f"tab {tabs.tabText(i)!r}")
    widgets: list[QWidget] = [
        *window.findChildren(QAbstractButton),
        *window.findChildren(QLabel),
    ]
    for w in widgets:
        if not w.isVisible() or w.window() is not window:
            continue
        if isinstance(w, QLabel) and w.buddy() is None:
            continue  # a label without a buddy has no shortcut
        if key := letter(w.text()):
            found[key].append(f"{type(w).__name__} {w.text()!r}")
    return found


def clashes(window: Any) -> dict[str, list[str]]:
    return {k: v for k, v in claimed(window).items() if len(v) > 1}


def test_no_underlined_letter_is_claimed_twice_with_a_record_open(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    on_record_tab(qtbot, window, ui_session, "timeline")
    view = window.participant_view
    seen: dict[str, dict[str, list[str]]] = {}
    for i in range(view.tabs.count()):
        view.tabs.setCurrentIndex(i)
        settle(qtbot, ui_session)
        if found := clashes(window):
            seen[view.tabs.tabText(i)] = found
    assert seen == {}, "\n".join(f"{t}: {c}" for t, c in seen.items())


def test_no_underlined_letter_is_claimed_twice_on_any_page_with_a_record_open(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    """The record open, the worker goes to each page in turn (Alt+F on the Caseload went
    to its filter, not to the File menu)."""
    window = unlocked_window
    on_record_tab(qtbot, window, ui_session, "timeline")
    seen: dict[str, dict[str, list[str]]] = {}
    for key, action in window.go_actions.items():
        action.trigger()
        settle(qtbot, ui_session)
        if found := clashes(window):
            seen[key] = found
    assert seen == {}, seen
