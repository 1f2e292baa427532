"""The locked screen: unlock a vault, create one (recovery key shown once), or recover one."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
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
from linksdesk.ui.unlock_pages import (
    CreatePage,
    OpenPage,
    Page,
    Pages,
    PrintingFailedError,
    RecoverPage,
    RecoveryKeyPage,
    VaultPathRow,
    recovery_key_document,
)
from linksdesk.ui.widgets import scrolled

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

log = logging.getLogger(__name__)


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
        self.pages = Pages()
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
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(inner, self.tr("Unlock LinksDesk"), framed=False))

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
        return row.path() if isinstance(row, VaultPathRow) else None

    def _switch(self, page: Page, focus: QWidget) -> None:
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
        passphrase = page.passphrase.text()
        checks: list[kit.Check] = [
            (not passphrase, self.tr("Enter your passphrase."), page.passphrase)
        ]
        # the key derivation runs on the DB thread; the window keeps drawing meanwhile
        path = self._begin(page, checks, self.tr("Checking passphrase…"))
        if path is not None:
            self.session.unlock(
                path, passphrase, on_done=self._on_unlock_done, on_error=self._on_unlock_failed
            )

    def _begin(
        self,
        page: OpenPage | CreatePage | RecoverPage,
        checks: Sequence[kit.Check],
        waiting_for: str,
    ) -> Path | None:
        """``page``'s vault file once its form passes (a file chosen, then ``checks``) and the
        wait (``waiting_for``) shows; None when refused."""
        path = page.vault.path()
        no_vault = (
            self.tr("Choose where to keep the vault file.")
            if page.vault.for_create
            else self.tr("Choose the vault file first.")
        )
        chosen: kit.Check = (path is None, no_vault, page.vault.edit)
        return path if page.start([chosen, *checks], waiting_for) else None

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
        checks = kit.new_passphrase_checks(
            page.passphrase, page.repeat, self.tr("Choose a passphrase.")
        )
        path = self._begin(page, checks, self.tr("Creating your vault…"))
        if path is not None:
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
        key = page.recovery_key.text().strip()
        checks: list[kit.Check] = [
            (not key, self.tr("Type your recovery key."), page.recovery_key),
            *kit.new_passphrase_checks(
                page.passphrase, page.repeat, self.tr("Choose a new passphrase.")
            ),
        ]
        path = self._begin(page, checks, self.tr("Checking the recovery key…"))
        if path is not None:
            self.session.recover(
                path,
                key,
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
