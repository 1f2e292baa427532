"""The evaluation team's files from the Team dashboard: Evaluation files… writes them into a
new folder, says how many records and participants, and writes nothing over a folder that
is there. A real supervisor's vault holding a real laptop's evaluation bundle, offscreen."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, bundle_of, fingerprint_of
from screens_kit import dashboard_on, settle

from linksdesk.sync.bundle import receive
from linksdesk.ui.views.supervision import EvaluationFolderDialog

pytestmark = pytest.mark.gui


def test_evaluation_files_are_written_from_the_dashboard(
    qtbot: Any, ui_session: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    sup = Supervisor.create(tmp_path)
    lap = Laptop.create(tmp_path, "laptop")
    try:
        lap.give_programme_key()
        for _ in range(5):
            lap.contact(lap.person(source="gp"))
        bundle = bundle_of(lap, sup, tmp_path / "evaluation.age", "evaluation")
        receive.import_bundle(sup.store, bundle, trust=fingerprint_of(lap))
    finally:
        lap.close()
        sup.vault.lock()
    view = dashboard_on(qtbot, ui_session, sup.path)
    folder = tmp_path / "for-the-evaluators"
    monkeypatch.setattr(EvaluationFolderDialog, "ask", classmethod(lambda cls, parent: folder))
    view.evaluation_button.click()
    settle(qtbot, ui_session)
    assert (
        view.message.text().startswith("Wrote ") and "of 5 participants to" in view.message.text()
    )
    with (folder / "participant.csv").open(newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 5
    view.evaluation_button.click()  # the same folder again: said, nothing written over
    settle(qtbot, ui_session)
    assert "already exists; choose a new folder name" in view.message.text()
