"""Anonymous monthly totals of what never leaves the device (confidentiality rule 2).

Participants who have not consented to sharing with the team, and private rows, are not
synced; a device still counts them per month (participants on the caseload, contacts, did
not attends, new referrals by source) and syncs only those counts, one ``monthly_total`` row
per device and month, so supervisors see the whole caseload's size.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.core.vocab import ContactStatus, outcome_key, was_seen
from linksdesk.storage.store import Store, shared_participants
from linksdesk.storage.tables import (
    AuditEvent,
    Consent,
    Contact,
    MonthlyTotal,
    Participant,
    ReferralIn,
)
from linksdesk.sync import state


def _month(day: dt.date | dt.datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(start: dt.date, end: dt.date) -> Iterable[str]:
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield f"{y:04d}-{m:02d}"
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _in_chunks(column: Any, ids: list[str]) -> Any:
    parts = [column.in_(ids[i : i + 500]) for i in range(0, len(ids), 500)]
    return or_(*parts) if parts else column.in_([])


def monthly_counts(session: Session, today: dt.date) -> dict[str, dict[str, Any]]:
    """Counts by month (``YYYY-MM``) of what stays on this device."""
    return _counts(session, today)[0]


def _counts(session: Session, today: dt.date) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The monthly counts and the participants they count (unshared or private)."""
    shared = shared_participants(session)
    unshared: list[str] = []
    by_month: dict[str, Counter[str]] = {}
    sources: dict[str, Counter[str]] = {}
    for pid, sharing, created, referred, closed in session.execute(
        select(
            Participant.id,
            Participant.sharing,
            Participant.created_on,
            Participant.referred_on,
            Participant.closed_on,
        ).where(Participant.deleted.is_(False))
    ):
        if sharing == "team" and pid in shared:
            continue
        unshared.append(pid)
        start = referred or created or today
        end = min(closed or today, today)
        for month in _months_between(start, max(start, end)):
            by_month.setdefault(month, Counter())["participants"] += 1
    stays = or_(Contact.sharing == "private", _in_chunks(Contact.participant_id, unshared))
    for kind, status, when, marked in session.execute(
        select(Contact.kind, Contact.status, Contact.scheduled_at, Contact.in_error_at).where(
            Contact.deleted.is_(False), stays
        )
    ):
        # an attempt reached nobody, an entry in error counts nowhere: not attended contacts
        in_error = marked is not None
        if was_seen(kind, status, in_error=in_error):
            by_month.setdefault(_month(when), Counter())["contacts"] += 1
        elif outcome_key(kind, status, in_error=in_error) == ContactStatus.DID_NOT_ATTEND.value:
            by_month.setdefault(_month(when), Counter())["did_not_attend"] += 1
    stays = or_(ReferralIn.sharing == "private", _in_chunks(ReferralIn.participant_id, unshared))
    for source, received in session.execute(
        # a referral entered in error (recorded twice) counts in no total
        select(ReferralIn.source, ReferralIn.received_on).where(
            ReferralIn.deleted.is_(False), ReferralIn.in_error_at.is_(None), stays
        )
    ):
        sources.setdefault(_month(received), Counter())[str(source)] += 1
    out: dict[str, dict[str, Any]] = {}
    for month in sorted(set(by_month) | set(sources)):
        counts = by_month.get(month, Counter())
        out[month] = {
            "participants": counts["participants"],
            "contacts": counts["contacts"],
            "did_not_attend": counts["did_not_attend"],
            "referrals_by_source": dict(sorted(sources.get(month, Counter()).items())),
        }
    return out, unshared


def zero_counts() -> dict[str, Any]:
    return {"participants": 0, "contacts": 0, "did_not_attend": 0, "referrals_by_source": {}}


def totals_may_have_changed(session: Session, today: dt.date) -> bool:
    """Whether anything that counts changed since the totals were last made."""
    return unchanged_through(session, today) is None


