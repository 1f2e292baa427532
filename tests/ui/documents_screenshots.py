"""Render the record documents to PNG: ``python tests/ui/documents_screenshots.py OUTDIR``.

Synthetic data only (tests/documents_kit.py). Writes print-record-private-items.png,
print-record-preview.png, gp-summary.png and gp-summary-letter.png.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKSDESK_KDF_PROFILE", "fast")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for documents_kit


def main(out: Path) -> int:
    from documents_kit import build_full_record
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget

    from linksdesk.casework import gp_summary
    from linksdesk.casework.casebook import Casebook
    from linksdesk.ui.dialogs.print_record import PdfPages, PrivateItemsDialog
    from linksdesk.ui.main import make_app
    from linksdesk.ui.main_window import MainWindow
    from linksdesk.ui.session import UiSession

    app = make_app(["screenshots"])
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="linksdesk-docs-shots-"))
    passphrase = "correct horse battery staple"

    def settle(ms: int = 200) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(check: object, ms: int = 30_000) -> None:
        for _ in range(ms // 20):
            if check():  # type: ignore[operator]
                return
            settle(20)
        raise TimeoutError("the screen did not get ready")

    def save(widget: QWidget, name: str) -> None:
        settle(400)
        widget.grab().save(str(out / name))
        print("wrote", out / name)

    path = tmp / "docs.vault"
    cb, _key = Casebook.create(path, passphrase)
    planted = build_full_record(cb)
    cb.lock()

    session = UiSession()
    window = MainWindow(session, path)
    window.resize(1100, 760)
    window.show()
    session.unlock(path, passphrase)
    wait_for(lambda: session.is_unlocked)
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
