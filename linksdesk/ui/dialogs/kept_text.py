"""Work kept for a record that has since been handed over: its words shown, to copy or discard.

A form, a measure's answers or a case note kept at a lock cannot be saved into a case that
was handed over to another links worker meanwhile (the record is read-only here). The words
are still the worker's: this dialog shows them as text to copy (to pass on to the new
worker, or keep elsewhere), and they go only when the worker discards them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from linksdesk.core.vocab import MeasureKind
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.dialogs.form import kept_entries
from linksdesk.ui.dialogs.measure import kept_answers
from linksdesk.ui.session import UiSession


def kept_words(key: str, text: str) -> str:
    """A kept draft as plain text a person can read and paste elsewhere."""
    kind, _pid, item = key.split("/")
    if kind == "form":
        form = kept_entries(text)
        if form is None:
            return text
        lines = [form["title"]]
        for name, value in form["entries"].items():
            if value not in (None, "", False):
                label = name.replace("_", " ").capitalize()
                lines.append(f"{label}: {'yes' if value is True else value}")
        return "\n".join(lines)
    if kind == "measure":
        answers = kept_answers(text)
        if answers is None:
            return text
        given = ", ".join("–" if a is None else str(a) for a in answers["items"])
        return f"{MeasureKind(item).label} answers, item by item: {given}"
    return text  # a case note: its words as typed


class KeptTextDialog(QDialog):
    """The kept words of a handed-over record, read-only, with Copy and Discard."""

    def __init__(self, session: UiSession, key: str, text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        tr = self.tr
        self.session = session
        self.key = key
        self.words = kept_words(key, text)
        about = kit.introduced(
            self,
            tr("Kept for a handed-over case"),
            tr(
                "This case was handed over to another links worker, so what you entered cannot "
                "be saved in it here any more. It is kept for you below: copy it to pass on to "
                "them or to keep elsewhere, then discard it. Until you discard it, it stays "
                "kept in the vault."
            ),
            560,
        )
        self.text_view = QPlainTextEdit(self)
        kit.shown_read_only(self.text_view, tr("What was kept"), self.words)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.copy_button = self.buttons.addButton(
            tr("&Copy text"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.discard_button = self.buttons.addButton(
            tr("&Discard…"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.keep_button = self.buttons.addButton(
            tr("&Keep for later"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.keep_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy_text)
        self.discard_button.clicked.connect(self.discard)
        self.keep_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.text_view, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def copy_text(self) -> None:
        self.session.copy_text(self.words)
        self.message.setText(
            self.tr("Copied; the clipboard is cleared in {n} seconds.").format(
                n=self.session.settings.clipboard_clear_seconds
            )
        )

    @classmethod
    def confirm_discard(cls, parent: QWidget) -> bool:
        """Ask before the words go; No is the default. Tests replace this."""
        return kit.ask_yes_no(
            parent,
            parent.tr("Discard what was kept?"),
            parent.tr("What you entered will be gone for good. Discard it?"),
        )

    def discard(self) -> None:
        if self.confirm_discard(self):
            self.session.discard_draft(self.key)
            self.accept()

    @classmethod
    def ask(cls, session: UiSession, key: str, text: str, parent: QWidget | None) -> None:
        cls(session, key, text, parent).exec()
