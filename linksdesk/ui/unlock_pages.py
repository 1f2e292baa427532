"""The locked screen's pages: open a vault, create one, the recovery key shown once, recover.

Each page is a card of fields with one primary button; :class:`linksdesk.ui.unlock.UnlockScreen`
shows one at a time and does the work each asks for.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework.casebook import default_vault_path
from linksdesk.core.errors import (
    EnvironmentProblem,
)
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.icons import icon
from linksdesk.ui.views.rows import tab_order
from linksdesk.ui.widgets import (
    InlineMessage,
    PassphraseEdit,
    PathRow,
    StrengthHint,
    heading,
    link_button,
)

if TYPE_CHECKING:
    pass

PRIMARY_TEXT = "#ffffff"  # icons on the accent-coloured primary buttons
VAULT_FILTER = "LinksDesk vaults (*.vault);;All files (*)"


def _field_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


def bug_message(widget: QWidget) -> str:
    return widget.tr("Something went wrong. The details are in the error report.")


class VaultPathRow(PathRow):
    """The vault file: a path field and a Choose… button."""

    def __init__(self, *, for_create: bool, parent: QWidget | None = None) -> None:
        # the chooser looks ``ask_file`` up when asked, so tests can replace it
        super().__init__("", lambda current: self.ask_file(self, for_create, current), parent)
        self.for_create = for_create
        self.edit.setAccessibleName(self.tr("Vault file"))
        self.edit.setPlaceholderText(self.tr("Path of the vault file"))
        self.choose.setAccessibleName(self.tr("Choose the vault file"))
        self.choose.setToolTip(self.tr("Choose where the vault file is"))

    @classmethod
    def ask_file(cls, parent: QWidget, for_create: bool, start: Path | None) -> Path | None:
        """The file dialog (a classmethod so tests can replace it)."""
        start_dir = str(start.parent if start else default_vault_path().parent)
        if for_create:
            name, _ = QFileDialog.getSaveFileName(
                parent, parent.tr("Create the vault file"), start_dir, VAULT_FILTER
            )
            if name and not name.endswith(".vault"):
                name += ".vault"
        else:
            name, _ = QFileDialog.getOpenFileName(
                parent, parent.tr("Choose the vault file"), start_dir, VAULT_FILTER
            )
        return Path(name) if name else None


class Page(QWidget):
    """A form page with a heading, an intro, a message area and a busy bar."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(8)
        self.title = heading(title, self)
        self.layout_.addWidget(self.title)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.layout_.addWidget(self.intro)
        self.layout_.addSpacing(6)
        self.message = InlineMessage(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedHeight(4)
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.hide()
        # what the wait is for (the key derivation takes about a second on purpose)
        self.busy_label = QLabel(self)
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setAccessibleName(self.tr("Working"))
        self.busy_label.hide()
        # what the person can use on the page, in tab order (off while the page waits)
        self._controls: list[QWidget] = []

    def add_field(self, label: str, field: QWidget, buddy: QWidget | None = None) -> QLabel:
        lab = _field_label(label, buddy or field, self)
        self.layout_.addWidget(lab)
        self.add_control(field)
        return lab

    def add_control(self, control: QWidget) -> None:
        self.layout_.addWidget(control)
        self._controls.append(control)

    def add_passphrase(self, label: str) -> PassphraseEdit:
        """A passphrase field under ``label`` (its accessible name, without the &)."""
        edit = PassphraseEdit(self, label.replace("&", ""))
        self.add_field(label, edit)
        return edit

    def add_new_passphrase(self, repeat_label: str) -> None:
        """A new passphrase, rated as it is typed, and ``repeat_label``'s field to type it again."""
        self.passphrase = self.add_passphrase(self.tr("&New passphrase"))
        self.strength = StrengthHint(self)
        self.layout_.addWidget(self.strength)
        kit.follow_strength(self.strength, self.passphrase)
        self.repeat = self.add_passphrase(repeat_label)

    def add_footer(self, primary: QPushButton, links: list[QPushButton]) -> None:
        self.layout_.addWidget(self.message)
        self.layout_.addSpacing(4)
        self.layout_.addWidget(self.busy_label)
        self.layout_.addWidget(self.busy)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(primary)
        self.layout_.addLayout(row)
        self.layout_.addSpacing(8)
        for link in links:
            self.layout_.addWidget(link, 0, Qt.AlignmentFlag.AlignLeft)
        self.layout_.addStretch(1)
        self._controls += [primary, *links]
        # a path row is two stops: its field, then its Choose… button
        tab_order(*(w for c in self._controls for w in _tab_stops(c)))

    def set_busy(self, busy: bool, controls: list[QWidget], text: str = "") -> None:
        """Show the wait (``text`` says what for) with the inputs off, or end it."""
        self.busy.setVisible(busy)
        self.busy_label.setText(text if busy else "")
        self.busy_label.setAccessibleDescription(text if busy else "")
        self.busy_label.setVisible(busy and bool(text))
        for control in controls:
            control.setEnabled(not busy)

    def controls(self) -> list[QWidget]:
        return list(self._controls)

    def start(self, checks: list[kit.Check], waiting_for: str) -> bool:
        """Check the form; when it passes, show the wait (``waiting_for``). False: refused."""
        if self.busy.isVisible() or kit.refused(self.message, checks):
            return False
        self.set_busy(True, self.controls(), waiting_for)
        return True

    def failed(self, exc: BaseException, blame: list[tuple[bool, QWidget]]) -> None:
        """End the wait and say what went wrong; the first field ``blame`` names is selected."""
        self.set_busy(False, self.controls())
        self.message.show_message(kit.failure_text(exc, bug_message(self)))
        for at_fault, field in blame:
            if at_fault:
                kit.select_field(field)
                return


def _tab_stops(control: QWidget) -> tuple[QWidget, ...]:
    return (control.edit, control.choose) if isinstance(control, PathRow) else (control,)


def _primary(text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName("primary")
    button.setDefault(True)
    button.setAccessibleName(text.replace("&", ""))
    button.setMinimumWidth(140)
    return button


class OpenPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Unlock LinksDesk"),
            self.tr("Enter your passphrase to open your case records."),
            parent,
        )
        self.vault = VaultPathRow(for_create=False, parent=self)
        self.add_field(self.tr("&Vault"), self.vault, self.vault.edit)
        self.passphrase = self.add_passphrase(self.tr("&Passphrase"))
        self.unlock_button = _primary(self.tr("&Unlock"), self)
        self.unlock_button.setIcon(icon("unlock", PRIMARY_TEXT))
        self.create_link = link_button(self.tr("Create a new vault…"), self)
        self.recover_link = link_button(
            self.tr("Forgot your passphrase? Use your recovery key…"), self
        )
        self.restore_link = link_button(self.tr("Restore from a backup…"), self)
        self.add_footer(
            self.unlock_button, [self.create_link, self.recover_link, self.restore_link]
        )


class CreatePage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Create your vault"),
            self.tr(
                "Your case records are kept in an encrypted vault on this computer. Choose a "
                "passphrase only you know: without it, or the recovery key you will see next, "
                "nobody can open the vault — not even your administrator."
            ),
            parent,
        )
        self.vault = VaultPathRow(for_create=True, parent=self)
        self.add_field(self.tr("&Vault file"), self.vault, self.vault.edit)
        self.add_new_passphrase(self.tr("&Repeat the passphrase"))
        self.supervisor = QCheckBox(self.tr("A &supervisor's vault"), self)
        self.supervisor.setToolTip(
            self.tr("Imports bundles from the team's laptops and server; holds no caseload")
        )
        self.supervisor.setAccessibleName(self.tr("A supervisor's vault"))
        self.add_control(self.supervisor)
        self.create_button = _primary(self.tr("&Create vault"), self)
        self.create_button.setIcon(icon("vault-new", PRIMARY_TEXT))
        self.open_link = link_button(self.tr("Open an existing vault instead"), self)
        # a new laptop has no vault yet: its first screen is this one
        self.restore_link = link_button(self.tr("Restore from a backup…"), self)
        self.add_footer(self.create_button, [self.open_link, self.restore_link])


