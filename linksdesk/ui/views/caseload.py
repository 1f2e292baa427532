"""The Caseload screen: everyone on the caseload, filtered and sorted in SQL, rows built lazily."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QWidget,
)

from linksdesk.casework import lists
from linksdesk.casework.dto import CaseloadQuery, CaseloadRow, CaseloadSort
from linksdesk.core.changes import Changes
from linksdesk.core.item_words import counted
from linksdesk.core.vocab import ParticipantStatus
from linksdesk.ui.models.lazy import LazyRowsModel, SqlOrderProxy
from linksdesk.ui.models.table import ID_ROLE, Column
from linksdesk.ui.views.common import Screen, heading, make_table, open_on_activate, relevant
from linksdesk.ui.views.rows import (
    buddy,
    choice_box,
    hbox,
    page_layout,
    search_field,
    tab_order,
)
from linksdesk.ui.widgets import push_button, refresh_after_typing

if TYPE_CHECKING:
    from linksdesk.casework.casebook import Casebook
    from linksdesk.ui.session import UiSession

SORT_BY_COLUMN = (
    CaseloadSort.PROGRAMME_ID,
    CaseloadSort.NAME,
    CaseloadSort.STATUS,
    CaseloadSort.LAST_CONTACT,
    CaseloadSort.NEXT_CONTACT,
    CaseloadSort.APPOINTMENTS_USED,
    CaseloadSort.OPEN_GOALS,
    CaseloadSort.REFERRED_ON,
)


def _when(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value.day} {value:%b %Y %H:%M}"
    return f"{value.day} {value:%b %Y}"


def _appointments(row: CaseloadRow) -> str:
    if row.appointment_limit is None:
        return str(row.appointments_used)
    text = f"{row.appointments_used} of {row.appointment_limit}"
    return text + "  ⚠ over" if row.over_limit else text


def caseload_columns(
    tr: Callable[[str], str], read_only: Callable[[str], bool] = lambda _pid: False
) -> list[Column[CaseloadRow]]:
    """The caseload's columns; ``read_only(pid)`` marks handed-over cases kept here to read."""

    def status(row: CaseloadRow) -> str:
        if read_only(row.participant_id):
            return tr("{status} · handed over").format(status=row.status.label)
        return row.status.label

    def status_tip(row: CaseloadRow) -> str | None:
        if read_only(row.participant_id):
            return tr("Handed over to another links worker: you can read it, not change it.")
        return None

    return [
        Column(tr("Programme id"), lambda r: r.programme_id),
        Column(tr("Name"), lambda r: r.display_name),
        Column(tr("Status"), status, sort=lambda r: r.status.label, tooltip=status_tip),
        Column(tr("Last contact"), lambda r: _when(r.last_contact)),
        Column(tr("Next contact"), lambda r: _when(r.next_contact)),
        Column(
            tr("Appointments"),
            _appointments,
            tooltip=lambda r: tr(
                "Appointments used against the programme's limit (supported visits and "
                "attempted contacts do not count)."
            ),
        ),
        Column(tr("Open goals"), lambda r: r.open_goals, align_right=True),
        Column(tr("Referred on"), lambda r: _when(r.referred_on)),
    ]


Loaded = tuple[list[str], frozenset[str], int]


def load_caseload(cb: Casebook, query: CaseloadQuery) -> Loaded:
    """Runs on the DB thread: the ids in order, which of them are read-only copies, and how
    many closed cases the words typed match too when closed cases are left out (a person
    coming back months later is closed: the worker is told where she is, not shown nobody)."""
    closed = 0
    if query.text.strip() and not query.statuses and not query.include_closed:
        only_closed = frozenset({ParticipantStatus.CLOSED})
        closed = len(
            lists.caseload_ids(cb, replace(query, statuses=only_closed, include_closed=True))
        )
    return lists.caseload_ids(cb, query), cb.read_only_participants(), closed


