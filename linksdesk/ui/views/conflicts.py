"""The conflicts screen: both versions of a concurrently edited record, side by side, to settle."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import lists
from linksdesk.casework.casebook import Casebook
from linksdesk.core.changes import Changes
from linksdesk.core.hlc import HLC
from linksdesk.core.resources import resource_path
from linksdesk.sync import client as sync_client
from linksdesk.ui.dialogs.conflict_merge import ConflictMergeDialog
from linksdesk.ui.models.table import Column, RecordFilterProxy, RecordTableModel
from linksdesk.ui.views.common import (
    Screen,
    heading,
    list_parts,
    make_current,
    muted,
    selected_id,
    show_list,
)
from linksdesk.ui.views.rows import hbox, page_layout
from linksdesk.ui.widgets import push_button

if TYPE_CHECKING:
    from linksdesk.ui.session import UiSession

log = logging.getLogger(__name__)

# what each synced table and each sync's outcome is called on screen (words, kept as data)
SYNC_WORDS: dict[str, dict[str, str]] = json.loads(
    resource_path("words", "sync.json").read_text(encoding="utf-8")
)


@dataclass(frozen=True)
class ConflictRow:
    """One open conflict and the programme id of the participant it is about."""

    info: sync_client.ConflictInfo
    programme_id: str

    @property
    def id(self) -> str:
        return str(self.info.id)

    @property
    def participant_id(self) -> str | None:
        return self.info.participant_id  # type: ignore[no-any-return]


def load_conflicts(cb: Casebook) -> list[ConflictRow]:
    """On the DB thread: open conflicts with programme ids (no names: the list is glanceable)."""
    conflicts = sync_client.list_conflicts(cb)
    pids = [c.participant_id for c in conflicts if c.participant_id]
    programme = {r.participant_id: r.programme_id for r in lists.caseload_rows(cb, pids)}
    return [ConflictRow(c, programme.get(c.participant_id or "", "")) for c in conflicts]


def local_time(value: str | dt.datetime | None) -> dt.datetime | None:
    """A clock (HLC text) or a naive UTC time, as this computer's local time."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        utc = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return utc.astimezone()
    try:
        wall_ms = HLC.decode(value).wall_ms
    except ValueError:
        return None
    return dt.datetime.fromtimestamp(wall_ms / 1000, tz=dt.UTC).astimezone()


def when_text(value: str | dt.datetime | None) -> str:
    local = local_time(value)
    if local is None:
        return ""
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


def record_name(table: str) -> str:
    """What a synced table is called on screen; anything else shows its own name, tidied."""
    return SYNC_WORDS["record_names"].get(table, table.replace("_", " ").capitalize())


def record_text(table: str, field: str) -> str:
    """Which record and detail, in plain words: "Case note" or "Participant details: risk"."""
    record = record_name(table)
    if table == "note_revision" or field in ("", "body"):
        return record
    return f"{record}: {field.replace('_', ' ')}"


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