def unchanged_through(session: Session, today: dt.date) -> int | None:
    """The audit seq up to which nothing that counts changed since the totals were last
    made (for :func:`note_unchanged`), or None when something may have.

    Cheap on a large vault: only audit events since then are read, and only the rows they
    name. Totals count private rows and unshared participants' rows, so an edit of a shared
    participant's row never changes them, unless it made them shared (they were counted
    last time) or unshared (they are not shared now).
    """
    held = state.get_many(
        session, (state.TOTALS_SEQ, state.TOTALS_DIRTY, state.TOTALS_MONTH, state.TOTALS_UNSHARED)
    )
    last = held.get(state.TOTALS_SEQ)
    if last is None or held.get(state.TOTALS_DIRTY, False):
        return None
    if held.get(state.TOTALS_MONTH) != _month(today):
        return None
    counted = held.get(state.TOTALS_UNSHARED)
    if counted is None:
        return None  # made by a version that did not keep them
    events = session.execute(
        select(AuditEvent.seq, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.action).where(
            AuditEvent.seq > int(last)
        )
    )
    rows: dict[str, set[str]] = {}
    through = int(last)
    for seq, entity, entity_id, action in events:
        through = max(through, int(seq))
        if action == "view" or entity == "monthly_total":
            continue
        if action == "erase":
            return None
        if entity in ("participant", "consent", "contact", "referral") and entity_id:
            rows.setdefault(entity, set()).add(str(entity_id))
    pids: set[str] = set()
    tables: tuple[Any, ...] = (Participant, Consent, Contact, ReferralIn)
    for cls in tables:
        ids = sorted(rows.get(cls.__tablename__, set()))
        pid_column = cls.id if cls is Participant else cls.participant_id
        for i in range(0, len(ids), 500):
            for pid, sharing in session.execute(
                select(pid_column, cls.sharing).where(cls.id.in_(ids[i : i + 500]))
            ):
                if sharing != "team":
                    return None
                pids.add(pid)
    if pids & set(counted):
        return None  # counted last time: its details or its sharing changed
    ids = sorted(pids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        if len(shared_participants(session, chunk)) < len(chunk):
            return None
    return through


def note_unchanged(session: Session, through: int) -> None:
    """Keep that nothing counted changed up to audit seq ``through`` (from
    :func:`unchanged_through`), so the next look reads only the events after it: a day of
    edits of shared participants is not read again by every sync."""
    if through > int(state.get(session, state.TOTALS_SEQ, 0) or 0):
        state.put(session, state.TOTALS_SEQ, through)


@dataclass(frozen=True)
class TotalsRun:
    """What one look at the monthly totals did."""

    written: int  # rows written
    # nothing counted changed: the audit seq looked up to (for :func:`note_unchanged`)
    unchanged_through: int | None = None


def _row_id(device_id: str, month: str) -> str:
    """This device's row of ``month``: the id the server lets it create (derived_id)."""
    row_id = registry.derived_id(MonthlyTotal.__tablename__, {"origin": device_id, "month": month})
    if row_id is None:  # pragma: no cover - registry.toml declares its id_from
        raise AssertionError("monthly_total has no derived id")
    return row_id


def update_monthly_totals(store: Store, worker_id: str, today: dt.date | None = None) -> int:
    """Write this device's monthly totals where they changed; returns rows written."""
    return refresh_monthly_totals(store, worker_id, today).written


def refresh_monthly_totals(store: Store, worker_id: str, today: dt.date | None = None) -> TotalsRun:
    """Write this device's monthly totals where they changed.

    Each row goes through the vault's ordinary write, so it is queued for sync (carrying
    counts only) in the same transaction. When nothing counted changed, nothing is written
    and the run says up to which audit event it looked.
    """
    day = today or dt.date.today()
    written = 0
    with store.read() as s:
        through = unchanged_through(s, day)
    if through is not None:
        return TotalsRun(0, through)
    with store.write() as tx:
        counts, unshared = _counts(tx.session, day)
        mine = {
            row.id: row
            for row in tx.session.scalars(
                select(MonthlyTotal).where(MonthlyTotal.origin == store.device_id)
            )
        }
        months = set(counts) | {row.month for row in mine.values()}
        for month in sorted(months):
            row_id = _row_id(store.device_id, month)
            wanted = counts.get(month, zero_counts())
            row = mine.get(row_id) or tx.session.get(MonthlyTotal, row_id)
            if row is None:
                tx.insert(MonthlyTotal(id=row_id, month=month, counts=wanted, owner=worker_id))
                written += 1
            elif row.counts != wanted and tx.update(row, counts=wanted):
                written += 1
        tx.session.flush()
        seq = tx.session.scalar(select(func.max(AuditEvent.seq))) or 0
        state.put(tx.session, state.TOTALS_SEQ, int(seq))
        state.put(tx.session, state.TOTALS_MONTH, _month(day))
        state.put(tx.session, state.TOTALS_UNSHARED, sorted(unshared))
        state.drop(tx.session, state.TOTALS_DIRTY)
    return TotalsRun(written)
