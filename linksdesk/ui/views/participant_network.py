"""The Network tab: family, friends, neighbours, groups and services around the person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from linksdesk.casework import relationships
from linksdesk.casework.dto import Relationship
from linksdesk.ui.dialogs.record import RelationshipDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.views.common import make_table
from linksdesk.ui.widgets import push_button

if TYPE_CHECKING:
    from linksdesk.casework.record import RecordData
    from linksdesk.ui.views.record_host import RecordHost


class NetworkTab(QWidget):
    def __init__(self, view: RecordHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        self.view = view
        self.setAccessibleName(tr("Network"))
        self.model: RecordTableModel[Relationship] = RecordTableModel(
            [
                Column(tr("Name"), lambda r: r.name),
                Column(tr("Kind"), lambda r: r.kind.label),
                Column(tr("Supportive"), lambda r: tr("Yes") if r.supportive else tr("No")),
                Column(tr("Phone"), lambda r: r.phone or ""),
                Column(tr("Detail"), lambda r: r.detail or ""),
            ],
            parent=self,
        )
        self.proxy = RecordFilterProxy(self, self.model)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = push_button(
            tr("Add to network…"), tr("Add someone to the network"), self.add
        )
        self.edit_button = push_button(tr("Edit…"), tr("Edit the selected relationship"), self.edit)
        self.remove_button = push_button(
            tr("Remove"), tr("Remove the selected relationship"), self.remove
        )
        for b in (self.add_button, self.edit_button, self.remove_button):
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = make_table(self.proxy, tr("Network"))
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 100)
        layout.addWidget(self.table, 1)
        self.table.activated.connect(lambda _i: self.edit())

    def show_record(self, data: RecordData) -> None:
        self.model.set_rows(data.relationships)

    def clear(self) -> None:
        self.model.clear()

    def set_read_only(self, read_only: bool) -> None:
        for b in (self.add_button, self.edit_button, self.remove_button):
            b.setEnabled(not read_only)

    def current(self) -> Relationship | None:
        index = self.table.currentIndex()
        return self.proxy.row_at(index.row()) if index.isValid() else None

    def add(self) -> None:
        pid = self.view.participant_id
        if pid is None or not self.view.editable():
            return
        values = RelationshipDialog.ask(self)
        if values:
            kind, name = values.pop("kind"), values.pop("name")
            self.view.write(relationships.add_relationship, pid, kind, name, **values)

    def edit(self) -> None:
        rel = self.current()
        if rel is None or not self.view.editable():
            return
        values = RelationshipDialog.ask(self, rel)
        if values:
            self.view.write(relationships.edit_relationship, rel.id, **values)

    def remove(self) -> None:
        rel = self.current()
        if rel is not None and self.view.editable():
            self.view.write(relationships.remove_relationship, rel.id)