class ConflictsView(Screen):
    """Open conflicts; the selected one shown as this laptop's and the server's versions.

    Settling runs ``resolve_conflict`` on the DB thread; the result is an ordinary change,
    so it goes to the server on the next sync and closes the conflict on every device.
    """

    sig_count = Signal(int)  # open conflicts after each load

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        self.setAccessibleName(tr("Conflicts to resolve"))
        self.model: RecordTableModel[ConflictRow] = RecordTableModel(
            [
                Column(tr("Participant"), lambda r: r.programme_id or tr("(no participant)")),
                Column(tr("Record"), lambda r: record_text(r.info.table, r.info.field)),
                Column(
                    tr("Found"),
                    lambda r: when_text(r.info.detected_at),
                    sort=lambda r: r.info.detected_at,
                ),
            ],
            id_of=lambda r: r.id,
            parent=self,
        )
        self.proxy = RecordFilterProxy(self, self.model)
        self.table, self.empty = list_parts(
            self.proxy, tr("Conflicts"), tr("No conflicts to resolve.")
        )
        self.table.setMinimumHeight(120)

        self.title = heading(tr("Conflicts to resolve"))
        self.refresh_button = push_button(tr("Refresh"), tr("Refresh the conflicts"), self.refresh)
        self.intro = muted(
            tr(
                "The same record was changed on this laptop and elsewhere before they synced. "
                "Both versions are kept until you choose; your choice goes to the server on "
                "the next sync and settles it on every device."
            )
        )

        self.detail = QFrame()
        self.detail.setAccessibleName(tr("Both versions"))
        self.what = heading("", level=2)
        self.mine_label = QLabel(tr("On this laptop"))
        self.theirs_label = QLabel(tr("From the server"))
        for lab in (self.mine_label, self.theirs_label):
            font = lab.font()
            font.setBold(True)
            lab.setFont(font)
        self.mine_clock = muted("")
        self.theirs_clock = muted("")
        self.mine_text = QPlainTextEdit()
        self.mine_text.setReadOnly(True)
        self.mine_text.setAccessibleName(tr("Version on this laptop"))
        self.theirs_text = QPlainTextEdit()
        self.theirs_text.setReadOnly(True)
        self.theirs_text.setAccessibleName(tr("Version from the server"))
        self.mine_label.setBuddy(self.mine_text)
        self.theirs_label.setBuddy(self.theirs_text)
        self.keep_mine_button = push_button(
            tr("Keep this laptop's"),
            tr("Keep the version on this laptop"),
            lambda: self.resolve("mine"),
        )
        self.keep_theirs_button = push_button(
            tr("Keep the server's"),
            tr("Keep the version from the server"),
            lambda: self.resolve("theirs"),
        )
        self.merge_button = push_button(
            tr("Merge…"), tr("Merge both versions by editing"), self.merge
        )
        self.open_button = push_button(
            tr("Open record"), tr("Open the participant's record"), self._on_open_clicked
        )
        self.action_buttons = [
            self.keep_mine_button,
            self.keep_theirs_button,
            self.merge_button,
            self.open_button,
        ]

        grid = QGridLayout()
        grid.addWidget(self.mine_label, 0, 0)
        grid.addWidget(self.theirs_label, 0, 1)
        grid.addWidget(self.mine_clock, 1, 0)
        grid.addWidget(self.theirs_clock, 1, 1)
        grid.addWidget(self.mine_text, 2, 0)
        grid.addWidget(self.theirs_text, 2, 1)
        grid.addWidget(self.keep_mine_button, 3, 0)
        grid.addWidget(self.keep_theirs_button, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 8, 0, 0)
        detail_layout.addWidget(self.what)
        detail_layout.addLayout(grid, 1)
        detail_layout.addLayout(hbox(self.merge_button, self.open_button, None))

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table)
        upper_layout.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = page_layout(self, self.title, None, self.refresh_button)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.setFocusProxy(self.table)
        self._show_detail(None)
        self._on_model_reset()

    # -- contract -----------------------------------------------------------------------
    def refresh(self) -> None:
        self.run(load_conflicts, on_done=self._show)

    def on_changes(self, changes: Changes) -> None:
        if changes.initiator is self:
            return  # settled here: _on_resolved has refreshed the list already
        # a sync, a conflict settled elsewhere or an edited note can change the list
        self.reload_for(changes)

    def clear(self) -> None:
        super().clear()
        self.model.clear()
        self._show_detail(None)

    # -- reading ------------------------------------------------------------------------
    def current(self) -> ConflictRow | None:
        cid = selected_id(self.table)
        if cid is None:
            return None
        row = self.model.row_of_id(cid)
        return self.model.row_at(row) if row >= 0 else None

    def select(self, conflict_id: str) -> bool:
        index = make_current(self.table, self.proxy, conflict_id)
        if index is not None:
            self.table.selectRow(index.row())
        return index is not None

    def _show(self, rows: list[ConflictRow]) -> None:
        keep = self.current()
        self.model.set_rows(rows)
        if rows and not (keep is not None and self.select(keep.id)):
            self.table.selectRow(0)
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.sig_count.emit(len(rows))

    def _on_model_reset(self) -> None:
        rows = self.model.rowCount()
        self.title.setText(
            self.tr("Conflicts to resolve ({n})").format(n=rows)
            if rows
            else self.tr("Conflicts to resolve")
        )
        show_list(self.table, self.empty, rows)
        if not rows:
            self._show_detail(None)

    def _on_current_changed(self, *_args: Any) -> None:
        self._show_detail(self.current())

    def _show_detail(self, row: ConflictRow | None) -> None:
        for button in self.action_buttons:
            button.setEnabled(row is not None)
        self.detail.setVisible(row is not None)
        if row is None:
            self.what.setText("")
            self.what.setAccessibleName("")
            self.mine_text.clear()
            self.theirs_text.clear()
            self.mine_clock.setText("")
            self.theirs_clock.setText("")
            return
        info = row.info
        who = row.programme_id or self.tr("no participant")
        self.what.setText(f"{record_text(info.table, info.field)} · {who}")
        self.what.setAccessibleName(self.what.text())
        self.mine_text.setPlainText(value_text(info.mine))
        self.theirs_text.setPlainText(value_text(info.theirs))
        self.mine_clock.setText(self.tr("Changed {when}").format(when=when_text(info.mine_hlc)))
        self.theirs_clock.setText(self.tr("Changed {when}").format(when=when_text(info.theirs_hlc)))
        self.open_button.setEnabled(bool(info.participant_id))

    # -- settling -----------------------------------------------------------------------
    def resolve(self, choice: str, merged: Any = None) -> None:
        row = self.current()
        if row is None:
            return
        for button in self.action_buttons:
            button.setEnabled(False)
        # only ids are logged: the versions may hold note text
        log.info("settling conflict %s with %s", row.id, choice)
        self.run(
            sync_client.resolve_conflict,
            row.id,
            choice,
            merged,
            on_done=self._on_resolved,
            on_error=self._on_resolve_failed,
        )

    def merge(self) -> None:
        row = self.current()
        if row is None:
            return
        text = ConflictMergeDialog.ask(
            value_text(row.info.mine),
            value_text(row.info.theirs),
            record_text(row.info.table, row.info.field),
            self,
        )
        now = self.current()
        if text is None or now is None or now.id != row.id:
            return  # cancelled, or the list changed (a sync) while the editor was open
        self.resolve("merged", text)

    def _on_resolved(self, _changes: Any) -> None:
        self.message.show_message(
            self.tr("Settled. Your choice goes to the server on the next sync."), "success"
        )
        self.refresh()

    def _on_resolve_failed(self, exc: BaseException) -> None:
        self.show_problem(exc)
        self.refresh()

    def _on_open_clicked(self) -> None:
        row = self.current()
        if row is not None and row.participant_id:
            self.sig_open_participant.emit(row.participant_id)
