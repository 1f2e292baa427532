"""File › Export for a supervisor…, the supervisor's key pasted wrong by a tired links
worker. Outside checker, round 16."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Supervisor

from linksdesk.ui.bundle_dialogs import ExportBundleDialog
from linksdesk.ui.session import UiSession

pytestmark = pytest.mark.gui


def export_for_a_supervisor(
    session: UiSession, window: Any, tmp_path: Path, *, cut: int = 0
) -> ExportBundleDialog:
    """Export for a supervisor… open, a real supervisor's bundle key pasted into it (its
    last ``cut`` letters left behind)."""
    sup = Supervisor.create(tmp_path)
    key = sup.recipient
    sup.vault.lock()
    dialog = ExportBundleDialog.ask(session, window)
    dialog.recipients.setPlainText(key[: len(key) - cut])
    return dialog


def test_a_key_pasted_one_letter_short_is_explained_in_the_workers_terms(
    qtbot: Any, unlocked_window: Any, ui_session: UiSession, tmp_path: Path
) -> None:
    # the last letter left behind by the mouse
    dialog = export_for_a_supervisor(ui_session, unlocked_window, tmp_path, cut=1)
    out = tmp_path / "for-supervisor.age"
    dialog.out.setText(str(out))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.job_id is None and dialog.message.isVisible(), timeout=20_000)
    text = dialog.message.text()
    assert not out.exists()
    assert "key" in text  # it is about the supervisor's key …
    # … in the words the supervisor's own window uses (File › Your bundle key…), not
    # the command line's or the encryption library's
    assert "linksdesk keys" not in text and "age recipient" not in text
    assert "File › Your bundle key…" in text and "age1" in text
    dialog.reject()
