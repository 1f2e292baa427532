"""A table model that holds only ids and builds rows lazily, a page at a time, for big lists.

The model never fetches: when a view paints a row it has no DTO for, the model asks for that
page through ``sig_rows_wanted`` and the owning view loads it on the DB thread and hands the
rows back with ``put_rows``. Sorting and filtering happen in SQL: ``sort()`` only asks for a
new id order through ``sig_sort_wanted``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, TypeVar

from PySide6.QtCore import (
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from linksdesk.ui.models.table import ID_ROLE, AnyIndex, ColumnsTableModel

T = TypeVar("T")


class LazyRowsModel(ColumnsTableModel[T]):
    """Ids in display order (from SQL) plus a bounded cache of row DTOs by id."""

    sig_rows_wanted = Signal(int, list)  # generation, ids still to load
    sig_sort_wanted = Signal(int, object)  # column, Qt.SortOrder

    PAGE = 100
    MAX_CACHED = 3000  # rows kept; far pages are dropped and reloaded when scrolled back to

    def _init_rows(self) -> None:
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._cache: OrderedDict[str, T] = OrderedDict()
        self._pending_pages: set[int] = set()
        self._asked_pages: set[int] = set()
        self._generation = 0
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(0)
        self._emit_timer.timeout.connect(self._emit_wanted)
        self.placeholder = "…"

    # -- content ------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        """Bumped whenever the id list is replaced, so late pages for an old list are ignored."""
        return self._generation

    def set_ids(self, ids: Sequence[str], keep_cache: bool = True) -> None:
        self.beginResetModel()
        self._generation += 1
        self._ids = list(ids)
        self._pos = {row_id: i for i, row_id in enumerate(self._ids)}
        if not keep_cache:
            self._cache.clear()
        else:
            for gone in [k for k in self._cache if k not in self._pos]:
                del self._cache[gone]
        self._pending_pages.clear()
        self._asked_pages.clear()
        self.endResetModel()

    def put_rows(self, generation: int, rows: Sequence[T]) -> None:
        """Rows loaded for ``generation``; rows for an older id list are dropped."""
        if generation != self._generation:
            return
        touched: list[int] = []
        for row in rows:
            row_id = self._id_of(row)
            pos = self._pos.get(row_id)
            if pos is None:
                continue
            self._cache[row_id] = row
            self._cache.move_to_end(row_id)
            touched.append(pos)
        while len(self._cache) > self.MAX_CACHED:
            self._cache.popitem(last=False)
        self._asked_pages.clear()
        if touched:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(min(touched), 0), self.index(max(touched), last))

    def invalidate_rows(self, ids: Sequence[str] | None = None) -> None:
        """Forget cached rows (all when ``ids`` is None) so they load again when shown."""
        if ids is None:
            self._cache.clear()
        else:
            for row_id in ids:
                self._cache.pop(row_id, None)
        self._asked_pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1)
            )

    def clear(self) -> None:
        self._emit_timer.stop()
        self.set_ids([], keep_cache=False)

    def ids(self) -> list[str]:
        return list(self._ids)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of_id(self, row_id: str) -> int:
        return self._pos.get(row_id, -1)

    def cached(self, row_id: str) -> T | None:
        return self._cache.get(row_id)

    def cached_count(self) -> int:
        return len(self._cache)

    # -- lazy loading -------------------------------------------------------------------
    def _want(self, row: int) -> None:
        page = row // self.PAGE
        if page in self._asked_pages or page in self._pending_pages:
            return
        self._pending_pages.add(page)
        if not self._emit_timer.isActive():
            self._emit_timer.start()

    def _emit_wanted(self) -> None:
        wanted: list[str] = []
        for page in sorted(self._pending_pages):
            self._asked_pages.add(page)
            start = page * self.PAGE
            wanted.extend(i for i in self._ids[start : start + self.PAGE] if i not in self._cache)
        self._pending_pages.clear()
        if wanted:
            self.sig_rows_wanted.emit(self._generation, wanted)

    # -- Qt model -----------------------------------------------------------------------
    def _row_count(self) -> int:
        return len(self._ids)

    def _data(self, row: int, column: int, role: int) -> Any:
        row_id = self._ids[row]
        if role == ID_ROLE:
            return row_id
        dto = self._cache.get(row_id)
        if dto is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                self._want(row)
                return self.placeholder if column == 0 else ""
            return None
        return self._cell(dto, column, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The id order comes from SQL; ask the owner for a new one instead of sorting here.
        if 0 <= column < len(self._columns):
            self.sig_sort_wanted.emit(column, order)


class SqlOrderProxy(QSortFilterProxyModel):
    """A pass-through proxy whose sort is delegated to the lazy source (which sorts in SQL)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._column = -1
        self._order = Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._column, self._order = column, order
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        # Filtering is done in SQL; touching data here would load every row.
        return True
