"""The item models: Qt's model tester on eager and lazy models and their proxies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt

from linksdesk.ui.models.lazy import LazyRowsModel, SqlOrderProxy
from linksdesk.ui.models.table import (
    ID_ROLE,
    SORT_ROLE,
    Column,
    RecordFilterProxy,
    RecordTableModel,
)

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    n: int


COLUMNS = [Column("Name", lambda r: r.name), Column("N", lambda r: r.n, align_right=True)]


def test_record_model_and_proxy_pass_the_model_tester(qtmodeltester: Any) -> None:
    model: RecordTableModel[Row] = RecordTableModel(COLUMNS)
    model.set_rows([Row("a", "Beech", 3), Row("b", "alder", 10), Row("c", "Cedar", 1)])
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    # numbers sort as numbers, not text
    assert [proxy.index(r, 1).data() for r in range(3)] == ["1", "3", "10"]
    proxy.setFilterFixedString("ALD")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data(ID_ROLE) == "b"
    proxy.setFilterFixedString("")
    proxy.set_predicate(lambda r: r.n > 2)
    assert proxy.rowCount() == 2
    model.clear()
    assert proxy.rowCount() == 0
    qtmodeltester.check(proxy)


def test_lazy_model_asks_for_pages_and_keeps_only_rows_of_the_current_ids(
    qtbot: Any, qtmodeltester: Any
) -> None:
    model: LazyRowsModel[Row] = LazyRowsModel(COLUMNS)
    proxy = SqlOrderProxy()
    proxy.setSourceModel(model)
    ids = [f"id{i:05d}" for i in range(1000)]
    model.set_ids(ids)
    asked: list[list[str]] = []
    model.sig_rows_wanted.connect(lambda gen, wanted: asked.append(wanted))
    # painting row 250 asks for its page only, and only once
    assert model.index(250, 0).data() == model.placeholder
    assert model.index(251, 1).data() == ""
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert asked[0] == ids[200:300]
    model.put_rows(model.generation, [Row(i, f"name {i}", k) for k, i in enumerate(asked[0])])
    assert model.index(250, 0).data() == "name id00250"
    assert model.index(250, 1).data(SORT_ROLE) == 50
    assert model.cached_count() == 100
    # rows for an older id list are dropped
    old = model.generation
    model.set_ids(list(reversed(ids)))
    model.put_rows(old, [Row("id00001", "stale", 0)])
    assert model.cached("id00001") is None
    assert model.row_of_id("id00250") == 749
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    sorts: list[tuple[int, Any]] = []
    model.sig_sort_wanted.connect(lambda col, order: sorts.append((col, order)))
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    assert sorts == [(1, Qt.SortOrder.DescendingOrder)]
    # the proxy never reorders by itself: SQL does
    assert proxy.index(0, 0).data(ID_ROLE) == "id00999"
    model.clear()
    assert model.rowCount() == 0 and model.cached_count() == 0
