"""Pages load when shown, reload only for what they show, and never for their own saves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from screens_kit import person, schedule, settle
from shell_kit import PASSPHRASE

from linksdesk.core.vocab import ContactStatus, ResourceCapacity
from linksdesk.ui.dialogs.contact import OutcomeDialog
from linksdesk.ui.dialogs.resource import ResourceDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui

PAGES = ("today", "caseload", "diary", "resources", "sync", "conflicts")


def count_loads(window: Any) -> dict[str, int]:
    """Count each page's loads (its ``refresh``), still loading for real."""
    loads = dict.fromkeys(PAGES, 0)
    for key in PAGES:
        view = window.views[key]
        real: Callable[[], None] = view.refresh

        def counted(key: str = key, real: Callable[[], None] = real) -> None:
            loads[key] += 1
            real()

        view.refresh = counted
    return loads


def unlock(qtbot: Any, window: Any, session: UiSession) -> None:
    page = window.unlock_screen.open_page
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, session)


def test_unlock_loads_only_the_page_shown_and_the_others_when_first_shown(
    qtbot: Any, window: Any, ui_session: UiSession
) -> None:
    loads = count_loads(window)
    unlock(qtbot, window, ui_session)
    assert window.current_view_key() == "today"
    assert loads == {**dict.fromkeys(PAGES, 0), "today": 1}
    assert window.diary_view.load_pending and window.resources_view.load_pending

    window.show_view("diary")
    settle(qtbot, ui_session)
    assert loads["diary"] == 1
    window.show_view("today")
    window.show_view("diary")  # shown again with nothing changed: no second load
    settle(qtbot, ui_session)
    assert loads == {**dict.fromkeys(PAGES, 0), "today": 1, "diary": 1}

    # after a lock, the next unlock starts over: only the page shown loads
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        window.lock()
    unlock(qtbot, window, ui_session)
    assert window.current_view_key() == "diary"  # back where the worker was
    assert loads == {**dict.fromkeys(PAGES, 0), "today": 1, "diary": 2}


def test_a_change_reloads_a_hidden_page_when_it_is_shown_not_before(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession
) -> None:
    window = unlocked_window
    settle(qtbot, ui_session)
    window.show_view("diary")
    settle(qtbot, ui_session)
    window.show_view("resources")
    settle(qtbot, ui_session)
    loads = count_loads(window)

    # a booking this week, made while the Diary is hidden and Resources is shown
    who = person(qtbot, ui_session, "Morag", "Lazyload")
    monday = window.diary_view.start
    schedule(qtbot, ui_session, who.id, dt.datetime.combine(monday, dt.time(10, 0)))
    settle(qtbot, ui_session)
    assert loads["diary"] == 0 and window.diary_view.load_pending
    assert loads["resources"] == 0  # shown, but shows no contacts: not reloaded
    assert window.diary_view.model.rowCount() == 0  # not yet: it is hidden

    window.show_view("diary")
    settle(qtbot, ui_session)
    assert loads["diary"] == 1
    assert [e.participant_id for e in window.diary_view.model.rows()] == [who.id]


def test_the_diary_puts_its_own_outcome_in_place_without_reloading(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    diary = window.diary_view
    who = person(qtbot, ui_session, "Eilidh", "Initiator")
    booked = schedule(qtbot, ui_session, who.id, dt.datetime.combine(diary.start, dt.time(9)))
    window.show_view("diary")
    settle(qtbot, ui_session)
    loads = count_loads(window)
    heard: list[Any] = []
    ui_session.sig_changed.connect(heard.append)

    diary.day_lists[0].setCurrentIndex(diary.day_proxies[0].index(0, 0))
    monkeypatch.setattr(diary, "ask_schedule_again", lambda _entry: False)
    diary.record(ContactStatus.DID_NOT_ATTEND)
    settle(qtbot, ui_session)

    assert len(heard) == 1 and heard[0].initiator is diary
    assert loads["diary"] == 0  # its own change: put in place from the saved contact
    [entry] = diary.model.rows()
    assert (entry.contact_id, entry.status) == (booked.id, ContactStatus.DID_NOT_ATTEND)
    assert "Did not attend" in diary.selected_label.text()
    # the other pages that show contacts still hear of it (when shown)
    assert window.today_view.load_pending and window.caseload_view.load_pending
    window.show_view("today")
    settle(qtbot, ui_session)
    assert loads["today"] == 1


def test_today_records_an_outcome_in_place_without_reloading(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    today = window.today_view
    who = person(qtbot, ui_session, "Fraser", "Ownchange")
    # seen recently, so "not seen for a while" does not list them (that list is SQL's call)
    when = dt.datetime.combine(dt.date.today(), dt.time(0, 1))
    booked = schedule(qtbot, ui_session, who.id, when)
    today.refresh()
    settle(qtbot, ui_session)
    assert [e.contact_id for e in today.follow_model.rows()] == [booked.id]
    loads = count_loads(window)

    monkeypatch.setattr(
        OutcomeDialog, "ask", classmethod(lambda cls, *a, **k: {"status": ContactStatus.ATTENDED})
    )
    today.follow_section.table.setCurrentIndex(today.proxies[2].index(0, 0))
    assert today.record_outcome_selected()
    settle(qtbot, ui_session)

    assert loads["today"] == 0
    assert today.follow_model.rowCount() == 0  # its outcome is recorded now
    [entry] = today.todays_model.rows()
    assert entry.status is ContactStatus.ATTENDED


def test_resources_put_their_own_saves_in_place_without_reloading(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, monkeypatch: Any
) -> None:
    window = unlocked_window
    window.show_view("resources")
    settle(qtbot, ui_session)
    view = window.resources_view
    loads = count_loads(window)
    values = {
        "organisation": "Burnside Allotment Society",
        "service": "Starter plots",
        "categories": ("Outdoors",),
        "capacity": ResourceCapacity.OPEN,
    }
    monkeypatch.setattr(ResourceDialog, "ask", classmethod(lambda cls, *a, **k: dict(values)))
    view.add()
    settle(qtbot, ui_session)
    assert loads["resources"] == 0
    assert [r.resource.service for r in view.model.rows()] == ["Starter plots"]
    assert view.current() is not None and view.current().service == "Starter plots"

    values["service"] = "Winter plots"
    view.edit()
    view.verify()
    settle(qtbot, ui_session)
    assert loads["resources"] == 0
    [row] = view.model.rows()
    assert row.resource.service == "Winter plots"
    assert row.resource.last_verified == dt.date.today()
    assert "1 resource" in view.count_label.text()
