"""What each external report written from this vault covered (its period and workers, never a
figure), kept so that a later report can be compared with them (``reports.export``); and a
keyed digest of each version of its published cells, so that the same scope written again
with different figures is noticed without the vault keeping any figure. Reports written from
another vault join them when their files are taken in (``reports.publication``): their
workers are named by :func:`worker_tag`, their digests salted (``salt.digest``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from linksdesk.storage.tables import LocalSetting

PUBLISHED_KEY = "published_reports"  # (local setting) a list, oldest first
DIGEST_KEY = "published_reports_key"  # (local setting) the key of the figures' digests, hex
_TAG = "w:"


def worker_tag(worker: str) -> str:
    """A worker as a report's publication record names them: a hash of their id, which a
    vault of the same programme compares with its own workers' (a tag stays as it is)."""
    if worker.startswith(_TAG):
        return worker
    return _TAG + hashlib.sha256(b"linksdesk worker\x00" + worker.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Published:
    """An external report's scope: whole months ``first``..``last``; ``workers`` None is
    every worker the vault held then; ``team`` the name it was shown under, if any;
    ``digests`` the keyed digest of the published cells of each version written (none for
    a report remembered before digests were kept); ``written_on`` the latest version's day."""

    first: dt.date
    last: dt.date
    workers: frozenset[str] | None
    team: str | None
    written_on: dt.date
    digests: frozenset[str] = frozenset()

    @property
    def taken_in(self) -> bool:
        """Known only from another vault's file (its digests salted: ``salt.digest``)."""
        return bool(self.digests) and all("." in d for d in self.digests)

    def tags(self) -> frozenset[str] | None:
        """The workers as tags, so a scope taken in from another vault's report compares."""
        return None if self.workers is None else frozenset(map(worker_tag, self.workers))

    def same_scope(self, other: Published) -> bool:
        return (self.first, self.last, self.tags()) == (other.first, other.last, other.tags())

    def overlaps(self, other: Published) -> bool:
        """They share a month and a worker without being the same scope: subtracting one's
        figures from the other's gives counts of the difference, which neither shows."""
        if self.same_scope(other) or self.last < other.first or other.last < self.first:
            return False
        mine, theirs = self.tags(), other.tags()
        return mine is None or theirs is None or bool(mine & theirs)

    def to_json(self) -> dict[str, object]:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "workers": None if self.workers is None else sorted(self.workers),
            "team": self.team,
            "written_on": self.written_on.isoformat(),
            "digests": sorted(self.digests),
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
            frozenset(map(str, value.get("digests") or ())),
        )


def published(session: Session) -> list[Published]:
    stored = session.scalar(select(LocalSetting.value).where(LocalSetting.key == PUBLISHED_KEY))
    return [Published.from_json(v) for v in stored or ()]


def add_published(session: Session, report: Published) -> None:
    """Remember ``report``: a scope once, with the digest of every version written of it."""
    known = published(session)
    same = next((k for k in known if report.same_scope(k)), None)
    if same is None:
        known.append(report)
    elif not report.digests <= same.digests:
        known[known.index(same)] = replace(
            same,
            digests=same.digests | report.digests,
            written_on=max(same.written_on, report.written_on),
        )
    else:
        return
    session.merge(LocalSetting(key=PUBLISHED_KEY, value=[k.to_json() for k in known]))


def digest_key(session: Session) -> bytes | None:
    """This vault's key for the digests of published figures, None until the first is kept:
    keyed, so a digest alone cannot be used to try guesses of the figures."""
    stored = session.scalar(select(LocalSetting.value).where(LocalSetting.key == DIGEST_KEY))
    return bytes.fromhex(stored) if isinstance(stored, str) else None


def making_digest_key(session: Session) -> bytes:
    """The digests' key, made (random) and kept on first use."""
    key = digest_key(session)
    if key is None:
        key = secrets.token_bytes(32)
        session.merge(LocalSetting(key=DIGEST_KEY, value=key.hex()))
    return key
