"""The locked screen: unlock a vault, create one (recovery key shown once), or recover one."""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from linksdesk.casework.backup import RestoreResult
from linksdesk.casework.casebook import Casebook, default_vault_path
from linksdesk.core.errors import (
    EnvironmentProblem,
    KeyFileMismatchError,
    KeyFileMissingError,
    NotAVaultError,
    VaultExistsError,
    VaultNotFoundError,
    WeakPassphraseError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
)
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui.backup_ui import RestoreDialog, restored_message
from linksdesk.ui.icons import icon
from linksdesk.ui.remembered import RememberedVault
from linksdesk.ui.runner import is_expected
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import (
    InlineMessage,
    PassphraseEdit,
    PathRow,
    StrengthHint,
    heading,
    link_button,
)

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

log = logging.getLogger(__name__)

PRIMARY_TEXT = "#ffffff"  # icons on the accent-coloured primary buttons
VAULT_FILTER = "LinksDesk vaults (*.vault);;All files (*)"


def _field_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


def _bug_message(widget: QWidget) -> str:
    return widget.tr("Something went wrong. The details are in the error report.")


class _VaultPathRow(PathRow):
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


class _Page(QWidget):
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
        kit.tab_chain(*(w for c in self._controls for w in _tab_stops(c)))

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
        self.message.show_message(kit.failure_text(exc, _bug_message(self)))
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


class OpenPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Unlock LinksDesk"),
            self.tr("Enter your passphrase to open your case records."),
            parent,
        )
        self.vault = _VaultPathRow(for_create=False, parent=self)
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


class CreatePage(_Page):
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
        self.vault = _VaultPathRow(for_create=True, parent=self)
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


class RecoveryKeyPage(_Page):
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
        kit.tab_chain(
            self.key_label, self.copy_button, self.print_button, self.stored, self.continue_button
        )

    def show_key(self, key: str) -> None:
        self.key_label.setText(key)
        self.stored.setChecked(False)
        self.continue_button.setEnabled(False)

    def wipe(self) -> None:
        self.key_label.clear()
        self.stored.setChecked(False)


class RecoverPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Recover your vault"),
            self.tr(
                "Type the recovery key you stored when you created the vault, then choose a "
                "new passphrase. Your records stay as they are."
            ),
            parent,
        )
        self.vault = _VaultPathRow(for_create=False, parent=self)
        self.add_field(self.tr("&Vault"), self.vault, self.vault.edit)
        self.recovery_key = self.add_passphrase(self.tr("Recovery &key"))
        self.recovery_key.toggle_action.setText(self.tr("Show recovery key"))
        self.add_new_passphrase(self.tr("&Repeat the new passphrase"))
        self.recover_button = _primary(self.tr("&Recover and unlock"), self)
        self.recover_button.setIcon(icon("key", PRIMARY_TEXT))
        self.back_link = link_button(self.tr("Back to unlock"), self)
        self.add_footer(self.recover_button, [self.back_link])


class _Pages(QWidget):
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


@dataclass(frozen=True)
class UnlockOptions:
    """Which vault the unlock screen offers first: the one given (``--vault``), else the last
    one opened here as ``remembered`` (None: remember nothing, as in tests), else the default."""

    vault_path: Path | None = None
    remembered: RememberedVault | None = None


