"""What each external report written from this vault covered (its period and workers, never a
figure), kept so that a later report can be compared with them (``reports.export``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.storage.tables import LocalSetting

PUBLISHED_KEY = "published_reports"  # (local setting) a list, oldest first


@dataclass(frozen=True)
class Published:
    """An external report's scope: whole months ``first``..``last``; ``workers`` None is
    every worker the vault held then; ``team`` the name it was shown under, if any."""

    first: dt.date
    last: dt.date
    workers: frozenset[str] | None
    team: str | None
    written_on: dt.date

    def same_scope(self, other: Published) -> bool:
        return (self.first, self.last, self.workers) == (other.first, other.last, other.workers)

    def overlaps(self, other: Published) -> bool:
        """They share a month and a worker without being the same scope: subtracting one's
        figures from the other's gives counts of the difference, which neither shows."""
        if self.same_scope(other) or self.last < other.first or other.last < self.first:
            return False
        return self.workers is None or other.workers is None or bool(self.workers & other.workers)

    def to_json(self) -> dict[str, object]:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "workers": None if self.workers is None else sorted(self.workers),
            "team": self.team,
            "written_on": self.written_on.isoformat(),
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Published:
        workers = value.get("workers")
        return cls(
            dt.date.fromisoformat(value["first"]),
            dt.date.fromisoformat(value["last"]),
            None if workers is None else frozenset(map(str, workers)),
            value.get("team"),
            dt.date.fromisoformat(value["written_on"]),
        )


def published(session: Session) -> list[Published]:
    stored = session.scalar(select(LocalSetting.value).where(LocalSetting.key == PUBLISHED_KEY))
    return [Published.from_json(v) for v in stored or ()]


def add_published(session: Session, report: Published) -> None:
    """Remember ``report`` (once: writing the same scope again adds nothing new)."""
    known = published(session)
    if any(report.same_scope(k) for k in known):
        return
    value = [k.to_json() for k in known] + [report.to_json()]
    session.merge(LocalSetting(key=PUBLISHED_KEY, value=value))
