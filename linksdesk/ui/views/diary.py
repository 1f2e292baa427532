"""The Diary screen: a week of scheduled contacts; record each outcome in one step."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import contacts, lists
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Contact, DiaryEntry
from linksdesk.core.changes import Changes
from linksdesk.core.vocab import ContactKind, ContactStatus
from linksdesk.ui.dialogs.contact import (
    still_to_come,
)
from linksdesk.ui.models.table import (
    PARTICIPANT_ROLE,
    Column,
    RecordFilterProxy,
    RecordTableModel,
)
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.common import heading, relevant
from linksdesk.ui.views.outcome import BookingsScreen, ask_outcome, outcome_menu
from linksdesk.ui.views.rows import hbox, page_layout, tab_order
from linksdesk.ui.widgets import push_button


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def load_week(cb: Casebook, start: dt.date) -> tuple[list[DiaryEntry], frozenset[str]]:
    """Runs on the DB thread: the week's contacts and which people are read-only copies."""
    return lists.diary(cb, start, days=7), cb.read_only_participants()


def entry_text(e: DiaryEntry) -> str:
    parts = [e.kind.label]
    if e.venue:
        parts.append(e.venue)
    if e.status is not ContactStatus.SCHEDULED:
        parts.append(e.outcome)
    return f"{e.at:%H:%M}  {e.display_name} ({e.programme_id})\n" + " · ".join(parts)