class PrintingFailedError(EnvironmentProblem):
    """The printer (or the PDF file chosen) could not take the page."""

    def __init__(self) -> None:
        super().__init__(
            "The recovery key could not be printed. Check the printer, or the folder chosen "
            "for the file, and try again — or write the key down by hand."
        )


def recovery_key_document(key: str, tr: Callable[[str], str] = str) -> QTextDocument:
    """The printed page: what the key is for, the key itself in large monospace, what to do."""
    mono = html.escape(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family())
    why = tr("If the passphrase is forgotten, this key is the only way into the vault.")
    keep = tr("Keep this page somewhere safe, away from the computer.")
    printed = tr("Printed on {day}").format(day=dt.date.today().isoformat())
    doc = QTextDocument()
    body = QFont(doc.defaultFont())
    body.setPointSizeF(12)  # read on paper, at arm's length, perhaps years later
    doc.setDefaultFont(body)
    doc.setHtml(
        f"<h2>{html.escape(tr('LinksDesk vault recovery key'))}</h2>"
        f"<p>{html.escape(why)}</p>"
        # one unbroken line: a key wrapped at a dash reads as two keys, or a dash too many
        f"<p style=\"font-family: '{mono}'; font-size: 16pt; font-weight: 600;"
        f' white-space: nowrap;">'
        f"{html.escape(key)}</p>"
        f"<p>{html.escape(keep)}</p>"
        f"<p>{html.escape(printed)}</p>"
    )
    return doc


