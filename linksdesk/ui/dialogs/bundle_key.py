"""File › Your bundle key…: the supervisor's key (age1…) that bundles are made for, to copy.

A supervisor's vault made in the window had no such key, and only the command line could
make or show it: the first import then said to run ``linksdesk keys new``. Here it is made
once, when the supervisor asks, and shown to copy for the workers (File › Export for a
supervisor…) and the programme's server.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QWidget,
)

from linksdesk.casework import bundles
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import InlineMessage


class BundleKeyDialog(kit.SessionDialog):
    """Shows this vault's bundle key with Copy; offers to make it when there is none yet."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        tr = self.tr
        about = kit.introduced(
            self,
            tr("Your bundle key"),
            tr(
                "Links workers choose File › Export for a supervisor… and paste this key; your "
                "programme administrator gives it to the server too. What they send you is "
                "encrypted to it, and only this vault can open it: keep this vault backed up."
            ),
            620,
        )
        self.key_field = QLineEdit(self)
        kit.shown_read_only(self.key_field, tr("Your bundle key"), "")
        self.key_field.hide()
        self.message = InlineMessage(self)
        self.buttons = kit.button_box(self, kit.CLOSE, parent=self)
        self.make_button: QPushButton = self.buttons.addButton(
            tr("&Make my bundle key"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button: QPushButton = self.buttons.addButton(
            tr("&Copy"), QDialogButtonBox.ButtonRole.ActionRole
        )
        for button in (self.make_button, self.copy_button):
            button.hide()
        self.make_button.clicked.connect(self.make)
        self.copy_button.clicked.connect(self.copy)
        kit.column(self, about, self.key_field, self.message, self.buttons)
        session.call(bundles.bundle_key_state, on_done=self._show_state)

    def _show_state(self, state: tuple[bool, str | None]) -> None:
        supervisor, key = state
        tr = self.tr
        if not supervisor:
            self.message.show_message(
                tr(
                    "This laptop's vault is a links worker's: only a supervisor's vault has a "
                    "bundle key. To send your work to your supervisor, use File › Export for a "
                    "supervisor… with their key."
                ),
                "info",
            )
        elif key is None:
            self.message.show_message(
                tr(
                    "This vault has no bundle key yet. Make it once: it stays the same from "
                    "then on, so bundles made for it can always be opened here."
                ),
                "info",
            )
            self.make_button.show()
            self.make_button.setDefault(True)
        else:
            self._show_key(key)
        kit.grow_to_fit(self)

    def _show_key(self, key: str) -> None:
        self.message.clear_message()
        self.make_button.hide()
        self.key_field.setText(key)
        self.key_field.show()
        self.copy_button.show()
        self.copy_button.setDefault(True)
        kit.grow_to_fit(self)

    def make(self) -> None:
        self.make_button.setEnabled(False)
        self.session.call(
            bundles.new_bundle_key,
            on_done=self._show_key,
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.message.show_message(kit.failure_text(exc))
        kit.grow_to_fit(self)

    def copy(self) -> None:
        self.session.copy_text(self.key_field.text())
        self.message.show_message(
            self.tr("Copied: paste it into an email or message to your workers."), "info"
        )
        kit.grow_to_fit(self)
