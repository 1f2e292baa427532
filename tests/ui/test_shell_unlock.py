"""The locked screen: create a vault (recovery key shown once), wrong passphrase, recovery."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from shell_kit import PASSPHRASE
from synthetic import NEW_PASSPHRASE

from linksdesk.core.errors import WrongPassphraseError, WrongRecoveryKeyError
from linksdesk.ui.session import UiSession
from linksdesk.ui.unlock import UnlockOptions, UnlockScreen

pytestmark = pytest.mark.gui


def make_screen(qtbot: Any, session: UiSession, path: Path) -> UnlockScreen:
    screen = UnlockScreen(session, UnlockOptions(path))
    qtbot.addWidget(screen)
    screen.resize(900, 760)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    return screen


def create_through_screen(qtbot: Any, screen: UnlockScreen) -> str:
    page = screen.create_page
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.key_page, timeout=20_000)
    return screen.key_page.key_label.text()


def test_create_vault_asks_twice_and_shows_the_recovery_key_once(
    qtbot: Any, ui_session: UiSession, vault_file: Path
) -> None:
    screen = make_screen(qtbot, ui_session, vault_file)
    page = screen.create_page
    assert screen.pages.currentWidget() is page  # no vault there yet: creating is offered

    page.passphrase.setText(PASSPHRASE)
    assert page.strength.label.text()  # a strength hint appears while typing
    page.repeat.setText(PASSPHRASE + "x")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.message.isVisible()
    assert "not the same" in page.message.text()
    assert page.repeat.selectedText() == PASSPHRASE + "x"
    assert not vault_file.exists()

    key = create_through_screen(qtbot, screen)
    assert vault_file.exists()
    assert re.search(r"[A-Za-z0-9]{4}", key), "a recovery key is shown"
    assert not page.passphrase.text() and not page.repeat.text()  # secrets wiped

    kp = screen.key_page
    assert not kp.continue_button.isEnabled()  # the confirmation is required
    qtbot.mouseClick(kp.continue_button, Qt.MouseButton.LeftButton)
    assert not ui_session.is_unlocked
    kp.stored.setChecked(True)
    assert kp.continue_button.isEnabled()
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        qtbot.mouseClick(kp.continue_button, Qt.MouseButton.LeftButton)
    assert ui_session.is_unlocked
    assert kp.key_label.text() == ""  # shown once: gone from the screen for good
    assert key not in [w.text() for w in screen.findChildren(type(kp.key_label))]


def test_copying_the_recovery_key_is_cleared_later(
    qtbot: Any, ui_session: UiSession, vault_file: Path
) -> None:
    from PySide6.QtGui import QGuiApplication

    screen = make_screen(qtbot, ui_session, vault_file)
    key = create_through_screen(qtbot, screen)
    qtbot.mouseClick(screen.key_page.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == key
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "", timeout=5000)
    screen.abandon()


def test_printing_the_recovery_key_produces_the_page_and_leaves_no_copy_behind(
    qtbot: Any, ui_session: UiSession, vault_file: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    # any temporary file Qt or Python made while printing would land here
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)
    pdf = tmp_path / "printed" / "recovery-key.pdf"
    pdf.parent.mkdir()
    chosen: list[Any] = []

    def print_to_pdf(cls: Any, parent: Any) -> Any:
        if chosen:
            return None  # the second time the worker cancels the print dialog
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
        chosen.append(printer)
        return printer

    monkeypatch.setattr(UnlockScreen, "choose_printer", classmethod(print_to_pdf))
    screen = make_screen(qtbot, ui_session, vault_file)
    key = create_through_screen(qtbot, screen)
    kp = screen.key_page
    qtbot.mouseClick(kp.print_button, Qt.MouseButton.LeftButton)
    assert len(chosen) == 1
    assert "sent to the printer" in kp.message.text()

    # one page, saying what it is, with the whole key on it
    assert pdf.read_bytes().startswith(b"%PDF")
    doc = QPdfDocument()
    assert doc.load(str(pdf)) == QPdfDocument.Error.None_
    assert doc.pageCount() == 1
    printed = doc.getAllText(0).text()
    doc.close()
    assert "LinksDesk vault recovery key" in printed
    assert key in printed
    assert "away from the computer" in printed

    # cancelled: nothing printed, nothing said
    kp.message.clear_message()
    qtbot.mouseClick(kp.print_button, Qt.MouseButton.LeftButton)
    assert not kp.message.isVisible()

    # printing wrote the chosen PDF and nothing else; the test wipes that one too
    assert list(scratch.iterdir()) == []
    pdf.write_bytes(b"\0" * pdf.stat().st_size)
    pdf.unlink()
    assert [p.name for p in pdf.parent.iterdir()] == []
    needle = key.encode()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path.name
    screen.abandon()


@pytest.mark.qt_log_ignore("QPainter::begin")
def test_a_print_that_fails_says_so_instead_of_sent(
    qtbot: Any, ui_session: UiSession, vault_file: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    def unwritable_pdf(cls: Any, parent: Any) -> Any:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "no such folder" / "key.pdf"))
        return printer

    monkeypatch.setattr(UnlockScreen, "choose_printer", classmethod(unwritable_pdf))
    screen = make_screen(qtbot, ui_session, vault_file)
    create_through_screen(qtbot, screen)
    qtbot.mouseClick(screen.key_page.print_button, Qt.MouseButton.LeftButton)
    assert screen.key_page.message.kind == "error"
    assert "could not be printed" in screen.key_page.message.text()
    assert not (tmp_path / "no such folder").exists()
    screen.abandon()


def test_wrong_passphrase_shows_inline_message_and_selects_the_field(
    qtbot: Any, ui_session: UiSession, made_vault: Path
) -> None:
    screen = make_screen(qtbot, ui_session, made_vault)
    page = screen.open_page
    assert screen.pages.currentWidget() is page
    page.passphrase.setFocus()
    qtbot.keyClicks(page.passphrase, "not the passphrase")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(page.message.isVisible, timeout=20_000)
    qtbot.waitUntil(lambda: page.unlock_button.isEnabled())

    assert page.message.text() == str(WrongPassphraseError())
    assert page.passphrase.selectedText() == "not the passphrase"
    assert page.passphrase.hasFocus()
    # nothing else changed: same page, same vault path, still locked
    assert screen.pages.currentWidget() is page
    assert page.vault.path() == made_vault
    assert not ui_session.is_unlocked

    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert page.passphrase.text() == ""


def test_missing_vault_is_a_plain_message(
    qtbot: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    screen = make_screen(qtbot, ui_session, tmp_path / "missing.vault")
    screen.show_open()
    screen.open_page.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(screen.open_page.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(screen.open_page.message.isVisible, timeout=20_000)
    assert "There is no vault" in screen.open_page.message.text()


def test_recover_with_the_recovery_key_sets_a_new_passphrase(
    qtbot: Any, ui_session: UiSession, vault_file: Path
) -> None:
    screen = make_screen(qtbot, ui_session, vault_file)
    key = create_through_screen(qtbot, screen)
    screen.key_page.stored.setChecked(True)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        qtbot.mouseClick(screen.key_page.continue_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        ui_session.lock()
    screen.reset()

    qtbot.mouseClick(screen.open_page.recover_link, Qt.MouseButton.LeftButton)
    page = screen.recover_page
    assert screen.pages.currentWidget() is page
    assert page.vault.path() == vault_file

    # a wrong (well-formed) key: inline message, the key field selected for retry
    wrong = "".join("A" if c.isalnum() else c for c in key)
    page.recovery_key.setText(wrong)
    page.passphrase.setText(NEW_PASSPHRASE)
    page.repeat.setText(NEW_PASSPHRASE)
    qtbot.mouseClick(page.recover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.message.isVisible, timeout=20_000)
    qtbot.waitUntil(page.recover_button.isEnabled)
    assert page.message.text() in (str(WrongRecoveryKeyError()),) or "recovery key" in (
        page.message.text().lower()
    )
    assert page.recovery_key.selectedText() == wrong
    assert not ui_session.is_unlocked

    page.recovery_key.setText(key)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        qtbot.mouseClick(page.recover_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(ui_session.sig_closed, timeout=20_000):
        ui_session.lock()

    # the old passphrase no longer opens the vault; the new one does
    failures: list[BaseException] = []
    ui_session.unlock(vault_file, PASSPHRASE, on_error=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=20_000)
    assert isinstance(failures[0], WrongPassphraseError)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(vault_file, NEW_PASSPHRASE)


def test_tab_order_and_accessible_names(
    qtbot: Any, ui_session: UiSession, made_vault: Path
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit

    screen = make_screen(qtbot, ui_session, made_vault)
    page = screen.open_page
    chain = [
        page.vault.edit,
        page.vault.choose,
        page.passphrase,
        page.unlock_button,
        page.create_link,
        page.recover_link,
    ]
    chain[0].setFocus()
    qtbot.waitUntil(chain[0].hasFocus)
    for expected in chain[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    for page in (screen.open_page, screen.create_page, screen.key_page, screen.recover_page):
        for w in page.findChildren(QLineEdit) + page.findChildren(QAbstractButton):
            assert w.accessibleName(), f"{type(w).__name__} {w.objectName()} has no name"
