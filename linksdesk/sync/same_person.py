"""A withdrawal on any record of a person applies to the person (records found to be one
person: ``storage.people``).

Each record keeps its own consent records, routed by it like every other row. When one
record of a person holds a withdrawal as its latest decision of a scope and another of its
records' latest still says "given", that other record gets a withdrawal too (a new version,
as a worker records one): so sharing stops for the whole person, on the server and the
worker's other laptops as well, whichever laptop recorded the withdrawal and whether or not
it knew the records were one person (two laptops offline). Only withdrawals are written
here: finding two records to be one person never gives a consent nobody recorded.

Run when records are merged (``casework.merging``) and at the start of every sync, before
the push, so a withdrawal pulled last time, or a merge pulled last time, is settled and
sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.storage import people
from linksdesk.storage.outbox import drop_unsent_changes
from linksdesk.storage.store import Store, WriteTx
from linksdesk.storage.tables import Consent, Participant
from linksdesk.sync import state

log = logging.getLogger(__name__)


def note_withdrawn(s: Session, pid: str, fields: Mapping[str, Any]) -> None:
    """A pulled team consent withdrawal of ``pid``, about to take its record off this laptop
    (``sync/leaving.py``): its person's other records here are noted, so the next
    ``settle_consents`` withdraws them too (the record itself is gone by then)."""
    others = [p for p in people.person_ids(s, pid) if p != pid]
    if not others:
        return
    noted = dict(state.get(s, state.SAME_PERSON_WITHDRAWN, {}) or {})
    for other in others:
        noted[other] = [str(fields.get("recorded_on") or ""), str(fields.get("method") or "")]
    state.put(s, state.SAME_PERSON_WITHDRAWN, noted)


def _noted(tx: WriteTx) -> int:
    """Withdraw team sharing on the records ``note_withdrawn`` noted (those still shared)."""
    noted = dict(state.get(tx.session, state.SAME_PERSON_WITHDRAWN, {}) or {})
    if not noted:
        return 0
    written = 0
    for pid, (day, method) in sorted(noted.items()):
        held = tx.session.get(Participant, pid)
        if held is None or held.deleted or not tx.is_shared(pid):
            continue
        version = tx.session.scalar(
            select(func.max(Consent.version)).where(
                Consent.participant_id == pid,
                Consent.scope == registry.TEAM_SCOPE,
                Consent.deleted.is_(False),
            )
        )
        drop_unsent_changes(tx.session, pid)
        tx.insert(
            Consent(
                participant_id=pid,
                scope=registry.TEAM_SCOPE,
                given=False,
                version=(version or 0) + 1,
                recorded_on=dt.date.fromisoformat(day) if day else dt.date.today(),
                method=method or "verbal",
                note=None,
            )
        )
        written += 1
    state.put(tx.session, state.SAME_PERSON_WITHDRAWN, {})
    return written


def settle_consents(tx: WriteTx, *, note: str | None = None) -> int:
    """Withdraw, on every record of a person, each scope one of its records withdrew;
    returns how many withdrawals were recorded. ``note`` says why on this laptop (a
    withdrawal leaves without its note)."""
    s = tx.session
    noted = _noted(tx)
    away = people.merged_away(s)
    if not away:
        return noted
    groups: dict[str, list[str]] = defaultdict(list)
    for pid, kept in away.items():
        groups[kept].append(pid)
    read_only = {str(p) for p in state.get(s, state.READ_ONLY, [])}
    written = 0
    for kept, others in groups.items():
        ids = [kept, *sorted(others)]
        latest: dict[tuple[str, str], Consent] = {}
        for row in s.scalars(
            select(Consent).where(Consent.participant_id.in_(ids), Consent.deleted.is_(False))
        ):
            key = (row.participant_id, row.scope)
            held = latest.get(key)
            rank = registry.consent_rank(row.version, row.hlc)
            if held is None or rank > registry.consent_rank(held.version, held.hlc):
                latest[key] = row
        for scope in {scope for _pid, scope in latest}:
            withdrawn = [latest[(p, scope)] for p in ids if (p, scope) in latest]
            withdrawn = [r for r in withdrawn if not r.given]
            if not withdrawn:
                continue
            why = max(withdrawn, key=lambda r: (r.recorded_on, r.hlc))
            for pid in ids:
                mine = latest.get((pid, scope))
                if mine is None or not mine.given or pid in read_only:
                    continue
                if scope == registry.TEAM_SCOPE and tx.is_shared(pid):
                    # as a worker's withdrawal does (casework.consent.write_consent): what
                    # was queued while consent stood must not leave after it
                    drop_unsent_changes(s, pid)
                tx.insert(
                    Consent(
                        participant_id=pid,
                        scope=scope,
                        given=False,
                        version=mine.version + 1,
                        recorded_on=why.recorded_on,
                        method=why.method,
                        note=note,
                    )
                )
                written += 1
    written += noted
    if written:
        log.info("same person: %d consent withdrawals recorded on their other records", written)
    return written


def settle(store: Store) -> int:
    """``settle_consents`` in its own write transaction (before a sync's push); none at all
    in a vault with no records merged (a sync with nothing to do writes once)."""
    with store.read() as s:
        if not people.marks(s) and not state.get(s, state.SAME_PERSON_WITHDRAWN):
            return 0
    with store.write() as tx:
        return settle_consents(tx)
