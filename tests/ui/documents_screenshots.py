"""Render the record documents to PNG: ``python tests/ui/documents_screenshots.py OUTDIR``.

Synthetic data only (tests/documents_kit.py). Writes print-record-private-items.png,
print-record-preview.png, gp-summary.png and gp-summary-letter.png.
"""

from __future__ import annotations

import os
import shutil
import sys
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for documents_kit


def main(out: Path) -> int:
    import shots_kit
    from documents_kit import build_full_record
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QImage
    from shots_kit import unlocked_window, wait_for

    from linksdesk.casework import gp_summary
    from linksdesk.casework.casebook import Casebook
    from linksdesk.ui.dialogs.print_record import PdfPages, PrivateItemsDialog

    app, tmp = shots_kit.begin(out, "linksdesk-docs-shots-")
    passphrase = shots_kit.PASSPHRASE

    save = partial(shots_kit.save, out, ms=400)

    path = tmp / "docs.vault"
    cb, _key = Casebook.create(path, passphrase)
    planted = build_full_record(cb)
    cb.lock()

    session, window = unlocked_window(path, passphrase, (1100, 760))
    window.open_participant(planted.participant_id)
    wait_for(lambda: window.participant_view.data is not None)

    # the question, shown for real and answered "leave them out" by a timer
    def answer() -> None:
        dialog = app.activeModalWidget()
        if isinstance(dialog, PrivateItemsDialog):
            dialog.grab().save(str(out / "print-record-private-items.png"))
            print("wrote", out / "print-record-private-items.png")
            dialog.leave_out_button.click()
        else:
            QTimer.singleShot(100, answer)

    QTimer.singleShot(300, answer)
    window.action_print_record.trigger()
    wait_for(lambda: window.record_documents.preview is not None)
    preview = window.record_documents.preview
    save(preview, "print-record-preview.png")
    preview.reject()

    window.action_gp_summary.trigger()
    dialog = window.record_documents.gp_dialog
    wait_for(lambda: "871731000000106" in dialog.preview.toPlainText())
    dialog.note_boxes[planted.shared_note_id].setChecked(True)
    wait_for(lambda: "Case notes shared" in dialog.preview.toPlainText())
    save(dialog, "gp-summary.png")
    dialog.reject()

    # the letter's first page, as QtPdf draws it
    done: list[object] = []
    session.call(gp_summary.export_gp_summary, planted.participant_id, "pdf", on_done=done.append)
    wait_for(lambda: bool(done))
    pages = PdfPages(done[0].content)  # type: ignore[attr-defined]
    size = pages.document.pagePointSize(0).toSize() * 1.4
    image: QImage = pages.document.render(0, size)
    image.save(str(out / "gp-summary-letter.png"))
    print("wrote", out / "gp-summary-letter.png")
    pages.close()

    session.shutdown()
    window.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
