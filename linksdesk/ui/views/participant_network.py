"""The Network tab: family, friends, neighbours, groups and services around the person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout

from linksdesk.casework import relationships
from linksdesk.casework.dto import Relationship
from linksdesk.ui.dialog_kit import ask_yes_no
from linksdesk.ui.dialogs.record import RelationshipDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.views.common import make_current, make_table
from linksdesk.ui.views.record_tab import RecordTabBase, Translate
from linksdesk.ui.views.rows import hbox
from linksdesk.ui.widgets import push_button

if TYPE_CHECKING:
    from linksdesk.casework.record import RecordData


class NetworkTab(RecordTabBase):
    def _build(self, tr: Translate) -> None:
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
        self.add_button = push_button(
            tr("Add to network…"), tr("Add someone to the network"), self.add
        )
        self.edit_button = push_button(tr("Edit…"), tr("Edit the selected relationship"), self.edit)
        self.remove_button = push_button(
            tr("Remove"), tr("Remove the selected relationship"), self.remove
        )
        self.editing_buttons = (self.add_button, self.edit_button, self.remove_button)
        layout.addLayout(hbox(*self.editing_buttons, None))
        self.table = make_table(self.proxy, tr("Network"))
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 100)
        layout.addWidget(self.table, 1)
        self.table.activated.connect(lambda _i: self.edit())

    def show_record(self, data: RecordData) -> None:
        self.model.set_rows(data.relationships)

    def clear(self) -> None:
        self.model.clear()

    def add(self) -> None:
        self.add_to_record(RelationshipDialog.ask, relationships.add_relationship, "kind", "name")

    def edit_id(self, relationship_id: str) -> None:
        """Edit… for ``relationship_id`` (an edit kept at a lock, taken up)."""
        if make_current(self.table, self.proxy, relationship_id) is not None:
            self.edit()

    def edit(self) -> None:
        rel: Relationship | None = self.chosen(self.table, self.tr("someone"))
        if rel is None:
            return
        values = RelationshipDialog.ask(self, rel)
        if values:
            self.view.write(relationships.edit_relationship, rel.id, **values)

    def remove(self) -> None:
        """Remove the person or service chosen, once the worker has said yes: what was
        written about them (their phone, the detail) goes with them."""
        rel: Relationship | None = self.chosen(self.table, self.tr("someone"))
        if rel is None:
            return
        if ask_yes_no(
            self,
            self.tr("Remove from the network?"),
            self.tr(
                "Remove {name} ({kind}) from the network? What is written about them goes too."
            ).format(name=rel.name, kind=rel.kind.label.lower()),
        ):
            self.view.write(relationships.remove_relationship, rel.id)