class _FitWidth(QStyledItemDelegate):
    """A day's bookings no wider than its column: a word longer than the column is cut with
    "…" where it would otherwise widen the line past the column's edge."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        view = self.parent()
        room = view.viewport().width() - 2 * view.spacing() if isinstance(view, QListView) else 0
        if room <= 0:
            return super().sizeHint(option, index)
        # the lines wrapped to the width each booking is drawn at, so none is cut short
        fitted = QStyleOptionViewItem(option)
        fitted.rect.setWidth(room)
        return QSize(room, super().sizeHint(fitted, index).height())


class DiaryView(BookingsScreen):
    """Seven day columns; pick a contact and press Attended, Did not attend or Cancelled."""

    sig_week_shown = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        self.setAccessibleName(tr("Diary"))
        self.start = week_start(dt.date.today())
        # the week shown when it was this week (None once the worker went to another)
        self._this_week: dt.date | None = self.start
        self.read_only: frozenset[str] = frozenset()
        self.model: RecordTableModel[DiaryEntry] = RecordTableModel(
            [Column(tr("Contact"), entry_text, sort=lambda e: e.at)],
            id_of=lambda e: e.contact_id,
            parent=self,
        )
        self.title = heading(tr("Diary"))
        self.prev_button = push_button(
            tr("◀ Previous week"),
            tr("Previous week"),
            lambda: self.show_week(self.start - dt.timedelta(days=7)),
        )
        self.this_button = push_button(
            tr("This week"), tr("This week"), lambda: self.show_week(week_start(dt.date.today()))
        )
        self.next_button = push_button(
            tr("Next week ▶"),
            tr("Next week"),
            lambda: self.show_week(self.start + dt.timedelta(days=7)),
        )
        layout = page_layout(
            self, self.title, None, self.prev_button, self.this_button, self.next_button
        )
        layout.addWidget(self.message)

        days = QHBoxLayout()
        days.setSpacing(6)
        self.day_labels: list[QLabel] = []
        self.day_lists: list[QListView] = []
        self.day_proxies: list[RecordFilterProxy] = []
        for n in range(7):
            column = QFrame()
            column.setFrameShape(QFrame.Shape.StyledPanel)
            col = QVBoxLayout(column)
            col.setContentsMargins(4, 4, 4, 4)
            label = QLabel()
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            col.addWidget(label)
            proxy = RecordFilterProxy(self)
            proxy.setSourceModel(self.model)
            proxy.set_predicate(functools.partial(self._on_day, n))
            proxy.sort(0, Qt.SortOrder.AscendingOrder)
            view = QListView()
            view.setModel(proxy)
            view.setWordWrap(True)
            # a name longer than its column (a long single-word surname) is cut with "…"
            # rather than scrolling its day sideways and hiding the end of the next line
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setItemDelegate(_FitWidth(view))
            view.setSpacing(2)
            view.setAlternatingRowColors(True)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.activated.connect(self._on_list_activated)
            view.clicked.connect(lambda _i, v=view: self._select(v))
            view.selectionModel().currentChanged.connect(
                lambda cur, _prev, v=view: self._select(v) if cur.isValid() else None
            )
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(
                lambda pos, v=view: self._on_outcome_menu(v, pos)
            )
            label.setBuddy(view)
            col.addWidget(view, 1)
            days.addWidget(column, 1)
            self.day_labels.append(label)
            self.day_lists.append(view)
            self.day_proxies.append(proxy)
        layout.addLayout(days, 1)

        self.selected_label = QLabel(tr("Choose a contact to record its outcome."))
        self.selected_label.setAccessibleName(tr("Selected contact"))
        self.attended_button = push_button(
            tr("&Attended"), tr("Record: attended"), lambda: self.record(ContactStatus.ATTENDED)
        )
        self.dna_button = push_button(
            tr("&Did not attend"),
            tr("Record: did not attend"),
            lambda: self.record(ContactStatus.DID_NOT_ATTEND),
        )
        self.cancelled_button = push_button(
            tr("Ca&ncelled"), tr("Record: cancelled"), lambda: self.record(ContactStatus.CANCELLED)
        )
        self.move_button = push_button(
            tr("&Move booking…"), tr("Move the selected booking"), self.move_selected
        )
        layout.addLayout(
            hbox(
                (self.selected_label, 1),
                self.attended_button,
                self.dna_button,
                self.cancelled_button,
                self.move_button,
            )
        )
        self._selected: DiaryEntry | None = None
        self._update_actions()
        self._label_days()
        self.setFocusProxy(self.day_lists[0])
        # the proxy is the page's first stop, or Tab from it passed the week buttons by: the
        # days, what to record at the one chosen, then which week
        tab_order(
            *self.day_lists,
            self.attended_button,
            self.dna_button,
            self.cancelled_button,
            self.move_button,
            self.prev_button,
            self.this_button,
            self.next_button,
        )

    # -- contract -----------------------------------------------------------------------

    def _on_day(self, n: int, entry: Any) -> bool:
        """Whether a diary entry falls on day ``n`` of the week shown (a column's filter)."""
        return bool(entry.at.date() == self.start + dt.timedelta(days=n))

    def refresh(self) -> None:
        this_week = week_start(dt.date.today())
        if self._this_week is not None and self._this_week != this_week:
            # shown as "this week" and the week has turned since (unlocked on Monday after a
            # weekend lock, a window left open overnight): this week is this week again;
            # a week the worker went to stays
            self.start = self._this_week = this_week
            self._label_days()
            self.model.clear()
        start = self.start
        self.run(load_week, start, on_done=lambda loaded: self._show(start, *loaded))

    def on_changes(self, changes: Changes) -> None:
        if changes.initiator is self:
            return  # recorded here: _own_contact has put the contact in place already
        if relevant(changes, "contact", "participant", "erasure"):
            self.reload_for(changes)

    def clear(self) -> None:
        super().clear()
        self.model.clear()
        self.read_only = frozenset()
        self._selected = None
        self._update_actions()

    def show_week(self, start: dt.date) -> None:
        self.start = week_start(start)
        self._this_week = self.start if self.start == week_start(dt.date.today()) else None
        self._label_days()
        self.model.clear()
        self.refresh()

    # -- outcome ------------------------------------------------------------------------
    def record(self, status: ContactStatus) -> None:
        entry = self._selected
        if entry is None:
            return
        if entry.participant_id in self.read_only:
            self.message.show_message(self._read_only_text(), "info")
            return
        # as Record outcome… says it: a booking on a later day can be cancelled ahead of
        # time, not recorded as attended or did not attend (a week ahead, the wrong row)
        not_yet = still_to_come(entry.at, status, self.tr)
        if not_yet:
            self.message.show_message(not_yet, "error")
            return
        end = self.begin_once(f"outcome/{entry.contact_id}")
        if end is None:
            return  # a second click while the first is written: one outcome, one offer

        def recorded(contact: object) -> None:
            try:
                self._after_outcome(entry, contact)
            finally:
                end()

        def failed(exc: BaseException) -> None:
            end()
            self.show_problem(exc)

        if not self.write(
            contacts.record_outcome, entry.contact_id, status, on_done=recorded, on_error=failed
        ):
            end()

    def record_outcome_selected(self, status: ContactStatus = ContactStatus.ATTENDED) -> bool:
        """Record › Record outcome here: the selected booking, with minutes and a case note."""
        entry = self._selected
        if entry is None or entry.status is not ContactStatus.SCHEDULED:
            return False
        if entry.participant_id in self.read_only:
            self.message.show_message(self._read_only_text(), "info")
            return True
        return ask_outcome(self, entry, status, on_done=lambda r: self._after_outcome(entry, r))

    def _on_outcome_menu(self, view: QListView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if index.isValid():
            view.setCurrentIndex(index)
            self._select(view)
        entry = self._selected
        if entry is None:
            return
        self.row_menu = outcome_menu(
            self,
            entry,
            lambda s: (
                self.message.show_message(self._read_only_text(), "info")
                if entry.participant_id in self.read_only
                else ask_outcome(self, entry, s, on_done=lambda r: self._after_outcome(entry, r))
            ),
            self.move_selected,
        )
        self.row_menu.popup(view.viewport().mapToGlobal(pos))

    def move_selected(self) -> None:
        """Move the selected booking to another day, time or venue (the booking itself, not
        cancelled and booked again); it leaves the week shown if moved out of it."""
        entry = self._selected
        if entry is None or entry.status is not ContactStatus.SCHEDULED:
            return
        if entry.participant_id in self.read_only:
            self.message.show_message(self._read_only_text(), "info")
            return
        self.move_booking(entry, lambda c: self._own_contact(c, entry))

    def _after_outcome(self, entry: DiaryEntry, result: object) -> None:
        self.after_outcome(
            entry,
            result,
            lambda c: self._own_contact(c, entry),
            lambda c: self._own_contact(c, entry),
        )

    def _own_contact(self, result: object, like: DiaryEntry) -> None:
        """A contact saved from this screen: put it in place from the saved value, without
        reloading the week (the change comes back with this view as its initiator)."""
        contact = getattr(result, "contact", result)  # a BookedOutcome, or the Contact
        if not isinstance(contact, Contact):
            self.refresh()
            return
        rows = [r for r in self.model.rows() if r.contact_id != contact.id]
        if self.start <= contact.at.date() < self.start + dt.timedelta(days=7):
            rows.append(contacts.in_diary(contact, like))
        rows.sort(key=lambda r: r.at)
        self._show(self.start, rows, self.read_only)

    # -- internals ----------------------------------------------------------------------
    def _show(self, start: dt.date, rows: list[DiaryEntry], read_only: frozenset[str]) -> None:
        if start != self.start:
            return
        self.read_only = read_only
        selected = self._selected.contact_id if self._selected else None
        self.model.set_rows(rows)
        self._selected = None
        for proxy in self.day_proxies:
            proxy.invalidate()
        if selected:
            for view, proxy in zip(self.day_lists, self.day_proxies, strict=True):
                for r in range(proxy.rowCount()):
                    if proxy.row_at(r).contact_id == selected:
                        view.setCurrentIndex(proxy.index(r, 0))
        self._label_days()
        self._update_actions()
        self.sig_week_shown.emit()

    def _label_days(self) -> None:
        end = self.start + dt.timedelta(days=6)
        self.title.setText(
            self.tr("Diary: week of {day}").format(day=f"{self.start.day} {self.start:%B %Y}")
        )
        today = dt.date.today()
        for n, (label, view, proxy) in enumerate(
            zip(self.day_labels, self.day_lists, self.day_proxies, strict=True)
        ):
            day = self.start + dt.timedelta(days=n)
            count = proxy.rowCount()
            text = f"{day:%a} {day.day} {day:%b}" + (f"  ({count})" if count else "")
            if day == today:
                text = "● " + text
            label.setText(text)
            view.setAccessibleName(
                self.tr("Contacts on {day}").format(day=f"{day:%A} {day.day} {day:%B}")
            )
        self.next_button.setToolTip(f"{end + dt.timedelta(days=1):%d %b}")

    def _select(self, view: QListView) -> None:
        index = view.currentIndex()
        if not index.isValid():
            return
        proxy = view.model()
        assert isinstance(proxy, RecordFilterProxy)
        self._selected = proxy.row_at(index.row())
        for other in self.day_lists:
            if other is not view:
                other.clearSelection()
        self._update_actions()

    def _on_list_activated(self, index: QModelIndex) -> None:
        pid = index.data(PARTICIPANT_ROLE)
        if pid:
            self.sig_open_participant.emit(str(pid))

    def _update_actions(self) -> None:
        e = self._selected
        read_only = e is not None and e.participant_id in self.read_only
        # an attempt reached nobody: it has no outcome to record (contacts.attempt_problem)
        attempt = e is not None and e.kind is ContactKind.ATTEMPTED
        for b in (self.attended_button, self.dna_button, self.cancelled_button):
            b.setEnabled(e is not None and not read_only and not attempt)
        self.move_button.setEnabled(
            e is not None and not read_only and e.status is ContactStatus.SCHEDULED
        )
        if e is None:
            self.selected_label.setText(self.tr("Choose a contact to record its outcome."))
        else:
            outcome = e.outcome
            text = f"{e.at:%a %d %b %H:%M} — {e.display_name} ({e.programme_id}): {outcome}"
            if read_only:
                text += " — " + self.tr("handed over, read only")
            elif attempt:
                text += " — " + self.tr("an attempted contact has no outcome to record")
            self.selected_label.setText(text)

    def _read_only_text(self) -> str:
        return self.tr(
            "This case was handed over to another links worker — you can read it, not change it."
        )
