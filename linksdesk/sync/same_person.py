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

An erasure is not carried over the same way. A record marked as the same person as a
participant who was forgotten (the erasure made on a laptop that did not know of the mark,
or the mark made on one that did not know of the erasure) is still the worker's to decide
about: the mark may have been wrong, and an erasure cannot be undone. Each laptop holding
such a record lists it under "needs attention" at the end of every sync while it stands
(``tell_forgotten``), with what to do: forget it too, or Not the same person after all.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.storage import people
from linksdesk.storage.outbox import drop_unsent_changes
from linksdesk.storage.store import Store, WriteTx, utc_now
from linksdesk.storage.tables import Consent, ErasureReceipt, Participant, SyncAttention
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


# -- a record of a person who was forgotten -------------------------------------------------
# its "needs attention" entry's id, derived from the record's (one entry a record, found again
# at every sync; ``is_forgotten_entry`` tells it from the server's refusals)
_FORGOTTEN = uuid.UUID("6b1f2c0e-5a8d-4c6e-9f3b-2d7e4a1c9b50")
FORGOTTEN_WORDS = (
    "{pid} was recorded as the same person as a participant who has since been forgotten "
    "(their record erased at their request), and {pid} is still kept, here and wherever "
    "your laptops sync it. Nothing more is erased without you. If it is the same person, "
    "open {pid} and choose Forget this participant… to erase this record too. If they "
    "were not the same person after all, select this line and choose Not the same person "
    "after all…: {pid} then stands as a record of its own."
)


def forgotten_entry(record_id: str) -> str:
    """The id of the "needs attention" entry about ``record_id`` (see ``tell_forgotten``)."""
    return str(uuid.uuid5(_FORGOTTEN, record_id))


def is_forgotten_entry(change_id: str, row_id: str) -> bool:
    """Whether a "needs attention" entry is ``tell_forgotten``'s about record ``row_id``."""
    return change_id == forgotten_entry(row_id)


def forgotten(s: Session) -> dict[str, str]:
    """Records held here whose mark names a participant forgotten here (an erasure receipt
    held, the record itself gone): record id → its programme id."""
    named = people.marks(s)
    if not named:
        return {}
    targets = sorted(set(named.values()))
    erased = set(
        s.scalars(
            select(ErasureReceipt.participant_id).where(ErasureReceipt.participant_id.in_(targets))
        )
    )
    erased -= set(s.scalars(select(Participant.id).where(Participant.id.in_(sorted(erased)))))
    away = sorted(pid for pid, into in named.items() if into in erased)
    if not away:
        return {}
    return {
        str(pid): str(programme_id)
        for pid, programme_id in s.execute(
            select(Participant.id, Participant.programme_id).where(Participant.id.in_(away))
        )
    }


def _listed(s: Session) -> dict[str, SyncAttention]:
    """The entries ``tell_forgotten`` keeps now: record id → entry."""
    return {
        row.row_id: row
        for row in s.scalars(
            select(SyncAttention).where(SyncAttention.table_name == registry.PARTICIPANT_TABLE)
        )
        if is_forgotten_entry(row.change_id, row.row_id)
    }


def forgotten_due(s: Session) -> bool:
    """Whether ``tell_forgotten`` would change anything (so a sync writes only then)."""
    found = forgotten(s)
    listed = _listed(s)
    return set(found) != set(listed) or any(
        listed[pid].reason != FORGOTTEN_WORDS.format(pid=code) for pid, code in found.items()
    )


def tell_forgotten(s: Session) -> tuple[str, ...]:
    """List each record of a forgotten person's (``forgotten``) under "needs attention",
    with what to do, and take the entry off once the record was erased too or made a
    person of its own again; one dismissed comes back while the record stands. Returns
    the programme ids listed."""
    found = forgotten(s)
    for pid, entry in _listed(s).items():
        if pid not in found:
            s.delete(entry)
    for pid, code in sorted(found.items()):
        s.merge(
            SyncAttention(
                change_id=forgotten_entry(pid),
                table_name=registry.PARTICIPANT_TABLE,
                row_id=pid,
                reason=FORGOTTEN_WORDS.format(pid=code),
                at=utc_now(),
            )
        )
    if found:
        log.info("same person: %d records of a forgotten person listed", len(found))
    return tuple(sorted(found.values()))


def untell_forgotten(s: Session, record_id: str) -> None:
    """Take the entry about ``record_id`` off at once (made a person of its own again)."""
    entry = s.get(SyncAttention, forgotten_entry(record_id))
    if entry is not None:
        s.delete(entry)
