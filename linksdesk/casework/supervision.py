"""The supervisor's view of the vault: the team's figures and report files (from reports/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from linksdesk.casework import records
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import ValidationError
from linksdesk.core.folding import fold_name
from linksdesk.reports import data as team_data
from linksdesk.reports.build import (
    INTERNAL,
    load_settings,
    report_from_store,
    save_settings,
    save_worker_labels,
    workers_in,
)
from linksdesk.reports.evaluation import EvaluationWritten
from linksdesk.reports.evaluation import write_evaluation as write_evaluation_copy
from linksdesk.reports.export import export_report, taken_in_words
from linksdesk.reports.model import Report
from linksdesk.reports.publication import take_in
from linksdesk.reports.scope import Scope
from linksdesk.reports.sections.context import ALL_WORKERS
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


# a worker's name as the supervisor knows them: a first name, initials or a role
WORKER_NAME_MAX = 60


@dataclass(frozen=True)
class WorkerName:
    worker_id: str
    name: str | None  # the name the supervisor gave them, if any
    id_label: str  # what shows without a name ("Worker a1eca4"), and always to a board
    laptops: tuple[str, ...]  # the administrator's labels of their laptops (a hint)

    @property
    def shown_as(self) -> str:
        """What the dashboard and the supervisor's own reports show."""
        return self.name or self.id_label


def worker_names(cb: Casebook) -> list[WorkerName]:
    """Every worker this vault knows of (data, roster or bundle), with the name the
    supervisor gave them. External reports never show these names."""
    with cb.store.read() as s:
        workers = team_data.all_workers(s)
        labels = team_data.worker_labels(s)
        laptops = team_data.laptop_labels(s)
    out = [
        WorkerName(w, labels.get(w), team_data.worker_label({}, w), laptops.get(w, ()))
        for w in workers
    ]
    return sorted(out, key=lambda n: (n.name is None, n.shown_as.casefold(), n.worker_id))


def name_workers(cb: Casebook, names: Mapping[str, str | None]) -> list[WorkerName]:
    """Give workers the names the supervisor knows them by (a blank name takes it away).
    Names are for the supervisor's own screens and files: external reports keep ids."""
    with cb.store.read() as s:
        known = team_data.all_workers(s)
        labels = team_data.worker_labels(s)
    for worker_id, value in names.items():
        if worker_id not in known:
            raise ValidationError("That worker is not known to this vault.")
        cleaned = records.text_arg(value, "A worker's name", max_len=WORKER_NAME_MAX)
        if cleaned is None:
            labels.pop(worker_id, None)
        else:
            labels[worker_id] = cleaned
    seen: dict[str, str] = {}
    for worker_id, name in labels.items():
        other = seen.setdefault(_words(name), worker_id)
        if other != worker_id:
            raise ValidationError(
                "Two workers cannot have the same name: add an initial to tell them apart."
            )
    # a board's report always shows a worker as "Worker 0d5c35", whatever the supervisor
    # calls them: that label, as another worker's name, would put both under one label
    shown_as = {_words(team_data.worker_label({}, w)): w for w in known}
    for worker_id in names:
        if _words(labels.get(worker_id) or "") == _words(ALL_WORKERS):
            raise ValidationError(
                f"“{ALL_WORKERS}” is what the reports call the whole team (and its totals): "
                "give this worker another name."
            )
        taken = shown_as.get(_words(labels.get(worker_id) or ""))
        if taken is not None and taken != worker_id:
            raise ValidationError(
                f"“{team_data.worker_label({}, taken)}” is how another worker is shown until "
                "you name them, and always in a board's report: give this worker another name."
            )
    save_worker_labels(cb.store, labels)
    return worker_names(cb)


def _words(name: str) -> str:
    """A name as two people would read it alike (case, spaces, accents and the invisible
    characters a paste carries aside: ``core.folding``)."""
    return " ".join(fold_name(name).split())
