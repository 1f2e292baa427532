"""File › Print record… (Ctrl+P) with its preview, and the GP summary, from the open record."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from documents_kit import (
    PRIVATE_CONTACT,
    PRIVATE_NOTE,
    SHARED_NOTE,
    Planted,
    build_full_record,
    pdf_text,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from shell_kit import call_casework
from sqlalchemy import select, update

from linksdesk.casework import consent
from linksdesk.storage.tables import AuditEvent, Contact, Note, NoteRevision
from linksdesk.ui.dialogs.print_record import PrivateItemsDialog

pytestmark = pytest.mark.gui

REFERRAL_CODE = "871731000000106"


def _plant(qtbot: Any, session: Any, gp_consent: bool | None = True) -> Planted:
    return call_casework(qtbot, session, lambda cb: build_full_record(cb, gp_consent=gp_consent))


def _open(qtbot: Any, window: Any, pid: str) -> None:
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.open_participant(pid)


def _preview(qtbot: Any, window: Any, monkeypatch: Any, *, private: bool = False) -> Any:
    """Print record… on the open record, answering whether private items go in, and wait
    for its preview."""
    monkeypatch.setattr(
        PrivateItemsDialog, "ask", classmethod(lambda cls, parent, pid, counts: private)
    )
    window.action_print_record.trigger()
    qtbot.waitUntil(lambda: window.record_documents.preview is not None, timeout=20_000)
    return window.record_documents.preview


def _exports(qtbot: Any, session: Any) -> list[tuple[str, str | None]]:
    def read(cb: Any) -> list[tuple[str, str | None]]:
        with cb.store.read() as s:
            rows = s.scalars(select(AuditEvent).where(AuditEvent.action == "export"))
            return [(e.entity, e.entity_id) for e in rows]

    return call_casework(qtbot, session, read)


def _press_ctrl_p(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_p_asks_about_private_items_then_opens_the_preview(
    qtbot: Any, unlocked_window: Any, ui_session: Any, monkeypatch: Any
) -> None:
    window = unlocked_window
    planted = _plant(qtbot, ui_session)
    # with no record open the action is off and says why
    assert not window.action_print_record.isEnabled()
    assert "Open a participant's record first" in window.action_print_record.toolTip()
    _open(qtbot, window, planted.participant_id)
    assert window.action_print_record.isEnabled()
    assert window.action_print_record.shortcut().toString() == "Ctrl+P"
    file_menu = window.menuBar().actions()[0].menu()
    assert window.action_print_record in file_menu.actions()
    assert window.action_gp_summary in file_menu.actions()

    asked: list[tuple[str, dict[str, int]]] = []

    def leave_out(cls: Any, parent: Any, programme_id: str, counts: Any) -> bool:
        asked.append((programme_id, dict(counts)))
        return False

    monkeypatch.setattr(PrivateItemsDialog, "ask", classmethod(leave_out))
    _press_ctrl_p(qtbot, window)
    qtbot.waitUntil(lambda: window.record_documents.preview is not None, timeout=20_000)
    preview = window.record_documents.preview
    assert asked == [(planted.programme_id, {"contact": 1, "note": 1})]
    qtbot.waitUntil(preview.isVisible)
    assert preview.pages.count >= 3
    assert preview.file_name.startswith(f"record-{planted.programme_id}-")
    assert _exports(qtbot, ui_session) == [("participant_record", planted.participant_id)]

    # what the preview shows is the produced PDF: saved, pdftotext reads it, no private item
    saved = Path(ui_session.vault_path).parent / "saved-record.pdf"
    assert preview.save_to(saved)
    text = pdf_text(saved)
    assert PRIVATE_NOTE not in text and PRIVATE_CONTACT not in text
    assert "Left out: 1 contact and 1 case note" in text
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    preview.reject()
    qtbot.waitUntil(lambda: window.record_documents.preview is None)

    # the worker and the person chose to include them this time
    preview = _preview(qtbot, window, monkeypatch, private=True)
    full = Path(ui_session.vault_path).parent / "full-record.pdf"
    assert preview.save_to(full)
    assert PRIVATE_NOTE in pdf_text(full)
    assert _exports(qtbot, ui_session)[-1] == (
        "participant_record+private",
        planted.participant_id,
    )
    preview.reject()


def test_no_question_when_nothing_is_private_and_the_preview_paints(
    qtbot: Any, unlocked_window: Any, ui_session: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    window = unlocked_window
    planted = _plant(qtbot, ui_session)

    def share_everything(cb: Any) -> None:
        with cb.store.write() as tx:
            for table in (Contact, Note, NoteRevision):
                tx.session.execute(update(table).values(sharing="team"))

    call_casework(qtbot, ui_session, share_everything)
    _open(qtbot, window, planted.participant_id)

    def must_not_ask(*_a: Any, **_k: Any) -> bool:
        raise AssertionError("asked about private items when there are none")

    monkeypatch.setattr(PrivateItemsDialog, "ask", classmethod(must_not_ask))
    _press_ctrl_p(qtbot, window)
    qtbot.waitUntil(lambda: window.record_documents.preview is not None, timeout=20_000)
    preview = window.record_documents.preview
    # printing draws every page of the PDF onto the printer (here a PDF printer)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    printer.setFullPage(True)
    preview.pages.paint(printer)
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True).stdout
    assert f"Pages:           {preview.pages.count}" in info
    preview.reject()


def test_the_private_items_question_names_them_and_answers_three_ways(qtbot: Any) -> None:
    dialog = PrivateItemsDialog("P1042", {"note": 2, "contact": 1})
    qtbot.addWidget(dialog)
    assert "2 case notes and 1 contact" in dialog.message.text()
    assert "Decide with them" in dialog.message.text()
    assert dialog.leave_out_button.isDefault()
    dialog.show()
    dialog.include_button.click()
    assert dialog.result() == PrivateItemsDialog.INCLUDE
    dialog.show()
    dialog.leave_out_button.click()
    assert dialog.result() == PrivateItemsDialog.LEAVE_OUT


def test_gp_summary_is_off_with_a_reason_until_gp_consent_is_given(
    qtbot: Any, unlocked_window: Any, ui_session: Any
) -> None:
    window = unlocked_window
    planted = _plant(qtbot, ui_session, gp_consent=None)
    _open(qtbot, window, planted.participant_id)
    action = window.action_gp_summary
    assert not action.isEnabled()
    assert "not been asked about sharing with their GP practice" in action.toolTip()
    assert "Record consent…" in action.toolTip()
    # triggering it anyway (a stale shortcut) only says why
    window.record_documents.open_gp_summary()
    assert window.record_documents.gp_dialog is None

    call_casework(qtbot, ui_session, consent.record_consent, planted.participant_id, "gp", True)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.participant_view.refresh()
    assert action.isEnabled()
    assert "needs their GP consent" in action.toolTip()

    call_casework(qtbot, ui_session, consent.record_consent, planted.participant_id, "gp", False)
    with qtbot.waitSignal(window.participant_view.sig_loaded, timeout=20_000):
        window.participant_view.refresh()
    assert not action.isEnabled()
    assert "says no" in action.toolTip()


def test_gp_summary_dialog_ticks_notes_copies_and_saves_without_private_items(
    qtbot: Any, unlocked_window: Any, ui_session: Any, tmp_path: Path
) -> None:
    window = unlocked_window
    planted = _plant(qtbot, ui_session)
    _open(qtbot, window, planted.participant_id)
    assert window.action_gp_summary.isEnabled()
    window.action_gp_summary.trigger()
    dialog = window.record_documents.gp_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: REFERRAL_CODE in dialog.preview.toPlainText(), timeout=20_000)
    shown = dialog.preview.toPlainText()
    for never in (PRIVATE_NOTE, PRIVATE_CONTACT, SHARED_NOTE):
        assert never not in shown
    # a private note cannot even be ticked
    assert planted.private_note_id not in dialog.note_boxes
    assert "1 private case note is never shared" in dialog.private_label.text()

    dialog.note_boxes[planted.shared_note_id].setChecked(True)
    qtbot.waitUntil(lambda: SHARED_NOTE in dialog.preview.toPlainText(), timeout=20_000)
    dialog.declined.setChecked(True)
    qtbot.waitUntil(lambda: "871711000000103" in dialog.preview.toPlainText(), timeout=20_000)

    dialog.copy_button.click()
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: REFERRAL_CODE in clipboard.text(), timeout=20_000)
    assert SHARED_NOTE in clipboard.text() and PRIVATE_NOTE not in clipboard.text()
    assert "cleared in" in dialog.message.text()
    # the session's guard clears it again (200 ms in these tests, 30 s by default)
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5_000)

    letter = tmp_path / "letter"
    dialog.save_pdf_to(letter)
    saved = tmp_path / "letter.pdf"
    qtbot.waitUntil(saved.exists, timeout=20_000)
    text = pdf_text(saved)
    assert REFERRAL_CODE in text and SHARED_NOTE in text and PRIVATE_NOTE not in text
    assert [e for e, _pid in _exports(qtbot, ui_session)] == [
        "gp_summary_text+notes",
        "gp_summary_pdf+notes",
    ]
    dialog.reject()


def test_locking_closes_the_documents(
    qtbot: Any, unlocked_window: Any, ui_session: Any, monkeypatch: Any
) -> None:
    window = unlocked_window
    planted = _plant(qtbot, ui_session)
    _open(qtbot, window, planted.participant_id)
    preview = _preview(qtbot, window, monkeypatch)
    qtbot.waitUntil(preview.isVisible)
    with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
        window.lock()
    qtbot.waitUntil(lambda: window.record_documents.preview is None, timeout=5_000)
    assert not window.action_print_record.isEnabled()
    assert not window.action_gp_summary.isEnabled()


def test_programme_name_is_set_in_settings_and_printed(
    qtbot: Any, unlocked_window: Any, ui_session: Any, monkeypatch: Any
) -> None:
    window = unlocked_window
    planted = _plant(qtbot, ui_session)
    window.action_settings.trigger()
    dialog = window.settings_dialog
    assert dialog.programme_name.text() == "Community links programme"
    dialog.programme_name.setText("  Glenvale   Links ")
    with qtbot.waitSignal(ui_session.sig_settings_changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ui_session.settings.programme_name == "Glenvale Links"

    _open(qtbot, window, planted.participant_id)
    preview = _preview(qtbot, window, monkeypatch)
    saved = Path(ui_session.vault_path).parent / "named.pdf"
    assert preview.save_to(saved)
    assert "Everything Glenvale Links holds about" in pdf_text(saved)
    preview.reject()
