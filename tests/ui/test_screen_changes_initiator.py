"""Changes say which view asked for them; that view does not reload itself on hearing them."""

from __future__ import annotations

from typing import Any

import pytest

from linksdesk.casework import participants
from linksdesk.core.changes import Changes
from linksdesk.ui.views.conflicts import ConflictsView

pytestmark = pytest.mark.gui


def test_a_views_own_change_comes_back_with_it_as_initiator(qtbot: Any, unlocked: Any) -> None:
    asking = ConflictsView(unlocked)
    other = ConflictsView(unlocked)
    qtbot.addWidget(asking)
    qtbot.addWidget(other)
    heard: list[Changes] = []
    unlocked.sig_changed.connect(heard.append)
    with qtbot.waitSignal(unlocked.sig_changed, timeout=20_000):
        asking.write(participants.create_participant, given_name="Ina", family_name="Tiator")
    assert len(heard) == 1
    assert heard[0].initiator is asking
    assert "participant" in heard[0].entities

    # the view that asked has updated itself; every other view still reloads
    reloads: dict[str, int] = {"asking": 0, "other": 0}
    asking.refresh = lambda: reloads.__setitem__("asking", reloads["asking"] + 1)  # type: ignore[method-assign]
    other.refresh = lambda: reloads.__setitem__("other", reloads["other"] + 1)  # type: ignore[method-assign]
    asking.on_changes(heard[0])
    other.on_changes(heard[0])
    assert reloads == {"asking": 0, "other": 1}
    asking.on_changes(Changes(entities={"sync_conflict"}))  # a sync's: reloads
    assert reloads == {"asking": 1, "other": 1}
