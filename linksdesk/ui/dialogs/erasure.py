"""The confirmation before a participant is forgotten: what will be destroyed, typed consent."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from linksdesk.ui.dialogs.form import person_title


class ErasureDialog(QDialog):
    """Names every kind of record that will go, and asks for the programme id to be typed."""

    def __init__(
        self, programme_id: str, counts: Mapping[str, int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        tr = self.tr
        self.programme_id = programme_id
        self.setWindowTitle(person_title(tr("Forget this participant"), parent))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "<b>This cannot be undone.</b> Everything about {pid} is destroyed on this "
                "device, on the server and on every device that syncs. Only a receipt that an "
                "erasure happened is kept."
            ).format(pid=programme_id)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        items = [f"<li>{n} {what}</li>" for what, n in counts.items() if n]
        what = QLabel(
            tr("What will be destroyed:")
            + "<ul>"
            + ("".join(items) or f"<li>{tr('the participant record')}</li>")
            + f"<li>{tr('the participant record itself, and any unsaved drafts')}</li></ul>"
        )
        what.setWordWrap(True)
        what.setAccessibleName(tr("What will be destroyed"))
        self.summary = what
        layout.addWidget(what)
        prompt = QLabel(
            tr("Type the programme id <b>{pid}</b> to confirm:").format(pid=programme_id)
        )
        layout.addWidget(prompt)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setAccessibleName(tr("Programme id to confirm erasure"))
        prompt.setBuddy(self.confirm_edit)
        layout.addWidget(self.confirm_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton(
            tr("Forget {pid}").format(pid=programme_id), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.erase_button.setAccessibleName(tr("Forget this participant for good"))
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        cancel.setAccessibleName(tr("Cancel"))
        layout.addWidget(self.buttons)
        self.confirm_edit.textChanged.connect(self._on_confirm_edit_text_changed)
        self.setMinimumWidth(460)

    def _on_confirm_edit_text_changed(self, text: str) -> None:
        self.erase_button.setEnabled(text.strip() == self.programme_id)

    @classmethod
    def ask(cls, parent: QWidget | None, programme_id: str, counts: Mapping[str, int]) -> bool:
        """True only when the programme id was typed and the erasure confirmed."""
        dialog = cls(programme_id, counts, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted
