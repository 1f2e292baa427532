"""Verify's per-table digests, kept up to date inside every writing transaction.

``/v1/verify`` answers, per syncable table, the count and digest (``protocol.table_digest``:
a sum of row hashes mod 2**256) of the records a device may see. Reading all of them on each
call costs time in proportion to the vault, so the server keeps the sums in the ``digest``
table, per visibility scope:

- ``t:<team>``: a team's shared rows (``TEAM_TABLES``);
- ``w:<team>:<worker>``: a worker's own rows (``WORKER_TABLES``);
- ``p:<team>:<participant>``: one participant's rows (participant-routed tables);
- ``c:<team>:<worker>``: a worker's caseload: the sum of ``p:`` over their access rows
  (owned and read-only cases), so verify reads three scopes whatever the caseload's size.

The upkeep is explicit: the code that writes records or access rows notes each change in a
:class:`DigestNotes` (the push applier for what it inserts and rewrites, the one
participant purge for what it deletes, a handover for the access rows it moves) and calls
:func:`save` before the transaction commits (a handover moves a case's ``p:`` sums between
caseloads). A session that writes this way says so (:func:`noted_here`).

One guard remains for writes made outside that path, by hand or by a maintenance script
(``delete(Record)``/``update(Record)`` ORM statements in a session that did not say it
notes its own): they are read before they run and saved before the commit, so such a
repair or damage shows up in verify as it should. Nothing else is followed: raw SQL or ORM
unit-of-work changes to records outside the write path leave the digests wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, and_, delete, event, or_, select, tuple_, update
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.expression import bindparam

from linksdesk.server.bulk import BulkInsert
from linksdesk.server.models import Digest, ParticipantAccess, Record
from linksdesk.sync.protocol import (
    DIGEST_MODULUS,
    SYNCABLE_TABLES,
    TEAM_TABLES,
    WORKER_TABLES,
    TableDigest,
    digest_text,
    is_participant_routed,
    row_hash,
    table_digest,
)

_DIGESTS = cast(Table, Digest.__table__)
_INSERT_DIGESTS = BulkInsert(_DIGESTS)
_CHUNK = 400
RECORD_COLS = ("table_name", "row_id", "team_id", "owner", "participant_id", "hlc", "deleted")
ACCESS_COLS = ("participant_id", "worker_id", "team_id")


def team_scope(team: str) -> str:
    return f"t:{team}"


def worker_scope(team: str, worker: str) -> str:
    return f"w:{team}:{worker}"


def participant_scope(team: str, participant: str) -> str:
    return f"p:{team}:{participant}"


def caseload_scope(team: str, worker: str) -> str:
    return f"c:{team}:{worker}"


def record_scope(table: str, team: str, owner: str, participant: str | None) -> str | None:
    """The scope a record counts in, or None when no device's verify counts it."""
    if table not in SYNCABLE_TABLES:
        return None  # conflict rows are the server's and not compared
    if table in TEAM_TABLES:
        return team_scope(team)
    if table in WORKER_TABLES:
        return worker_scope(team, owner)
    if is_participant_routed(table) and participant is not None:
        return participant_scope(team, participant)
    return None


@dataclass
class _Notes:
    """What changed in this transaction, not yet in the digest table."""

    # (scope, table) -> [count change, sum change]
    rows: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(_zero))
    # (participant, worker, team) -> +1 access granted, -1 withdrawn (net)
    access: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))


def _zero() -> list[int]:
    return [0, 0]


def _note_record(notes: _Notes, values: Sequence[Any], sign: int) -> None:
    table, row_id, team, owner, pid, hlc, deleted = values
    scope = record_scope(table, team, owner, pid)
    if scope is None:
        return
    entry = notes.rows[(scope, table)]
    entry[0] += sign
    entry[1] += sign * row_hash(row_id, hlc, bool(deleted))


