"""The Resources screen: the community resource directory, its demand, CSV import and export."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QProgressBar,
    QWidget,
)

from linksdesk.casework import resources
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Resource, ResourceDemand
from linksdesk.core.changes import Changes
from linksdesk.core.item_words import counted
from linksdesk.core.vocab import ResourceCapacity
from linksdesk.ui.dialogs.resource import ImportReportDialog, ResourceDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.session import UiSession
from linksdesk.ui.views.common import Screen, heading, make_table, relevant, weeks_ago
from linksdesk.ui.views.rows import (
    buddy,
    choice_box,
    hbox,
    page_layout,
    push_buttons,
    search_field,
)
from linksdesk.ui.widgets import push_button

# A resource that got this many onward referrals in 30 days, or any while full or with a
# waiting list, is flagged: links workers then spread people across other resources.
OVERWHELMED_30_DAYS = 5
STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class DirectoryRow:
    """One resource with its demand, as the directory table shows it."""

    resource: Resource
    last_30_days: int
    last_90_days: int
    today: dt.date

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def overwhelmed(self) -> bool:
        busy = self.resource.capacity in (ResourceCapacity.FULL, ResourceCapacity.WAITING_LIST)
        return self.last_30_days >= OVERWHELMED_30_DAYS or (busy and self.last_30_days > 0)

    @property
    def stale(self) -> bool:
        lv = self.resource.last_verified
        return lv is None or (self.today - lv).days > STALE_AFTER_DAYS


def load_directory(cb: Casebook, today: dt.date) -> list[DirectoryRow]:
    """Runs on the DB thread: resources joined with their 30/90-day demand."""
    demand: dict[str, ResourceDemand] = {
        d.resource_id: d for d in resources.resource_demand(cb, today=today)
    }
    rows = []
    for r in resources.list_resources(cb):
        d = demand.get(r.id)
        rows.append(DirectoryRow(r, d.last_30_days if d else 0, d.last_90_days if d else 0, today))
    return rows


class ResourcesView(Screen):
    """Search the directory; add, edit, verify; import and export CSV with progress; refer
    someone to the selected resource (the window asks whom and opens their record)."""

    sig_refer = Signal(str)  # the resource's id

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        self.setAccessibleName(tr("Resources"))
        self.model: RecordTableModel[DirectoryRow] = RecordTableModel(
            [
                Column(tr("Organisation"), lambda r: r.resource.organisation),
                Column(tr("Service"), lambda r: r.resource.service),
                Column(tr("Categories"), lambda r: ", ".join(r.resource.categories)),
                Column(tr("Area"), lambda r: r.resource.area or ""),
                Column(tr("Capacity"), lambda r: r.resource.capacity.label),
                Column(
                    tr("Last verified"),
                    lambda r: (
                        (weeks_ago(r.resource.last_verified, r.today) or tr("Never"))
                        + ("  ⚠" if r.stale else "")
                    ),
                    sort=lambda r: r.resource.last_verified,
                    tooltip=lambda r: tr("Not checked for over six months") if r.stale else None,
                ),
                Column(tr("30 days"), lambda r: r.last_30_days, align_right=True),
                Column(tr("90 days"), lambda r: r.last_90_days, align_right=True),
                Column(
                    tr("Demand"),
                    lambda r: tr("⚠ Overwhelmed") if r.overwhelmed else "",
                    sort=lambda r: (r.overwhelmed, r.last_30_days),
                    tooltip=lambda r: (
                        tr(
                            "Many onward referrals lately, or referrals while it is full: "
                            "consider other resources."
                        )
                        if r.overwhelmed
                        else None
                    ),
                ),
            ],
            parent=self,
        )
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.count_label = QLabel()
        layout = page_layout(self, heading(tr("Resource directory")), None, self.count_label)
        layout.addWidget(self.message)
        self.search_edit = search_field(
            tr("Search organisation, service, category, area…"), tr("Search the directory")
        )
        self.category_box = choice_box(tr("Category"), [(tr("All categories"), None)])
        layout.addLayout(
            hbox(
                buddy(tr("&Search:"), self.search_edit),
                (self.search_edit, 2),
                buddy(tr("&Category:"), self.category_box),
                (self.category_box, 1),
            )
        )
        self.add_button, self.edit_button, self.verify_button, self.refer_button = push_buttons(
            (tr("Add…"), tr("Add a resource"), self.add),
            (tr("Edit…"), tr("Edit the selected resource"), self.edit),
            (
                tr("Mark verified today"),
                tr("Mark the selected resource verified today"),
                self.verify,
            ),
            (
                tr("Refer someone…"),
                tr("Refer or signpost a participant to the selected resource"),
                self.refer,
            ),
        )
        # the CSV transfer's part of the row, in the order it shows
        self.progress = QProgressBar()
        self.progress.setAccessibleName(tr("Import or export progress"))
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = push_button(
            tr("Cancel"), tr("Cancel the import or export"), self.cancel_transfer
        )
        self.cancel_button.hide()
        self.import_button = push_button(
            tr("Import CSV…"), tr("Import resources from a CSV file"), self.import_csv
        )
        self.export_button = push_button(
            tr("Export CSV…"), tr("Export the directory to a CSV file"), self.export_csv
        )
        self.transfer_buttons = (self.import_button, self.export_button)  # off while one runs
        layout.addLayout(
            hbox(
                self.add_button,
                self.edit_button,
                self.verify_button,
                self.refer_button,
                None,
                self.progress,
                self.cancel_button,
                *self.transfer_buttons,
            )
        )
        self.table = make_table(self.proxy, tr("Resource directory"))
        for col, width in enumerate((190, 170, 170, 100, 90, 125, 62, 62)):
            self.table.setColumnWidth(col, width)
        self.table.activated.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.search_edit)

        self.search_edit.textChanged.connect(self._apply_filter)
        self.category_box.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self._job: Any = None
        self._wanted: str | None = None
        self._cancel_event = threading.Event()
        self.session.runner.sig_progress.connect(self._on_runner_progress)

    # -- contract -----------------------------------------------------------------------
    def refresh(self) -> None:
        self.run(load_directory, dt.date.today(), on_done=self._show)

    def on_changes(self, changes: Changes) -> None:
        if changes.initiator is self:
            return  # saved here: _own_resource (or the import's own reload) has it already
        if relevant(changes, "resource", "onward_referral", "erasure"):
            self.reload_for(changes)

    def clear(self) -> None:
        super().clear()
        self.model.clear()
        self.search_edit.clear()
        self.count_label.clear()
        self._end_transfer()

    def open_resource(self, resource_id: str) -> None:
        """Select a resource (from search); waits for the directory if it is still loading."""
        row = self.model.row_of_id(resource_id)
        if row < 0:
            self._wanted = resource_id
            return
        self.search_edit.clear()
        self.category_box.setCurrentIndex(0)
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()

    # -- actions ------------------------------------------------------------------------
    def current(self) -> Resource | None:
        index = self.table.currentIndex()
        return self.proxy.row_at(index.row()).resource if index.isValid() else None

    def add(self) -> None:
        values = ResourceDialog.ask(self)
        if values:
            self.write(resources.add_resource, **values, on_done=self._own_resource)

    def edit(self) -> None:
        r = self.current()
        if r is None:
            return
        values = ResourceDialog.ask(self, r)
        if values:
            self.write(resources.edit_resource, r.id, **values, on_done=self._own_resource)

    def verify(self) -> None:
        r = self.current()
        if r is not None:
            self.write(resources.mark_verified, r.id, on_done=self._own_resource)

    def refer(self) -> None:
        r = self.current()
        if r is None:
            self.message.show_message(self.tr("Choose a resource in the list first."), "info")
            return
        self.sig_refer.emit(r.id)

    def _own_resource(self, resource: Resource) -> None:
        """A resource saved from this screen: put it in place from the saved value rather
        than reload the directory (the change comes back with this view as initiator)."""
        rows = self.model.rows()
        at = self.model.row_of_id(resource.id)
        today = dt.date.today()
        if at >= 0:
            old = rows[at]
            rows[at] = DirectoryRow(resource, old.last_30_days, old.last_90_days, today)
        else:
            rows.append(DirectoryRow(resource, 0, 0, today))  # new: no referrals yet
            self._wanted = resource.id  # shown and selected, whatever the filter was
        # the directory's own order (list_resources): organisation, then service
        rows.sort(key=lambda r: (r.resource.organisation.lower(), r.resource.service.lower()))
        self._show(rows)

    @classmethod
    def ask_import_path(cls, parent: QWidget | None) -> Path | None:
        path, _f = QFileDialog.getOpenFileName(
            parent, parent.tr("Import resources") if parent else "", "", "CSV files (*.csv)"
        )
        return Path(path) if path else None

    @classmethod
    def ask_export_path(cls, parent: QWidget | None) -> Path | None:
        path, _f = QFileDialog.getSaveFileName(
            parent,
            parent.tr("Export resources") if parent else "",
            "resources.csv",
            "CSV files (*.csv)",
        )
        return Path(path) if path else None

    def import_csv(self) -> None:
        path = self.ask_import_path(self)
        work = self.tr("the import of the resource directory")
        self._transfer(resources.import_resources_csv, path, self._on_imported, work)

    def export_csv(self) -> None:
        path = self.ask_export_path(self)
        work = self.tr("the export of the resource directory to {file}").format(file=path)
        self._transfer(resources.export_resources_csv, path, self._on_exported, work)

    def cancel_transfer(self) -> None:
        self._cancel_event.set()

    # -- internals ----------------------------------------------------------------------
    def _show(self, rows: list[DirectoryRow]) -> None:
        current = self.current()
        self.model.set_rows(rows)
        categories = sorted({c for r in rows for c in r.resource.categories}, key=str.lower)
        chosen = self.category_box.currentData()
        self.category_box.blockSignals(True)
        self.category_box.clear()
        self.category_box.addItem(self.tr("All categories"), None)
        for c in categories:
            self.category_box.addItem(c, c)
        self.category_box.setCurrentIndex(max(self.category_box.findData(chosen), 0))
        self.category_box.blockSignals(False)
        self._apply_filter()
        busy = sum(r.overwhelmed for r in rows)
        text = counted("resource", len(rows))
        if busy:
            text += " — " + self.tr("{n} overwhelmed").format(n=busy)
        self.count_label.setText(text)
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            self.open_resource(wanted)
        elif current is not None:
            row = self.model.row_of_id(current.id)
            if row >= 0:
                self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))

    def _apply_filter(self) -> None:
        category = self.category_box.currentData()
        self.proxy.set_predicate(
            (lambda r: category in r.resource.categories) if category else None
        )
        self.proxy.set_words(self.search_edit.text())

    def _transfer(
        self,
        use_case: Callable[..., Any],
        path: Path | None,
        on_done: Callable[[Any], None],
        work: str,
    ) -> None:
        """Import or export the CSV at ``path`` (None: the person cancelled) on the DB thread,
        showing its progress and a Cancel button; ``work`` (what it is) is said after the
        next unlock if a lock stops it."""
        if path is None:
            return
        self._cancel_event = threading.Event()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        for button in self.transfer_buttons:
            button.setEnabled(False)
        self._job = self.write(
            use_case,
            path,
            cancel=self._cancel_event.is_set,
            with_progress=True,
            work=work,
            on_done=on_done,
            on_error=self._on_transfer_failed,
        )

    def _end_transfer(self) -> None:
        self._job = None
        self.progress.hide()
        self.cancel_button.hide()
        for button in self.transfer_buttons:
            button.setEnabled(True)

    def _on_runner_progress(self, job_id: int, done: int, total: int) -> None:
        if self._job is not None and job_id == self._job.id:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

    def _on_imported(self, report: Any) -> None:
        self._end_transfer()
        self.refresh()  # many rows: reload once here (the change's initiator is this view)
        self.last_report = report
        if report.ok:
            self.message.show_message(
                self.tr("Imported: {a} added, {u} updated.").format(
                    a=report.added, u=report.updated
                ),
                "success",
            )
        self.show_import_report(report)

    def show_import_report(self, report: Any) -> None:
        """The report dialog; tests replace it."""
        if not report.ok:
            ImportReportDialog.show_report(self, report)

    def _on_exported(self, report: Any) -> None:
        self._end_transfer()
        if report.cancelled:
            self.message.show_message(self.tr("The export was cancelled."), "info")
        else:
            self.message.show_message(
                self.tr("Exported {resources}.").format(
                    resources=counted("resource", report.written)
                ),
                "success",
            )

    def _on_transfer_failed(self, exc: BaseException) -> None:
        self._end_transfer()
        self.show_problem(exc)