class UnlockScreen(QWidget):
    """What the window shows while locked. Opening goes through ``UiSession`` on the DB thread.

    KeePassXC behaviour: a wrong passphrase shows a message under the field and selects the
    field's text for another try; nothing else on the screen changes.
    """

    sig_created = Signal()  # a new vault was created and its recovery key confirmed

    def __init__(
        self, session: UiSession, options: UnlockOptions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.remembered = options.remembered
        self._pending: Casebook | None = None  # created, key not yet confirmed
        self.setAccessibleName(self.tr("Unlock"))

        self.open_page = OpenPage()
        self.create_page = CreatePage()
        self.key_page = RecoveryKeyPage()
        self.recover_page = RecoverPage()
        self.pages = _Pages()
        for page in (self.open_page, self.create_page, self.key_page, self.recover_page):
            self.pages.addWidget(page)

        card = QFrame(self)
        card.setObjectName("unlockCard")
        card.setStyleSheet(
            "#unlockCard { background: palette(window); border: 1px solid palette(mid);"
            " border-radius: 10px; }"
        )
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        card.setMaximumWidth(520)
        card.setMinimumWidth(380)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(28, 24, 28, 24)
        logo_row = QHBoxLayout()
        logo = QLabel(card)
        logo.setPixmap(icon("app").pixmap(QSize(40, 40)))
        logo.setAccessibleName(self.tr("LinksDesk"))
        name = QLabel(self.tr("LinksDesk"), card)
        name_font = QFont(name.font())
        name_font.setPointSizeF(name_font.pointSizeF() + 2)
        name_font.setWeight(QFont.Weight.DemiBold)
        name.setFont(name_font)
        logo_row.addWidget(logo)
        logo_row.addWidget(name)
        logo_row.addStretch(1)
        card_layout.addLayout(logo_row)
        card_layout.addSpacing(10)
        card_layout.addWidget(self.pages)

        inner = QWidget()
        centre = QVBoxLayout(inner)
        centre.setContentsMargins(24, 24, 24, 24)
        centre.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        centre.addLayout(row)
        centre.addStretch(2)
        # at 150 % on a small screen the card may not fit: scroll rather than clip
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        op, cp, kp, rp = self.open_page, self.create_page, self.key_page, self.recover_page
        op.unlock_button.clicked.connect(self._on_unlock_clicked)
        op.passphrase.returnPressed.connect(self._on_unlock_clicked)
        op.create_link.clicked.connect(self.show_create)
        op.recover_link.clicked.connect(self.show_recover)
        op.restore_link.clicked.connect(self.open_restore)
        cp.restore_link.clicked.connect(self.open_restore)
        cp.create_button.clicked.connect(self._on_create_clicked)
        cp.repeat.returnPressed.connect(self._on_create_clicked)
        cp.open_link.clicked.connect(self.show_open)
        kp.copy_button.clicked.connect(self._on_copy_clicked)
        kp.print_button.clicked.connect(self._on_print_clicked)
        kp.continue_button.clicked.connect(self._on_continue_clicked)
        rp.recover_button.clicked.connect(self._on_recover_clicked)
        rp.repeat.returnPressed.connect(self._on_recover_clicked)
        rp.back_link.clicked.connect(self.show_open)

        last = self.remembered.load() if self.remembered is not None else None
        self.set_vault_path(options.vault_path or last or default_vault_path())

    # -- navigation -----------------------------------------------------------------------
    def set_vault_path(self, path: Path) -> None:
        for page in (self.open_page, self.create_page, self.recover_page):
            page.vault.set_path(path)
        if path.exists():
            self.show_open()
        else:
            self.show_create()

    def vault_path(self) -> Path | None:
        current = self.pages.currentWidget()
        row = getattr(current, "vault", None)
        return row.path() if isinstance(row, _VaultPathRow) else None

    def _switch(self, page: _Page, focus: QWidget) -> None:
        path = self.vault_path()
        for p in (self.open_page, self.create_page, self.recover_page):
            if path is not None:
                p.vault.set_path(path)
            p.message.clear_message()
        self.pages.setCurrentWidget(page)
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_open(self) -> None:
        self._switch(self.open_page, self.open_page.passphrase)

    def show_create(self) -> None:
        self._switch(self.create_page, self.create_page.passphrase)

    def show_recover(self) -> None:
        self._switch(self.recover_page, self.recover_page.recovery_key)

    def reset(self, message: str = "") -> None:
        """Back to the unlock form with every secret wiped (after a lock)."""
        self.wipe()
        path = self.open_page.vault.path()
        if path is not None and not path.exists() and not message:
            self.show_create()  # first run: there is nothing to unlock yet
            return
        self.pages.setCurrentWidget(self.open_page)
        if message:
            self.open_page.message.show_message(message, "info")
        else:
            self.open_page.message.clear_message()
        self.open_page.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def wipe(self) -> None:
        for edit in (
            self.open_page.passphrase,
            self.create_page.passphrase,
            self.create_page.repeat,
            self.recover_page.recovery_key,
            self.recover_page.passphrase,
            self.recover_page.repeat,
        ):
            edit.wipe()
        self.key_page.wipe()

    def abandon(self) -> None:
        """Lock a vault created but never confirmed (the window is closing)."""
        cb, self._pending = self._pending, None
        self.key_page.wipe()
        if cb is not None:
            if self.session.runner.closed:
                cb.lock()  # the DB thread is gone: nothing else can be using the casebook
            else:
                self.session.runner.submit(cb.lock)

    # -- restore a backup (issue 16) ----------------------------------------------------
    def open_restore(self) -> RestoreDialog:
        """Restore from a backup…: choose the file, where the vault goes, and its secret."""
        self.restore_dialog = RestoreDialog(self.session, self.vault_path(), self)
        self.restore_dialog.sig_restored.connect(self._on_restored)
        return kit.open_modeless(self.restore_dialog)

    def _on_restored(self, result: RestoreResult) -> None:
        self._remember(result.vault_path)
        self.set_vault_path(result.vault_path)
        self.open_page.message.show_message(restored_message(result, self.tr), "success")

    # -- unlock ---------------------------------------------------------------------------
    def _on_unlock_clicked(self) -> None:
        page = self.open_page
        path = page.vault.path()
        checks: list[kit.Check] = [
            (path is None, self.tr("Choose the vault file first."), page.vault.edit),
            (not page.passphrase.text(), self.tr("Enter your passphrase."), page.passphrase),
        ]
        # the key derivation runs on the DB thread; the window keeps drawing meanwhile
        if not page.start(checks, self.tr("Checking passphrase…")) or path is None:
            return
        self.session.unlock(
            path,
            page.passphrase.text(),
            on_done=self._on_unlock_done,
            on_error=self._on_unlock_failed,
        )

    def _remember(self, path: Path | None) -> None:
        if self.remembered is not None and path is not None:
            self.remembered.remember(path)

    def _on_unlock_done(self, _cb: Casebook) -> None:
        page = self.open_page
        self._remember(page.vault.path())
        page.set_busy(False, page.controls())
        page.passphrase.wipe()
        page.message.clear_message()

    def _on_unlock_failed(self, exc: BaseException) -> None:
        page = self.open_page
        page.failed(
            exc,
            [
                (isinstance(exc, WrongPassphraseError), page.passphrase),
                (isinstance(exc, (VaultNotFoundError, NotAVaultError)), page.vault.edit),
            ],
        )
        typed = page.passphrase.text()
        if isinstance(exc, WrongPassphraseError) and typed.isupper():
            # a tired worker's Caps Lock: every letter came out a capital
            caps = self.tr("Is Caps Lock on? Every letter was typed as a capital.")
            page.message.show_message(f"{page.message.text()} {caps}")

    # -- create ---------------------------------------------------------------------------
    def _on_create_clicked(self) -> None:
        page = self.create_page
        path = page.vault.path()
        checks: list[kit.Check] = [
            (path is None, self.tr("Choose where to keep the vault file."), page.vault.edit),
            *kit.new_passphrase_checks(
                page.passphrase, page.repeat, self.tr("Choose a passphrase.")
            ),
        ]
        if not page.start(checks, self.tr("Creating your vault…")) or path is None:
            return
        self.session.create(
            path,
            page.passphrase.text(),
            on_done=self._on_create_done,
            on_error=self._on_create_failed,
            supervisor=page.supervisor.isChecked(),
        )

    def _on_create_done(self, result: tuple[Casebook, str]) -> None:
        cb, recovery_key = result
        page = self.create_page
        page.set_busy(False, page.controls())
        page.passphrase.wipe()
        page.repeat.wipe()
        self._pending = cb
        for p in (self.open_page, self.recover_page):
            p.vault.set_path(page.vault.path() or default_vault_path())
        self.key_page.show_key(recovery_key)
        self.pages.setCurrentWidget(self.key_page)
        self.key_page.copy_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_create_failed(self, exc: BaseException) -> None:
        page = self.create_page
        page.failed(
            exc,
            [
                (isinstance(exc, WeakPassphraseError), page.passphrase),
                (isinstance(exc, VaultExistsError), page.vault.edit),
            ],
        )

    def _on_copy_clicked(self) -> None:
        self.session.copy_text(self.key_page.key_label.text())
        self.key_page.message.show_message(
            self.tr("Copied. The clipboard will be cleared again in 30 seconds."), "info"
        )

    def _on_print_clicked(self) -> None:
        try:
            printed = self.print_recovery_key(self, self.key_page.key_label.text())
        except EnvironmentProblem as exc:
            self.key_page.message.show_message(str(exc))
            return
        if printed:
            self.key_page.message.show_message(
                self.tr("The recovery key was sent to the printer. Collect the page now."), "info"
            )

    @classmethod
    def choose_printer(cls, parent: QWidget) -> QPrinter | None:
        """The print dialog; None when cancelled (a classmethod so tests can print to PDF)."""
        # loaded on first use: most starts never print
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return printer

    @classmethod
    def print_recovery_key(cls, parent: QWidget, key: str) -> bool:
        """Print the key on one page; False when the worker cancelled.

        Drawn straight onto the printer: nothing of the key is written to a file of ours
        (the printer chosen, or a PDF the worker named, is the only place it goes).
        """
        from PySide6.QtPrintSupport import QPrinter

        printer = cls.choose_printer(parent)
        if printer is None:
            return False
        recovery_key_document(key, parent.tr).print_(printer)
        if printer.printerState() == QPrinter.PrinterState.Error:
            raise PrintingFailedError()
        return True

    def _on_continue_clicked(self) -> None:
        if not self.key_page.stored.isChecked() or self._pending is None:
            return
        cb, self._pending = self._pending, None
        self.key_page.wipe()
        self._remember(self.open_page.vault.path())
        self.sig_created.emit()
        self.session.open(cb)

    # -- recover --------------------------------------------------------------------------
    def _on_recover_clicked(self) -> None:
        page = self.recover_page
        path = page.vault.path()
        checks: list[kit.Check] = [
            (path is None, self.tr("Choose the vault file first."), page.vault.edit),
            (
                not page.recovery_key.text().strip(),
                self.tr("Type your recovery key."),
                page.recovery_key,
            ),
            *kit.new_passphrase_checks(
                page.passphrase, page.repeat, self.tr("Choose a new passphrase.")
            ),
        ]
        if not page.start(checks, self.tr("Checking the recovery key…")) or path is None:
            return
        self.session.recover(
            path,
            page.recovery_key.text().strip(),
            page.passphrase.text(),
            on_done=self._on_recover_done,
            on_error=self._on_recover_failed,
        )

    def _on_recover_done(self, _cb: Casebook) -> None:
        page = self.recover_page
        self._remember(page.vault.path())
        page.set_busy(False, page.controls())
        for edit in (page.recovery_key, page.passphrase, page.repeat):
            edit.wipe()
        self.open_page.vault.set_path(page.vault.path() or default_vault_path())
        self.pages.setCurrentWidget(self.open_page)

    def _on_recover_failed(self, exc: BaseException) -> None:
        page = self.recover_page
        key_refused = isinstance(exc, WrongRecoveryKeyError) or (
            is_expected(exc) and "recovery key" in str(exc).lower()
        )
        vault_at_fault = (
            VaultNotFoundError,
            NotAVaultError,
            KeyFileMissingError,
            KeyFileMismatchError,
        )
        page.failed(
            exc,
            [
                (key_refused, page.recovery_key),
                (isinstance(exc, WeakPassphraseError), page.passphrase),
                (isinstance(exc, vault_at_fault), page.vault.edit),
            ],
        )
