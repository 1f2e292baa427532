"""The supervisor's view of the vault: the team's figures and report files (from reports/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from linksdesk.casework.casebook import Casebook
from linksdesk.reports.build import (
    INTERNAL,
    load_settings,
    report_from_store,
    save_settings,
    workers_in,
)
from linksdesk.reports.evaluation import EvaluationWritten
from linksdesk.reports.evaluation import write_evaluation as write_evaluation_copy
from linksdesk.reports.export import export_report, taken_in_words
from linksdesk.reports.model import Report
from linksdesk.reports.publication import take_in
from linksdesk.reports.scope import Scope
from linksdesk.reports.settings import ReportSettings
from linksdesk.reports.teams import team_label, teams_in


@dataclass(frozen=True)
class Dashboard:
    report: Report
    workers: tuple[tuple[str, str], ...]  # (owner id, label) for the worker filter
    # (team label, its workers) for the team filter: teams named by imported bundles/roster
    teams: tuple[tuple[str, frozenset[str]], ...] = ()


def dashboard(
    cb: Casebook, scope: Scope, *, audience: str = INTERNAL, today: dt.date | None = None
) -> Dashboard:
    """Every figure for the scope (exact on screen: supervision is internal by default)."""
    report = report_from_store(cb.store, scope, audience=audience, today=today)
    teams = tuple(sorted((team_label(t), m) for t, m in teams_in(cb.store).items()))
    return Dashboard(report, tuple(workers_in(cb.store)), teams)


def write_report(
    cb: Casebook,
    scope: Scope,
    fmt: str,
    out: Path,
    *,
    audience: str = "external",
    progress: Callable[[int, int], None] | None = None,
    overlap_ok: bool = False,
) -> Path:
    """Write the report; an external one overlapping one written before needs ``overlap_ok``
    (``OverlapsEarlierReportError`` otherwise, so that the supervisor is asked)."""
    export_report(
        cb.store, scope, fmt, out, audience=audience, progress=progress, overlap_ok=overlap_ok
    )
    return out


def report_settings(cb: Casebook) -> ReportSettings:
    with cb.store.read() as s:
        return load_settings(s)


def save_report_settings(cb: Casebook, settings: ReportSettings) -> ReportSettings:
    """Validate and keep the programme's reporting settings (safe caseload, wait, threshold)."""
    save_settings(cb.store, settings)
    return settings


def write_evaluation(cb: Casebook, out: Path) -> EvaluationWritten:
    """The pseudonymised evaluation copy as CSV files, k-anonymous as it stands now."""
    return write_evaluation_copy(cb.store, out)


def take_in_published(cb: Casebook, paths: list[Path]) -> list[str]:
    """External reports written from another supervisor's vault (their files), remembered so
    that this vault's external reports are compared with them as with its own; what each
    covered, in words ("January to June 2026, all workers"), with any earlier report it
    overlaps."""
    return [taken_in_words(record, clashes) for record, clashes in take_in(cb.store, paths)]
