"""Printing a participant's own record: the private-items question and the print preview.

The preview shows the very PDF LinksDesk produced (rendered with QtPdf from memory, never
from a file on disk), so what is printed, previewed and saved is one document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLayout,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from linksdesk.core import files
from linksdesk.core.errors import LinksDeskError
from linksdesk.reports.participant_record import counted_list
from linksdesk.ui.dialog_kit import confirm_replace_file

log = logging.getLogger(__name__)

# enough for sharp print of 8-10 pt text without making a page image of hundreds of MB
MAX_RENDER_DPI = 300


def write_owner_only(path: Path, data: bytes) -> None:
    """Write a document holding personal data so that only its owner can read it, whole or
    not at all: a full or pulled-out memory stick leaves an older file of the name as it
    was (the file dialog asked before replacing it) and no PDF cut short."""
    files.write_whole(path, data, what="The document", replace=True)


def save_pdf_as(
    parent: QWidget,
    title: str,
    suggested: str,
    save: Callable[[Path], Any],
    kept: Callable[[Path], Any] | None = None,
) -> None:
    """Ask where to save a PDF (``suggested`` in the home folder), then ``save`` it there.

    A name typed without ".pdf" gets it here, after the file dialog asked about replacing the
    name typed only: a file of the name with ".pdf" is replaced only if the person says so
    (No: nothing is written, and ``kept`` is told the name of the file left as it was).
    """
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, title, str(Path.home() / suggested), parent.tr("PDF documents (*.pdf)")
    )
    if not chosen:
        return
    path = with_pdf_suffix(Path(chosen))
    added = path.name != Path(chosen).name
    if added and path.exists() and not confirm_replace_file(parent, path):
        if kept is not None:
            kept(path)
        return
    save(path)


def with_pdf_suffix(path: Path) -> Path:
    """``path``, ending in .pdf (added when the person typed a name without it)."""
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def tell_not_saved(parent: QWidget, exc: LinksDeskError) -> None:
    log.warning("a document could not be saved: %s", type(exc).__name__)
    QMessageBox.warning(parent, parent.tr("Not saved"), str(exc))


class PrivateItemsDialog(QDialog):
    """Asks whether the printed record includes the items marked private.

    They are the person's data too: the worker decides with them. ``ask`` returns True
    (include them), False (leave them out) or None (do not print).
    """

    INCLUDE = 1
    LEAVE_OUT = 2

    def __init__(
        self, programme_id: str, counts: Mapping[str, int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        tr = self.tr
        self.setWindowTitle(tr("Private items in this record"))
        self.setAccessibleName(tr("Private items in this record"))
        layout = QVBoxLayout(self)
        self.message = QLabel(
            tr(
                "The record of {pid} holds items marked private: {items}.\n\n"
                "They are the person's data too. Decide with them whether the printed record "
                "includes them. If they are left out, the record says which parts were left out."
            ).format(pid=programme_id, items=counted_list(counts))
        )
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(440)
        self.message.setAccessibleName(tr("Which private items the record holds"))
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.include_button = self.buttons.addButton(
            tr("&Include private items"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.leave_out_button = self.buttons.addButton(
            tr("&Leave them out"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.leave_out_button.setDefault(True)
        self.include_button.clicked.connect(lambda: self.done(self.INCLUDE))
        self.leave_out_button.clicked.connect(lambda: self.done(self.LEAVE_OUT))
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)

    @classmethod
    def ask(
        cls, parent: QWidget | None, programme_id: str, counts: Mapping[str, int]
    ) -> bool | None:
        dialog = cls(programme_id, counts, parent)
        result = dialog.exec()
        dialog.deleteLater()
        if result == cls.INCLUDE:
            return True
        if result == cls.LEAVE_OUT:
            return False
        return None


class PdfPages:
    """A PDF held in memory, drawn page by page onto a printer (or the preview's printer)."""

    def __init__(self, pdf: bytes, parent: Any = None) -> None:
        self._buffer = QBuffer(parent)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self._buffer)

    @property
    def count(self) -> int:
        return int(self.document.pageCount())

    def paint(self, printer: QPrinter) -> None:
        painter = QPainter(printer)
        try:
            dpi = min(printer.resolution(), MAX_RENDER_DPI)
            for index in range(self.count):
                if index:
                    printer.newPage()
                points = self.document.pagePointSize(index)
                image = self.document.render(
                    index,
                    QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)),
                )
                area = QRectF(painter.viewport())
                scale = min(area.width() / image.width(), area.height() / image.height())
                target = QRectF(area.x(), area.y(), image.width() * scale, image.height() * scale)
                painter.drawImage(target, image)
        finally:
            painter.end()

    def close(self) -> None:
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray())


class RecordPrintPreview(QPrintPreviewDialog):
    """The print preview of a produced document, with Print and Save as PDF….

    Opened with ``open()`` (window-modal, not blocking); closing it drops the document from
    memory. ``sig``-less: the caller keeps the returned dialog only to close it on lock.
    """

    def __init__(
        self, pdf: bytes, file_name: str, title: str, parent: QWidget | None = None
    ) -> None:
        # kept here, as the dialog does not own it (and not as ``printer``: that would hide
        # QPrintPreviewDialog.printer())
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        # the PDF has its own margins: map its page onto the whole sheet
        self._printer.setFullPage(True)
        self._printer.setDocName(file_name)
        super().__init__(self._printer, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.setAccessibleName(self.tr("Print preview"))
        self._pdf = pdf
        self.file_name = file_name
        self.pages = PdfPages(pdf, self)
        self.paintRequested.connect(self.pages.paint)
        self.save_action = QAction(self.tr("Save as PDF…"), self)
        self.save_action.setToolTip(self.tr("Save this document as a PDF file"))
        self.save_action.triggered.connect(self.save_as)
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addAction(self.save_action)
        self.finished.connect(self._forget)
        self.resize(900, 760)

    def save_as(self) -> None:
        save_pdf_as(self, self.tr("Save as PDF"), self.file_name, self.save_to)

    def save_to(self, path: Path) -> bool:
        """Write the document (readable by its owner only); False with a message on failure."""
        try:
            write_owner_only(with_pdf_suffix(path), self._pdf)
        except LinksDeskError as exc:
            tell_not_saved(self, exc)
            return False
        return True

    def _forget(self, _result: int) -> None:
        self.pages.close()
        self._pdf = b""

    @classmethod
    def show_for(
        cls, pdf: bytes, file_name: str, title: str, parent: QWidget | None
    ) -> RecordPrintPreview:
        dialog = cls(pdf, file_name, title, parent)
        dialog.open()
        return dialog