# -- what the write path notes ---------------------------------------------------------------
class DigestNotes(_Notes):
    """What one transaction changed, noted by the code that writes it, saved with :func:`save`.

    The write path calls these explicitly (no session events): the push applier notes each
    record it inserts or rewrites and each access row it adds, the purge notes what it
    deletes, a handover notes the access rows it moves.
    """

    def record(self, values: Sequence[Any], sign: int) -> None:
        """A record with ``values`` (:data:`RECORD_COLS`) was added (+1) or removed (-1)."""
        _note_record(self, values, sign)

    def record_changed(self, old: Sequence[Any], new: Sequence[Any]) -> None:
        if tuple(old) != tuple(new):
            _note_record(self, old, -1)
            _note_record(self, new, 1)

    def grant(self, values: Sequence[Any], sign: int = 1) -> None:
        """An access row with ``values`` (:data:`ACCESS_COLS`) was added (+1) or removed (-1)."""
        self.access[tuple(values)] += sign  # type: ignore[index]

    def records_of(self, session: Session, where: Any, sign: int = -1) -> None:
        """Note every record matching ``where`` (before a bulk delete: ``sign`` -1)."""
        for row in session.execute(select(*_columns(Record, RECORD_COLS)).where(where)):
            _note_record(self, tuple(row), sign)

    def access_of(self, session: Session, where: Any, sign: int = -1) -> None:
        """Note every access row matching ``where`` (before a bulk delete: ``sign`` -1)."""
        for row in session.execute(select(*_columns(ParticipantAccess, ACCESS_COLS)).where(where)):
            self.access[tuple(row)] += sign  # type: ignore[index]

    def __bool__(self) -> bool:
        return bool(self.rows) or bool(self.access)


def _columns(model: Any, names: Sequence[str]) -> list[Any]:
    return [getattr(model, n) for n in names]


_EXPLICIT = "linksdesk_digests_noted"
_OUTSIDE = "linksdesk_digest_notes_outside"


def noted_here(session: Session) -> None:
    """This session's writer notes its own changes and saves them (the guard stands down)."""
    session.info[_EXPLICIT] = True


# -- the guard for ORM bulk statements outside the write path -------------------------------
@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> Any:
    if state.session.info.get(_EXPLICIT) or not (state.is_delete or state.is_update):
        return None
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ not in (Record, ParticipantAccess):
        return None
    model = mapper.class_
    names = RECORD_COLS if model is Record else ACCESS_COLS
    where = getattr(state.statement, "whereclause", None)
    query = select(*_columns(model, names))
    if where is not None:
        query = query.where(where)
    session = state.session
    before = [tuple(r) for r in session.execute(query)]
    notes = session.info.setdefault(_OUTSIDE, DigestNotes())
    if state.is_delete:
        _note_rows(notes, model, before, -1)
        return None
    result = state.invoke_statement()
    if before:
        keys = [(r[0], r[1]) for r in before]
        pk = tuple_(*_columns(model, names[:2]))
        after: list[tuple[Any, ...]] = []
        for i in range(0, len(keys), _CHUNK):
            after.extend(
                tuple(r) for r in session.execute(select(*_columns(model, names)).where(
                    pk.in_(keys[i : i + _CHUNK])
                ))
            )  # fmt: skip
        _note_rows(notes, model, before, -1)
        _note_rows(notes, model, after, 1)
    return result


def _note_rows(notes: DigestNotes, model: Any, rows: list[tuple[Any, ...]], sign: int) -> None:
    for row in rows:
        if model is Record:
            notes.record(row, sign)
        else:
            notes.grant(row, sign)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    notes = session.info.pop(_OUTSIDE, None)
    if notes:
        save(session, notes)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_OUTSIDE, None)


# -- writing the digest table ---------------------------------------------------------------
def _read(session: Session, scopes: Iterable[str]) -> dict[tuple[str, str], tuple[int, int]]:
    out: dict[tuple[str, str], tuple[int, int]] = {}
    scope_list = sorted(set(scopes))
    for i in range(0, len(scope_list), _CHUNK):
        for scope, table, count, total in session.execute(
            select(Digest.scope, Digest.table_name, Digest.count, Digest.total).where(
                Digest.scope.in_(scope_list[i : i + _CHUNK])
            )
        ):
            out[(scope, table)] = (int(count), int(total, 16))
    return out


def _split(scope: str) -> tuple[str, str]:
    _kind, team, ident = scope.split(":", 2)
    return team, ident


