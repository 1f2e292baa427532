"""A read-only table model over frozen DTOs, described by columns, and its filter proxy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from linksdesk.core.folding import words_in

T = TypeVar("T")

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3
PARTICIPANT_ROLE = Qt.ItemDataRole.UserRole + 4

AnyIndex = QModelIndex | QPersistentModelIndex


def sort_value(value: Any) -> Any:
    """A value the proxy can compare: dates as ISO text, enums by value, None first."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its title and how a row shows, sorts and explains itself there."""

    title: str
    display: Callable[[T], Any]
    sort: Callable[[T], Any] | None = None
    tooltip: Callable[[T], str | None] | None = None
    align_right: bool = False


READ_ONLY = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


def read_only_flags(index: AnyIndex) -> Qt.ItemFlag:
    """Flags of an item of a read-only list: enabled and selectable, never edited."""
    return READ_ONLY if index.isValid() else Qt.ItemFlag.NoItemFlags


class ReadOnlyTableModel(QAbstractTableModel):
    """What every table model of the interface shares: titled columns, and items that are
    enabled and selectable but never edited. Subclasses set the titles and give the cells."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._titles: tuple[str, ...] = ()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._titles)
        ):
            return self._titles[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return read_only_flags(index)


class ColumnsTableModel(ReadOnlyTableModel, Generic[T]):
    """A table of DTOs described by columns: how a DTO shows in a cell. Subclasses say where
    the rows come from."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        id_of: Callable[[T], str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._titles = tuple(c.title for c in self._columns)
        # a row's id: the DTO's own ``id`` unless the table says otherwise
        self._id_of = id_of or (lambda row: str(getattr(row, "id", "")))
        self._init_rows()

    def _init_rows(self) -> None:
        """Set up where the rows come from (subclasses that keep more than the rows)."""

    def _row_count(self) -> int:
        """How many rows the table has (subclasses say where rows come from)."""
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        in_range = (
            index.isValid()
            and 0 <= index.row() < self._row_count()
            and 0 <= index.column() < len(self._columns)
        )
        return self._data(index.row(), index.column(), role) if in_range else None

    def _data(self, row: int, column: int, role: int) -> Any:
        """``data`` of a cell known to be in the table."""
        raise NotImplementedError

    def _cell(self, row: T, column: int, role: int) -> Any:
        """What ``row`` shows in ``column`` for ``role`` (None when the column says nothing)."""
        col = self._columns[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            value = col.display(row)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            return sort_value(col.sort(row) if col.sort else col.display(row))
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class HeldRows(Generic[T]):
    """A model's rows, frozen DTOs handed in whole by a view (a Qt model mixes this in)."""

    _rows: tuple[T, ...] = ()  # replaced whole by set_rows, never changed in place

    def beginResetModel(self) -> None: ...  # the Qt model's, ahead of this in the bases

    def endResetModel(self) -> None: ...

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])


class RecordTableModel(ColumnsTableModel[T], HeldRows[T]):
    """Rows are frozen DTOs handed in by a view; the model never fetches anything itself."""

    # -- content ------------------------------------------------------------------------
    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def row_of_id(self, row_id: str) -> int:
        for i, r in enumerate(self._rows):
            if self._id_of(r) == row_id:
                return i
        return -1

    # -- Qt model -----------------------------------------------------------------------
    def _row_count(self) -> int:
        return len(self._rows)

    def _data(self, row: int, column: int, role: int) -> Any:
        dto = self._rows[row]
        if role == ID_ROLE:
            return self._id_of(dto)
        if role == PARTICIPANT_ROLE:
            return getattr(dto, "participant_id", None)
        return self._cell(dto, column, role)


class StruckTableModel(RecordTableModel[T]):
    """Rows marked entered in error (``row.in_error``, or ``marked(row)`` when given: the
    steps of a goal marked) drawn struck through, as on paper, in the ``struck`` columns
    (those that do not say so in words)."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        struck: frozenset[int],
        parent: QObject | None = None,
        marked: Callable[[T], bool] | None = None,
    ) -> None:
        super().__init__(columns, parent=parent)
        self._struck = struck
        self._marked = marked or (lambda r: bool(getattr(r, "in_error", False)))

    def _data(self, row: int, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and column in self._struck:
            if not self._marked(self._rows[row]):
                return None
            font = QFont()
            font.setStrikeOut(True)
            return font
        return super()._data(row, column, role)


class RecordFilterProxy(QSortFilterProxyModel):
    """Case-insensitive quick filter over every column, plus an optional row predicate.

    Given a ``source`` model it shows that; given a ``first_column`` order it sorts by the
    first column in that order (newest first, for a history whose first column is its date).
    """

    def __init__(
        self,
        parent: QObject | None = None,
        source: QAbstractItemModel | None = None,
        first_column: Qt.SortOrder | None = None,
    ) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self._predicate: Callable[[Any], bool] | None = None
        self._words = ""
        if source is not None:
            self.setSourceModel(source)
        if first_column is not None:
            self.sort(0, first_column)

    def set_words(self, typed: str) -> None:
        """Keep only rows holding every word typed, in any column and any order, accents and
        case aside ("cafe shed" finds "Men’s Shed Café")."""
        self.beginFilterChange()
        self._words = typed
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        """Keep only source rows (DTOs) for which ``predicate`` is true; None keeps all."""
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        source = self.sourceModel()
        if (
            self._predicate is not None
            and isinstance(source, RecordTableModel)
            and not self._predicate(source.row_at(source_row))
        ):
            return False
        if self._words.strip() and source is not None:
            shown = (
                str(source.index(source_row, c, source_parent).data() or "")
                for c in range(source.columnCount(source_parent))
            )
            if not words_in(self._words, " ".join(shown)):
                return False
        return super().filterAcceptsRow(source_row, source_parent)

    def row_at(self, proxy_row: int) -> Any:
        source = self.sourceModel()
        assert isinstance(source, RecordTableModel)
        return source.row_at(self.mapToSource(self.index(proxy_row, 0)).row())

    def index_of_id(self, row_id: str) -> QModelIndex | None:
        """Where the row whose id is ``row_id`` shows (its first cell); None when no row has it."""
        source = self.sourceModel()
        assert isinstance(source, RecordTableModel)
        row = source.row_of_id(row_id)
        return self.mapFromSource(source.index(row, 0)) if row >= 0 else None
