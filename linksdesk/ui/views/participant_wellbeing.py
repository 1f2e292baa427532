"""The Wellbeing tab: enter WEMWBS/SWEMWBS/ONS4; see the trend against meaningful-change bands."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QAreaSeries,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, Qt, QTime
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import measures
from linksdesk.casework.dto import MeasureRecord
from linksdesk.core.measures import band_thresholds, copyright_line, definition
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.ui.dialogs.form import to_qdate
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.views.common import make_table, muted

if TYPE_CHECKING:
    from linksdesk.ui.views.participant import ParticipantView, RecordData

SCALE = {
    MeasureKind.WEMWBS: (14.0, 70.0),
    MeasureKind.SWEMWBS: (7.0, 35.0),
    MeasureKind.ONS4: (0.0, 10.0),
}
ONS4_COLOURS = ("#1f5fa8", "#1e7a46", "#9a6700", "#b3261e")


def comparable(record: MeasureRecord) -> float | None:
    """The number the trend shows: WEMWBS total, SWEMWBS metric score."""
    if record.kind is MeasureKind.SWEMWBS:
        return record.metric
    if record.kind is MeasureKind.WEMWBS and record.total is not None:
        return float(record.total)
    return None


def score_text(record: MeasureRecord) -> str:
    if record.kind is MeasureKind.SWEMWBS:
        return f"{record.metric:.2f} (raw {record.total})"
    if record.kind is MeasureKind.WEMWBS:
        return str(record.total)
    names = [i.short_name for i in definition(MeasureKind.ONS4).items]
    return ", ".join(f"{n} {v}" for n, v in zip(names, record.items, strict=True))


def _msecs(day: dt.date) -> float:
    return float(QDateTime(to_qdate(day), QTime(12, 0)).toMSecsSinceEpoch())


class TrendChart(QChartView):
    """Scores over time; bands around the baseline show which changes are meaningful."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setMinimumHeight(260)
        self.setAccessibleName(self.tr("Wellbeing trend chart"))
        self.description = ""

    def clear(self) -> None:
        self._chart.removeAllSeries()
        for axis in self._chart.axes():
            self._chart.removeAxis(axis)
        self._chart.setTitle("")
        self.description = ""
        self.setAccessibleDescription("")

    def plot(self, kind: MeasureKind, records: list[MeasureRecord]) -> None:
        self.clear()
        records = [r for r in records if r.kind is kind]
        if not records:
            self._chart.setTitle(self.tr("No {kind} scores yet").format(kind=kind.label))
            return
        self._chart.setTitle(self.tr("{kind} over time").format(kind=kind.label))
        low, high = SCALE[kind]
        first, last = records[0].taken_on, records[-1].taken_on
        if first == last:
            first, last = first - dt.timedelta(days=14), last + dt.timedelta(days=14)
        x0, x1 = _msecs(first), _msecs(last)
        x_axis = QDateTimeAxis()
        x_axis.setFormat("d MMM yy")
        x_axis.setTickCount(min(max(len(records), 2), 6))
        x_axis.setRange(
            QDateTime.fromMSecsSinceEpoch(int(x0)), QDateTime.fromMSecsSinceEpoch(int(x1))
        )
        y_axis = QValueAxis()
        y_axis.setRange(low, high)
        y_axis.setLabelFormat("%d")
        self._chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

        series_list = []
        if kind is MeasureKind.ONS4:
            names = [i.short_name for i in definition(kind).items]
            for n, name in enumerate(names):
                line = QLineSeries()
                line.setName(name.capitalize() + (self.tr(" (lower is better)") if n == 3 else ""))
                line.setPointsVisible(True)
                line.setPen(QPen(QColor(ONS4_COLOURS[n]), 2))
                for r in records:
                    line.append(_msecs(r.taken_on), r.items[n])
                series_list.append(line)
            self.description = "; ".join(f"{r.taken_on:%d %b %Y}: {score_text(r)}" for r in records)
        else:
            base = next((r for r in records if r.is_baseline), records[0])
            b = comparable(base) or 0.0
            possible, clear = band_thresholds(kind)
            bands = (
                (low, b - clear, "#f4c7c3", self.tr("Clear decline")),
                (b - clear, b - possible, "#fbe3e1", self.tr("Possible decline")),
                (b - possible, b + possible, "#e4e4e7", self.tr("No meaningful change")),
                (b + possible, b + clear, "#d7f0dd", self.tr("Possible improvement")),
                (b + clear, high, "#b6e3c2", self.tr("Clear improvement")),
            )
            for lo, hi, colour, name in bands:
                lo, hi = max(lo, low), min(hi, high)
                if hi <= lo:
                    continue
                upper, lower = QLineSeries(), QLineSeries()
                upper.append(x0, hi)
                upper.append(x1, hi)
                lower.append(x0, lo)
                lower.append(x1, lo)
                area = QAreaSeries(upper, lower)
                area.setName(name)
                area.setColor(QColor(colour))
                area.setBorderColor(QColor(colour))
                area.setOpacity(0.8)
                # the line series belong to the area now; keep them alive with it
                area._keep = (upper, lower)  # type: ignore[attr-defined]
                series_list.append(area)
            line = QLineSeries()
            line.setName(self.tr("Score"))
            line.setPen(QPen(QColor("#0d3573"), 2.5))
            dots = QScatterSeries()
            dots.setName(self.tr("Assisted completion"))
            dots.setMarkerSize(11)
            dots.setColor(QColor("#9a6700"))
            for r in records:
                value = comparable(r)
                if value is None:
                    continue
                line.append(_msecs(r.taken_on), value)
                if r.assisted:
                    dots.append(_msecs(r.taken_on), value)
            line.setPointsVisible(True)
            series_list.append(line)
            if dots.count():
                series_list.append(dots)
            self.description = self.tr(
                "Baseline {b:g}; changes of {p:g} or more may be meaningful, {c:g} or more are "
                "clear. "
            ).format(b=b, p=possible, c=clear) + "; ".join(
                f"{r.taken_on:%d %b %Y}: {score_text(r)}" for r in records
            )
        for s in series_list:
            self._chart.addSeries(s)
            s.attachAxis(x_axis)
            s.attachAxis(y_axis)
        self.setAccessibleDescription(self.description)


