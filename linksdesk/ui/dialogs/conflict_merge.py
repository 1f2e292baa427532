"""Edit one merged version of a conflict, starting from both versions one after the other."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from linksdesk.ui.dialog_kit import OK_CANCEL, button_box, name_buttons, set_title
from linksdesk.ui.dialogs.form import may_discard
from linksdesk.ui.widgets import InlineMessage


def merged_start(mine: str, theirs: str, mine_title: str, theirs_title: str) -> str:
    """Both versions, each under a heading line, for the worker to edit into one."""
    return f"{mine_title}\n{mine}\n\n{theirs_title}\n{theirs}\n"


class ConflictMergeDialog(QDialog):
    """One editor prefilled with both versions; OK hands back the edited text."""

    def __init__(self, mine: str, theirs: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        set_title(self, tr("Merge both versions"))
        self.setMinimumSize(560, 420)
        intro = QLabel(
            tr(
                "{what}: both versions are below. Edit them into the one version to keep, "
                "then choose Save merged version."
            ).format(what=what)
        )
        intro.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName(tr("Merged version"))
        # as in every dialog: Tab moves on (no tab character typed into a case note), and
        # Ctrl+Enter saves from the editor, where Enter starts a new line
        self.editor.setTabChangesFocus(True)
        self._start = merged_start(
            mine, theirs, tr("— On this laptop —"), tr("— From the server —")
        )
        self.editor.setPlainText(self._start)
        label = QLabel(tr("&Merged version"))
        label.setBuddy(self.editor)
        self.message = InlineMessage(self)
        self.buttons = button_box(self, OK_CANCEL, self._on_accepted, parent=self)
        self.ok_button = name_buttons(
            self.buttons, tr("&Save merged version"), tr("Save the merged version")
        )
        self.save_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.save_shortcut.activated.connect(self._on_accepted)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def reject(self) -> None:
        # Escape or Cancel with the merge written asks first (the user guide's rule for
        # words written in a dialog); a lock closes it without asking
        edited = self.editor.toPlainText() != self._start
        if may_discard(self, edited, self.tr("The merged version you have written will be lost.")):
            super().reject()

    def _on_accepted(self) -> None:
        if not self.text():
            self.message.show_message(self.tr("The merged version cannot be empty."))
            return
        self.accept()

    @classmethod
    def ask(cls, mine: str, theirs: str, what: str, parent: QWidget | None = None) -> str | None:
        """The merged text, or None when the worker cancels."""
        dialog = cls(mine, theirs, what, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.text()
            return None
        finally:
            dialog.deleteLater()
