"""The supervisor's dashboard: the team's figures for a period, charts with their numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import supervision
from linksdesk.core.changes import Changes
from linksdesk.core.errors import OverlapsEarlierReportError, ValidationError
from linksdesk.reports.evaluation import EvaluationWritten
from linksdesk.reports.model import Report, Section
from linksdesk.reports.scope import Period, Scope
from linksdesk.reports.settings import ReportSettings
from linksdesk.ui.date_field import MonthField
from linksdesk.ui.dialog_kit import answered, ask_yes_no
from linksdesk.ui.dialogs.worker_names import WorkerNamesDialog
from linksdesk.ui.views.chart_panel import ChartPanel, FigureTableModel
from linksdesk.ui.views.common import Screen, heading, make_table, muted
from linksdesk.ui.views.rows import hbox
from linksdesk.ui.widgets import InlineMessage, action_button, scrolled, typed_path

if TYPE_CHECKING:
    from linksdesk.ui.session import UiSession

FORMATS = (("xlsx", "Spreadsheet (XLSX)"), ("csv", "CSV"), ("pdf", "PDF"))


@dataclass(frozen=True)
class ExportChoice:
    fmt: str
    audience: str
    path: Path


def lay_out_form(dialog: QDialog, form: QFormLayout) -> None:
    """Lay ``dialog`` out as ``form`` above Save and Cancel."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)


class PublishedFilesDialog:
    """Which external report files, written from another supervisor's vault, to take in."""

    @classmethod
    def ask(cls, parent: QWidget) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(
            parent,
            parent.tr("Reports written from another vault"),
            str(Path.home()),
            parent.tr("Reports (*.xlsx *.csv *.pdf)"),
        )
        return [Path(name) for name in names]


class EvaluationFolderDialog:
    """Where to write the evaluation team's files: a new folder's name."""

    @classmethod
    def ask(cls, parent: QWidget) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            parent,
            parent.tr("A new folder for the evaluation files"),
            str(Path.home() / "evaluation-files"),
        )
        return Path(name) if name else None


class ExportDialog(QDialog):
    """Which file, which format, and for whom (external hides small numbers).

    The format follows a file name typed or chosen with a format's ending (board.pdf is
    written as a PDF), and a file that is there already is said here, with the choices kept.
    ``last``: the choice made the time before, whose format and folder it starts from; never
    its audience, which starts at external each time (an internal report is chosen on purpose).
    """

    def __init__(
        self, parent: QWidget | None = None, suggested: str = "report",
        last: ExportChoice | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export a report"))
        self.format_box = QComboBox()
        for key, label in FORMATS:
            self.format_box.addItem(self.tr(label), key)
        self.audience_box = QComboBox()
        self.audience_box.addItem(
            self.tr("External: board, funder, evaluation (small numbers hidden)"), "external"
        )
        self.audience_box.addItem(self.tr("Internal: supervision (exact numbers)"), "internal")
        fmt = last.fmt if last is not None else FORMATS[0][0]
        folder = last.path.parent if last is not None else Path.home()
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(fmt)))
        self.path_edit = QLineEdit(str(folder / f"{suggested}.{fmt}"))
        self.path_edit.setAccessibleName(self.tr("File to write"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        self.path_edit.textChanged.connect(self._on_path_changed)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format_box)
        form.addRow(self.tr("For"), self.audience_box)
        form.addRow(self.tr("File"), path_row)
        lay_out_form(self, form)
        self.message = InlineMessage(self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.message)

    def choice(self) -> ExportChoice:
        return ExportChoice(
            self.format_box.currentData(), self.audience_box.currentData(),
            typed_path(self.path_edit.text()) or Path(),
        )  # fmt: skip

    def _on_format_changed(self) -> None:
        path = typed_path(self.path_edit.text()) or Path("report")
        self.path_edit.setText(str(path.with_suffix("." + self.format_box.currentData())))

    def _on_path_changed(self) -> None:
        # a name ending in a format's own ending is written in that format: the box stays
        # as the file will be, not a spreadsheet written under a PDF's name
        path = typed_path(self.path_edit.text())
        found = self.format_box.findData(path.suffix[1:].lower()) if path else -1
        if found >= 0:
            self.format_box.setCurrentIndex(found)

    def _browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the report as"),
                                                    self.path_edit.text())  # fmt: skip
        if name:
            self.path_edit.setText(name)

    def accept(self) -> None:
        path = typed_path(self.path_edit.text())
        if path is not None and path.exists():  # said here, where the name can be changed
            self.message.show_message(
                self.tr("{file} is there already: type another name for this report.").format(
                    file=path.name
                )
            )
            self.path_edit.setFocus()  # the name chosen, ready to be typed over
            start = self.path_edit.text().rfind(path.stem)
            self.path_edit.setSelection(max(start, 0), len(path.stem))
            return
        super().accept()

    def asked(self) -> ExportChoice | None:
        """Ask modally: the choice made, or None."""
        return answered(self, ExportDialog.choice)


