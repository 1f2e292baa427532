"""Pulled rows whose parent this vault does not hold: the one rule for them, kept and known.

A pulled row may name a record this laptop does not hold: a goal the worker keeps private
on their other laptop, a parent that comes in a later page, or one the server never had or
no longer has. Such a row is **kept, as it came** (pulled rows are written with foreign keys
off, ``Store.applying``), shown where the worker looks for it (a step under "a goal not on
this laptop", an onward referral as "a resource not in this laptop's directory"), and
reported by the sync check as held back. When the parent arrives nothing moves: the row
is simply whole then.

Parking such rows elsewhere until their parent arrives was the other way. It would hide
them from the record, search and the person's own record meanwhile (for good, if the parent
stays private), and every path that brings a parent (a pull, a repair, a bundle, a restore)
would have to put them back.

Which rows wait is kept in the vault's sync state (``WAITING_KEY``: table → row ids), brought
up to date from what each pulled page wrote, so the sync check reads it without a scan.
Which column names which parent is the registry's ``references`` (one fact, one place).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from sqlalchemy import text
from sqlalchemy.orm import Session

from linksdesk.core import registry
from linksdesk.storage.tables import SyncState

WAITING_KEY = "rows_waiting_for_parent"  # (sync state) table → {row id: missing parent's table}
Waiting = dict[str, dict[str, str]]

# each table's columns naming a parent row: (column, parent table), the participant last (a
# row whose participant is missing is told as such, whatever else it lacks)
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    t.name: tuple(
        sorted(
            ((c, spec.refers_to) for c, spec in t.types.items() if spec.refers_to),
            key=lambda ref: ref[1] == registry.PARTICIPANT_TABLE,
        )
    )
    for t in registry.TABLES
    if any(spec.refers_to for spec in t.types.values())
}


def find(session: Session, only: Mapping[str, Iterable[str]] | None = None) -> Waiting:
    """Live rows naming a parent this vault does not hold (table → {id: parent's table}):
    every such row, or those of ``only``. A parent removed (a tombstone) is still held."""
    out: Waiting = {}
    for table, refs in REFERENCES.items():
        ids = None if only is None else sorted(set(only.get(table, ())))
        if ids == []:
            continue
        # the ids as one JSON parameter, each looked up by its key: a page's thousands of
        # rows in one statement
        rows = f'"{table}" AS c'
        if ids is not None:
            rows = f"json_each(:ids) AS j CROSS JOIN {rows} ON c.id = j.value"
        params = {} if ids is None else {"ids": json.dumps(ids)}
        for column, parent in refs:
            sql = (
                f'SELECT c.id FROM {rows} WHERE c.deleted = 0 AND c."{column}" IS NOT NULL '
                f'AND NOT EXISTS (SELECT 1 FROM "{parent}" AS p WHERE p.id = c."{column}")'
            )
            for row_id in session.execute(text(sql), params).scalars():
                out.setdefault(table, {})[str(row_id)] = parent
    return out


def held(session: Session) -> Waiting | None:
    """The rows known to wait, or None when never worked out in this vault."""
    row = session.get(SyncState, WAITING_KEY)
    return None if row is None else {str(t): dict(ids) for t, ids in dict(row.value).items()}


def counts(session: Session) -> dict[tuple[str, str], int]:
    """How many rows wait, by (table, the missing parent's table)."""
    out: dict[tuple[str, str], int] = {}
    for table, rows in (held(session) or {}).items():
        for parent in rows.values():
            out[(table, parent)] = out.get((table, parent), 0) + 1
    return out


def people_missing(session: Session) -> int:
    """How many participants this vault does not hold the rows known to wait are about."""
    people: set[str] = set()
    for table, rows in (held(session) or {}).items():
        ids = sorted(i for i, parent in rows.items() if parent == registry.PARTICIPANT_TABLE)
        if ids and table in REFERENCES:
            sql = (
                f"SELECT DISTINCT c.participant_id FROM json_each(:ids) AS j "
                f'CROSS JOIN "{table}" AS c ON c.id = j.value'
            )
            people.update(map(str, session.execute(text(sql), {"ids": json.dumps(ids)}).scalars()))
    return len(people)


def note_written(session: Session, written: Mapping[str, Iterable[str]]) -> None:
    """Bring the rows known to wait up to date after pulled rows were written (``written``:
    table → ids): those known, and those written, are looked at again. Worked out whole the
    first time (a vault from before this was kept)."""
    known = held(session)
    if known is None:
        keep(session, find(session))
        return
    again = {t: set(ids) for t, ids in known.items()}
    for table, ids in written.items():
        if table in REFERENCES:
            again.setdefault(table, set()).update(ids)
    if not any(again.values()):
        return
    now = find(session, again)
    if now != {t: ids for t, ids in known.items() if ids}:
        keep(session, now)


def keep(session: Session, waiting: Waiting) -> None:
    session.merge(SyncState(key=WAITING_KEY, value={t: ids for t, ids in waiting.items() if ids}))
