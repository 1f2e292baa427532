"""Before a code is used, the laptop says whose it is and asks (two codes swapped at a team
meeting must not enrol a laptop as a colleague, its records sent as theirs); against an older
server that cannot say, it enrols as before."""

from __future__ import annotations

from typing import Any

import pytest
from day_kit import finished, on_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from shell_kit import SyncServer
from sqlalchemy import select

from linksdesk.server.models import Device, EnrolCode, Record
from linksdesk.sync import transport
from linksdesk.ui import dialog_kit as kit
from linksdesk.ui import sync_ui
from linksdesk.ui.session import UiSession
from linksdesk.ui.sync_ui import EnrolDialog

pytestmark = pytest.mark.gui


def _dialog(window: Any, server: SyncServer) -> EnrolDialog:
    window.action_enrol.trigger()
    dialog = window.findChild(EnrolDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.server.setText(server.url)
    dialog.code.setText(server.code)
    return dialog


def _unused(server: SyncServer) -> bool:
    with server.db.reading() as s:
        codes = s.scalars(select(EnrolCode)).all()
        sent = s.scalars(select(Device)).all() or s.scalars(select(Record)).all()
        return [c.used_ms for c in codes] == [None] and not sent


def test_no_keeps_the_code_unused_and_yes_enrols(
    qtbot: Any, unlocked_window: Any, sync_server: SyncServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = unlocked_window
    asked: list[str] = []
    monkeypatch.setattr(sync_ui.kit, "ask_yes_no", lambda _p, _t, text: asked.append(text))
    dialog = _dialog(window, sync_server)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=20_000)
    assert len(asked) == 1
    assert "worker-shell-test (team-shell-test)" in asked[0]
    assert dialog.isVisible() and dialog.code.text() == sync_server.code
    assert "your own code" in dialog.message.text()
    assert _unused(sync_server)
    assert not window.sync.running

    monkeypatch.setattr(sync_ui.kit, "ask_yes_no", lambda *_a: True)
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        dialog.ok_button.click()  # enrolling starts the first sync, as before
    assert not _unused(sync_server)


def test_an_older_server_that_cannot_say_whose_enrols_as_before(
    qtbot: Any,
    unlocked_window: Any,
    ui_session: UiSession,
    sync_server: SyncServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = transport.Transport.post

    def post(self: Any, endpoint: str, body: Any, answer: Any) -> Any:
        # the server's answer to a path it does not serve, as a server before the preview
        missing = "not-served-here" if endpoint == "enrol/preview" else endpoint
        return original(self, missing, body, answer)

    monkeypatch.setattr(transport.Transport, "post", post)
    asked: list[str] = []
    monkeypatch.setattr(sync_ui.kit, "ask_yes_no", lambda _p, _t, text: asked.append(text))
    said: list[str] = []
    ui_session.sig_status.connect(said.append)
    window = unlocked_window
    dialog = _dialog(window, sync_server)
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        dialog.ok_button.click()
    assert not asked
    assert not _unused(sync_server)
    # the person is told it could not be checked, and who can check it
    assert any("could not say whose" in line for line in said), said


def test_a_name_that_looks_like_markup_is_asked_about_as_typed(qtbot: Any) -> None:
    """The question names a worker as the administrator typed them: a name holding "<" and
    ">" was read as formatting by the question box (a bold tag vanished into bold text)."""
    seen: dict[str, Any] = {}

    def answer(box: QMessageBox) -> None:
        seen["format"], seen["text"] = box.textFormat(), box.text()
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    state = on_modal(answer, kind=QMessageBox)
    said = "This code is for <b>Ann</b> (team <i>North</i>)."
    assert kit.ask_yes_no(None, "Whose code is this?", said) is False  # Esc: No
    finished(qtbot, state)
    assert seen == {"format": Qt.TextFormat.PlainText, "text": said}
