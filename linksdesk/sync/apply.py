"""Applying pulled changes to the vault: per-field merge, tombstones, and the rows of a page.

Pulled rows are written through the session directly (never through ``WriteTx``), so
applying them queues nothing for the outbox; each row's ``field_hlc`` and the search index
are kept in step by hand. The caller commits a page together with its new cursor.

Merge on the device, with the server's own rules (``sync.merge.merge_pulled``): the server
has already merged what it hands on against everything this device sent, so a field takes
the incoming value when the incoming clock is later than the field's own, except that a
narrative or clinical field with an edit still waiting in the outbox keeps the local value,
so the server sees both versions when that edit is pushed and keeps them as a conflict.

A record leaving this laptop with a page (erasure, a withdrawal on the worker's other laptop,
a handover) is :mod:`linksdesk.sync.leaving`'s; the page's context and outcome are
:mod:`linksdesk.sync.page`'s.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import (
    select,
    text,
)
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.orm import Session

from linksdesk.core.errors import LinksDeskError
from linksdesk.core.ids import SYNC_NAMESPACE as SYNC_NAMESPACE
from linksdesk.core.registry import (
    CONSENT_TABLE,
    PARTICIPANT_TABLE,
)
from linksdesk.storage import search
from linksdesk.storage.outbox import chunks
from linksdesk.storage.store import json_value, utc_now
from linksdesk.storage.tables import (
    ErasureReceipt,
    NoteRevision,
    Outbox,
    Participant,
    SyncAttention,
    SyncConflict,
)
from linksdesk.sync import late_words, pull_rules, state
from linksdesk.sync.conflicts import conflict_from_server, reconcile_note_conflicts
from linksdesk.sync.leaving import Leaving
from linksdesk.sync.merge import DELETED, merge_pulled, written_clocks
from linksdesk.sync.page import ApplyContext, PageOutcome, RowMeta
from linksdesk.sync.protocol import (
    CONFLICT_TABLE,
    HANDOVER_TABLE,
    ConflictRow,
    Op,
    ServerChange,
    is_erasure,
)
from linksdesk.sync.removals import (
    says_no_to_team,
    withdrawal_from_elsewhere,
)
from linksdesk.sync.shapes import (
    INSERT_ORDER,
    SHAPES,
    TableShape,
    fill_defaults,
    insert_rows,
    placeholder,
)

log = logging.getLogger(__name__)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a bulk step, on again after (if it was).

    Parsing and applying tens of thousands of changes makes hundreds of thousands of small
    dicts and objects, and the collector then walks everything alive again and again (a
    tenth of a bundle import's time); the step leaves no cycles of its own to collect. In
    the app the collector is off already (the GUI thread collects, ``ui/collector.py``):
    then this changes nothing, and it never switches on what it did not switch off.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


UNAPPLIABLE = (
    "A change to this record from the sync server could not be stored on this laptop (it "
    "holds a value this record cannot keep), so it was set aside; everything else synced. "
    "Tell your programme administrator."
)


NOT_UNDERSTOOD_CHANGE = (
    "A change from the sync server could not be understood on this laptop (it names a kind "
    "of record this laptop does not keep, or erases something other than a participant), "
    "so it was set aside; everything else synced. Tell your programme administrator."
)


# what a pulled change set aside is listed for: it stays listed while its row is sent
# again by a repair (only the server's refusals of what was sent are cleared then)
SET_ASIDE = frozenset({UNAPPLIABLE, NOT_UNDERSTOOD_CHANGE, *pull_rules.REASONS})
# and what a pulled page lists itself (``sync.late_words``), by how its reason starts
LISTED_HERE = late_words.LATE_WORDS


def unappliable(exc: BaseException) -> bool:
    """Whether ``exc`` says a pulled value cannot be stored here (set it aside), rather than
    a fault of the environment (disk, lock) or a rule that must stop the sync."""
    if isinstance(exc, LinksDeskError | OperationalError):
        return False
    return isinstance(exc, ValueError | TypeError | ArithmeticError | LookupError | StatementError)


def pending_fields(session: Session) -> dict[tuple[str, str], set[str]]:
    """Fields of each row with an edit not yet acknowledged by the server."""
    out: dict[tuple[str, str], set[str]] = {}
    for table, row_id, op, payload in session.execute(
        select(Outbox.table_name, Outbox.row_id, Outbox.op, Outbox.payload)
    ):
        names = out.setdefault((table, row_id), set())
        if op == Op.DELETE:
            names.add(DELETED)
        names.update((payload or {}).get("fields", {}).keys())
    return out


def parents_first(changes: list[ServerChange]) -> list[ServerChange]:
    """A page with each participant row moved before the first other change about them.

    Devices queue a team consent before the content it allows (the server refuses content
    it holds no consent for), so a consent can arrive just before its participant's row;
    the row must exist first here (foreign keys). Nothing moves past an erase, a handover
    or a team consent withdrawal (each may purge the participant here): a row after one
    moves only as far as the first change about them after it.
    """
    first: dict[str, int] = {}
    moves: dict[int, int] = {}
    for i, ch in enumerate(changes):
        pid = ch.participant_id or (ch.row_id if ch.table == PARTICIPANT_TABLE else None)
        if pid is None:
            continue
        if is_erasure(ch) or ch.table == HANDOVER_TABLE or says_no_to_team(ch):
            first.pop(pid, None)
            continue
        if ch.table == PARTICIPANT_TABLE and ch.op is Op.UPSERT and first.get(pid, i) < i:
            moves[i] = first[pid]
        first.setdefault(pid, i)
    if not moves:
        return changes
    out: list[ServerChange] = []
    before: dict[int, list[ServerChange]] = {}
    for i, to in moves.items():
        before.setdefault(to, []).append(changes[i])
    for i, ch in enumerate(changes):
        out += before.get(i, [])
        if i not in moves:
            out.append(ch)
    return out


# -- the applier ----------------------------------------------------------------------------
class PageApplier(Leaving):
    """Applies one page of pulled changes inside the caller's transaction."""

    def __init__(self, session: Session, ctx: ApplyContext) -> None:
        self.s = session
        self.ctx = ctx
        self.out = PageOutcome()
        self._rows: dict[tuple[str, str], Any] = {}
        self._meta: dict[tuple[str, str], RowMeta] = {}
        # (note id, participant id) of each note revision this page wrote
        self._new_revisions: list[tuple[str, str]] = []
        # notes held marked entered in error before the page (``sync.late_words``)
        self._marked_notes: set[str] = set()
        self._partial_keys: set[str] = set()
        self._erased: set[str] = set()
        # search entries are written once per page (and before any purge): rows inserted
        # here, and rows already held that changed
        self._index_new: dict[tuple[str, str], tuple[str, search.Values]] = {}
        self._inserts: dict[str, dict[str, dict[str, Any]]] = {}  # new rows, by table and id
        self._reindex: dict[tuple[str, str], Any] = {}
        # programme id → participants holding it here (read per page, kept as rows change)
        self._programme_ids: dict[str, set[str]] = {}
        # pulled changes not to take, with the reason shown (a pull: sync.pull_rules)
        self._refused: dict[str, str] = {}

    def apply(self, changes: list[ServerChange]) -> PageOutcome:
        with collector_paused():  # a page makes thousands of small objects and no cycles
            return self._apply(parents_first(changes))

    def _apply(self, changes: list[ServerChange]) -> PageOutcome:
        try:
            with self.s.begin_nested():  # the whole page at once: the usual case
                return self._apply_page(changes)
        except Exception as exc:
            if not unappliable(exc):
                raise
            log.warning(
                "a pulled page held a change this vault cannot store (%s)", type(exc).__name__
            )
        # one change cannot be stored here: take the page change by change, set that one
        # aside as "needs attention" and apply the rest, so the sync (and cursor) moves on
        self.__init__(self.s, self.ctx)  # type: ignore[misc]  # fresh caches and outcome
        self._preload(changes)
        for i, ch in enumerate(changes):
            before = (copy.deepcopy(self.out), len(self._new_revisions))
            try:
                with self.s.begin_nested():
                    self._apply_one(ch)
                    self._index_pending()
            except Exception as exc:
                if not unappliable(exc):
                    raise
                self.out, kept = before
                del self._new_revisions[kept:]
                self._index_new.clear()
                self._reindex.clear()
                self._inserts.clear()
                self._rows.clear()
                self._meta.clear()
                self._preload(changes[i + 1 :])
                # the kind only, never the message: it may quote the value
                self._set_aside(ch, UNAPPLIABLE, type(exc).__name__)
        return self._finish_page()

    def _set_aside(self, ch: ServerChange, reason: str, why: str) -> None:
        """A pulled change this vault cannot store or does not understand: listed as
        needing attention (ids and ``reason`` only; ``why`` goes to the log)."""
        if self.s.get(SyncAttention, ch.change_id) is not None:
            return  # met again (a table re-downloaded to repair): already listed
        self.s.add(
            SyncAttention(
                change_id=ch.change_id,
                table_name=ch.table[:32],
                row_id=ch.row_id,
                reason=reason,
                at=utc_now(),
            )
        )
        self.out.unappliable += 1
        log.warning(
            "pulled change %s (%s %s) could not be applied here (%s); set aside",
            ch.change_id,
            ch.table,
            ch.row_id,
            why,
        )

    def _apply_page(self, changes: list[ServerChange]) -> PageOutcome:
        self._preload(changes)
        for ch in changes:
            self._apply_one(ch)
        return self._finish_page()

    def _finish_page(self) -> PageOutcome:
        self._index_pending()
        # every note this page wrote a revision of, and every note with a conflict open here
        # (one may have come as a conflict row, or a revision written here since settled it)
        notes = {note: pid for note, pid in self._new_revisions if pid not in self._erased}
        self.out.conflicts += reconcile_note_conflicts(self.s, notes, self.ctx.device_id)
        late_words.list_late_words(self.s, notes, self._marked_notes)
        self.s.flush()
        return self.out

    def _index_pending(self) -> None:
        """Write the search entries of the rows this page changed so far: new rows in one
        statement per table (``search.index_new_values``), rows held before one by one."""
        self._insert_new()
        self.s.flush()
        if self._index_new:
            rows = list(self._index_new.values())
            search.index_new_values(self.s, rows + self._unindexed_notes(rows))
            self._index_new.clear()
        for row in self._reindex.values():
            search.reindex_row(self.s, row)
        self._reindex.clear()

    def _unindexed_notes(
        self, rows: list[tuple[str, search.Values]]
    ) -> list[tuple[str, search.Values]]:
        """Notes made on an earlier page (a bundle sends notes before revisions) that have
        no search entry yet and whose latest revision is among ``rows``: marked new for
        ``index_new_values``, so their entries go in with the rest instead of one by one."""
        new_notes = {values.get("id") for table, values in rows if table == "note"}
        latest: dict[str, search.Values] = {}
        for table, r in rows:
            if table != "note_revision" or r.get("deleted"):
                continue
            note_id = r.get("note_id")
            if note_id in new_notes:
                continue
            best = latest.get(note_id)
            if best is None or (r.get("revision"), r.get("hlc")) > (
                best.get("revision"),
                best.get("hlc"),
            ):
                latest[note_id] = r
        if not latest:
            return []
        ids = sorted(latest)
        held: dict[str, tuple[int, str, str]] = {}
        indexed: set[str] = set()
        for chunk in chunks(ids, 500):
            query = select(
                NoteRevision.note_id, NoteRevision.revision, NoteRevision.hlc, NoteRevision.id
            ).where(NoteRevision.note_id.in_(chunk), NoteRevision.deleted.is_(False))
            for note_id, revision, hlc, rev_id in self.s.execute(query):
                if note_id not in held or (revision, hlc) > held[note_id][:2]:
                    held[note_id] = (revision, hlc, rev_id)
            indexed |= set(
                self.s.scalars(
                    text(
                        "SELECT row_id FROM search_key WHERE entity = 'note' AND row_id IN "
                        "(SELECT value FROM json_each(:ids))"
                    ),
                    {"ids": json.dumps(chunk)},
                )
            )
        return [
            ("note", {"id": note_id})
            for note_id, r in latest.items()
            if note_id not in indexed and note_id in held and held[note_id][2] == r.get("id")
        ]

    def _apply_one(self, ch: ServerChange) -> None:
        if ch.hlc > self.ctx.highest_hlc:
            self.ctx.highest_hlc = ch.hlc
        if ch.op is Op.ERASE and not is_erasure(ch):
            self._set_aside(ch, NOT_UNDERSTOOD_CHANGE, "an erase of another table's row")
            return
        if ch.change_id in self._refused:
            self._set_aside(ch, self._refused[ch.change_id], "against the server's own rules")
            return
        withdrawal = ch.table == CONSENT_TABLE and withdrawal_from_elsewhere(ch, self.ctx.device_id)
        if ch.op is Op.ERASE or ch.table in (CONFLICT_TABLE, HANDOVER_TABLE) or withdrawal:
            self._insert_new()  # these read and rewrite what is held: all of it written
        if ch.op is Op.ERASE:
            self._erase(ch.row_id)
        elif ch.table == CONFLICT_TABLE:
            self._conflict_row(ch)
        elif ch.table == HANDOVER_TABLE:
            self._handover_notice(ch)
        elif ch.table in SHAPES:
            if not (withdrawal and self._withdrawn_elsewhere(ch)):
                self._row_change(SHAPES[ch.table], ch)
        else:
            self._set_aside(ch, NOT_UNDERSTOOD_CHANGE, "a table this vault does not keep")

    # - loading -
    def _preload(self, changes: list[ServerChange]) -> None:
        """Read the clocks of the rows a page touches (not whole rows: most pulled changes,
        such as the echo of this device's own, change nothing and need no more)."""
        wanted: dict[str, set[str]] = {}
        for ch in changes:
            if ch.table in SHAPES and ch.op is not Op.ERASE:
                wanted.setdefault(ch.table, set()).add(ch.row_id)
        conn = self.s.connection()
        empty = {  # nothing held in them yet (a fresh laptop): no ids to look up
            t
            for t in {*wanted, PARTICIPANT_TABLE}
            if conn.exec_driver_sql(f'SELECT 1 FROM "{t}" LIMIT 1').first() is None
        }
        for table, ids in wanted.items():
            if table in empty:
                continue
            # one plain statement per table, the ids as one JSON parameter: a first pull
            # asks about thousands of rows it does not hold yet
            query = (
                f'SELECT id, field_hlc, deleted, owner FROM "{table}" '
                "WHERE id IN (SELECT value FROM json_each(?))"
            )
            for row_id, clocks, deleted, owner in conn.exec_driver_sql(
                query, (json.dumps(sorted(ids)),)
            ):
                self._meta[(table, row_id)] = RowMeta(
                    dict((json.loads(clocks) if clocks else None) or {}), bool(deleted), str(owner)
                )
        self._partial_keys = {k for k, _ in state.partials(self.s)}
        self._refused = pull_rules.set_aside(self.s, changes) if self.ctx.consent_gate else {}
        self._erased = set(self.s.scalars(select(ErasureReceipt.participant_id)))
        self._marked_notes = late_words.marked_notes(
            self.s,
            (
                str(ch.fields["note_id"])
                for ch in changes
                if ch.table == "note_revision" and ch.fields.get("note_id")
            ),
        )
        programme_ids = {
            str(ch.fields["programme_id"])
            for ch in changes
            if ch.table == "participant" and ch.fields.get("programme_id")
        }
        self._programme_ids = {}
        if PARTICIPANT_TABLE in empty:
            self._programme_ids = {value: set() for value in programme_ids}
        self._load_programme_ids(programme_ids)

    def _load_programme_ids(self, values: Iterable[str]) -> None:
        """Who holds these programme ids here (one query per 500 of them)."""
        wanted = sorted(set(values) - self._programme_ids.keys())
        for value in wanted:
            self._programme_ids[value] = set()
        for chunk in chunks(wanted, 500):
            query = select(Participant.programme_id, Participant.id).where(
                Participant.programme_id.in_(chunk)
            )
            for value, row_id in self.s.execute(query):
                self._programme_ids[value].add(row_id)

    def _row(self, shape: TableShape, row_id: str) -> Any:
        key = (shape.name, row_id)
        row = self._rows.get(key)
        if row is None:
            if row_id in self._inserts.get(shape.name, {}):
                self._insert_new()  # created earlier on this page: read it back as a row
            row = self.s.get(shape.cls, row_id)
            self._rows[key] = row
        return row

    # - ordinary rows -
    def _row_change(self, shape: TableShape, ch: ServerChange) -> None:
        key = (shape.name, ch.row_id)
        loaded = self._rows.get(key)
        meta = self._meta.get(key)
        if loaded is None and meta is None:
            self._new_row(shape, ch)
            return
        if loaded is not None:
            meta = RowMeta(dict(loaded.field_hlc or {}), bool(loaded.deleted), loaded.owner)
        assert meta is not None
        incoming = shape.incoming(ch)
        if incoming.get(DELETED) is False and DELETED not in meta.clocks and not meta.deleted:
            del incoming[DELETED]  # "not deleted" since creation: nothing to record
        # the server has merged this change against everything this device sent; only an
        # edit still waiting in the outbox is concurrent with it (sync/merge.py)
        unsent = self.ctx.pending.get(key, set()) & incoming.keys()
        held: dict[str, Any] | None = None
        if unsent:
            row = self._row(shape, ch.row_id)
            held = {n: json_value(getattr(row, n)) for n in unsent}
        merged = merge_pulled(held, meta.clocks, ch, unsent=unsent, values=incoming)
        for kept in merged.conflicts:
            # both versions must survive: ours goes up with our push, where the server
            # keeps the pair as a conflict for every device
            log.info(
                "kept local edit of %s.%s on %s for the server to pair",
                shape.name,
                kept.field,
                ch.row_id,
            )
        new_owner = bool(ch.owner) and meta.owner != ch.owner
        if not merged.fields and not new_owner:
            self.out.unchanged += 1
            return
        row = self._row(shape, ch.row_id)
        was_live = not row.deleted
        clocks = dict(row.field_hlc or {})
        for lost in merged.superseded:
            if not lost.incoming:
                self.out.superseded += 1
                log.info(
                    "local edit of %s.%s on %s superseded by a later change",
                    shape.name,
                    lost.field,
                    row.id,
                )
        for name, value in merged.fields.items():
            setattr(row, name, self._fit(shape, row.id, name, shape.to_python(name, value)))
            clocks[name] = merged.field_hlc[name]
        if new_owner:
            row.owner = ch.owner  # a handed-over case is re-sent under its new owner
        row.field_hlc = clocks
        if ch.hlc > (row.hlc or ""):
            row.hlc = ch.hlc
            row.origin = ch.origin
        self.out.applied += 1
        self.out.tables.add(shape.name)
        self.out.touch(shape.name, row.id)
        if was_live and row.deleted:
            self.out.removed += 1
        if key in self._index_new:
            # new on this page: indexed new, as it ends
            self._index_new[key] = (shape.name, search.RowValues(row))
        elif shape.name in search.INDEXED_TABLES:
            self._reindex[key] = row
        if isinstance(row, NoteRevision) and not row.deleted:
            self._new_revisions.append((row.note_id, row.participant_id))

    def _new_row(self, shape: TableShape, ch: ServerChange) -> None:
        pkey = state.partial_key(shape.name, ch.row_id)
        incoming = shape.incoming(ch)
        if pkey in self._partial_keys:
            held = dict(state.get(self.s, pkey, {}))
            held_values = dict(held.get("values", {}))
            held_clocks = dict(held.get("clocks", {}))
            merged = merge_pulled(held_values, held_clocks, ch, values=incoming)
            values = {**held_values, **merged.fields}
            clocks = {**held_clocks, **merged.field_hlc}
        else:
            # a row this vault holds nothing of: every value as it comes, at the clock the
            # change wrote it (what merge_pulled gives for a row not held, built directly:
            # a first pull or a bundle brings tens of thousands of them)
            values, clocks = incoming, written_clocks(ch, incoming)
        if shape.name == "erasure_receipt" and ch.participant_id:
            self._drop_local_receipt(ch.participant_id)
        elif ch.participant_id and self._erased_here(ch.participant_id):
            return  # erased on this device: nothing of the person may come back
        deleted = bool(values.get(DELETED, False))
        missing = shape.required - values.keys()
        if shape.participant_routed and "participant_id" in missing and ch.participant_id:
            values["participant_id"] = ch.participant_id
            missing = missing - {"participant_id"}
        if missing and not deleted:
            # wait for the rest (a change of a row whose first change has not come yet)
            state.put(
                self.s,
                pkey,
                {
                    "table": shape.name,
                    "row_id": ch.row_id,
                    "participant_id": ch.participant_id,
                    "owner": ch.owner,
                    "origin": ch.origin,
                    "values": values,
                    "clocks": clocks,
                },
            )
            self._partial_keys.add(pkey)
            self.out.unchanged += 1
            return
        if pkey in self._partial_keys:
            state.drop(self.s, pkey)
            self._partial_keys.discard(pkey)
        # the row goes in with the rest of its table in one statement (``_insert_new``): no
        # ORM object in the session; until then its clocks stand for it in ``_meta``
        # "deleted" too, for now: it is set from the merged tombstone below
        if values.keys() <= shape.convert.keys():
            row_values = values  # made for this change alone (incoming or merged): no copy
        else:
            row_values = {k: v for k, v in values.items() if k in shape.convert}
        for name, conv in shape.python.items():  # dates, flags, numbers: a few per table
            if name in row_values:
                row_values[name] = conv(row_values[name])
        for name in missing:  # only for a tombstone of a row never seen here
            row_column = shape.cls.__table__.columns[name]  # type: ignore[attr-defined]
            row_values[name] = placeholder(row_column, ch.row_id)
        if shape.name == PARTICIPANT_TABLE and "programme_id" in row_values:
            row_values["programme_id"] = self._fit(
                shape, ch.row_id, "programme_id", row_values["programme_id"]
            )
        row_values.update(
            id=ch.row_id,
            deleted=deleted,
            sharing=ch.sharing,
            owner=ch.owner,
            origin=ch.origin,
            field_hlc=clocks,
            hlc=max(clocks.values(), default=ch.hlc),
        )
        key = (shape.name, ch.row_id)
        self._inserts.setdefault(shape.name, {})[ch.row_id] = row_values
        # the clocks are only read from here on (a later change of the row on this page
        # merges against them, and reads the row back before it writes)
        self._meta[key] = RowMeta(clocks, deleted, str(ch.owner))
        self.out.applied += 1
        self.out.tables.add(shape.name)
        self.out.touch(shape.name, ch.row_id)
        if shape.name in search.INDEXED_TABLES or shape.name == "note":
            # indexed from these values once the page's rows are in (a note is not
            # indexed itself, but tells the index its entry is new)
            self._index_new[key] = (shape.name, row_values)
            if shape.name == "note_revision" and not deleted:
                self._new_revisions.append((row_values["note_id"], row_values["participant_id"]))

    def _insert_new(self) -> None:
        """Write the rows this page created so far: one executemany per table, parents
        first (every row of a table with the same columns, defaults filled in), as plain
        statements with each column's own conversion (a first pull writes tens of
        thousands of rows: SQLAlchemy's per-row parameter handling cost more than SQLite)."""
        if not self._inserts:
            return
        self.s.flush()
        inserts, self._inserts = self._inserts, {}
        conn = self.s.connection()
        for table in INSERT_ORDER:
            rows = inserts.get(table)
            if rows:
                insert_rows(conn, table, fill_defaults(table, rows.values()))

    def _fit(self, shape: TableShape, row_id: str, name: str, value: Any) -> Any:
        """A value as it can be stored here. Programme ids are unique per vault, but two
        laptops of one worker can each hand out the same one while offline: the arriving
        copy is marked here rather than stopping every sync (it keeps the server's clock, so
        it never travels back)."""
        if shape.name != PARTICIPANT_TABLE or name != "programme_id" or not value:
            return value
        held = self._rows.get(("participant", row_id))
        if held is not None and held.programme_id:
            self._programme_ids.get(held.programme_id, set()).discard(row_id)
        if value not in self._programme_ids:
            self._load_programme_ids([value])
        if any(holder != row_id for holder in self._programme_ids[value]):
            log.warning("programme id of participant %s already used here; marked locally", row_id)
            value = f"{value}~{row_id[-4:]}"
            self._load_programme_ids([value])
        self._programme_ids[value].add(row_id)
        return value

    # - conflicts -
    def _conflict_row(self, ch: ServerChange) -> None:
        existing = self.s.get(SyncConflict, ch.row_id)
        if ch.op is Op.DELETE:
            if existing is not None and existing.resolved_at is None:
                existing.resolved_at = utc_now()
                self.out.applied += 1
            return
        if existing is not None:
            self.out.unchanged += 1
            return
        try:
            row = ConflictRow.model_validate(ch.fields)
        except ValueError:
            log.warning("conflict %s could not be read; ignored", ch.row_id)
            return
        self.s.add(conflict_from_server(ch.row_id, row, self.ctx.device_id))
        self.out.conflicts += 1
        self.out.applied += 1
