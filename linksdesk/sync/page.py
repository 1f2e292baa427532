"""Applying one pulled page: what it needs to know about this device, and what it reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from linksdesk.core.changes import Changes
from linksdesk.core.registry import CONSENT_TABLE, PARTICIPANT_TABLE
from linksdesk.sync.local_only import LocalOnlyCase
from linksdesk.sync.protocol import CONFLICT_TABLE, HANDOVER_TABLE, ServerChange

# what PageOutcome.touched (and a sync's touched rows) name besides tables: a participant
# purged here (by id), and the cursor moved (by the step that moved it)
PURGED = "__purge__"
CURSOR_MOVED = "__cursor__"
# rows whose change may make their participant shared with the team or no longer shared,
# so whose rows the verify digests count (verify.DigestCache checks those participants)
SHARING_ROWS = frozenset({PARTICIPANT_TABLE, CONSENT_TABLE})
# what touched names when who the monthly totals count (the participants not shared) may
# have changed: those rows, and a participant purged or handed over here (the handover
# notice, by participant); the next totals are then made afresh (state.TOTALS_DIRTY)
TOTALS_RECOUNT = SHARING_ROWS | {PURGED, HANDOVER_TABLE}
# the entity a view hears of when a record it may show left this laptop (casework's erasure)
ERASURE_ENTITY = "erasure"


@dataclass
class ApplyContext:
    """What applying needs to know about this device, and what it learns on the way."""

    device_id: str
    worker_id: str
    stamp: Callable[[], str]  # a fresh local clock value (for local receipts)
    # fields with edits still waiting in the outbox, by (table, row id)
    pending: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    highest_hlc: str = ""
    # a pull: what the server's own rules never let through is set aside (sync.pull_rules:
    # content with no team consent given here, among others); a supervision bundle
    # carries its consents after their people
    consent_gate: bool = False


@dataclass
class PageOutcome:
    applied: int = 0  # changes that changed something here
    unchanged: int = 0
    removed: int = 0  # live rows deleted, erased, handed away or purged by a withdrawal
    withdrawn_rows: int = 0  # of those, purged by withdrawals (their guard counts people)
    erased: list[str] = field(default_factory=list)
    handed_away: list[str] = field(default_factory=list)
    # participants removed here whole by a withdrawal pulled from the worker's other laptop
    withdrawn_away: list[str] = field(default_factory=list)
    conflicts: int = 0  # new conflicts recorded
    tables: set[str] = field(default_factory=set)
    superseded: int = 0  # local values that lost to later ones (ids logged)
    # withdrawals pulled from the worker's other laptop that left this laptop's own work
    # here as a local-only case (one notice per participant)
    kept_local: list[LocalOnlyCase] = field(default_factory=list)
    unappliable: int = 0  # pulled changes this vault could not store, set aside
    # rows written here, by table (for the digest cache); PURGED after a purge,
    # "handover" when who counts may have changed
    touched: dict[str, set[str]] = field(default_factory=dict)

    @property
    def purged(self) -> bool:
        """Whether this page purged anyone here (the file's VACUUM is then due)."""
        return bool(self.touched.get(PURGED))

    def note_changes(self, changes: Iterable[ServerChange], seen: Changes) -> None:
        """Add what applying ``changes`` wrote here to ``seen``, in the terms views reload by
        (a sync's pull and a bundle's import alike): each table a change was written to and
        whose record it is; a record erased, handed away or withdrawn away (so a record open
        in a window is closed and its unsaved words kept) as an erasure."""
        for ch in changes:
            if ch.row_id not in self.touched.get(ch.table, ()):
                continue
            seen.entities.add(ch.table)
            pid = ch.participant_id or (ch.row_id if ch.table == PARTICIPANT_TABLE else None)
            if pid:
                seen.participants.add(pid)
        gone = set(self.erased) | set(self.handed_away) | set(self.withdrawn_away)
        if gone:
            seen.entities.add(ERASURE_ENTITY)
        for pid in self.touched.get(PURGED, set()) | self.touched.get(HANDOVER_TABLE, set()) | gone:
            seen.entities.add(PARTICIPANT_TABLE)  # removed here, or kept as a local-only case
            seen.participants.add(pid)
        if self.conflicts:
            seen.entities.add(CONFLICT_TABLE)

    def touch(self, table: str, row_id: str) -> None:
        self.touched.setdefault(table, set()).add(row_id)

    def merge(self, other: PageOutcome) -> None:
        self.applied += other.applied
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.withdrawn_rows += other.withdrawn_rows
        self.erased += other.erased
        self.handed_away += other.handed_away
        self.withdrawn_away += other.withdrawn_away
        self.conflicts += other.conflicts
        self.tables |= other.tables
        self.superseded += other.superseded
        self.kept_local += other.kept_local
        self.unappliable += other.unappliable
        for table, ids in other.touched.items():
            self.touched.setdefault(table, set()).update(ids)


class RowMeta(NamedTuple):  # one per row a page touches: a tuple is quick to make
    clocks: dict[str, str]
    deleted: bool
    owner: str
