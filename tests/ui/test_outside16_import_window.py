"""A supervisor hands the Import a bundle… window files the way people hand them in: a
path copied with its quotes, a file dragged from the file manager, a bundle meant for
another supervisor from a laptop not known yet; and the other path fields read the same.
Outside checker, round 16."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from bundle_kit import Laptop, Supervisor, bundle_of
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from shell_kit import PASSPHRASE
from test_outside16_export_key_typed import export_for_a_supervisor

from linksdesk.ui.bundle_dialogs import ImportBundleDialog
from linksdesk.ui.session import UiSession
from linksdesk.ui.widgets import PathRow, typed_path

pytestmark = pytest.mark.gui


@pytest.fixture
def handed(qtbot: Any, ui_session: UiSession, tmp_path: Path) -> Iterator[dict[str, Path]]:
    """A supervisor's vault open in the session; a laptop's bundle for it and one for
    another supervisor, neither laptop known to the vault yet."""
    sup = Supervisor.create(tmp_path)
    other = Supervisor.create(tmp_path, "other-supervisor")
    lap = Laptop.create(tmp_path, "laptop")
    lap.person()
    files = {
        "ours": bundle_of(lap, sup, tmp_path / "for-me.age"),
        "theirs": bundle_of(lap, other, tmp_path / "for-another.age"),
    }
    lap.close()
    other.vault.lock()
    sup.vault.lock()
    with qtbot.waitSignal(ui_session.sig_unlocked, timeout=20_000):
        ui_session.unlock(sup.path, PASSPHRASE)
    yield files
    if ui_session.is_unlocked:
        with qtbot.waitSignal(ui_session.sig_locked, timeout=20_000):
            ui_session.lock()


def _import(qtbot: Any, dialog: ImportBundleDialog) -> str:
    """Import clicked; the message the dialog shows once the job is back."""
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or dialog.job_id is None, timeout=30_000)
    assert shiboken6.isValid(dialog), "a refused file was imported"
    return dialog.message.text()


def test_a_path_copied_with_its_quotes_reads_the_bundle(
    qtbot: Any, ui_session: UiSession, handed: dict[str, Path]
) -> None:
    dialog = ImportBundleDialog.ask(ui_session, None)
    qtbot.keyClicks(dialog.path, f'"{handed["ours"]}"')
    text = _import(qtbot, dialog)
    assert "There is no file" not in text
    assert "does not know" in text and dialog.accept_signer.isVisible()  # the next step


def test_a_bundle_dragged_from_the_file_manager_is_read(
    qtbot: Any, ui_session: UiSession, handed: dict[str, Path]
) -> None:
    dialog = ImportBundleDialog.ask(ui_session, None)
    field = dialog.path
    url = QUrl.fromLocalFile(str(handed["ours"]))
    mime = QMimeData()
    mime.setUrls([url])
    mime.setText(url.toString())  # as file managers offer it to a text field
    where = QPointF(QPoint(5, field.height() // 2))
    drop = QDropEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    field.setFocus()
    field.dropEvent(drop)
    assert field.text(), "the drop put nothing in the field"
    text = _import(qtbot, dialog)
    assert "There is no file" not in text
    assert "does not know" in text and dialog.accept_signer.isVisible()


def test_a_bundle_for_another_supervisor_says_so_before_any_phone_call(
    qtbot: Any, ui_session: UiSession, handed: dict[str, Path]
) -> None:
    """The vault holds its own bundle key: it can tell the bundle is not for it before
    sending a tired supervisor to phone the worker and compare a fingerprint."""
    dialog = ImportBundleDialog.ask(ui_session, None)
    dialog.path.setText(str(handed["theirs"]))
    text = _import(qtbot, dialog)
    assert "another supervisor" in text
    assert not dialog.accept_signer.isVisible()
    assert "Phone" not in text


def test_a_folder_or_an_empty_signature_is_refused_in_words_and_the_real_bundle_then_imports(
    qtbot: Any, ui_session: UiSession, handed: dict[str, Path], tmp_path: Path
) -> None:
    """What held: a folder chosen instead of the file, and a bundle whose signature file
    came over empty, are refused in plain words; the good bundle then imports, and the
    same bundle again is news, not a fault."""
    folder = tmp_path / "usb-stick.age"
    folder.mkdir()
    blank = tmp_path / "blank-signature.age"
    blank.write_bytes(handed["ours"].read_bytes())
    Path(f"{blank}.minisig").write_bytes(b"")
    for path, words in ((folder, "could not be read"), (blank, "signature file is damaged")):
        dialog = ImportBundleDialog.ask(ui_session, None)
        dialog.path.setText(str(path))
        text = _import(qtbot, dialog)
        assert words in text and "Traceback" not in text and "Error" not in text
        dialog.reject()

    dialog = ImportBundleDialog.ask(ui_session, None)
    dialog.path.setText(str(handed["ours"]))
    assert "does not know" in _import(qtbot, dialog)
    dialog.accept_signer.setChecked(True)
    got: dict[str, Any] = {}
    dialog.accepted.connect(lambda: got.setdefault("report", dialog.result_info))
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.ok_button.click()
    assert got["report"].counts["participant"] == 1

    again = ImportBundleDialog.ask(ui_session, None)
    again.path.setText(str(handed["ours"]))
    assert "already imported" in _import(qtbot, again)
    again.reject()


def test_a_path_field_reads_a_path_as_people_hand_it_in(tmp_path: Path) -> None:
    """One reading for every path field (import, export, backup, vault, report)."""
    spaced = tmp_path / "from the stick" / "bundle 1.age"
    assert typed_path(f'  "{spaced}"  ') == spaced
    assert typed_path(f"'{spaced}'") == spaced
    assert typed_path(QUrl.fromLocalFile(str(spaced)).toString()) == spaced  # %20 read back
    assert typed_path(f'"{QUrl.fromLocalFile(str(spaced)).toString()}"\n') == spaced
    assert typed_path("~/bundle.age") == Path.home() / "bundle.age"
    # only one matching pair is taken off: a name with a quote of its own keeps it
    assert typed_path(f'{tmp_path}/"odd".age') == tmp_path / '"odd".age'
    assert typed_path(f'"{tmp_path}/x.age') == Path(f'"{tmp_path}/x.age')
    assert typed_path('  ""  ') is None and typed_path("") is None
    row = PathRow("Backup file", lambda _current: None, None)
    row.edit.setText(f'"{spaced}"')
    assert row.path() == spaced
    row.deleteLater()


def test_the_export_window_takes_a_save_as_path_copied_with_its_quotes(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    dialog = export_for_a_supervisor(ui_session, unlocked_window, tmp_path)
    out = tmp_path / "for supervisor.age"
    dialog.out.setText(f' "{out}" ')
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        dialog.ok_button.click()
    assert out.exists() and Path(f"{out}.minisig").exists()
    assert [p.name for p in tmp_path.iterdir() if '"' in p.name] == []