class RecoveryKeyPage(Page):
    """Shows the recovery key once; the worker must confirm they stored it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Store your recovery key"),
            self.tr(
                "If you forget your passphrase, this recovery key is the only way into your "
                "vault. It is shown only now and is not kept anywhere. Print it or write it "
                "down, and keep it somewhere safe away from this computer."
            ),
            parent,
        )
        self.key_label = QLabel(self)
        self.key_label.setObjectName("recoveryKey")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() + 3)
        mono.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(mono)
        self.key_label.setWordWrap(True)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.key_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.key_label.setAccessibleName(self.tr("Recovery key"))
        self.key_label.setStyleSheet(
            "#recoveryKey { border: 1px dashed palette(mid); border-radius: 6px;"
            " padding: 14px; background: palette(base); }"
        )
        self.layout_.addWidget(self.key_label)
        row = QHBoxLayout()
        self.copy_button = QPushButton(icon("copy"), self.tr("Cop&y"), self)
        self.copy_button.setAccessibleName(self.tr("Copy the recovery key"))
        self.copy_button.setToolTip(
            self.tr("Copy the recovery key; the clipboard is cleared again after 30 seconds")
        )
        self.print_button = QPushButton(icon("print"), self.tr("&Print…"), self)
        self.print_button.setAccessibleName(self.tr("Print the recovery key"))
        row.addWidget(self.copy_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        self.layout_.addLayout(row)
        self.layout_.addSpacing(6)
        self.stored = QCheckBox(self.tr("I have &stored the recovery key somewhere safe"), self)
        self.stored.setAccessibleName(self.tr("I have stored the recovery key somewhere safe"))
        self.layout_.addWidget(self.stored)
        self.continue_button = _primary(self.tr("C&ontinue"), self)
        self.continue_button.setEnabled(False)
        self.continue_button.setToolTip(
            self.tr("Tick the box above once the recovery key is stored safely")
        )
        self.stored.toggled.connect(self.continue_button.setEnabled)
        self.add_footer(self.continue_button, [])
        tab_order(
            self.key_label, self.copy_button, self.print_button, self.stored, self.continue_button
        )

    def show_key(self, key: str) -> None:
        self.key_label.setText(key)
        self.stored.setChecked(False)
        self.continue_button.setEnabled(False)

    def wipe(self) -> None:
        self.key_label.clear()
        self.stored.setChecked(False)


class RecoverPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Recover your vault"),
            self.tr(
                "Type the recovery key you stored when you created the vault, then choose a "
                "new passphrase. Your records stay as they are."
            ),
            parent,
        )
        self.vault = VaultPathRow(for_create=False, parent=self)
        self.add_field(self.tr("&Vault"), self.vault, self.vault.edit)
        self.recovery_key = self.add_passphrase(self.tr("Recovery &key"))
        self.recovery_key.toggle_action.setText(self.tr("Show recovery key"))
        self.add_new_passphrase(self.tr("&Repeat the new passphrase"))
        self.recover_button = _primary(self.tr("&Recover and unlock"), self)
        self.recover_button.setIcon(icon("key", PRIMARY_TEXT))
        self.back_link = link_button(self.tr("Back to unlock"), self)
        self.add_footer(self.recover_button, [self.back_link])


class Pages(QWidget):
    """Shows one page at a time and is as tall as that page (a QStackedWidget is as tall as
    its tallest page, which left the unlock card half empty)."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget] = []
        self._current = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def addWidget(self, page: QWidget) -> None:
        self._pages.append(page)
        layout = self.layout()
        assert layout is not None  # made in __init__
        layout.addWidget(page)
        if self._current < 0:
            self._current = 0
        else:
            page.hide()

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget:
        return self._pages[index]

    def currentIndex(self) -> int:
        return self._current

    def currentWidget(self) -> QWidget | None:
        return self._pages[self._current] if self._current >= 0 else None

    def setCurrentWidget(self, page: QWidget) -> None:
        index = self._pages.index(page)
        if index == self._current:
            return
        for i, p in enumerate(self._pages):
            p.setVisible(i == index)
        self._current = index
        self.currentChanged.emit(index)
