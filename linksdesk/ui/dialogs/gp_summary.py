"""The GP summary: a preview of what the practice is told, notes to tick, copy or save a letter.

Only case notes that are not private can be ticked (private ones, and those entered in
error, are not even listed). The
text is copied through the session's clipboard guard, so it is cleared again after the
worker's set time (30 s by default) if it is still ours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework import gp_summary
from linksdesk.casework.dto import Note
from linksdesk.core.errors import LinksDeskError
from linksdesk.core.item_words import counted
from linksdesk.reports.gp_summary import summary_text
from linksdesk.ui.dialog_kit import CLOSE, SessionBoundDialog, button_box
from linksdesk.ui.dialogs.print_record import (
    save_pdf_as,
    tell_not_saved,
    with_pdf_suffix,
    write_owner_only,
)
from linksdesk.ui.widgets import action_button, scrolled

if TYPE_CHECKING:
    from linksdesk.ui.session import UiSession


def _note_label(note: Note) -> str:
    first = " ".join(note.text.split())
    if len(first) > 36:
        first = first[:35] + "…"
    return f"{note.written_at:%d %b %Y} — {first}"


class GpSummaryDialog(SessionBoundDialog):
    """Shows the summary as it will be pasted; the worker ticks notes, then copies or saves.
    It closes when the vault locks, its text cleared."""

    def __init__(
        self,
        session: UiSession,
        participant_id: str,
        programme_id: str,
        notes: Sequence[Note],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, parent)
        tr = self.tr
        self.participant_id = participant_id
        self.programme_id = programme_id
        self._gone = False
        self._copied: str | None = None  # the summary as copied to the clipboard
        session.sig_changed.connect(self._on_changes)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("GP summary — {pid}").format(pid=programme_id))
        self.setAccessibleName(tr("GP summary"))
        layout = QHBoxLayout(self)

        left = QVBoxLayout()
        intro = QLabel(
            tr(
                "What the GP practice will be told. Private items never go in; case notes "
                "only when you tick them."
            )
        )
        intro.setWordWrap(True)
        left.addWidget(intro)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(tr("GP summary text"))
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        left.addWidget(self.preview, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("GP summary message"))
        left.addWidget(self.message)
        layout.addLayout(left, 3)

        right = QVBoxLayout()
        self.declined = QCheckBox(tr("The person &declined social prescribing"))
        self.declined.setToolTip(tr('Adds the code "Social prescribing declined"'))
        self.declined.toggled.connect(self.refresh)
        right.addWidget(self.declined)
        box = QGroupBox(tr("Case notes to include"))
        box_layout = QVBoxLayout(box)
        self.note_boxes: dict[str, QCheckBox] = {}
        # a note entered in error (perhaps someone else's) is no part of the record outside
        # the worker's own view: never offered, never counted as private
        notes = [n for n in notes if not n.in_error]
        shareable = [n for n in notes if not n.private]
        hidden = len(notes) - len(shareable)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        for note in sorted(shareable, key=lambda n: n.written_at):
            check = QCheckBox(_note_label(note))
            check.setAccessibleName(
                tr("Include the case note of {day}").format(day=f"{note.written_at:%d %b %Y}")
            )
            check.setToolTip(" ".join(note.text.split())[:400])
            check.toggled.connect(self.refresh)
            self.note_boxes[note.id] = check
            inner_layout.addWidget(check)
        if not shareable:
            inner_layout.addWidget(QLabel(tr("No case notes that can be shared.")))
        inner_layout.addStretch(1)
        scroll = scrolled(inner, tr("Case notes to include"))
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        box_layout.addWidget(scroll)
        if hidden:
            self.private_label = QLabel(
                (
                    tr("{notes} is never shared and is not listed.")
                    if hidden == 1
                    else tr("{notes} are never shared and are not listed.")
                ).format(notes=counted("private case note", hidden))
            )
            self.private_label.setWordWrap(True)
            box_layout.addWidget(self.private_label)
        right.addWidget(box, 1)
        self.copy_button = action_button(
            tr("&Copy text"),
            self.copy_text,
            tr("Copy the summary to paste into the practice's system; cleared again after a while"),
        )
        self.save_button = action_button(tr("&Save PDF letter…"), self.save_pdf)
        right.addWidget(self.copy_button)
        right.addWidget(self.save_button)
        right.addWidget(button_box(self, CLOSE))
        layout.addLayout(right, 2)
        self.resize(980, 640)
        self.refresh()

    # -- what is chosen -------------------------------------------------------------------
    def ticked_notes(self) -> list[str]:
        return [nid for nid, box in self.note_boxes.items() if box.isChecked()]

    def _options(self) -> dict[str, Any]:
        return {"note_ids": self.ticked_notes(), "declined": self.declined.isChecked()}

    # -- actions --------------------------------------------------------------------------
    def _export(self, form: str, on_done: Callable[[Any], None]) -> None:
        """Make the summary as ``form`` ("text" or "pdf") on the DB thread."""
        self.session.call(
            gp_summary.export_gp_summary,
            self.participant_id,
            form,
            **self._options(),
            on_done=on_done,
            on_error=self._show_error,
        )

    def refresh(self) -> None:
        self.session.call(
            gp_summary.gp_summary,
            self.participant_id,
            **self._options(),
            on_done=self._show_summary,
            on_error=self._show_error,
        )

    def _on_changes(self, _changes: object) -> None:
        # a sync or another window may change the record (or its GP consent) meanwhile
        if not self._gone and self.session.is_unlocked:
            self.refresh()

    def _show_summary(self, summary: Any) -> None:
        if self._gone:
            return
        text = summary_text(summary)
        self.preview.setPlainText(text)
        self._can_send(True)
        if self._copied is not None and text != self._copied:
            self._stale_copy()

    def _stale_copy(self) -> None:
        """What was copied is not what is shown any more: it is not left to be pasted."""
        self._copied = None
        self.session.clipboard.clear_if_ours()
        self.message.setText(self.tr("Changed since you copied it: copy it again."))

    def _can_send(self, allowed: bool) -> None:
        self.copy_button.setEnabled(allowed)
        self.save_button.setEnabled(allowed)

    def copy_text(self) -> None:
        def copied(export: Any) -> None:
            if self._gone:
                return
            self.session.clipboard.copy(str(export.content))
            self._copied = str(export.content)
            seconds = self.session.settings.clipboard_clear_seconds
            self.message.setText(
                self.tr(
                    "Copied. Paste it into the practice's system; the clipboard is cleared in "
                    "{n} seconds."
                ).format(n=seconds)
            )

        self._export("text", copied)

    def save_pdf(self) -> None:
        title = self.tr("Save the GP summary letter")
        save_pdf_as(
            self, title, f"gp-summary-{self.programme_id}.pdf", self.save_pdf_to, self._kept
        )

    def _kept(self, path: Path) -> None:
        self.message.setText(
            self.tr("The letter was not saved; {name} is as it was.").format(name=path.name)
        )

    def save_pdf_to(self, path: Path) -> None:
        path = with_pdf_suffix(path)

        def made(export: Any) -> None:
            if self._gone:
                return
            try:
                write_owner_only(path, export.content)
            except LinksDeskError as exc:
                tell_not_saved(self, exc)
                return
            self.message.setText(self.tr("Saved the letter as {name}.").format(name=path.name))

        self._export("pdf", made)

    def _show_error(self, exc: BaseException) -> None:
        if isinstance(exc, LinksDeskError) and not self._gone:
            if isinstance(exc, gp_summary.NoGpConsentError):
                # consent withdrawn while the dialog was open (a sync, say): what it showed
                # may no longer go to the practice, so it is not left up to be read as such
                self.preview.clear()
                self._can_send(False)
                if self._copied is not None:
                    self._stale_copy()
            self.message.setText(str(exc))
            return
        self.session.runner.sig_unhandled.emit(exc)  # a bug: the crash dialog, as elsewhere

    def done(self, result: int) -> None:
        # answers still on their way find the dialog gone and do nothing
        self._gone = True
        self.preview.clear()
        super().done(result)

    @classmethod
    def show_for(
        cls,
        session: UiSession,
        participant_id: str,
        programme_id: str,
        notes: Sequence[Note],
        parent: QWidget | None,
    ) -> GpSummaryDialog:
        dialog = cls(session, participant_id, programme_id, notes, parent)
        dialog.open()
        return dialog
