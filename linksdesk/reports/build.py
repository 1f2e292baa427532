"""One call that makes a supervisor's report: load, compute every figure, suppress if external."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.core.errors import ValidationError
from linksdesk.reports import data as data_mod
from linksdesk.reports.figures import EXPLANATIONS, compute, linked_cells
from linksdesk.reports.joint import suppress_linked
from linksdesk.reports.model import Report, Section
from linksdesk.reports.scope import Scope
from linksdesk.reports.sections.context import ALL_WORKERS
from linksdesk.reports.sections.deprivation import hide_headline_with_deciles
from linksdesk.reports.settings import SETTINGS_KEY, ReportSettings
from linksdesk.reports.suppression import suppress_table
from linksdesk.storage.store import Store
from linksdesk.storage.tables import LocalSetting

INTERNAL = "internal"
EXTERNAL = "external"
AUDIENCES = (INTERNAL, EXTERNAL)


def load_settings(s: Session) -> ReportSettings:
    stored = s.scalar(select(LocalSetting.value).where(LocalSetting.key == SETTINGS_KEY))
    return ReportSettings.from_json(stored if isinstance(stored, dict) else None)


def save_settings(store: Store, settings: ReportSettings) -> None:
    """Store the programme's reporting settings in the vault (validated first)."""
    settings.validate()
    with store.write() as tx:
        tx.session.merge(LocalSetting(key=SETTINGS_KEY, value=settings.to_json()))
        tx.audit("change", "report_settings")


def build_report(
    s: Session,
    scope: Scope,
    *,
    audience: str = EXTERNAL,
    settings: ReportSettings | None = None,
    today: dt.date | None = None,
    title: str = "Links programme: supervision and evaluation report",
) -> Report:
    if audience not in AUDIENCES:
        raise ValidationError("The audience is 'internal' (supervision) or 'external'.")
    settings = (settings or load_settings(s)).validate()
    today = today or dt.date.today()
    data = data_mod.load(s, scope.workers)
    if audience == EXTERNAL:  # the names a supervisor gave the workers stay in supervision
        data = replace(data, labels={})
    sections = compute(data, scope, settings, today, exact=audience == INTERNAL)
    if audience == EXTERNAL:
        sections = suppress_sections(sections, settings.suppression_threshold)
    known = [t for t in data.latest.values()]
    who = ALL_WORKERS if scope.workers is None else _scope_label(data, scope)
    return Report(
        title=title,
        period_label=scope.period.label,
        scope_label=scope.team or who,
        audience=audience,
        generated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        data_as_of=min(known) if known else None,
        sections=sections,
        explanations=EXPLANATIONS,
        threshold=settings.suppression_threshold if audience == EXTERNAL else None,
    )


def _scope_label(data: data_mod.TeamData, scope: Scope) -> str:
    assert scope.workers is not None
    names = sorted(data_mod.worker_label(data.labels, w) for w in scope.workers)
    return ", ".join(names)


def suppress_sections(sections: tuple[Section, ...], threshold: int) -> tuple[Section, ...]:
    """Every table as an external report shows it, suppressed jointly wherever tables share
    counts (``figures.linked_cells``), so nothing hidden in one is read from another."""
    tables = [t for sec in sections for t in sec.tables]
    done = {t.key: t for t in suppress_linked(tables, linked_cells(tables), threshold)}
    return tuple(
        hide_headline_with_deciles(replace(sec, tables=tuple(done[t.key] for t in sec.tables)))
        for sec in sections
    )


def _suppressed(section: Section, threshold: int) -> Section:
    """One section alone (its tables share no counts with other sections')."""
    out = replace(section, tables=tuple(suppress_table(t, threshold) for t in section.tables))
    return hide_headline_with_deciles(out)


def report_from_store(store: Store, scope: Scope, **kwargs: Any) -> Report:
    with store.read() as s:
        return build_report(s, scope, **kwargs)


def workers_in(store: Store) -> list[tuple[str, str]]:
    """(owner id, label) of every worker with participants in the vault, for the filters."""
    with store.read() as s:
        owners, labels = data_mod.owners_of_participants(s), data_mod.worker_labels(s)
    return sorted(((o, data_mod.worker_label(labels, o)) for o in owners), key=lambda x: x[1])


def save_worker_labels(store: Store, labels: Mapping[str, str]) -> None:
    """Store the names the supervisor knows the workers by (checked by the caller)."""
    with store.write() as tx:
        tx.session.merge(LocalSetting(key=data_mod.WORKER_LABELS_KEY, value=dict(labels)))
        tx.audit("change", "worker_names")


def resolve_workers(store: Store, names: list[str]) -> frozenset[str]:
    """Worker ids from what a person typed: an id, the label shown in reports, or its end."""
    known = workers_in(store)
    out = set()
    for name in names:
        wanted = name.strip().lower()
        if not wanted:  # every id ends in "": a blank would choose the only worker
            raise ValidationError(
                "A worker was left blank: give a worker's name or id after --worker, or leave "
                "--worker out to report on every worker."
            )
        match = [
            o for o, label in known
            if wanted in (o.lower(), label.lower()) or o.lower().endswith(wanted)
        ]  # fmt: skip
        if len(match) != 1:
            labels = ", ".join(label for _o, label in known) or "none"
            raise ValidationError(
                f"No single worker is called '{name}'. Workers in this vault: {labels}."
            )
        out.add(match[0])
    return frozenset(out)
