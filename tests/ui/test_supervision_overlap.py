"""The team dashboard asks before writing an external report that overlaps one written
before: No writes nothing, Yes writes it. A real supervisor's vault, offscreen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screens_kit import dashboard_on, settle
from shell_kit import PASSPHRASE, on_db_thread

from linksdesk.casework import bundles
from linksdesk.reports.export import export_report
from linksdesk.reports.scope import Period, Scope
from linksdesk.ui.views import supervision as supervision_view
from linksdesk.ui.views.supervision import (
    ExportChoice,
    ExportDialog,
    PublishedFilesDialog,
    SupervisionView,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot: Any, ui_session: Any, tmp_path: Path) -> SupervisionView:
    path = tmp_path / "sup.vault"

    def make() -> None:
        cb, _key = bundles.create_vault(path, PASSPHRASE, supervisor=True)
        cb.lock()

    on_db_thread(qtbot, ui_session, make)
    return dashboard_on(qtbot, ui_session, path)


def export(qtbot: Any, ui_session: Any, view: SupervisionView, period: str, out: Path) -> None:
    view.set_period(Period.parse(period))
    view.export_button.click()
    settle(qtbot, ui_session)
    qtbot.waitUntil(lambda: view.export_button.isEnabled(), timeout=20_000)
    settle(qtbot, ui_session)


def test_an_overlapping_external_report_is_asked_about(
    qtbot: Any, ui_session: Any, view: SupervisionView, tmp_path: Path, monkeypatch: Any
) -> None:
    outs = iter([tmp_path / "h1.csv", tmp_path / "q2.csv", tmp_path / "q2-anyway.csv"])
    monkeypatch.setattr(
        ExportDialog, "asked", lambda _d: ExportChoice("csv", "external", next(outs))
    )
    asked: list[str] = []
    answers = iter([False, True])

    def ask(_parent: Any, title: str, text: str) -> bool:
        asked.append(f"{title} {text}")
        return next(answers)

    monkeypatch.setattr(supervision_view, "ask_yes_no", ask)

    export(qtbot, ui_session, view, "2026-01..2026-06", tmp_path / "h1.csv")
    assert (tmp_path / "h1.csv").exists() and asked == []

    export(qtbot, ui_session, view, "2026-04..2026-06", tmp_path / "q2.csv")
    assert len(asked) == 1 and "overlaps it" in asked[0]
    assert "January to June 2026" in asked[0] and "April to June 2026" in asked[0]
    assert not (tmp_path / "q2.csv").exists()  # No: nothing written
    assert view.message.text() == "No report was written."

    export(qtbot, ui_session, view, "2026-04..2026-06", tmp_path / "q2-anyway.csv")
    assert len(asked) == 2
    assert (tmp_path / "q2-anyway.csv").exists()  # Yes: the supervisor's decision
    assert "Report written" in view.message.text()
    assert not view.progress.isVisible()


def test_a_report_from_another_vault_taken_in_is_asked_about_too(
    qtbot: Any, ui_session: Any, view: SupervisionView, tmp_path: Path, monkeypatch: Any
) -> None:
    """Another supervisor's external report, taken in through "Reports from another vault…",
    stops an overlapping report here as one of this vault's own would."""
    other, _key = bundles.create_vault(tmp_path / "other.vault", PASSPHRASE, supervisor=True)
    try:
        theirs = tmp_path / "theirs.xlsx"
        export_report(other.store, Scope(Period.parse("2026-01..2026-06")), "xlsx", theirs)
    finally:
        other.lock()
    monkeypatch.setattr(PublishedFilesDialog, "ask", classmethod(lambda cls, parent: [theirs]))
    view.published_button.click()
    settle(qtbot, ui_session)
    assert view.message.text().startswith("Taken in: January to June 2026, all workers.")
    choice = ExportChoice("csv", "external", tmp_path / "q2.csv")
    monkeypatch.setattr(ExportDialog, "asked", lambda _dialog: choice)
    asked: list[str] = []
    monkeypatch.setattr(supervision_view, "ask_yes_no",
                        lambda _p, title, text: asked.append(text) or False)  # fmt: skip
    export(qtbot, ui_session, view, "2026-04..2026-06", tmp_path / "q2.csv")
    assert len(asked) == 1 and "from another supervisor's vault" in asked[0]
    assert not (tmp_path / "q2.csv").exists()