def save(session: Session, notes: _Notes) -> None:
    """Turn one transaction's notes into digest rows (caseloads follow their participants)."""
    deltas: dict[tuple[str, str], list[int]] = defaultdict(_zero)
    for key, (dc, ds) in notes.rows.items():
        if dc or ds % DIGEST_MODULUS:
            deltas[key] = [dc, ds]
    by_participant: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for (scope, table), (dc, ds) in deltas.items():
        if scope.startswith("p:"):
            by_participant[scope].append((table, dc, ds))
    changed_access = {k: n for k, n in notes.access.items() if n}
    # a granted or withdrawn case moves its participant's sums as stored before this commit
    stored = _read(session, (participant_scope(t, p) for p, _w, t in changed_access))
    moved: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for (scope, table), (count, total) in stored.items():
        moved[scope].append((table, count, total))
    case_deltas: dict[tuple[str, str], list[int]] = defaultdict(_zero)
    for (pid, worker, team), n in changed_access.items():
        for table, count, total in moved.get(participant_scope(team, pid), []):
            entry = case_deltas[(caseload_scope(team, worker), table)]
            entry[0] += n * count
            entry[1] += n * total
    # a participant's changed rows change every caseload that holds the participant now
    pids = sorted({_split(s)[1] for s in by_participant})
    for i in range(0, len(pids), _CHUNK):
        for pid, worker, team in session.execute(
            select(*_columns(ParticipantAccess, ACCESS_COLS)).where(
                ParticipantAccess.participant_id.in_(pids[i : i + _CHUNK])
            )
        ):
            for table, dc, ds in by_participant.get(participant_scope(team, pid), []):
                entry = case_deltas[(caseload_scope(team, worker), table)]
                entry[0] += dc
                entry[1] += ds
    for key, (dc, ds) in case_deltas.items():
        entry = deltas[key]
        entry[0] += dc
        entry[1] += ds
    _apply(session, {k: v for k, v in deltas.items() if v[0] or v[1] % DIGEST_MODULUS})


def _apply(session: Session, deltas: dict[tuple[str, str], list[int]]) -> None:
    if not deltas:
        return
    current = _read(session, (scope for scope, _t in deltas))
    inserts, updates, deletes = [], [], []
    for (scope, table), (dc, ds) in deltas.items():
        count, total = current.get((scope, table), (0, 0))
        count, total = count + dc, (total + ds) % DIGEST_MODULUS
        row = {"s": scope, "t": table, "c": count, "v": digest_text(total)}
        if (scope, table) not in current:
            inserts.append({"scope": scope, "table_name": table, "count": count, "total": row["v"]})
        elif count == 0 and total == 0:
            deletes.append(row)
        else:
            updates.append(row)
    match = and_(_DIGESTS.c.scope == bindparam("s"), _DIGESTS.c.table_name == bindparam("t"))
    _INSERT_DIGESTS.run(session, inserts)
    if updates:
        session.execute(
            update(_DIGESTS).where(match).values(count=bindparam("c"), total=bindparam("v")),
            updates,
        )
    if deletes:
        session.execute(delete(_DIGESTS).where(match), deletes)


# -- reading --------------------------------------------------------------------------------
def visible_digests(session: Session, team: str, worker: str) -> dict[str, TableDigest]:
    """Every syncable table's digest over what ``worker``'s devices may see: three scopes."""
    sums = {t: [0, 0] for t in SYNCABLE_TABLES}
    scopes = (team_scope(team), worker_scope(team, worker), caseload_scope(team, worker))
    for (_scope, table), (count, total) in _read(session, scopes).items():
        if table in sums:
            sums[table][0] += count
            sums[table][1] += total
    return {t: TableDigest(count=c, digest=digest_text(v)) for t, (c, v) in sums.items()}


def digests_from_scratch(session: Session, team: str, worker: str) -> dict[str, TableDigest]:
    """The same answer read from every visible record (slow: for tests and checks)."""
    visible = select(ParticipantAccess.participant_id).where(ParticipantAccess.worker_id == worker)
    by_table: dict[str, list[tuple[str, str, bool]]] = {t: [] for t in SYNCABLE_TABLES}
    rows = session.execute(
        select(Record.table_name, Record.row_id, Record.hlc, Record.deleted).where(
            Record.table_name.in_(SYNCABLE_TABLES),
            Record.team_id == team,
            or_(
                Record.table_name.in_(TEAM_TABLES),
                and_(Record.table_name.in_(WORKER_TABLES), Record.owner == worker),
                and_(Record.participant_id.is_not(None), Record.participant_id.in_(visible)),
            ),
        )
    )
    for table, row_id, hlc, deleted in rows:
        by_table[table].append((row_id, hlc, bool(deleted)))
    return {t: table_digest(r) for t, r in by_table.items()}


def rebuild(session: Session) -> int:
    """Recompute the whole digest table from the records and access rows; returns its rows."""
    session.execute(delete(_DIGESTS))
    notes = _Notes()
    for row in session.execute(select(*_columns(Record, RECORD_COLS))):
        _note_record(notes, tuple(row), 1)
    # no caseload holds anything yet: granting every access row fills them
    for row in session.execute(select(*_columns(ParticipantAccess, ACCESS_COLS))):
        notes.access[tuple(row)] += 1  # type: ignore[index]
    deltas = {k: v for k, v in notes.rows.items() if v[0]}
    _apply(session, deltas)
    grants = _Notes(access=notes.access)
    save(session, grants)
    return len(list(session.execute(select(Digest.scope))))
