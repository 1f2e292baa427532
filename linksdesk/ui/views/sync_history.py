"""The Sync page: what needs the worker's attention (changes the server refused, and what the
other laptop's changes need looked at) and the history of syncs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from linksdesk.casework import merging
from linksdesk.casework.casebook import Casebook
from linksdesk.core.changes import Changes
from linksdesk.core.item_words import counted
from linksdesk.sync import client as sync_client
from linksdesk.sync.same_person import is_forgotten_entry
from linksdesk.ui.dialog_kit import ask_yes_no
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.views.common import Screen, heading, list_parts, muted, selected_id, show_list
from linksdesk.ui.views.conflicts import SYNC_WORDS, record_name, when_text
from linksdesk.ui.views.rows import hbox, page_layout, push_buttons
from linksdesk.ui.widgets import push_button

if TYPE_CHECKING:
    from linksdesk.ui.session import UiSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncPageData:
    """What the Sync page shows, loaded in one job."""

    status: sync_client.SyncStatus
    attention: list[sync_client.AttentionItem]  # newest first
    history: list[sync_client.SyncHistoryEntry]  # newest first


def load_sync_page(cb: Casebook, limit: int = 50) -> SyncPageData:
    """On the DB thread."""
    return SyncPageData(
        status=sync_client.sync_status(cb),
        attention=sync_client.list_attention(cb),
        history=sync_client.sync_history(cb, limit=limit),
    )


def outcome_text(outcome: str) -> str:
    return SYNC_WORDS["sync_outcomes"].get(outcome, outcome.capitalize())


class SyncView(Screen):
    """Two lists: refused changes with the server's reason (each can be dismissed) and syncs."""

    sig_sync_now = Signal()
    sig_open_conflicts = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        self.setAccessibleName(tr("Sync"))
        self.attention_model: RecordTableModel[sync_client.AttentionItem] = RecordTableModel(
            [
                Column(tr("When"), lambda a: when_text(a.at), sort=lambda a: a.at),
                Column(
                    tr("Record"),
                    lambda a: record_name(a.table),
                ),
                Column(tr("Why"), lambda a: a.reason, tooltip=lambda a: a.reason),
            ],
            id_of=lambda a: a.change_id,
            parent=self,
        )
        self.history_model: RecordTableModel[sync_client.SyncHistoryEntry] = RecordTableModel(
            [
                Column(tr("When"), lambda h: when_text(h.started_at), sort=lambda h: h.started_at),
                Column(tr("Outcome"), lambda h: tr(outcome_text(h.outcome))),
                Column(tr("Sent"), lambda h: h.pushed, align_right=True),
                Column(tr("Received"), lambda h: h.pulled, align_right=True),
                Column(tr("Message"), lambda h: h.message, tooltip=lambda h: h.message or None),
            ],
            id_of=lambda h: h.started_at.isoformat(),
            parent=self,
        )
        self.attention_proxy = RecordFilterProxy(
            self, self.attention_model, Qt.SortOrder.DescendingOrder
        )
        self.history_proxy = RecordFilterProxy(
            self, self.history_model, Qt.SortOrder.DescendingOrder
        )

        self.title = heading(tr("Sync"))
        self.status_label = muted("")
        self.status_label.setAccessibleName(tr("Sync status"))
        self.sync_button = push_button(tr("Sync now"), tr("Sync now"), self.sig_sync_now.emit)
        self.conflicts_button = push_button(
            tr("Resolve conflicts…"),
            tr("Open the conflicts to resolve"),
            self.sig_open_conflicts.emit,
        )
        self.conflicts_button.hide()
        self.refresh_button = push_button(tr("Refresh"), tr("Refresh the sync lists"), self.refresh)

        self.attention_heading = heading(tr("Needs attention"), level=2)
        self.attention_intro = muted(
            tr(
                "Changes the server refused, and changes from your other laptop you need to "
                "look at. They do not hold up other changes; once you have dealt with one (for "
                "example by editing the record again), dismiss it."
            )
        )
        self.attention_table, self.attention_empty = list_parts(
            self.attention_proxy, tr("Needs attention"), tr("Nothing needs attention.")
        )
        self.attention_table.setWordWrap(True)
        # the selected line's reason, whole: one may say which note and what to do
        self.attention_reason = QLabel("")
        self.attention_reason.setWordWrap(True)
        self.attention_reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attention_reason.setAccessibleName(tr("Why the selected change needs attention"))
        self.attention_reason.hide()
        self.dismiss_button, self.separate_button = push_buttons(
            (tr("&Dismiss"), tr("Dismiss the selected line: you have dealt with it"), self.dismiss),
            # a record kept, recorded as the same person as a participant forgotten since: the
            # worker decides (sync/same_person.py); erasing it is Forget this participant…
            (
                tr("Not the same person after all…"),
                tr("The selected record is not the same person as the participant forgotten"),
                self.separate,
            ),
        )

        self.history_heading = heading(tr("Sync history"), level=2)
        self.history_table, self.history_empty = list_parts(
            self.history_proxy, tr("Sync history"), tr("No syncs yet.")
        )

        layout = page_layout(
            self, self.title, None, self.conflicts_button, self.sync_button, self.refresh_button
        )
        layout.addWidget(self.status_label)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        layout.addWidget(self.attention_heading)
        layout.addWidget(self.attention_intro)
        layout.addWidget(self.attention_table, 1)
        layout.addWidget(self.attention_empty)
        layout.addWidget(self.attention_reason)
        layout.addLayout(hbox(None, self.separate_button, self.dismiss_button))
        layout.addSpacing(8)
        layout.addWidget(self.history_heading)
        layout.addWidget(self.history_table, 2)
        layout.addWidget(self.history_empty)

        self.attention_model.modelReset.connect(self._update)
        self.history_model.modelReset.connect(self._update)
        sel = self.attention_table.selectionModel()
        sel.selectionChanged.connect(self._update_buttons)
        sel.currentRowChanged.connect(self._update_buttons)
        self.setFocusProxy(self.attention_table)
        self._update()

    # -- contract -----------------------------------------------------------------------
    def refresh(self) -> None:
        self.run(load_sync_page, on_done=self._show)

    def on_changes(self, changes: Changes) -> None:
        self.reload_for(changes)  # cheap (three small queries), but only when shown

    def clear(self) -> None:
        super().clear()
        self.attention_model.clear()
        self.history_model.clear()
        self.status_label.setText("")
        self.conflicts_button.hide()

    # -- actions ------------------------------------------------------------------------
    def dismiss(self) -> None:
        change_id = selected_id(self.attention_table)
        if change_id is None:
            return
        self.dismiss_button.setEnabled(False)
        self.run(sync_client.dismiss_attention, change_id, on_done=lambda _r: self.refresh())

    def _selected(self) -> sync_client.AttentionItem | None:
        change_id = selected_id(self.attention_table)
        rows = self.attention_model.rows() if change_id is not None else []
        return next((a for a in rows if a.change_id == change_id), None)

    def separate(self) -> None:
        """Not the same person after all…: the selected record, marked as the same person
        as a participant forgotten since, stands as a person of its own (nothing erased)."""
        item = self._selected()
        if item is None or not is_forgotten_entry(item.change_id, item.row_id):
            return
        if not ask_yes_no(
            self,
            self.tr("Not the same person after all?"),
            self.tr(
                "This record will stand as a person of its own, no longer recorded as the "
                "same person as the participant who was forgotten. Nothing is erased."
            ),
        ):
            return
        self.separate_button.setEnabled(False)
        self.write(merging.separate_records, item.row_id, on_done=lambda _p: self.refresh())

    # -- internals ----------------------------------------------------------------------
    def _show(self, data: SyncPageData) -> None:
        self.attention_model.set_rows(data.attention)
        self.history_model.set_rows(data.history)
        s = data.status
        waiting = (
            self.tr("1 change waiting to be sent")
            if s.waiting == 1
            else self.tr("{n} changes waiting to be sent").format(n=f"{s.waiting:,}")
        )
        if not s.enrolled:
            self.status_label.setText(
                self.tr("This laptop is not set up to sync yet (File → Set up sync…).")
            )
        else:
            parts = [self.tr("Server: {url}").format(url=s.server_url or "")]
            parts.append(waiting)
            if s.conflicts:
                conflicts = counted("conflict", s.conflicts)
                parts.append(self.tr("{conflicts} to resolve").format(conflicts=conflicts))
            self.status_label.setText(" · ".join(parts))
        self.sync_button.setEnabled(bool(s.enrolled))
        self.conflicts_button.setVisible(bool(s.conflicts))

    def _update(self) -> None:
        rows = self.attention_model.rowCount()
        self.attention_heading.setText(
            self.tr("Needs attention ({n})").format(n=rows) if rows else self.tr("Needs attention")
        )
        show_list(self.attention_table, self.attention_empty, rows)
        self.dismiss_button.setVisible(rows > 0)
        show_list(self.history_table, self.history_empty, self.history_model.rowCount())
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        self.dismiss_button.setEnabled(selected_id(self.attention_table) is not None)
        item = self._selected()
        self.attention_reason.setText(item.reason if item is not None else "")
        self.attention_reason.setVisible(item is not None)
        forgotten = item is not None and is_forgotten_entry(item.change_id, item.row_id)
        self.separate_button.setVisible(forgotten)
        self.separate_button.setEnabled(forgotten)
