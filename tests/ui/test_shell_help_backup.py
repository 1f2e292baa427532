"""Help › About and Help › User guide, File › Back up… and File › Moving to a new laptop…."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from shell_kit import call_casework
from synthetic import PASSPHRASE

from linksdesk import __version__
from linksdesk.casework import backup, notes, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.measures import SWEMWBS_COPYRIGHT, WEMWBS_COPYRIGHT
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def _menu_action(window: Any, menu_title: str, text: str) -> Any:
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == menu_title:
            for action in menu_action.menu().actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"{menu_title} › {text} is not in the menus")


def test_about_shows_version_licences_and_measure_copyrights(qtbot: Any, window: Any) -> None:
    _menu_action(window, "Help", "About LinksDesk").trigger()
    dialog = window.about_dialog
    qtbot.waitExposed(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.measures)))
    assert __version__ in texts
    assert WEMWBS_COPYRIGHT in dialog.measures.text()
    assert SWEMWBS_COPYRIGHT in dialog.measures.text()
    items = [dialog.components.item(i).text() for i in range(dialog.components.count())]
    assert any(i.startswith("Qt — LGPL-3.0") for i in items), items
    assert any(i.startswith("SQLCipher") for i in items)
    assert any(i.startswith("PySide6") for i in items)
    qt_row = next(i for i, t in enumerate(items) if t.startswith("Qt —"))
    dialog.components.setCurrentRow(qt_row)
    text = dialog.licence_text.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "replace them" in text
    dialog.reject()


def test_user_guide_opens_offline_with_its_pictures(qtbot: Any, window: Any) -> None:
    action = _menu_action(window, "Help", "User guide")
    assert action.shortcut().toString() == "F1"
    action.trigger()
    guide = window.user_guide
    qtbot.waitExposed(guide)
    text = guide.browser.toPlainText()
    for heading in (
        "First run and your recovery key",
        "Offline and sync",
        "Conflicts",
        "What stays private, and why",
        "Lost passphrase",
        "Lost or stolen laptop",
        "Moving to a new laptop",
    ):
        assert heading in text
    # the pictures are found beside the guide (no network): the document holds them
    image = guide.browser.document().resource(3, "screenshots/unlock.png")  # ImageResource
    assert image is not None and not image.isNull()
    guide.close()


def test_back_up_from_the_file_menu_with_progress(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = unlocked_window
    person = call_casework(
        qtbot, ui_session, participants.create_participant, given_name="Ada", family_name="Ex"
    ).value
    call_casework(qtbot, ui_session, notes.write_note, person.id, "first meeting at the library")
    out = tmp_path / "usb" / "friday"
    out.parent.mkdir()
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    steps: list[tuple[int, int, int]] = []
    ui_session.runner.sig_progress.connect(lambda j, d, t: steps.append((j, d, t)))
    action = _menu_action(window, "File", "Back up…")
    assert action.isEnabled()
    action.trigger()
    saved = out.with_suffix(".ldbackup")
    qtbot.waitUntil(lambda: window.backups.last_file == saved, timeout=20_000)
    assert steps and steps[-1][1] == steps[-1][2] > 0  # progress reached the end
    assert "Backed up to" in window.statusBar().currentMessage()
    target = tmp_path / "new-laptop" / "worker.vault"
    backup.restore_backup(saved, target, passphrase=PASSPHRASE)
    cb = Casebook.unlock(target, PASSPHRASE)
    try:
        assert participants.get_participant(cb, person.id).given_name == "Ada"
    finally:
        cb.lock()


def test_moving_to_a_new_laptop_says_what_stays_and_offers_the_backup(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = unlocked_window
    person = call_casework(
        qtbot, ui_session, participants.create_participant, given_name="Bo", family_name="Ex"
    ).value
    call_casework(
        qtbot,
        ui_session,
        notes.write_note,
        person.id,
        "only mine",
        private=True,
        written_at=dt.datetime(2026, 3, 2, 10, 0),
    )
    # pretend-free: mark this laptop enrolled the way sync does, through its state
    from linksdesk.sync import state

    def enrolled(cb: Any) -> None:
        with cb.store.write() as tx:
            state.put(tx.session, state.TOKEN, "t")
            state.put(tx.session, state.SERVER_URL, "https://sync.example.invalid")

    call_casework(qtbot, ui_session, enrolled)
    _menu_action(window, "File", "Moving to a new laptop…").trigger()
    qtbot.waitUntil(
        lambda: getattr(window.backups, "new_laptop_box", None) is not None, timeout=10_000
    )
    box = window.backups.new_laptop_box
    text = box.informativeText()
    assert "whole shared caseload" in text
    assert "stay only on this laptop and will NOT come down" in text
    assert "1 participant who has not agreed to share" in text
    assert "1 private record;" in text  # the note with its first version: one record
    # the id the administrator revokes, so the new laptop is never the one revoked
    assert f"This laptop is device {ui_session.require_casebook().device_id}" in text
    out = tmp_path / "move.ldbackup"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    box.backup_button.click()
    qtbot.waitUntil(lambda: window.backups.last_file == out, timeout=20_000)
    assert backup.read_backup(out).size > 0
