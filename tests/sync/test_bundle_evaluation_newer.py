"""Evaluation rows carry no clocks, so the supervisor's vault let the bundle made last win
each row: a bundle made later from OLDER data (a laptop restored from a backup, or one that
had not synced for weeks) undid newer values. Each record now says in which month its row
last changed (no finer than the bundle's dates), and newer data wins whatever order the
bundles are made or imported in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bundle_kit import PROGRAMME_KEY, Laptop, Supervisor, evaluation_records_of, signed_by_laptop
from sqlalchemy import select

from linksdesk.storage.bundle_tables import EvaluationRecord
from linksdesk.storage.tables import Contact
from linksdesk.sync.bundle import keys, receive
from linksdesk.sync.bundle.evaluation import pseudonym
from linksdesk.sync.bundle.evaluation_vault import newer_data
from linksdesk.sync.bundle.format import now_utc

MADE = now_utc() - dt.timedelta(hours=3)


def _at(lap: Laptop, day: dt.date) -> None:
    """The laptop's clock reads ``day`` from now on (for the rows written next)."""
    moment = dt.datetime.combine(day, dt.time(12), dt.UTC)
    lap.store.clock._now_ms = lambda: int(moment.timestamp() * 1000)


def _statuses(sup: Supervisor, contacts: list[str]) -> set[str]:
    wanted = [pseudonym(bytes.fromhex(PROGRAMME_KEY), c) for c in contacts]
    with sup.store.read() as s:
        rows = s.scalars(
            select(EvaluationRecord).where(
                EvaluationRecord.table_name == "contact", EvaluationRecord.record_id.in_(wanted)
            )
        )
        return {str(r.fields.get("status")) for r in rows}


@pytest.mark.parametrize("order", ["newer-first", "older-first"])
def test_newer_data_wins_whatever_order_the_bundles_come_in(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, order: str
) -> None:
    laptop.give_programme_key()
    _at(laptop, dt.date(2026, 5, 4))
    contacts = [laptop.contact(laptop.person(concern="housing")) for _ in range(5)]
    in_may = evaluation_records_of(laptop)  # each contact as attended
    _at(laptop, dt.date(2026, 6, 8))
    with laptop.store.write() as tx:
        for cid in contacts:
            row = tx.session.get(Contact, cid)
            assert row is not None
            tx.update(row, status="did_not_attend")
    in_june = evaluation_records_of(laptop)
    # the June data is bundled first; the May data (a restored backup) is bundled an hour later
    newer = signed_by_laptop(laptop, supervisor, tmp_path / "june.age", in_june,
                             kind="evaluation", now=MADE)  # fmt: skip
    older = signed_by_laptop(laptop, supervisor, tmp_path / "may.age", in_may,
                             kind="evaluation", now=MADE + dt.timedelta(hours=1))  # fmt: skip
    first, second = (newer, older) if order == "newer-first" else (older, newer)
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    receive.import_bundle(supervisor.store, first, trust=fingerprint)
    receive.import_bundle(supervisor.store, second)
    assert _statuses(supervisor, contacts) == {"did_not_attend"}


@pytest.mark.parametrize(
    ("incoming", "held", "newer"),
    [
        ("2026-06", "2026-05", True),
        ("2026-05", "2026-06", False),
        ("2026-Q3", "2026-06", True),  # a coarser bundle's quarter, wholly after June
        ("2026-03", "2026-Q2", False),
        ("2026-Q2", "2026-05", None),  # May is in the second quarter: the data cannot say
        ("2026-05", "2026-05", None),
        (None, "2026-05", None),  # a record from before records said when
    ],
)
def test_which_period_is_newer(incoming: str | None, held: str, newer: bool | None) -> None:
    assert newer_data(incoming, held) is newer
