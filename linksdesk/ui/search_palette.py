"""Ctrl+K: full-text search over participants, notes, goals and resources; Enter opens a hit."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import lists
from linksdesk.casework import search as search_uc
from linksdesk.casework.dto import SearchHit
from linksdesk.ui.icons import icon
from linksdesk.ui.models.table import HeldRows, read_only_flags
from linksdesk.ui.runner import is_expected
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import name_field_buttons, refresh_after_typing

if TYPE_CHECKING:
    from linksdesk.casework.casebook import Casebook

AnyIndex = QModelIndex | QPersistentModelIndex

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_HTML_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_HTML_ROLE = Qt.ItemDataRole.UserRole + 3

_KIND_ICONS = {
    "participant": "participant",
    "note": "note",
    "goal": "goal",
    "resource": "resources",
}


def highlight_html(text: str) -> str:
    """Storage's match markers (\\x02…\\x03) as bold, everything else escaped."""
    start, end = search_uc.HIGHLIGHT_START, search_uc.HIGHLIGHT_END
    out: list[str] = []
    inside = False
    for part in _split_markers(text, start, end):
        if part == start:
            if not inside:
                out.append("<b>")
                inside = True
        elif part == end:
            if inside:
                out.append("</b>")
                inside = False
        else:
            out.append(html.escape(part))
    if inside:  # a snippet may be cut between the markers
        out.append("</b>")
    return "".join(out)


def plain_text(text: str) -> str:
    return text.replace(search_uc.HIGHLIGHT_START, "").replace(search_uc.HIGHLIGHT_END, "")


def _split_markers(text: str, start: str, end: str) -> list[str]:
    parts: list[str] = []
    buf = ""
    for ch in text:
        if ch in (start, end):
            if buf:
                parts.append(buf)
                buf = ""
            parts.append(ch)
        else:
            buf += ch
    if buf:
        parts.append(buf)
    return parts


@dataclass(frozen=True)
class PaletteHit:
    """A search hit and, for notes and goals, who they are about."""

    hit: SearchHit
    person: str = ""

    @property
    def kind(self) -> str:
        return self.hit.kind


def run_search(cb: Casebook, text: str, limit: int = 50) -> list[PaletteHit]:
    """On the DB thread: the hits, plus the name of the person a note or goal is about."""
    hits = search_uc.search(cb, text, limit=limit)
    ids = sorted({h.participant_id for h in hits if h.kind != "participant" and h.participant_id})
    names: dict[str, str] = {}
    if ids:
        for row in lists.caseload_rows(cb, ids):
            names[row.participant_id] = f"{row.display_name} ({row.programme_id})"
    return [
        PaletteHit(h, names.get(h.participant_id or "", "") if h.kind != "participant" else "")
        for h in hits
    ]


