"""Save as PDF… onto a memory stick that is full or locked: the window says which, an older
file of the same name (the file dialog asked to replace it) is left as it was, and no PDF
cut short is left under the name. Real file systems (the small_disk fixture)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from documents_kit import build_full_record, pdf_text
from PySide6.QtWidgets import QMessageBox

from linksdesk.casework import own_record
from linksdesk.casework.casebook import Casebook
from linksdesk.ui.dialogs.print_record import RecordPrintPreview

if TYPE_CHECKING:
    from conftest import SmallDisk

pytestmark = pytest.mark.gui

MakeDisk = Callable[[str], "SmallDisk"]


@pytest.fixture
def record_pdf(vault: Any) -> bytes:
    cb = Casebook(vault)
    try:
        planted = build_full_record(cb)
        return own_record.record_pdf(cb, planted.participant_id, include_private=False).pdf
    finally:
        cb.lock()


def test_save_as_pdf_on_a_full_then_a_locked_stick(
    qtbot: Any, record_pdf: bytes, small_disk: MakeDisk, monkeypatch: Any, tmp_path: Path
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    stick = small_disk("512k")
    older = stick / "record.pdf"
    older.write_bytes(b"%PDF-1.4 the record saved last week\n")
    preview = RecordPrintPreview(record_pdf, "record.pdf", "Print", None)
    qtbot.addWidget(preview)

    filler = stick.fill(leave=len(record_pdf) // 2)
    assert not preview.save_to(older)
    assert older.read_bytes() == b"%PDF-1.4 the record saved last week\n"
    assert "no room left on the disk or memory stick" in said[-1]
    assert sorted(p.name for p in stick.path.iterdir()) == ["filler.bin", "record.pdf"]

    filler.unlink()
    with stick.read_only():
        assert not preview.save_to(older)
    assert "cannot be written to" in said[-1]
    assert older.read_bytes() == b"%PDF-1.4 the record saved last week\n"

    assert preview.save_to(older)  # room again, and writable: the file is replaced whole
    assert "Left out" in pdf_text(older)
    assert oct(older.stat().st_mode & 0o777) == "0o600"
    preview.pages.close()
