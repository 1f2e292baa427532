"""Caseload screen: lazy rows, SQL filter and sort, status filter, opening, clearing."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from screens_kit import NAMES, settle, texts
from shell_kit import on_db_thread

from linksdesk.casework import participants
from linksdesk.core.vocab import ParticipantStatus
from linksdesk.ui.views.caseload import CaseloadView

pytestmark = pytest.mark.gui

STATUSES = [
    ParticipantStatus.ACTIVE,
    ParticipantStatus.REFERRED,
    ParticipantStatus.PAUSED,
    ParticipantStatus.CLOSED,
]


def test_caseload_loads_rows_lazily_and_filters_and_sorts_in_sql(
    qtbot: Any, unlocked: Any, qtmodeltester: Any
) -> None:
    cb = unlocked.require_casebook()

    def make_people() -> None:
        for n in range(60):
            given, family = NAMES[n % len(NAMES)]
            status = STATUSES[n % len(STATUSES)]
            p = participants.create_participant(
                cb,
                given_name=given,
                family_name=f"{family}{n:02d}",
                status=ParticipantStatus.ACTIVE if status is ParticipantStatus.CLOSED else status,
            ).value
            if status is ParticipantStatus.CLOSED:
                participants.close_participant(cb, p.id, "Moved away")

    on_db_thread(qtbot, unlocked, make_people)
    view = CaseloadView(unlocked)
    view.model.PAGE = 10  # small pages, so 60 people span several
    qtbot.addWidget(view)
    view.resize(1000, 300)
    view.show()
    view.refresh()
    settle(qtbot, unlocked)
    total = view.model.rowCount()
    assert total == 45  # closed cases are left out by default
    # only what was painted has been built: the first page, not every row
    qtbot.waitUntil(lambda: view.model.cached_count() > 0)
    assert view.model.cached_count() < total
    first = view.proxy.index(0, 1).data()
    assert first and first != view.model.placeholder
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)

    # scrolling to the end loads the last page
    view.table.scrollToBottom()
    settle(qtbot, unlocked)
    last = view.proxy.index(total - 1, 0)
    view.table.scrollTo(last)
    qtbot.waitUntil(lambda: view.model.cached(view.model.id_at(total - 1)) is not None)

    # sort by programme id, descending, is done by SQL
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    settle(qtbot, unlocked)
    view.table.scrollToTop()
    qtbot.waitUntil(lambda: view.proxy.index(4, 0).data() not in ("", view.model.placeholder))
    ids = texts(view.proxy)[:5]
    assert ids == sorted(ids, reverse=True)

    # quick filter by programme id
    pid = ids[0]
    view.filter_edit.setText(pid)
    view.refresh()  # what the debounce timer would do
    settle(qtbot, unlocked)
    assert view.model.rowCount() == 1
    assert view.proxy.index(0, 0).data() == pid

    # status filter: only paused people
    view.filter_edit.clear()
    view.status_box.setCurrentIndex(view.status_box.findData(ParticipantStatus.PAUSED.value))
    settle(qtbot, unlocked)
    qtbot.waitUntil(lambda: view.proxy.index(0, 2).data() != "")
    assert view.model.rowCount() == 15
    shown = {view.proxy.index(r, 2).data() for r in range(10)}  # the first page
    assert shown == {"Paused"}

    view.clear()
    assert view.model.rowCount() == 0 and view.model.cached_count() == 0
    assert view.count_label.text() == ""


def test_caseload_follows_changes_and_opens_a_record(qtbot: Any, unlocked: Any) -> None:
    view = CaseloadView(unlocked)
    qtbot.addWidget(view)
    unlocked.sig_changed.connect(view.on_changes)
    view.refresh()
    settle(qtbot, unlocked)
    assert view.model.rowCount() == 0
    view.write(participants.create_participant, given_name="Catriona", family_name="Fakesmith")
    settle(qtbot, unlocked)
    qtbot.waitUntil(lambda: view.proxy.index(0, 1).data() == "Catriona Fakesmith")
    assert view.count_label.text() == "1 person"
    with qtbot.waitSignal(view.sig_open_participant) as opened:
        view.table.activated.emit(view.proxy.index(0, 1))
    assert opened.args == [view.model.id_at(0)]