class WellbeingTab(QWidget):
    def __init__(self, view: ParticipantView) -> None:
        super().__init__(view)
        tr = self.tr
        self.view = view
        self.setAccessibleName(tr("Wellbeing"))
        self.records: list[MeasureRecord] = []
        self.model: RecordTableModel[MeasureRecord] = RecordTableModel(
            [
                Column(
                    tr("Taken on"),
                    lambda r: f"{r.taken_on.day} {r.taken_on:%b %Y}",
                    sort=lambda r: r.taken_on,
                ),
                Column(tr("Measure"), lambda r: r.kind.label),
                Column(tr("Context"), lambda r: r.context.label),
                Column(tr("Score"), score_text, sort=comparable),
                Column(
                    tr("Against baseline"),
                    lambda r: (
                        tr("Baseline")
                        if r.is_baseline
                        else (r.vs_baseline.summary if r.vs_baseline else "")
                    ),
                ),
                Column(tr("Assisted"), lambda r: tr("Yes") if r.assisted else tr("No")),
            ],
            parent=self,
        )
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(0, Qt.SortOrder.DescendingOrder)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName(tr("Measure"))
        for kind in MeasureKind:
            self.kind_box.addItem(kind.label, kind)
        label = QLabel(tr("&Measure:"))
        label.setBuddy(self.kind_box)
        bar.addWidget(label)
        bar.addWidget(self.kind_box)
        self.record_button = QPushButton(tr("Record a score…"))
        self.record_button.setAccessibleName(tr("Record a wellbeing score"))
        self.record_button.clicked.connect(self.record)
        bar.addWidget(self.record_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical)
        self.chart = TrendChart()
        split.addWidget(self.chart)
        self.table = make_table(self.proxy, tr("Wellbeing scores"))
        for col, width in enumerate((110, 90, 90, 230, 260)):
            self.table.setColumnWidth(col, width)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.copyright_label = muted("")
        self.copyright_label.setAccessibleName(tr("Copyright"))
        layout.addWidget(self.copyright_label)
        self.kind_box.currentIndexChanged.connect(lambda _i: self._plot())
        self._plot()

    def kind(self) -> MeasureKind:
        return MeasureKind(self.kind_box.currentData())

    def show_record(self, data: RecordData) -> None:
        self.records = list(data.measures)
        self.model.set_rows(self.records)
        kinds = {r.kind for r in self.records}
        if kinds and self.kind() not in kinds:
            # show the measure this person has scores on
            latest = max(self.records, key=lambda r: r.taken_on).kind
            self.kind_box.setCurrentIndex(self.kind_box.findData(latest))
        self._plot()

    def clear(self) -> None:
        self.records = []
        self.model.clear()
        self.chart.clear()

    def set_read_only(self, read_only: bool) -> None:
        self.record_button.setEnabled(not read_only)

    def _plot(self) -> None:
        kind = self.kind()
        self.chart.plot(kind, self.records)
        self.copyright_label.setText(copyright_line(kind) or "")

    def record(self) -> None:
        pid = self.view.participant_id
        if pid is None or not self.view.editable():
            return
        kind = self.kind()
        has_baseline = any(r.kind is kind for r in self.records)
        context = MeasureContext.REVIEW if has_baseline else MeasureContext.BASELINE
        values = MeasureDialog.ask(self, kind, context)
        if values:
            kind, items = values.pop("kind"), values.pop("items")
            self.view.write(measures.record_measure, pid, kind, items, **values)
