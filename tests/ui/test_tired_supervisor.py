"""A tired supervisor's day in the window: a worker's bundle from a USB stick, imported; the
same bundle again; a photo and a signature file chosen by mistake; the programme board's
report written as PDF (read back by pdftotext) and CSV. Every message is whole on screen and
in the supervisor's words. Real vaults, real age and minisign files, synthetic people."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor
from PySide6.QtGui import QGuiApplication
from screens_kit import settle
from shell_kit import PASSPHRASE, window_at_unlock

from linksdesk.reports.scope import Period
from linksdesk.sync.bundle import export
from linksdesk.ui.bundle_dialogs import ImportBundleDialog
from linksdesk.ui.dialogs.bundle_key import BundleKeyDialog
from linksdesk.ui.views.supervision import ExportChoice, ExportDialog

pytestmark = pytest.mark.gui

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def day(qtbot: Any, ui_session: Any, tmp_path: Path) -> tuple[Any, Path]:
    """The supervisor's window, unlocked, and a worker's bundle on a USB stick."""
    sup = Supervisor.create(tmp_path)
    recipient, sup_path = sup.recipient, sup.path
    sup.vault.lock()
    lap = Laptop.create(tmp_path, "laptop")
    for i in range(12):
        lap.contact(lap.person(given_name=f"Ailsa{i}"), purpose="first meeting")
    usb = tmp_path / "usb"
    usb.mkdir()
    bundle = usb / "caseload-2026-12.age"
    export.export_to_file(lap.store, bundle, kind="supervision", recipients=[recipient])
    lap.vault.lock()
    window, page = window_at_unlock(qtbot, ui_session, sup_path)
    window.resize(1280, 860)
    page.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        page.unlock_button.click()
    settle(qtbot, ui_session)
    return window, bundle


def importing(qtbot: Any, ui_session: Any, window: Any, path: Path) -> ImportBundleDialog:
    """File › Import a bundle…, the file chosen, Import pressed: the dialog once answered."""
    dialog = ImportBundleDialog.ask(ui_session, window)
    qtbot.waitExposed(dialog)
    dialog.path.setText(str(path))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.message.isVisible(), timeout=30_000)
    settle(qtbot, ui_session)
    return dialog


def whole_on_screen(dialog: ImportBundleDialog) -> None:
    """The message and the box below it are shown in full inside the dialog."""
    label = dialog.message._text
    assert label.height() >= label.heightForWidth(label.width()), "the message is cut off"
    inside = dialog.rect()
    for widget in (dialog.message, dialog.accept_signer, dialog.buttons):
        if widget.isVisible():
            box = widget.geometry()
            assert inside.contains(box), type(widget).__name__
    if dialog.accept_signer.isVisible():
        assert dialog.accept_signer.width() >= dialog.accept_signer.sizeHint().width()


def test_a_supervisors_imports_say_what_happened_in_full_and_in_their_words(
    qtbot: Any, ui_session: Any, day: tuple[Any, Path]
) -> None:
    window, bundle = day
    first = importing(qtbot, ui_session, window, bundle)
    qtbot.waitUntil(first.accept_signer.isVisible, timeout=20_000)
    whole_on_screen(first)  # the fingerprint to compare by phone, all of it
    grouped = first.fingerprint[:4]
    assert grouped in first.message.text() and grouped in first.accept_signer.text()
    first.accept_signer.setChecked(True)
    with qtbot.waitSignal(first.accepted, timeout=30_000):
        first.ok_button.click()
    said = window.statusBar().currentMessage()
    assert said.startswith("Imported supervision bundle from a laptop (key "), said
    assert "new or changed here" in said and not UUID.search(said)  # no bundle id

    again = importing(qtbot, ui_session, window, bundle)
    assert again.isVisible() and again.message.kind == "info"  # news, not a fault
    assert "already imported, on " in again.message.text()
    whole_on_screen(again)
    again.reject()

    photo = bundle.parent / "holiday.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"JFIF" * 500)
    wrong = importing(qtbot, ui_session, window, photo)
    assert wrong.message.text().startswith("holiday.jpg is not a LinksDesk bundle."), (
        wrong.message.text()
    )
    assert "signature file" not in wrong.message.text()
    whole_on_screen(wrong)
    wrong.reject()

    signature = Path(f"{bundle}.minisig")
    mistaken = importing(qtbot, ui_session, window, signature)
    assert "is the bundle's signature file" in mistaken.message.text()
    assert bundle.name in mistaken.message.text()
    mistaken.reject()


def test_the_programme_boards_report_as_pdf_and_csv(
    qtbot: Any, ui_session: Any, day: tuple[Any, Path], tmp_path: Path, monkeypatch: Any
) -> None:
    window, bundle = day
    dialog = importing(qtbot, ui_session, window, bundle)
    qtbot.waitUntil(dialog.accept_signer.isVisible, timeout=20_000)
    dialog.accept_signer.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.ok_button.click()
    window.show_view("supervision")
    view = window.supervision_view
    view.set_period(Period.parse("2026-01..2026-12"))  # the year of the referrals, whatever today
    view.refresh()
    settle(qtbot, ui_session)
    written: dict[str, Path] = {}
    for fmt in ("pdf", "csv"):
        out = tmp_path / f"board.{fmt}"
        choice = ExportChoice(fmt, "external", out)
        monkeypatch.setattr(ExportDialog, "asked", lambda _dialog, c=choice: c)
        view.export_button.click()
        settle(qtbot, ui_session)
        qtbot.waitUntil(view.export_button.isEnabled, timeout=30_000)
        assert f"Report written to {out}." in view.message.text()
        written[fmt] = out
    text = subprocess.run(
        ["pdftotext", "-layout", str(written["pdf"]), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Referrals in by source and month" in text and "Caseload per worker" in text
    # the title page in a board's words: the months named, who the figures are for
    assert "January to December 2026" in text
    assert "External: board, funder, evaluation" in text
    assert "January to December 2026" in view.as_of_label.text()
    words = text.split()
    assert "Total" in words and "202" not in words  # no month or total broken mid-word
    with written["csv"].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert ["Source", *[f"2026-{m:02d}" for m in range(1, 13)], "Total"] in rows
    gp = next(r for r in rows if r and r[0] == "GP")
    assert gp[-1] == "12"  # the twelve people referred by their GP


def test_a_supervisor_vault_made_in_the_window_gets_its_bundle_key_there_and_imports(
    qtbot: Any, ui_session: Any, tmp_path: Path
) -> None:
    """Made in the window, a supervisor's vault had no bundle key and the window could not
    make or show one: the first import said to run `linksdesk keys new`."""
    from test_shell_unlock import create_through_screen

    window, _page = window_at_unlock(qtbot, ui_session, tmp_path / "supervisor.vault")
    screen = window.unlock_screen
    screen.create_page.supervisor.setChecked(True)
    create_through_screen(qtbot, screen)
    screen.key_page.stored.setChecked(True)
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        screen.key_page.continue_button.click()
    settle(qtbot, ui_session)
    # the empty dashboard says where the data comes from, not "Data as of never"
    window.show_view("supervision")
    label = window.supervision_view.as_of_label
    qtbot.waitUntil(lambda: "No data yet" in label.text(), timeout=20_000)
    assert "File › Import a bundle…" in label.text() and "never" not in label.text()

    # importing before the key exists says where to make it, in the window's own words
    early = ImportBundleDialog.ask(ui_session, window)
    qtbot.waitUntil(early.message.isVisible, timeout=20_000)
    assert "File › Your bundle key…" in early.message.text()
    assert "linksdesk keys" not in early.message.text() and not early.ok_button.isEnabled()
    early.reject()

    file_menu = window.menuBar().actions()[0].menu()
    assert window.action_bundle_key in file_menu.actions()
    window.action_bundle_key.trigger()
    dialog = window.findChild(BundleKeyDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.make_button.isVisible, timeout=20_000)
    assert not dialog.key_field.isVisible()
    said = dialog.message._text
    assert said.height() >= said.heightForWidth(said.width()), "the message is cut off"
    dialog.make_button.click()
    qtbot.waitUntil(dialog.key_field.isVisible, timeout=20_000)
    key = dialog.key_field.text()
    assert key.startswith("age1") and not dialog.make_button.isVisible()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == key
    dialog.reject()

    # a worker pastes it into their export; the bundle imports here
    lap = Laptop.create(tmp_path, "laptop")
    lap.contact(lap.person(given_name="Ailsa"), purpose="first meeting")
    bundle = tmp_path / "caseload.age"
    export.export_to_file(lap.store, bundle, kind="supervision", recipients=[key])
    lap.vault.lock()
    first = importing(qtbot, ui_session, window, bundle)
    qtbot.waitUntil(first.accept_signer.isVisible, timeout=20_000)
    first.accept_signer.setChecked(True)
    with qtbot.waitSignal(first.accepted, timeout=30_000):
        first.ok_button.click()
    assert first.result_info.applied >= 3

    # the key stays the same: shown again, never made anew
    window.action_bundle_key.trigger()
    again = [d for d in window.findChildren(BundleKeyDialog) if d.isVisible()][-1]
    qtbot.waitUntil(again.key_field.isVisible, timeout=20_000)
    assert again.key_field.text() == key and not again.make_button.isVisible()
    again.reject()


def test_a_links_workers_vault_has_no_bundle_key_and_says_why(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    unlocked_window.action_bundle_key.trigger()
    dialog = unlocked_window.findChild(BundleKeyDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.message.isVisible, timeout=20_000)
    assert "links worker's" in dialog.message.text()
    assert not dialog.make_button.isVisible() and not dialog.key_field.isVisible()
    dialog.reject()