class SearchResultsModel(QAbstractListModel, HeldRows[PaletteHit]):
    """The hits of one search, best first. Holds DTOs only; never searches itself."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind_labels = {
            "participant": self.tr("Participant"),
            "note": self.tr("Case note"),
            "goal": self.tr("Goal"),
            "resource": self.tr("Resource"),
        }

    def set_hits(self, hits: Sequence[PaletteHit]) -> None:
        self.set_rows(hits)

    def hit_at(self, row: int) -> PaletteHit | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def kind_label(self, kind: str) -> str:
        return self._kind_labels.get(kind, kind)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def title_text(self, ph: PaletteHit) -> str:
        return plain_text(ph.hit.title) or ph.person or self.kind_label(ph.kind)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        ph = self.hit_at(index.row())
        if ph is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.title_text(ph)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            parts = [self.kind_label(ph.kind), self.title_text(ph)]
            if ph.person:
                parts.append(ph.person)
            if ph.hit.snippet:
                parts.append(plain_text(ph.hit.snippet))
            return " — ".join(parts)
        if role == Qt.ItemDataRole.DecorationRole:
            return icon(_KIND_ICONS.get(ph.kind, "search"))
        if role == HIT_ROLE:
            return ph
        if role == TITLE_HTML_ROLE:
            if ph.hit.title:
                return highlight_html(ph.hit.title)
            # a case note has no title of its own: name the person it is about
            return html.escape(ph.person or self.kind_label(ph.kind))
        if role == DETAIL_HTML_ROLE:
            detail = [html.escape(self.kind_label(ph.kind))]
            if ph.person and ph.hit.title:
                detail.append(html.escape(ph.person))
            text = " · ".join(detail)
            if ph.hit.snippet:
                text += " — " + highlight_html(ph.hit.snippet)
            return text
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return read_only_flags(index)


class HitDelegate(QStyledItemDelegate):
    """Draws a hit as two lines of rich text: the title, then kind, person and snippet."""

    _PAD = 6
    _ICON = 20

    def _document(
        self, option: QStyleOptionViewItem, index: AnyIndex, selected: bool
    ) -> QTextDocument:
        palette = option.palette
        role_fg = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        fg = palette.color(role_fg).name()
        muted = fg if selected else palette.color(QPalette.ColorRole.PlaceholderText).name()
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        doc.setHtml(
            f'<div style="color:{fg}">{index.data(TITLE_HTML_ROLE) or ""}</div>'
            f'<div style="color:{muted}">{index.data(DETAIL_HTML_ROLE) or ""}</div>'
        )
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        opt.text = ""
        painter.save()
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        rect = opt.rect.adjusted(self._PAD, self._PAD, -self._PAD, -self._PAD)
        pix = index.data(Qt.ItemDataRole.DecorationRole)
        if pix is not None:
            pix.paint(painter, rect.left(), rect.top() + 1, self._ICON, self._ICON)
        text_left = rect.left() + self._ICON + self._PAD * 2
        doc = self._document(opt, index, selected)
        doc.setTextWidth(max(10, rect.right() - text_left))
        painter.translate(text_left, rect.top())
        painter.setClipRect(QRectF(0, 0, rect.right() - text_left, rect.height()))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, line * 2 + self._PAD * 2 + 2)


class SearchPalette(QDialog):
    """A search box over the main window; results arrive from the DB thread as you type."""

    sig_open_hit = Signal(object)  # PaletteHit

    DEBOUNCE_MS = 150

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Search"))
        self.setAccessibleName(self.tr("Search"))
        self.setModal(True)
        self.setMinimumWidth(520)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(self.tr("Search for"))
        self.edit.setPlaceholderText(
            self.tr("Search participants, case notes, goals and resources")
        )
        self.edit.setClearButtonEnabled(True)
        search_action = self.edit.addAction(
            icon("search"), QLineEdit.ActionPosition.LeadingPosition
        )
        search_action.setText(self.tr("Search"))
        name_field_buttons(self.edit)
        font = self.edit.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        self.edit.setFont(font)
        self.model = SearchResultsModel(self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setUniformItemSizes(True)
        self.results.setMinimumHeight(300)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Search status"))
        hint = QLabel(self.tr("↑ ↓ to choose · Enter to open · Esc to close"), self)
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 10)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        row = QVBoxLayout()
        row.addWidget(self.status)
        row.addWidget(hint)
        layout.addLayout(row)

        self._seq = 0
        self._shown = 0  # the search whose hits are in the list
        # Enter pressed before the hits of the words typed were in: opened when they are
        self._open_when_found = False
        self._timer = refresh_after_typing(self.edit, self.DEBOUNCE_MS, self.search_now)
        self.edit.textChanged.connect(self._typed)
        self.edit.installEventFilter(self)
        self.results.activated.connect(self._on_results_activated)
        self.session.sig_locked.connect(self.clear)
        self._set_status(self.tr("Type to search."))

    # -- searching ------------------------------------------------------------------------
    def search_now(self) -> None:
        self._timer.stop()
        text = self.edit.text().strip()
        self._seq += 1
        seq = self._seq
        if not text or not self.session.is_unlocked:
            self._shown = seq
            self._open_when_found = False
            self.model.clear()
            self._set_status(self.tr("Type to search."))
            return
        self._set_status(self.tr("Searching…"))
        self.session.call(
            run_search,
            text,
            on_done=lambda hits: self._on_hits(seq, hits),
            on_error=lambda exc: self._on_failed(seq, exc),
        )

    def _on_hits(self, seq: int, hits: list[PaletteHit]) -> None:
        if seq != self._seq:
            return  # an older search finished after a newer one started
        self._shown = seq
        self.model.set_hits(hits)
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
            count = len(hits)
            self._set_status(
                self.tr("1 match.") if count == 1 else self.tr("{n} matches.").format(n=count)
            )
        else:
            self._set_status(self.tr("No matches."))
        if self._open_when_found:
            self._open_when_found = False
            self.open_current()

    def _on_failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            self._shown = seq
            self._open_when_found = False
            self.model.clear()
            # only messages meant for people are shown; a bug goes to the crash dialog
            self._set_status(str(exc) if is_expected(exc) else self.tr("The search failed."))

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleDescription(text)

    # -- keys and opening -----------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(Qt.Key(key))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: Qt.Key) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        row = self.results.currentIndex().row()
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8}.get(key, -8)
        row = min(rows - 1, max(0, (row if row >= 0 else -1) + step))
        self.results.setCurrentIndex(self.model.index(row, 0))

    def _on_results_activated(self, index: QModelIndex) -> None:
        self.results.setCurrentIndex(index)
        self.open_current()

    def _typed(self, _text: str) -> None:
        self._open_when_found = False  # typing on after Enter: Enter again opens

    def open_current(self) -> None:
        if self._timer.isActive():
            self.search_now()  # a name and Enter typed in one go: searched now
        if self._shown != self._seq:
            # the hits in the list are of the words typed before: Enter opens the best hit
            # of these words once it is found (a tired Enter did nothing, or opened the
            # person found last time)
            self._open_when_found = True
            return
        ph = self.model.hit_at(self.results.currentIndex().row())
        if ph is None:
            return
        self.accept()
        self.sig_open_hit.emit(ph)

    # -- showing and clearing -------------------------------------------------------------
    def popup(self) -> None:
        """Show over the top of the parent window with the box focused and its text selected."""
        parent = self.parentWidget()
        if parent is not None:
            width = max(self.minimumWidth(), min(720, int(parent.width() * 0.6)))
            self.resize(width, max(self.sizeHint().height(), 420))
            top_left = parent.mapToGlobal(parent.rect().topLeft())
            self.move(top_left.x() + (parent.width() - width) // 2, top_left.y() + 60)
        self.show()
        self.raise_()
        self.activateWindow()
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def clear(self) -> None:
        """Drop the query and the hits (on lock)."""
        self._timer.stop()
        self._seq += 1
        self._shown = self._seq
        self._open_when_found = False
        self.edit.blockSignals(True)
        self.edit.clear()
        self.edit.blockSignals(False)
        self.model.clear()
        self._set_status(self.tr("Type to search."))
        self.reject()