class CaseloadView(Screen):
    """A lazily filled table of the caseload; Enter or double-click opens the record."""

    sig_rows_loaded = Signal()  # a page of rows arrived and is painted on the next frame
    sig_new_participant = Signal()
    sig_new_contact = Signal(str)  # participant id (context menu)
    sig_new_note = Signal(str)  # participant id (context menu)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        self.setAccessibleName(tr("Caseload"))
        self.read_only: frozenset[str] = frozenset()
        self.model: LazyRowsModel[CaseloadRow] = LazyRowsModel(
            caseload_columns(tr, lambda pid: pid in self.read_only),
            id_of=lambda r: r.participant_id,
            parent=self,
        )
        self.proxy = SqlOrderProxy(self)
        self.proxy.setSourceModel(self.model)
        self._sort = CaseloadSort.NAME
        self._descending = False
        self._total = 0

        self.count_label = QLabel()
        self.count_label.setAccessibleName(tr("Number of people shown"))
        layout = page_layout(self, heading(tr("Caseload")), None, self.count_label)
        layout.addWidget(self.message)

        self.filter_edit = search_field(tr("Filter by name or programme id"), tr("Quick filter"))
        self.status_box = choice_box(
            tr("Status filter"),
            [
                (tr("Open (not closed)"), "open"),
                *((status.label, status.value) for status in ParticipantStatus),
                (tr("Everyone"), "all"),
            ],
        )
        self.new_button = push_button(
            tr("New participant…"), tr("New participant"), self.sig_new_participant.emit
        )
        layout.addLayout(
            hbox(
                buddy(tr("Fi&lter:"), self.filter_edit),
                (self.filter_edit, 2),
                buddy(tr("&Status:"), self.status_box),
                self.status_box,
                self.new_button,
            )
        )

        self.table = make_table(self.proxy, tr("Caseload table"))
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        layout.addWidget(self.table, 1)
        # status: room for "· handed over"; all eight fit a 1200x780 window without scrolling
        widths = (90, 180, 150, 130, 130, 100, 80)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        open_on_activate(self.table, self.sig_open_participant.emit)
        self._make_row_actions()
        tab_order(self.filter_edit, self.status_box, self.new_button, self.table)
        self.setFocusProxy(self.filter_edit)

        self._filter_timer = refresh_after_typing(self.filter_edit, 250, self.refresh)
        # Enter opens the match, Down moves to it: typing a name then Enter opens the record
        self.filter_edit.installEventFilter(self)
        self._after_ids: Callable[[], None] | None = None
        self._closed_said = False  # the message says closed cases match what is typed
        self.status_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.model.sig_rows_wanted.connect(self._on_model_rows_wanted)
        self.model.sig_sort_wanted.connect(self._on_model_sort_wanted)

    # -- contract -----------------------------------------------------------------------
    def query(self) -> CaseloadQuery:
        choice = self.status_box.currentData()
        statuses: frozenset[ParticipantStatus] = frozenset()
        include_closed = False
        if choice == "all":
            include_closed = True
        elif choice != "open":
            statuses = frozenset({ParticipantStatus(choice)})
            include_closed = choice == ParticipantStatus.CLOSED.value
        return CaseloadQuery(
            statuses=statuses,
            include_closed=include_closed,
            # cases handed to a colleague leave the caseload; "Everyone" still lists them
            include_handed_over=choice == "all",
            text=self.filter_edit.text().strip(),
            sort=self._sort,
            descending=self._descending,
        )

    def refresh(self) -> None:
        self._filter_timer.stop()
        query = self.query()
        self.run(load_caseload, query, on_done=lambda loaded: self._on_ids(loaded, query.text))

    def on_changes(self, changes: Changes) -> None:
        if not relevant(
            changes, "participant", "contact", "goal", "status_change", "erasure", "erasure_receipt"
        ):
            return
        # rows may have changed: drop them from the cache and ask SQL for the order again
        if changes.participants:
            self.model.invalidate_rows(sorted(changes.participants))
        else:
            self.model.invalidate_rows()
        self.reload_for(changes)  # now if shown (or erased), else when next shown

    def clear(self) -> None:
        super().clear()
        self._after_ids = None
        self._filter_timer.stop()
        self.model.clear()
        self.read_only = frozenset()
        self._closed_said = False
        self.filter_edit.clear()
        self._filter_timer.stop()  # clearing the text restarted it
        self.count_label.clear()

    # -- the row's context menu (right click, the Menu key or Shift+F10) -------------------
    def _make_row_actions(self) -> None:
        tr = self.tr
        self.open_action = QAction(tr("&Open record"), self)
        self.open_action.triggered.connect(self._open_current)
        self.contact_action = QAction(tr("Record a &contact…"), self)
        self.contact_action.triggered.connect(lambda: self._emit_for_current(self.sig_new_contact))
        self.note_action = QAction(tr("Write a case &note"), self)
        self.note_action.triggered.connect(lambda: self._emit_for_current(self.sig_new_note))
        self.handed_over_action = QAction(
            tr("Handed over to another links worker: read only"), self
        )
        self.handed_over_action.setEnabled(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_menu)
        self.row_menu: QMenu | None = None

    def current_participant(self) -> str | None:
        index = self.table.currentIndex()
        pid = index.siblingAtColumn(0).data(ID_ROLE) if index.isValid() else None
        return str(pid) if pid else None

    def row_menu_for(self, participant_id: str) -> QMenu:
        """The context menu of one row; edit actions are off for a handed-over case."""
        editable = participant_id not in self.read_only
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Actions for this participant"))
        menu.addAction(self.open_action)
        menu.addSeparator()
        for action in (self.contact_action, self.note_action):
            action.setEnabled(editable)
            menu.addAction(action)
        if not editable:
            menu.addSeparator()
            menu.addAction(self.handed_over_action)
        return menu

    def _on_table_menu(self, pos: QPoint) -> None:
        # a right click has made its row current already; from the keyboard (Menu key,
        # Shift+F10) the menu is about the current row, so it opens beside that row
        index = self.table.currentIndex()
        if not index.isValid():
            return
        if self.table.indexAt(pos).row() != index.row():
            pos = self.table.visualRect(index).bottomLeft()
        pid = self.current_participant()
        if pid is None:
            return
        self.row_menu = self.row_menu_for(pid)
        self.row_menu.popup(self.table.viewport().mapToGlobal(pos))

    def _open_current(self) -> None:
        pid = self.current_participant()
        if pid:
            self.sig_open_participant.emit(pid)

    def _emit_for_current(self, signal: Any) -> None:
        pid = self.current_participant()
        # checked again here: the menu may have been built before a sync changed things
        if pid and pid not in self.read_only:
            signal.emit(pid)

    # -- keyboard from the filter -------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._when_filtered(self._open_match)
                return True
            if key == Qt.Key.Key_Down:
                self._when_filtered(self._go_to_match)
                return True
        return super().eventFilter(watched, event)

    def _when_filtered(self, action: Callable[[], None]) -> None:
        """Run ``action`` on the list for the text typed so far (after it has loaded)."""
        if self._filter_timer.isActive() or self.runner_busy():
            self._after_ids = action
            self.refresh()
        else:
            action()

    def runner_busy(self) -> bool:
        return bool(getattr(self.session.runner, "busy", False))

    def _match_index(self) -> Any:
        # the best match of the filter is the list's first row
        return self.proxy.index(0, 0) if self.proxy.rowCount() else None

    def _go_to_match(self) -> None:
        index = self._match_index()
        if index is not None:
            self.table.setCurrentIndex(index)
        self.table.setFocus(Qt.FocusReason.TabFocusReason)

    def _open_match(self) -> None:
        index = self._match_index()
        if index is None:
            return
        self.table.setCurrentIndex(index)
        pid = self.model.id_at(self.proxy.mapToSource(index).row())
        if pid:
            self.sig_open_participant.emit(pid)

    # -- internals ----------------------------------------------------------------------
    def _on_ids(self, loaded: Loaded, text: str | None = None) -> None:
        ids, self.read_only, closed = loaded
        self._say_closed(closed, len(ids))
        current = self.table.currentIndex()
        keep = current.siblingAtColumn(0).data(ID_ROLE) if current.isValid() else None
        self.model.set_ids(ids)
        self._total = len(ids)
        self.count_label.setText(
            self.tr("{n} people").format(n=f"{len(ids):,}")
            if len(ids) != 1
            else self.tr("1 person")
        )
        if keep:
            row = self.model.row_of_id(str(keep))
            if row >= 0:
                self.table.setCurrentIndex(self.proxy.index(row, 0))
        # Enter or Down waits for the list of what is typed now, not an earlier one
        if self._after_ids is not None and text == self.filter_edit.text().strip():
            pending, self._after_ids = self._after_ids, None
            pending()

    def _say_closed(self, closed: int, shown: int) -> None:
        """Say how many closed cases the words typed match, while they are left out."""
        if not closed:
            if self._closed_said:
                self._closed_said = False
                self.message.clear_message()
            return
        self._closed_said = True
        if shown:
            said = self.tr("{cases} also match what you typed.")
            if closed == 1:
                said = self.tr("{cases} also matches what you typed.")
        else:
            said = self.tr("{cases} match what you typed.")
            if closed == 1:
                said = self.tr("{cases} matches what you typed.")
        self.message.show_message(
            said.format(cases=counted("closed case", closed))
            + " "
            + self.tr("To see closed cases, choose Everyone or Closed under Status."),
            "info",
        )

    def _on_model_rows_wanted(self, generation: int, ids: list[str]) -> None:
        self.run(
            lists.caseload_rows,
            ids,
            on_done=lambda rows: self._on_rows(generation, rows),
        )

    def _on_rows(self, generation: int, rows: list[CaseloadRow]) -> None:
        self.model.put_rows(generation, rows)
        self.sig_rows_loaded.emit()

    def _on_model_sort_wanted(self, column: int, order: Qt.SortOrder) -> None:
        self._sort = SORT_BY_COLUMN[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
