"""The Wellbeing tab: enter WEMWBS/SWEMWBS/ONS4; see the trend against meaningful-change bands."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from linksdesk.casework import measures
from linksdesk.casework.dto import MeasureRecord
from linksdesk.core.episodes import order_key
from linksdesk.core.measures import band_thresholds, copyright_line, definition
from linksdesk.core.vocab import MeasureContext, MeasureKind
from linksdesk.reports import charts
from linksdesk.ui.dialogs.in_error import InErrorDialog, ask_not_in_error
from linksdesk.ui.dialogs.measure import MeasureDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel, StruckTableModel
from linksdesk.ui.views.chart_panel import LazyCanvas, palette_name
from linksdesk.ui.views.common import make_table, muted
from linksdesk.ui.views.record_tab import RecordTabBase, Translate, day, marked_or
from linksdesk.ui.views.rows import buddy, choice_box, hbox
from linksdesk.ui.widgets import push_button

if TYPE_CHECKING:
    from linksdesk.casework.record import RecordData

SCALE = {
    MeasureKind.WEMWBS: (14.0, 70.0),
    MeasureKind.SWEMWBS: (7.0, 35.0),
    MeasureKind.ONS4: (0.0, 10.0),
}


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


def episode_text(record: MeasureRecord, episodes: int, tr: Callable[[str], str]) -> str:
    """Says "Episode 2, " before a score of a person who came back; nothing for one episode."""
    return tr("Episode {n}, ").format(n=record.episode) if episodes > 1 else ""


def answer_points(records: list[MeasureRecord], n: int) -> list[charts.TrendPoint]:
    """The ``n``th ONS4 answer's points, oldest first, with a gap (a point of no value,
    which the line does not cross) where a new episode of support starts: the last answer
    before the person came back is not joined to their new baseline (``core.episodes``)."""
    points: list[charts.TrendPoint] = []
    for before, r in zip([None, *records], records, strict=False):
        if before is not None and r.episode != before.episode:
            points.append(charts.TrendPoint(r.taken_on, math.nan))
        points.append(charts.TrendPoint(r.taken_on, float(r.items[n] or 0)))
    return points


class TrendChart(QWidget):
    """Scores over time; bands around the baseline show which changes are meaningful.

    Drawn by ``reports.charts`` (the one chart code path) on matplotlib's Qt canvas.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = charts.new_figure(6.0, 3.0)
        self.canvas = LazyCanvas(self.figure)  # drawn when on screen, not at start-up
        self.canvas.setParent(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.setMinimumHeight(260)
        self.setAccessibleName(self.tr("Wellbeing trend chart"))
        self.description = ""
        self.title = ""

    def clear(self) -> None:
        self.figure.clear()
        self.canvas.draw_idle()
        self.title = ""
        self.description = ""
        self.setAccessibleDescription("")

    def plot(self, kind: MeasureKind, records: list[MeasureRecord]) -> None:
        self.clear()
        palette = charts.PALETTES[palette_name()]
        records = [r for r in records if r.kind is kind]
        if not records:
            self.title = self.tr("No {kind} scores yet").format(kind=kind.label)
            charts.draw_trend(self.figure, self.title, [], SCALE[kind], palette=palette)
            self.canvas.draw_idle()
            return
        self.title = self.tr("{kind} over time").format(kind=kind.label)
        low, high = SCALE[kind]
        bands: list[tuple[float, float, str, str]] = []
        if kind is MeasureKind.ONS4:
            names = [i.short_name for i in definition(kind).items]
            series = [
                (
                    name.capitalize() + (self.tr(" (lower is better)") if n == 3 else ""),
                    answer_points(records, n),
                )
                for n, name in enumerate(names)
            ]
            last = records[-1].episode  # answers of an earlier episode say which
            self.description = "; ".join(
                episode_text(r, last, self.tr) + f"{r.taken_on:%d %b %Y}: {score_text(r)}"
                for r in records
            )
        else:
            # bands around the baseline of the latest episode of support; earlier episodes
            # (before the person came back) are their own lines, so the whole story shows
            current = records[-1].episode
            base = next(r for r in records if r.episode == current)
            b = comparable(base) or 0.0
            possible, clear = band_thresholds(kind)
            bands = [
                (low, b - clear, self.tr("Clear decline"), "clear_decline"),
                (b - clear, b - possible, self.tr("Possible decline"), "possible_decline"),
                (b - possible, b + possible, self.tr("No meaningful change"), "none"),
                (b + possible, b + clear, self.tr("Possible improvement"), "possible_improvement"),
                (b + clear, high, self.tr("Clear improvement"), "clear_improvement"),
            ]
            series = [
                (
                    self.tr("Score") if current == 1 else self.tr("Episode {n}").format(n=n),
                    [
                        charts.TrendPoint(r.taken_on, value, r.assisted)
                        for r in records
                        if r.episode == n and (value := comparable(r)) is not None
                    ],
                )
                for n in range(current, 0, -1)
            ]
            self.description = self.tr(
                "Baseline {b:g}; changes of {p:g} or more may be meaningful, {c:g} or more are "
                "clear. "
            ).format(b=b, p=possible, c=clear) + "; ".join(
                episode_text(r, current, self.tr) + f"{r.taken_on:%d %b %Y}: {score_text(r)}"
                for r in records
            )
        charts.draw_trend(
            self.figure, self.title, series, (low, high), bands, palette,
            assisted_label=self.tr("Assisted completion"),
        )  # fmt: skip
        self.canvas.draw_idle()
        self.setAccessibleDescription(self.description)


class WellbeingTab(RecordTabBase):
    def _build(self, tr: Translate) -> None:
        self.records: list[MeasureRecord] = []
        self.data: RecordData | None = None
        # a score entered in error is struck through; "Against the baseline" says so in words
        self.model: RecordTableModel[MeasureRecord] = StruckTableModel(
            [
                Column(
                    tr("Taken on"),
                    lambda r: day(r.taken_on),
                    # scores of one day as recorded, as the chart and the reports pair them
                    sort=lambda r: order_key(r.taken_on, r.id),
                ),
                Column(tr("Measure"), lambda r: r.kind.label),
                Column(tr("Context"), lambda r: r.context.label),
                # a person who came back starts episode 2 with a new baseline
                Column(
                    tr("Episode"),
                    lambda r: "" if r.in_error else str(r.episode),
                    sort=lambda r: r.episode,
                ),
                Column(tr("Score"), score_text, sort=comparable),
                Column(
                    tr("Against the episode's baseline"),
                    lambda r: marked_or(
                        r,
                        tr("Baseline")
                        if r.is_baseline
                        else (r.vs_baseline.summary if r.vs_baseline else ""),
                    ),
                ),
                Column(tr("Assisted"), lambda r: tr("Yes") if r.assisted else tr("No")),
            ],
            frozenset({0, 1, 2, 4, 6}),
            parent=self,
        )
        self.proxy = RecordFilterProxy(self, self.model, Qt.SortOrder.DescendingOrder)

        layout = QVBoxLayout(self)
        self.kind_box = choice_box(tr("Measure"), ((kind.label, kind) for kind in MeasureKind))
        self.record_button = push_button(
            tr("Record a score…"), tr("Record a wellbeing score"), self.record
        )
        self.in_error_button = self.mark_button(
            tr("Mark the selected score entered in error, or take a mistaken mark off")
        )
        self.editing_buttons = (self.record_button, self.in_error_button)
        layout.addLayout(
            hbox(
                buddy(tr("&Measure:"), self.kind_box),
                self.kind_box,
                self.record_button,
                None,
                self.in_error_button,
            )
        )
        split = QSplitter(Qt.Orientation.Vertical)
        self.chart = TrendChart()
        split.addWidget(self.chart)
        self.table = make_table(self.proxy, tr("Wellbeing scores"))
        for col, width in enumerate((110, 90, 90, 70, 230, 260)):
            self.table.setColumnWidth(col, width)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.copyright_label = muted("")
        self.copyright_label.setAccessibleName(tr("Copyright"))
        layout.addWidget(self.copyright_label)
        self.kind_box.currentIndexChanged.connect(lambda _i: self._plot())
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._follow_selection(
                self.proxy.row_at(current.row()) if current.isValid() else None
            )
        )
        self._plot()

    def kind(self) -> MeasureKind:
        return MeasureKind(self.kind_box.currentData())

    def show_record(self, data: RecordData) -> None:
        self.data = data
        self.records = list(data.measures)
        self.model.set_rows(self.records)
        kinds = {r.kind for r in self.records}
        if kinds and self.kind() not in kinds:
            # show the measure this person has scores on
            latest = self.records[-1].kind  # oldest first (core.episodes.in_order)
            self.kind_box.setCurrentIndex(self.kind_box.findData(latest))
        self._plot()

    def clear(self) -> None:
        self.data = None
        self.records = []
        self.model.clear()
        self.chart.clear()

    def _plot(self) -> None:
        kind = self.kind()
        self.chart.plot(kind, [r for r in self.records if not r.in_error])
        self.copyright_label.setText(copyright_line(kind) or "")

    def record(self) -> None:
        kind = self.kind()
        # a baseline when the person came back (reopened, or referred in again) since their
        # last score: a tired worker leaves the first choice as it is
        statuses, referrals = (
            (self.data.status_history, self.data.referrals) if self.data else ([], [])
        )
        referred_on = self.data.participant.referred_on if self.data else None
        context = measures.context_for_next(kind, self.records, statuses, referrals, referred_on)
        # a score entered in error is no earlier score (casework.measures.context_for_next
        # counts none): scored again after one typed wrong, the person did not come back
        came_back = context is MeasureContext.BASELINE and any(
            r.kind is kind and not r.in_error for r in self.records
        )
        why = (
            self.tr(
                "A new baseline: they came back (case reopened or referred in again) since "
                "their last score, so this starts a new episode of support."
            )
            if came_back
            else ""
        )
        self.add_to_record(
            lambda parent: MeasureDialog.ask(parent, kind, context, why=why),
            measures.record_measure,
            "kind",
            "items",
        )

    def _follow_selection(self, score: MeasureRecord | None) -> None:
        """The mark's button says what it will do with the score chosen."""
        self.follow_mark(score is not None and score.in_error)

    def in_error_selected(self) -> None:
        """Mark the selected score entered in error (asked why, told what will happen), or
        take a mistaken mark off (asked first: it counts again)."""
        self.mark_chosen(
            self.table, self.tr("a score"), measures.mark_in_error, measures.restore_measure
        )

    def ask_why(self, score: MeasureRecord) -> str | None:
        return InErrorDialog.ask_score(self, score, score_text(score))

    def ask_restore(self, score: MeasureRecord) -> bool:
        """Whether to take the mark off (No is the default; tests replace it)."""
        what = f"The {score.kind.label} score of {day(score.taken_on)}"
        return ask_not_in_error(self, what, score.in_error_reason)
