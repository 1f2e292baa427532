"""Loading the few columns the figures need from the vault's ordinary tables, in one read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core.hlc import HLC
from linksdesk.storage.tables import (
    Concern,
    Contact,
    Goal,
    LocalSetting,
    Measure,
    OnwardReferral,
    Participant,
    ReferralIn,
    Resource,
    SyncColumns,
)

WORKER_LABELS_KEY = "worker_labels"  # owner id -> the name a supervisor knows the worker by
DECILES_KEY = "deprivation_deciles"  # postcode -> decile, where a lookup has been loaded


@dataclass(frozen=True)
class TeamData:
    """The rows of every worker in scope, reduced to what the figures use (no names, no text)."""

    participants: tuple[tuple[Any, ...], ...]  # id, owner, status, postcode
    referrals: tuple[tuple[Any, ...], ...]  # participant_id, owner, received_on, source
    contacts: tuple[tuple[Any, ...], ...]  # participant_id, owner, kind, status, day
    concerns: tuple[tuple[Any, ...], ...]  # participant_id, owner, category, stage, identified_on
    goals: tuple[tuple[Any, ...], ...]  # participant_id, owner, status, set_on
    measures: tuple[tuple[Any, ...], ...]  # participant_id, owner, kind, taken_on, total, metric
    onward: tuple[tuple[Any, ...], ...]  # participant_id, owner, resource_id, status, made_on
    resources: dict[str, tuple[str, str]]  # id -> (label, capacity)
    latest: dict[str, dt.datetime]  # owner -> wall time of the newest row of theirs
    labels: dict[str, str]  # owner -> label
    deciles: dict[str, int]  # normalised postcode -> deprivation decile


def _rows(s: Session, cols: Iterable[Any], table: Any, owners: frozenset[str] | None) -> Any:
    query = select(*cols).where(table.deleted.is_(False))
    if owners is not None:
        query = query.where(table.owner.in_(sorted(owners)))
    return tuple(tuple(r) for r in s.execute(query))


def _setting(s: Session, key: str) -> Any:
    return s.scalar(select(LocalSetting.value).where(LocalSetting.key == key))


def load(s: Session, owners: frozenset[str] | None) -> TeamData:
    contact_day = func.date(Contact.scheduled_at)
    data_tables: tuple[type[SyncColumns], ...] = (
        Participant,
        ReferralIn,
        Contact,
        Concern,
        Goal,
        Measure,
        OnwardReferral,
    )
    newest: dict[str, str] = {}
    for t in data_tables:
        tab: Any = t
        query = select(tab.owner, func.max(tab.hlc)).group_by(tab.owner)
        for owner, hlc in s.execute(query):
            if owners is None or owner in owners:
                newest[owner] = max(newest.get(owner, ""), hlc or "")
    latest = {
        o: dt.datetime.fromtimestamp(HLC.decode(h).wall_ms / 1000, dt.UTC).replace(tzinfo=None)
        for o, h in newest.items()
        if h
    }
    labels = _setting(s, WORKER_LABELS_KEY)
    deciles = _setting(s, DECILES_KEY)
    return TeamData(
        participants=_rows(
            s,
            (Participant.id, Participant.owner, Participant.status, Participant.postcode),
            Participant,
            owners,
        ),
        referrals=_rows(
            s,
            (
                ReferralIn.participant_id,
                ReferralIn.owner,
                ReferralIn.received_on,
                ReferralIn.source,
            ),
            ReferralIn,
            owners,
        ),
        contacts=tuple(
            (pid, owner, kind, status, dt.date.fromisoformat(day))
            for pid, owner, kind, status, day in _rows(
                s,
                (Contact.participant_id, Contact.owner, Contact.kind, Contact.status, contact_day),
                Contact,
                owners,
            )
        ),
        concerns=_rows(
            s,
            (
                Concern.participant_id,
                Concern.owner,
                Concern.category,
                Concern.stage,
                Concern.identified_on,
            ),
            Concern,
            owners,
        ),
        goals=_rows(s, (Goal.participant_id, Goal.owner, Goal.status, Goal.set_on), Goal, owners),
        measures=_rows(
            s,
            (
                Measure.participant_id,
                Measure.owner,
                Measure.kind,
                Measure.taken_on,
                Measure.total,
                Measure.metric,
            ),
            Measure,
            owners,
        ),
        onward=_rows(
            s,
            (
                OnwardReferral.participant_id,
                OnwardReferral.owner,
                OnwardReferral.resource_id,
                OnwardReferral.status,
                OnwardReferral.made_on,
            ),
            OnwardReferral,
            owners,
        ),
        resources={
            rid: (f"{org} — {service}" if service else org, capacity)
            for rid, org, service, capacity in s.execute(
                select(Resource.id, Resource.organisation, Resource.service, Resource.capacity)
            )
        },
        latest=latest,
        labels=dict(labels) if isinstance(labels, dict) else {},
        deciles={_postcode(k): int(v) for k, v in (deciles or {}).items()}
        if isinstance(deciles, dict)
        else {},
    )


def _postcode(text: str) -> str:
    return "".join(text.split()).upper()


def decile_of(data: TeamData, postcode: str | None) -> int | None:
    """The deprivation decile of a postcode, or None when unknown (never guessed)."""
    if not postcode:
        return None
    return data.deciles.get(_postcode(postcode))
