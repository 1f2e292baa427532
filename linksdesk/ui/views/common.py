"""What every screen shares: running casework on the DB thread, inline messages, chips, sections."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, Concatenate, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework.casebook import Casebook
from linksdesk.core.changes import Changes
from linksdesk.core.errors import EnvironmentProblem, UserError
from linksdesk.core.registry import RECEIPT_TABLE
from linksdesk.core.resources import resource_path
from linksdesk.core.vocab import (
    ContactStatus,
    GoalStatus,
    OnwardStatus,
    ParticipantStatus,
    ResourceCapacity,
)
from linksdesk.sync.engine import ERASURE_ENTITY
from linksdesk.ui.models.table import ID_ROLE, SORT_ROLE, RecordFilterProxy, RecordTableModel
from linksdesk.ui.session import UiSession, changes_in
from linksdesk.ui.widgets import InlineMessage

log = logging.getLogger(__name__)

ERASED = frozenset({ERASURE_ENTITY, RECEIPT_TABLE})  # what Changes name after an erasure

T = TypeVar("T")
SIZE_BY_ROWS = 50  # rows a Today list's columns are sized by (Qt's default: 1,000)
SECTION_MAX = 400  # the widest a Today list's column is made by its contents (pixels)

# (background, text) pairs with contrast ≥ 4.5:1 whatever the window palette: a chip carries
# its own background, so it reads the same in light and dark themes (data: colours/chips.json)
CHIP_COLOURS: dict[str, tuple[str, str]] = {
    tone: (background, text)
    for tone, (background, text) in json.loads(
        resource_path("colours", "chips.json").read_text(encoding="utf-8")
    ).items()
}

STATUS_TONE: dict[Any, str] = {
    ParticipantStatus.REFERRED: "blue",
    ParticipantStatus.ACTIVE: "green",
    ParticipantStatus.PAUSED: "amber",
    ParticipantStatus.CLOSED: "grey",
    ContactStatus.SCHEDULED: "blue",
    ContactStatus.ATTENDED: "green",
    ContactStatus.DID_NOT_ATTEND: "red",
    ContactStatus.CANCELLED: "grey",
    GoalStatus.ACTIVE: "blue",
    GoalStatus.ACHIEVED: "green",
    GoalStatus.PARTLY_ACHIEVED: "green",
    GoalStatus.ON_HOLD: "amber",
    GoalStatus.STOPPED: "grey",
    OnwardStatus.SUGGESTED: "blue",
    OnwardStatus.MADE: "purple",
    OnwardStatus.ATTENDED: "green",
    OnwardStatus.DECLINED: "grey",
    OnwardStatus.NO_CAPACITY: "red",
    ResourceCapacity.OPEN: "green",
    ResourceCapacity.LIMITED: "amber",
    ResourceCapacity.WAITING_LIST: "amber",
    ResourceCapacity.FULL: "red",
    ResourceCapacity.UNKNOWN: "grey",
}


class Chip(QLabel):
    """A small rounded label for a status or consent; its own colours keep it readable."""

    def __init__(self, text: str = "", tone: str = "grey", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_chip(text, tone)

    def set_chip(self, text: str, tone: str, tooltip: str = "") -> None:
        bg, fg = CHIP_COLOURS.get(tone, CHIP_COLOURS["grey"])
        self.tone = tone
        self.setText(text)
        self.setAccessibleName(text)
        self.setToolTip(tooltip or text)
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border: 1px solid {fg}; "
            "border-radius: 9px; padding: 1px 8px; font-weight: 600; }"
        )
        self.adjustSize()


class FlowRow(QWidget):
    """Widgets side by side in columns, going on to more lines when the page is too narrow
    (the record's consent chips were cut at 1200 pixels: "Share with the GP practice: not a")."""

    def __init__(self, widgets: Sequence[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widgets = list(widgets)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._columns = 0
        self._place(len(self._widgets))

    def _width(self, columns: int) -> int:
        """How wide the widgets are laid out in ``columns`` columns."""
        widths = [0] * columns
        for i, w in enumerate(self._widgets):
            widths[i % columns] = max(widths[i % columns], w.sizeHint().width())
        return sum(widths) + self._grid.horizontalSpacing() * (columns - 1)

    def _place(self, columns: int) -> None:
        lines = -(-len(self._widgets) // columns)
        line = max((w.sizeHint().height() for w in self._widgets), default=0)
        self.setFixedHeight(lines * line + (lines - 1) * self._grid.verticalSpacing())
        if columns == self._columns:
            return
        self._columns = columns
        for w in self._widgets:
            self._grid.removeWidget(w)
        for i, w in enumerate(self._widgets):
            self._grid.addWidget(w, i // columns, i % columns, Qt.AlignmentFlag.AlignLeft)
        for column in range(len(self._widgets) + 1):  # what is left over goes after them
            self._grid.setColumnStretch(column, 1 if column == columns else 0)
        self.updateGeometry()

    def _fitting(self, width: int) -> int:
        """The most columns that fit in ``width`` (one at least)."""
        fit = [c for c in range(1, len(self._widgets) + 1) if self._width(c) <= width]
        return max(fit, default=1)

    def sizeHint(self) -> QSize:
        return QSize(self._width(len(self._widgets)), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width(1), self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.reflow()

    def reflow(self) -> None:
        """Lay the widgets out again for the present width (call when their texts change)."""
        self.updateGeometry()
        self._place(self._fitting(self.width()))


def heading(text: str, level: int = 1, kind: type[QLabel] = QLabel) -> QLabel:
    label = kind(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * (1.35 if level == 1 else 1.1))
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def muted(text: str) -> QLabel:
    """Secondary text: italic in the window's own text colour, so it stays readable."""
    label = QLabel(text)
    label.setWordWrap(True)
    font = label.font()
    font.setItalic(True)
    label.setFont(font)
    return label


def make_table(
    model: QAbstractItemModel, name: str, sortable: bool = True, stretch_last: bool = True
) -> QTableView:
    """A read-only, row-selecting table view with the house defaults."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    # enabling sorting sorts by the header's indicator at once: start from the model's order
    column, order = -1, Qt.SortOrder.AscendingOrder
    if isinstance(model, QSortFilterProxyModel) and model.sortColumn() >= 0:
        column, order = model.sortColumn(), model.sortOrder()
    view.horizontalHeader().setSortIndicator(column, order)
    view.setSortingEnabled(sortable)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setStretchLastSection(stretch_last)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    view.setTabKeyNavigation(False)  # Tab moves on to the next control, arrows move in the table
    return view


def list_parts(model: QAbstractItemModel, name: str, empty: str) -> tuple[QTableView, QLabel]:
    """A list's table (``make_table``) and the line shown in its place while it is empty."""
    note = muted(empty)
    note.setAccessibleName(empty)
    return make_table(model, name), note


def show_list(table: QTableView, note: QLabel, rows: int) -> None:
    """The table while it has ``rows`` (its columns fitted to them), else its empty line."""
    table.setVisible(rows > 0)
    note.setVisible(rows == 0)
    if rows:
        table.resizeColumnsToContents()


def fit_columns(table: QTableView) -> None:
    """Every column but the last as wide as its contents; the last (free text: a note, a
    detail) takes the room left, so the table never scrolls sideways to show where it starts
    (its cells carry the whole text as a tooltip)."""
    for column in range(table.horizontalHeader().count() - 1):
        table.resizeColumnToContents(column)


def in_sort_order(
    model: RecordTableModel[T], rows: Sequence[T], column: int, descending: bool = False
) -> list[T]:
    """``rows`` in the order a ``RecordFilterProxy`` sorting by ``column`` shows them.

    Sorted once in Python: a proxy's own sort calls back into Python for every comparison
    (1.4 s for the Today screen's lists at 10,000 participants, holding the DB thread up).
    """

    def key(row: T) -> tuple[int, Any]:
        value = model._cell(row, column, SORT_ROLE)  # the proxy's sort value, as it sees it
        if isinstance(value, str):
            return (1, value.casefold())  # the proxies sort without regard to case
        return (0, value) if isinstance(value, int | float) else (1, str(value).casefold())

    return sorted(rows, key=key, reverse=descending)


def selected_id(view: QTableView) -> str | None:
    index = view.currentIndex()
    if not index.isValid():
        rows = view.selectionModel().selectedRows() if view.selectionModel() else []
        if not rows:
            return None
        index = rows[0]
    value = index.siblingAtColumn(0).data(ID_ROLE)
    return str(value) if value else None


class Section(QWidget):
    """A titled list on the Today screen: heading with a count, a table, an empty-state line."""

    def __init__(
        self,
        title: str,
        model: QAbstractItemModel,
        empty_text: str,
        subtitle: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._title = title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        self.heading = heading(title, level=2)
        layout.addWidget(self.heading)
        if subtitle:
            self.subtitle = muted(subtitle)
            layout.addWidget(self.subtitle)
        self.table, self.empty = list_parts(model, title, empty_text)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # size columns by the rows in sight, not by every row (thousands at 10,000 people)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZE_BY_ROWS)
        # a very long name is shortened in its middle (the programme id at its end stays in
        # sight) rather than widen the list past the window, whose scroll bar hid the row
        self.table.horizontalHeader().setMaximumSectionSize(SECTION_MAX)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        self.setAccessibleName(title)
        model.modelReset.connect(self._update)
        model.rowsInserted.connect(self._update)
        model.rowsRemoved.connect(self._update)
        self.table.horizontalScrollBar().rangeChanged.connect(lambda *_: self._fit_height())
        self._update()

    def _update(self) -> None:
        rows = self.table.model().rowCount()
        self.heading.setText(f"{self._title} ({rows})" if rows else self._title)
        show_list(self.table, self.empty, rows)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as its rows (eight at most), and its scroll bar when it shows one: a list
        too wide for the page had its only row hidden behind its horizontal scroll bar."""
        bar = self.table.horizontalScrollBar()
        shown = min(self.table.model().rowCount(), 8)
        height = self.table.horizontalHeader().sizeHint().height()
        height += shown * self.table.verticalHeader().defaultSectionSize() + 4
        if bar.maximum() > 0:
            height += bar.sizeHint().height()
        self.table.setFixedHeight(height)


class Screen(QWidget):
    """Base of every view: runs casework on the DB thread and drops results after a lock."""

    sig_open_participant = Signal(str)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._epoch = 0  # bumped by clear(): results of jobs started before it are dropped
        self.message = InlineMessage(self)
        # set by the main window for its pages: a hidden page loads when it is next shown,
        # so an unlock or a change pays only for what is on the screen
        self.load_when_shown = False
        self._load_pending = False
        self._under_way: set[str] = set()

    # -- running casework ---------------------------------------------------------------
    def begin_once(self, key: str) -> Callable[[], None] | None:
        """Start the work ``key`` names (a booking's outcome) unless it is under way already:
        a tired second press while the vault is busy asked twice and wrote twice. Returns
        the function that ends it, or None when it is under way (a lock ends them all)."""
        if key in self._under_way:
            return None
        self._under_way.add(key)
        return lambda: self._under_way.discard(key)

    def casebook(self) -> Casebook | None:
        return self.session.casebook

    def run(
        self,
        fn: Callable[Concatenate[Casebook, ...], Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        with_progress: bool = False,
        keep: bool = False,
        work: str = "",
        **kwargs: Any,
    ) -> Any:
        """Queue ``fn(casebook, *args, **kwargs)`` on the DB thread; ``on_done`` gets the result.

        ``with_progress`` hands ``fn`` a ``progress(done, total)`` callback (the runner's).
        ``keep``: a lock coming meanwhile lets the job run (the runner's ``keep``);
        ``work``: a long job in the person's words, said after the next unlock if a lock
        stops it (the runner's ``work``).
        Returns the job, or None when the vault is locked (nothing to do then).
        """
        cb = self.casebook()
        if cb is None:
            return None
        epoch = self._epoch

        def done(result: Any) -> None:
            changes = changes_in(result)
            if changes is not None and changes.initiator is None:
                changes.initiator = self  # stamped before the session announces them
            if epoch != self._epoch:
                return
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if epoch != self._epoch:
                return
            if on_error is not None:
                on_error(exc)
            else:
                self.show_problem(exc)

        return self.session.runner.submit(
            # bound here, so use-case keywords never clash with the runner's own (progress…)
            functools.partial(fn, cb, *args, **kwargs),
            on_done=done,
            on_error=failed,
            progress=with_progress,
            keep=keep,
            work=work,
        )

    def write(
        self,
        fn: Callable[Concatenate[Casebook, ...], Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Like ``run`` (whose keywords it passes on) for a use case returning ``Outcome``:
        warnings shown, Changes announced, ``on_done`` given the Outcome's value."""

        def done(outcome: Any) -> None:
            changes = getattr(outcome, "changes", None)
            # the session announces the Changes to every view itself (sig_changed)
            if isinstance(changes, Changes) and changes.warnings:
                self.message.show_message("\n".join(str(w) for w in changes.warnings), "warning")
            if on_done is not None:
                on_done(getattr(outcome, "value", outcome))

        # a save the worker made is not dropped by a lock just after it (a long job with a
        # progress bar is: it is all or nothing, and its ``work`` is said after unlocking)
        kwargs.setdefault("keep", not kwargs.get("with_progress", False))
        return self.run(fn, *args, on_done=done, **kwargs)

    def show_problem(self, exc: BaseException) -> None:
        if isinstance(exc, UserError | EnvironmentProblem):
            self.message.show_message(str(exc), "error")
        # anything else is a bug: the runner hands it to the shell's crash dialog

    # -- contract slots -----------------------------------------------------------------
    def refresh(self) -> None:
        raise NotImplementedError

    def on_changes(self, changes: Changes) -> None:
        if changes.initiator is not self:  # the view that asked has updated itself
            self.reload_for(changes)

    def reload(self) -> None:
        """Load now if shown (or not a main-window page); otherwise when next shown."""
        if self.load_when_shown and not self.isVisible():
            self._load_pending = True
            return
        self._load_pending = False
        self.refresh()

    def reload_for(self, changes: Changes) -> None:
        """``reload`` after ``changes``; an erasure reloads now even when hidden, so an
        erased person leaves every list at once, not when the list is next shown."""
        if changes.entities & ERASED:  # erased here (its receipt) or by a sync
            self._load_pending = False
            self.refresh()
        else:
            self.reload()

    def mark_stale(self) -> None:
        """Load when next shown (a main-window page that is hidden, after unlock)."""
        self._load_pending = True

    @property
    def load_pending(self) -> bool:
        return self._load_pending

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._load_pending and self.casebook() is not None:
            self._load_pending = False
            self.refresh()

    def clear(self) -> None:
        self._epoch += 1
        self._under_way.clear()
        self._load_pending = False
        self.message.clear_message()


def relevant(changes: Changes, *entities: str) -> bool:
    return not changes.entities or any(changes.touched(e) for e in entities)


def make_current(table: QTableView, proxy: RecordFilterProxy, row_id: str) -> QModelIndex | None:
    """Make the row whose id is ``row_id`` the table's current row; its index, None if absent."""
    index = proxy.index_of_id(row_id)
    if index is not None:
        table.setCurrentIndex(index)
    return index


def open_on_activate(view: QTableView, emit: Callable[[str], None], role: int = ID_ROLE) -> None:
    """Enter or double-click on a row opens the participant whose id the row carries."""

    def go(index: QModelIndex) -> None:
        pid = index.siblingAtColumn(0).data(role)
        if pid:
            emit(str(pid))

    view.activated.connect(go)


def weeks_ago(when: dt.date | dt.datetime | None, today: dt.date | None = None) -> str:
    if when is None:
        return ""
    today = today or dt.date.today()
    day = when.date() if isinstance(when, dt.datetime) else when
    days = (today - day).days
    if days <= 0:
        return "today" if days == 0 else "in the future"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 70:
        return f"{days // 7} weeks ago"
    return f"{days // 30} months ago"