class ReportSettingsDialog(QDialog):
    """The programme's reporting settings: safe caseload, target wait, small-number threshold."""

    def __init__(self, settings: ReportSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Programme settings for reports"))
        self._settings = settings
        self.open_spin = self._spin(settings.safe_open_cases, 1, 1000)
        self.year_spin = self._spin(settings.safe_people_per_year, 1, 10000)
        self.wait_spin = self._spin(settings.wait_target_days, 1, 365)
        self.threshold_spin = self._spin(settings.suppression_threshold, 2, 100)
        form = QFormLayout()
        form.addRow(self.tr("Safe caseload: open cases at once"), self.open_spin)
        form.addRow(self.tr("Safe caseload: people a year"), self.year_spin)
        form.addRow(self.tr("Target wait to first contact (days)"), self.wait_spin)
        form.addRow(self.tr("External reports hide counts below"), self.threshold_spin)
        lay_out_form(self, form)
        self.message = InlineMessage(self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.message)

    def _spin(self, value: int, low: int, high: int) -> QSpinBox:
        # the box takes any whole number typed and Save says what is out of range: a box
        # held to the range dropped what did not fit as it was typed ("150" became 15,
        # "12000" 1200) and kept its old value for a number below it, without a word
        spin = QSpinBox()
        spin.setRange(0, 999_999)
        spin.setValue(value)
        return spin

    def accept(self) -> None:
        chosen = self.settings()
        spins = {
            "safe_open_cases": self.open_spin,
            "safe_people_per_year": self.year_spin,
            "wait_target_days": self.wait_spin,
            "suppression_threshold": self.threshold_spin,
        }
        for name, spin in spins.items():  # each alone, by the settings' own rules
            try:
                replace(ReportSettings(), **{name: getattr(chosen, name)}).validate()
            except ValidationError as exc:
                self.message.show_message(str(exc))
                spin.setFocus()
                spin.selectAll()
                return
        super().accept()

    def settings(self) -> ReportSettings:
        return replace(
            self._settings,
            safe_open_cases=self.open_spin.value(),
            safe_people_per_year=self.year_spin.value(),
            wait_target_days=self.wait_spin.value(),
            suppression_threshold=self.threshold_spin.value(),
        )

    def asked(self) -> ReportSettings | None:
        """Ask modally: the settings saved, or None."""
        return answered(self, ReportSettingsDialog.settings)


class SectionBox(QWidget):
    """One section: its heading, its chart (numbers one click away) and any further tables."""

    def __init__(self, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = section.key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.addWidget(heading(section.title, level=2))
        self.chart: ChartPanel | None = None
        self.tables: dict[str, Any] = {}
        shown = section.chart.table if section.chart else None
        if section.chart is not None:
            self.chart = ChartPanel(self)
            self.chart.show_chart(section.chart, section.table(section.chart.table))
            layout.addWidget(self.chart)
        for table in section.tables:
            if table.key == shown:
                continue
            layout.addWidget(QLabel(table.title))
            model = FigureTableModel(table, self)
            view = make_table(model, table.title, sortable=False)
            view.setMinimumHeight(min(60 + 26 * len(table.rows), 320))
            view.resizeColumnsToContents()
            self.tables[table.key] = view
            layout.addWidget(view)
            for note in (table.description, *table.warnings):
                if note:
                    layout.addWidget(muted(note))
        for note in section.notes:
            layout.addWidget(muted(note))


class SupervisionView(Screen):
    """Filters on top (period, worker, board view), then every section of the report."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        self.setAccessibleName(tr("Team dashboard"))
        today = dt.date.today()
        default = Period.last_twelve_months(today)
        # typed as people write a month ("March 2026", "3/2026"), read back under the box
        self.first_edit = MonthField(default.first)
        self.last_edit = MonthField(default.last)
        self.first_edit.setAccessibleName(tr("First month"))
        self.last_edit.setAccessibleName(tr("Last month"))
        for month in (self.first_edit, self.last_edit):  # room for "September 2026"
            month.edit.setMinimumWidth(month.edit.fontMetrics().horizontalAdvance("0") * 15)
        self.worker_box = QComboBox()
        self.worker_box.setAccessibleName(tr("Worker"))
        self.worker_box.addItem(tr("All workers"), None)
        self.team_box = QComboBox()  # shown once an imported bundle or roster names a team
        self.team_box.setAccessibleName(tr("Team"))
        self.team_box.addItem(tr("All teams"), None)
        self.team_box.hide()
        self.external_check = QCheckBox(tr("As a board sees it (small numbers hidden)"))
        self.show_button = action_button(tr("Show"), self.refresh)
        self.show_button.setDefault(True)
        self.export_button = action_button(tr("Export report…"), self.export)
        # another supervisor's external reports: this vault's are compared with them too
        self.published_button = action_button(
            tr("Reports from another vault…"),
            self.take_in_published,
            tr(
                "Take in external reports another supervisor wrote, so that yours are checked "
                "against them for overlaps"
            ),
        )
        self.evaluation_button = action_button(
            tr("Evaluation files…"),
            self.write_evaluation,
            tr("Write the pseudonymised evaluation records as CSV files for an evaluation team"),
        )
        self.settings_button = action_button(tr("Programme settings…"), self.edit_settings)
        self.names_button = action_button(
            tr("Name workers…"),
            self.name_workers,
            tr("The names you know your workers by, for this dashboard and internal reports"),
        )
        self.progress = QProgressBar()
        self.progress.setAccessibleName(tr("Report export progress"))
        self.progress.hide()
        self.as_of_label = muted("")
        self.as_of_label.setAccessibleName(tr("Data as of"))

        filters = hbox(QLabel(tr("From")), self.first_edit, QLabel(tr("to")), self.last_edit,
                       self.team_box, self.worker_box, self.external_check, self.show_button,
                       None)  # fmt: skip
        filters.insertSpacing(4, 12)
        # what is done with the figures, on a row of its own: on one row with the filters
        # the months were cut to "026" and the buttons' words clipped at the window's width
        actions = hbox(self.progress, None, self.names_button, self.settings_button,
                       self.published_button, self.evaluation_button,
                       self.export_button)  # fmt: skip
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 12, 0)
        # not ``scroll``: that would hide QWidget.scroll()
        self.scroll_area = scrolled(self.body, tr("Team dashboard"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(tr("Team dashboard")))
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.as_of_label)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll_area, 1)
        self.sections: dict[str, SectionBox] = {}
        self.report: Report | None = None
        self._export_job: Any = None
        self._last_export: ExportChoice | None = None  # the next export starts from it
        self._stale = True
        # a worker, a team or the board's view chosen shows at once (the months are typed,
        # so they wait for Show): the figures on screen are never another scope's than the
        # filters say, nor exact under "small numbers hidden"
        self.worker_box.activated.connect(self.refresh)
        self.team_box.activated.connect(self.refresh)
        self.external_check.clicked.connect(self.refresh)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- filters --------------------------------------------------------------------------
    def scope(self) -> Scope:
        """The filters as a scope; ValidationError for a month that cannot be read."""
        months = []
        for edit, name in ((self.first_edit, self.tr("From")), (self.last_edit, self.tr("To"))):
            month = edit.value()
            if month is None:
                edit.setFocus()
                edit.edit.selectAll()
                problem = edit.problem() or self.tr("Give the month.")
                raise ValidationError(
                    self.tr("{field}: {problem}").format(field=name, problem=problem)
                )
            months.append((month.year, month.month))
        period = Period.months(months[0], months[1])
        worker = self.worker_box.currentData()
        workers = None if worker is None else frozenset({worker})
        team = self.team_box.currentData()
        if team is None:
            return Scope(period, workers)
        label, members = team
        return Scope.within_team(period, label, members, workers)

    def set_period(self, period: Period) -> None:
        self.first_edit.set_value(period.first)
        self.last_edit.set_value(period.last)

    def select_team(self, label: str | None) -> None:
        found = [
            i
            for i in range(self.team_box.count())
            if (self.team_box.itemData(i) or ("",))[0] == label
        ]
        self.team_box.setCurrentIndex(found[0] if found else 0)

    def select_worker(self, owner: str | None) -> None:
        self.worker_box.setCurrentIndex(max(0, self.worker_box.findData(owner)))

    # -- contract -------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True  # computed when shown: a worker's unlock never pays for it
            return
        self._stale = False
        try:
            scope = self.scope()
        except Exception as exc:  # a period that ends before it starts: said inline
            self.show_problem(exc)
            return
        self.message.clear_message()
        audience = "external" if self.external_check.isChecked() else "internal"
        self.run(supervision.dashboard, scope, audience=audience, on_done=self._show)

    def on_changes(self, changes: Changes) -> None:
        if self.report is not None:
            self.refresh()

    def clear(self) -> None:
        super().clear()
        self._clear_sections()
        self.report = None
        self._last_export = None
        self.as_of_label.setText("")
        self.progress.hide()
        if self._export_job is not None:
            # a lock cancels a report being written (its result is never delivered): the
            # button comes back for the next unlock, which found it greyed out for good
            self._export_finished()

    # -- settings -------------------------------------------------------------------------
    def edit_settings(self) -> None:
        self.run(supervision.report_settings, on_done=self._ask_settings)

    def _ask_settings(self, current: ReportSettings) -> None:
        chosen = ReportSettingsDialog(current, self).asked()
        if chosen is not None and chosen != current:
            self.run(supervision.save_report_settings, chosen, on_done=lambda _s: self.refresh())

    def name_workers(self) -> WorkerNamesDialog:
        dialog = WorkerNamesDialog.ask(self.session, self)
        dialog.sig_saved.connect(self.refresh)
        return dialog

    # -- export ---------------------------------------------------------------------------
    def export(self) -> None:
        try:
            scope = self.scope()
        except ValidationError as exc:  # a month that cannot be read: said inline
            self.show_problem(exc)
            return
        suggested = f"links-report-{scope.period.label.replace('..', '_')}"
        choice = ExportDialog(self, suggested, self._last_export).asked()
        if choice is not None:
            self._last_export = choice
            self._write(scope, choice, overlap_ok=False)

    def _write(self, scope: Scope, choice: ExportChoice, *, overlap_ok: bool) -> None:
        self.progress.setRange(0, 0)
        self.progress.show()
        self.export_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self._export_finished()
            if not isinstance(exc, OverlapsEarlierReportError):
                self.show_problem(exc)
            elif ask_yes_no(self, self.tr("Write this report anyway?"), str(exc)):
                self._write(scope, choice, overlap_ok=True)  # the person's decision
            else:
                self.message.show_message(self.tr("No report was written."), "info")

        work = self.tr("the writing of a report to {path}").format(path=choice.path)
        self._export_job = self.run(
            supervision.write_report, scope, choice.fmt, choice.path, audience=choice.audience,
            overlap_ok=overlap_ok, with_progress=True, on_done=self._on_exported, on_error=failed,
            work=work,
        )  # fmt: skip
        if self._export_job is not None:
            self.session.runner.sig_progress.connect(self._on_progress)

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        if self._export_job is not None and job_id == self._export_job.id:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

    def _export_finished(self) -> None:
        try:
            self.session.runner.sig_progress.disconnect(self._on_progress)
        except (RuntimeError, TypeError):
            pass
        self._export_job = None
        self.export_button.setEnabled(True)
        self.progress.hide()

    def take_in_published(self) -> None:
        paths = PublishedFilesDialog.ask(self)
        if paths:
            self.run(supervision.take_in_published, paths, on_done=self._on_taken_in)

    def _on_taken_in(self, taken: list[str]) -> None:
        self.message.show_message(
            self.tr("Taken in: {reports}. Your external reports are checked against them "
                    "too.").format(reports="; ".join(taken)), "info",
        )  # fmt: skip

    def write_evaluation(self) -> None:
        folder = EvaluationFolderDialog.ask(self)
        if folder is not None:
            work = self.tr("the writing of the evaluation files to {folder}")
            self.run(
                supervision.write_evaluation,
                folder,
                on_done=self._on_evaluation_written,
                work=work.format(folder=folder),
            )

    def _on_evaluation_written(self, done: EvaluationWritten) -> None:
        self.message.show_message(" ".join(done.said()), "info")

    def _on_exported(self, path: Path) -> None:
        self._export_finished()
        self.message.show_message(self.tr("Report written to {path}.").format(path=path), "info")

    # -- showing --------------------------------------------------------------------------
    def _clear_sections(self) -> None:
        for box in self.sections.values():
            box.setParent(None)
            box.deleteLater()
        self.sections.clear()

    def _show(self, data: supervision.Dashboard) -> None:
        current = self.worker_box.currentData()
        self.worker_box.blockSignals(True)
        self.worker_box.clear()
        self.worker_box.addItem(self.tr("All workers"), None)
        for owner, label in data.workers:
            self.worker_box.addItem(label, owner)
        self.select_worker(current)
        self.worker_box.blockSignals(False)
        team = self.team_box.currentData()
        self.team_box.clear()
        self.team_box.addItem(self.tr("All teams"), None)
        for label, members in data.teams:
            self.team_box.addItem(label, (label, members))
        self.select_team(team[0] if team else None)
        self.team_box.setVisible(bool(data.teams))
        self.report = data.report
        self._clear_sections()
        for section in data.report.sections:
            box = SectionBox(section, self.body)
            self.sections[section.key] = box
            self.body_layout.addWidget(box)
        as_of = data.report.data_as_of
        period = Period.parse(data.report.period_label).words
        if as_of is None:  # a new supervisor's vault: where the data comes from
            self.as_of_label.setText(
                self.tr("{scope}, {period}. No data yet: File › Import a bundle… brings your "
                        "workers' bundles in.").format(
                    scope=data.report.scope_label, period=period)
            )  # fmt: skip
            return
        self.as_of_label.setText(
            self.tr("{scope}, {period}. Data as of {when} (the earliest of the workers' "
                    "dates; see 'Data as of' below).").format(
                scope=data.report.scope_label, period=period,
                when=as_of.strftime("%d %b %Y %H:%M"),
            )
        )  # fmt: skip
