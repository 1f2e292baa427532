"""Ask whose record to write to, with the caseload's quick filter (never the last one viewed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import lists
from linksdesk.casework.dto import CaseloadQuery, CaseloadRow
from linksdesk.ui.dialog_kit import OK_CANCEL, answered, button_box
from linksdesk.ui.models.table import Column, RecordTableModel
from linksdesk.ui.widgets import refresh_after_typing

if TYPE_CHECKING:
    from linksdesk.casework.casebook import Casebook
    from linksdesk.ui.session import UiSession

SHOWN = 50


def find_people(cb: Casebook, text: str) -> tuple[list[CaseloadRow], frozenset[str]]:
    """Runs on the DB thread: the first matches of the caseload's quick filter, and which
    people are read-only copies (a handed-over case cannot be written to)."""
    ids = lists.caseload_ids(cb, CaseloadQuery(text=text.strip(), limit=SHOWN))
    return lists.caseload_rows(cb, ids[:SHOWN]), cb.read_only_participants()


class PersonChooser(QDialog):
    """Type part of a name or programme id, then Enter (or Down to pick from the list).
    Made with what it asks, then ``asked()`` runs it."""

    def __init__(
        self,
        session: UiSession,
        action: str,
        parent: QWidget | None = None,
        intro: str = "",
        *,
        other_than: str | None = None,
    ) -> None:
        super().__init__(parent)
        tr = self.tr
        self.session = session
        # someone other than the participant ``other_than`` (a note moved out of their record):
        # they are not offered, and nobody is chosen until a name is typed, so Enter at once
        # moves nothing into the first record of the caseload
        self.other_than = other_than
        self.read_only: frozenset[str] = frozenset()
        self._seq = 0
        self.setWindowTitle(tr("{action} — who is it for?").format(action=action))
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        said = QLabel(
            intro or tr("No participant's record is open. Choose whose record this is for.")
        )
        said.setWordWrap(True)
        layout.addWidget(said)
        self.filter_edit = QLineEdit()
        self.filter_edit.setAccessibleName(tr("Quick filter"))
        self.filter_edit.setPlaceholderText(tr("Filter by name or programme id"))
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        self.model: RecordTableModel[CaseloadRow] = RecordTableModel(
            [Column(tr("Participant"), lambda r: f"{r.display_name} ({r.programme_id})")],
            id_of=lambda r: r.participant_id,
            parent=self,
        )
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setAccessibleName(tr("Matching participants"))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.activated.connect(self._on_list_activated)
        layout.addWidget(self.list, 1)
        self.message = QLabel()
        self.message.setAccessibleName(tr("Form message"))
        layout.addWidget(self.message)
        layout.addWidget(button_box(self, OK_CANCEL, self._choose_current))
        self.chosen: str | None = None
        self._timer = refresh_after_typing(self.filter_edit, 150, self.refresh)
        self.filter_edit.installEventFilter(self)
        self._after: Any = None
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        cb = self.session.casebook
        if cb is None:
            self.reject()
            return
        self._seq += 1
        seq = self._seq
        self.session.runner.submit(
            find_people,
            cb,
            self.filter_edit.text(),
            on_done=lambda found: self._show(seq, *found),
            on_error=lambda exc: self.message.setText(str(exc)),
        )

    def _show(self, seq: int, rows: list[CaseloadRow], read_only: frozenset[str]) -> None:
        if seq != self._seq:
            return
        self.read_only = read_only
        if self.other_than is not None:
            rows = [r for r in rows if r.participant_id != self.other_than]
        self.model.set_rows(rows)
        if rows and (self.other_than is None or self.filter_edit.text().strip()):
            self.list.setCurrentIndex(self.model.index(0, 0))
        self.message.setText("" if rows else self.tr("Nobody on the caseload matches."))
        pending, self._after = self._after, None
        if pending is not None:
            pending()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
                action = (
                    self._focus_list if event.key() == Qt.Key.Key_Down else self._choose_current
                )
                if self._timer.isActive() or self.session.runner.busy:
                    self._after = action
                    self.refresh()
                else:
                    action()
                return True
        return super().eventFilter(watched, event)

    def _focus_list(self) -> None:
        self.list.setFocus()

    def _on_list_activated(self, index: QModelIndex) -> None:
        self.list.setCurrentIndex(index)
        self._choose_current()

    def _choose_current(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid():
            self.message.setText(
                self.tr("Type part of their name or programme id, or choose them in the list.")
                if self.other_than is not None and self.model.rowCount()
                else self.tr("Choose a participant first.")
            )
            return
        row = self.model.row_at(index.row())
        if row.participant_id in self.read_only:
            self.message.setText(self.tr("This case was handed over: it can be read, not changed."))
            return
        self.chosen = row.participant_id
        self.accept()

    def asked(self) -> str | None:
        """Ask modally: the participant id chosen (never ``other_than``), or None."""
        return answered(self, lambda chooser: chooser.chosen)
