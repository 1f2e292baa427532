"""Team dashboard › Name workers…: the supervisor types the names they know, a clash is said
in the dialog with what was typed kept, and the dashboard's filter shows the names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from screens_kit import dashboard_on, settle
from team_kit import PERIOD, build_team
from test_tired_outcome_note import answer_box

from linksdesk.ui.dialogs.worker_names import WorkerNamesDialog
from linksdesk.ui.views.supervision import SupervisionView

pytestmark = pytest.mark.gui


def worker_filter(view: SupervisionView) -> list[str]:
    return [view.worker_box.itemText(i) for i in range(view.worker_box.count())]


def test_naming_workers_from_the_dashboard(qtbot: Any, ui_session: Any, tmp_path: Path) -> None:
    supervisor, ledger = build_team(tmp_path, workers=2, people=3, seed=5)
    path = supervisor.path
    supervisor.lock()
    view = dashboard_on(qtbot, ui_session, path, PERIOD)
    first, second = ledger.workers
    assert f"Worker {first[-6:]}" in worker_filter(view)

    dialog: WorkerNamesDialog = view.name_workers()
    qtbot.waitUntil(lambda: len(dialog.fields) == 2, timeout=20_000)
    assert dialog.fields[first].placeholderText() == f"Worker {first[-6:]}"
    # the same name twice: said in the dialog, which stays open with both names as typed
    dialog.fields[first].setText("Morven")
    dialog.fields[second].setText("morven")
    dialog.save()
    qtbot.waitUntil(lambda: "same name" in dialog.message.text(), timeout=20_000)
    assert dialog.isVisible() and dialog.fields[second].text() == "morven"

    dialog.fields[second].setText("Tamsin")
    with qtbot.waitSignal(dialog.sig_saved, timeout=20_000):
        dialog.save()
    settle(qtbot, ui_session)
    assert {"Morven", "Tamsin"} <= set(worker_filter(view))
    assert f"Worker {first[-6:]}" not in worker_filter(view)
    # opened again, the names given are there to change
    again: WorkerNamesDialog = view.name_workers()
    qtbot.waitUntil(lambda: len(again.fields) == 2, timeout=20_000)
    assert again.fields[first].text() == "Morven"
    again.reject()  # nothing typed: closed at once
    assert not again.isVisible()
    # a name typed and Escape pressed: asked first (Cancel keeps it), then Discard closes
    typed: WorkerNamesDialog = view.name_workers()
    qtbot.waitUntil(lambda: len(typed.fields) == 2, timeout=20_000)
    typed.fields[second].setText("Tamsin Rose")
    seen: dict[str, Any] = {}
    answer_box(QMessageBox.StandardButton.Cancel, seen)
    qtbot.keyClick(typed.fields[second], Qt.Key.Key_Escape)
    assert "Discard" in seen.get("question", "") and typed.isVisible()
    assert typed.fields[second].text() == "Tamsin Rose"
    answer_box(QMessageBox.StandardButton.Discard, seen)
    typed.reject()
    assert not typed.isVisible() and "Tamsin Rose" not in worker_filter(view)
