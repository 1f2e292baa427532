"""A chart on screen (reports.charts on matplotlib's Qt canvas) with its numbers a click away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from linksdesk.reports import charts
from linksdesk.reports.model import SUPPRESSED_MARK, ChartSpec, Kind, Table
from linksdesk.ui.models.table import ReadOnlyTableModel
from linksdesk.ui.views.common import make_table, muted

AnyIndex = QModelIndex | QPersistentModelIndex


def palette_name() -> str:
    """Light or dark, from the application's window colour."""
    app = QApplication.instance()
    if app is None:
        return "light"
    window = app.palette().color(QPalette.ColorRole.Window)  # type: ignore[attr-defined]
    return "dark" if window.lightness() < 128 else "light"


def cell_text(table: Table, row: int, col: int) -> str:
    value = table.rows[row][col]
    column = table.columns[col]
    if (row, col) in table.suppressed:
        return SUPPRESSED_MARK
    if value is None:
        return ""
    if column.kind is Kind.PERCENT:
        return f"{value:.1f} %"
    if column.kind is Kind.DATE and hasattr(value, "strftime"):
        shown: str = value.strftime("%d %b %Y %H:%M")
        return shown
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class FigureTableModel(ReadOnlyTableModel):
    """A report table as a Qt model (rows are tuples already computed in reports/)."""

    def __init__(self, table: Table | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table: Table | None = None
        self.set_table(table)

    def set_table(self, table: Table | None) -> None:
        self.beginResetModel()
        self._table = table
        self._titles = tuple(c.label for c in table.columns) if table is not None else ()
        self.endResetModel()

    def table(self) -> Table | None:
        return self._table

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._table is None else len(self._table.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        t = self._table
        if t is None or not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(t, r, c)
        if role == Qt.ItemDataRole.TextAlignmentRole and t.columns[c].kind is not Kind.TEXT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and r in t.flagged:
            return QColor("#fbe3e1") if palette_name() == "light" else QColor("#5c2b29")
        if role == Qt.ItemDataRole.ToolTipRole and (r, c) in t.suppressed:
            return self.tr("Hidden to protect small numbers")
        if role == Qt.ItemDataRole.FontRole and t.total_row and r == len(t.rows) - 1:
            font = QApplication.font()
            font.setBold(True)
            return font
        return None


class LazyCanvas(FigureCanvasQTAgg):
    """Matplotlib's Qt canvas that draws only what is on screen. A chart given as
    ``pending`` is built when first seen, so a long dashboard pays only for the charts
    scrolled into view; a draw asked for while the canvas is hidden (a record's tab not
    shown, laid out with the window at start-up) waits until it is seen."""

    def __init__(self, figure: Any) -> None:
        super().__init__(figure)  # type: ignore[no-untyped-call]  # matplotlib's, unannotated
        self.pending: Callable[[], object] | None = None
        self._held = False  # a draw asked for while hidden
        self._looking = False  # a look on the event loop's next turn is asked for

    def paintEvent(self, event: Any) -> None:
        if self.pending is None and not self._held:
            super().paintEvent(event)  # type: ignore[no-untyped-call]
            return
        # Looked at once the event loop next turns: the first paint comes while the
        # dashboard's sections are still being laid out (every chart in view for a moment),
        # and a chart drawn then was drawn again at its final size, or drawn though out of
        # sight (each draw lays the figure out: a quarter of a second).
        if not self._looking:
            self._looking = True
            QTimer.singleShot(0, self, self._draw_if_seen)

    def _draw_if_seen(self) -> None:
        self._looking = False
        if not self.isVisible() or self.visibleRegion().isEmpty():
            return  # still out of sight: looked at again at its next paint
        if self.pending is not None:
            build, self.pending = self.pending, None
            build()
        self._held = False
        self.draw_idle()

    def draw_idle(self) -> None:
        if self.pending is not None or not self.isVisible():
            self._held = True  # nothing on screen to draw yet: drawn at the next paint
            return
        super().draw_idle()  # type: ignore[no-untyped-call]


class ChartPanel(QWidget):
    """One chart, its text alternative as accessible description, and a button for the numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = charts.new_figure(7.5, 3.4)
        self.canvas = LazyCanvas(self.figure)
        self.canvas.setMinimumHeight(280)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.model = FigureTableModel(parent=self)
        self.table_view = make_table(self.model, self.tr("The numbers behind the chart"), False)
        self.table_view.hide()
        self.table_button = QPushButton(self.tr("Show the numbers"))
        self.table_button.setCheckable(True)
        self.table_button.toggled.connect(self._on_table_button_toggled)
        self.warnings = muted("")
        self.warnings.hide()
        self.description = ""
        row = QHBoxLayout()
        row.addWidget(self.warnings, 1)
        row.addWidget(self.table_button, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        layout.addWidget(self.table_view)
        layout.addLayout(row)

    def show_chart(self, spec: ChartSpec, table: Table) -> None:
        pal = charts.PALETTES[palette_name()]
        self.description = charts.describe(spec, table)
        self.canvas.pending = lambda: charts.draw_table_chart(self.figure, spec, table, pal)
        self.canvas.setAccessibleName(spec.title)
        self.canvas.setAccessibleDescription(self.description)
        self.canvas.setToolTip(self.description)
        self.model.set_table(table)
        self.table_view.resizeColumnsToContents()
        text = "\n".join(table.warnings)
        self.warnings.setText(text)
        self.warnings.setVisible(bool(text))
        self.canvas.update()

    def clear(self) -> None:
        self.canvas.pending = None
        self.figure.clear()
        self.canvas.draw_idle()
        self.model.set_table(None)
        self.description = ""
        self.canvas.setAccessibleDescription("")
        self.canvas.setToolTip("")

    def _on_table_button_toggled(self, shown: bool) -> None:
        self.table_view.setVisible(shown)
        self.canvas.setVisible(not shown)
        self.table_button.setText(
            self.tr("Show the chart") if shown else self.tr("Show the numbers")
        )
