"""Buttons that act on the row chosen in a record's table: a tired click with nothing chosen
says so, and nothing written goes, or comes back, without the worker's say."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from screens_kit import on_record_tab, settle
from shell_kit import call_casework
from test_tired_outcome_note import answer_box

from linksdesk.casework import relationships
from linksdesk.core.vocab import RelationshipKind
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def click(qtbot: Any, button: Any, answer: QMessageBox.StandardButton | None = None) -> str:
    """``button`` clicked; the question it asks answered with ``answer`` (then it must
    ask): the question's title and words."""
    seen: dict[str, Any] = {}
    if answer is not None:
        answer_box(answer, seen)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    if answer is not None:
        qtbot.waitUntil(lambda: "question" in seen, timeout=20_000)
    return str(seen.get("question", ""))


NO, YES = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes


def in_network(
    qtbot: Any, window: Any, session: UiSession, kind: RelationshipKind, name: str, **kw: Any
) -> Any:
    """A new person's record open on its Network tab, with ``name`` in their network."""
    who = on_record_tab(qtbot, window, session, "network")
    call_casework(qtbot, session, relationships.add_relationship, who.id, kind, name, **kw)
    settle(qtbot, session)
    return window.participant_view.network


def test_removing_someone_from_the_network_asks_first(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    tab = in_network(
        qtbot, unlocked_window, ui_session, RelationshipKind.FAMILY, "Sister Kirsty",
        phone="07700 900123", detail="Visits on Sundays",
    )  # fmt: skip

    def names() -> list[str]:
        return [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]

    assert names() == ["Sister Kirsty"]
    tab.table.setCurrentIndex(tab.proxy.index(0, 0))
    asked = click(qtbot, tab.remove_button, NO)
    settle(qtbot, ui_session)
    assert asked == (
        "Remove from the network?\nRemove Sister Kirsty (family) from the network? "
        "What is written about them goes too."
    )
    assert names() == ["Sister Kirsty"]  # No: still there
    click(qtbot, tab.remove_button, YES)
    settle(qtbot, ui_session)
    assert names() == []


def test_a_click_with_nothing_chosen_says_what_to_choose(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    in_network(qtbot, unlocked_window, ui_session, RelationshipKind.FRIEND, "Ann")
    view = unlocked_window.participant_view
    view.network.table.setCurrentIndex(view.network.proxy.index(-1, -1))
    click(qtbot, view.network.remove_button)
    assert view.message.isVisible()
    assert view.message.text() == "Choose someone in the list first."
    assert view.network.proxy.rowCount() == 1
    view.network.table.setCurrentIndex(view.network.proxy.index(0, 0))
    click(qtbot, view.network.remove_button, NO)
    assert not view.message.isVisible()  # chosen: the request is answered
    view.network.table.setCurrentIndex(view.network.proxy.index(-1, -1))

    view.tabs.setCurrentWidget(view.profile)
    click(qtbot, view.profile.resolve_button)
    assert view.message.text() == "Choose a concern in the list first."
