"""A record leaving this laptop as a page is applied: an erasure, a team consent withdrawn on
the worker's other laptop, a case handed to a colleague (or handed back).

What the worker recorded here and the server never took stays (rule 7): as a local-only case
after a withdrawal, private to this laptop after a handover; the worker's unsaved words stay
too, except after an erasure. Mixed into :class:`linksdesk.sync.apply.PageApplier`, whose
page state it shares.
"""

from __future__ import annotations

import logging
from typing import Any, overload

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from linksdesk.core.ids import stable_id
from linksdesk.core.registry import CONSENT_TABLE, PURGE_ORDER, RECORD_TABLES
from linksdesk.core.vocab import Sharing
from linksdesk.storage.outbox import chunks
from linksdesk.storage.purge import purge_participant
from linksdesk.storage.store import team_decision, utc_now
from linksdesk.storage.tables import TABLE_BY_NAME, ErasureReceipt, Outbox, Participant
from linksdesk.sync import same_person, state
from linksdesk.sync.local_only import (
    LocalOnlyCase,
    created_here,
    own_work_of,
    purge_from_elsewhere,
    unsent_work_of,
)
from linksdesk.sync.page import PURGED, ApplyContext, PageOutcome, RowMeta
from linksdesk.sync.protocol import HANDOVER_TABLE, ServerChange
from linksdesk.sync.removals import (
    live_rows_of,
    read_handover,
    superseded_here,
    withdrawal_from_elsewhere,
)
from linksdesk.sync.shapes import SHAPES, TableShape, pid_of

log = logging.getLogger(__name__)


class Leaving:
    """Erasure, withdrawal from elsewhere and handover, on the page state of an applier."""

    # the page state, kept by PageApplier
    s: Session
    ctx: ApplyContext
    out: PageOutcome
    _rows: dict[tuple[str, str], Any]
    _meta: dict[tuple[str, str], RowMeta]
    _new_revisions: list[tuple[str, str]]
    _erased: set[str]
    _programme_ids: dict[str, set[str]]

    def _index_pending(self) -> None:
        raise NotImplementedError  # PageApplier: writes this page's search entries

    def _row_change(self, shape: TableShape, ch: ServerChange) -> None:
        raise NotImplementedError  # PageApplier: applies one change to a row held here

    @overload
    def _purge(self, participant_id: str, *, drafts: bool = True) -> int: ...
    @overload
    def _purge(self, participant_id: str, *, keep: dict[str, set[str]]) -> tuple[int, int]: ...
    def _purge(
        self,
        participant_id: str,
        *,
        keep: dict[str, set[str]] | None = None,
        drafts: bool = True,
    ) -> int | tuple[int, int]:
        """Purge a participant here (all, or all but ``keep``) and forget what this page had
        read of the rows that went; ``drafts=False`` leaves the worker's unsaved words."""
        self._index_pending()  # written, and indexed: rows about to go go with their entries
        self._programme_ids = {}  # read again when next needed
        result: int | tuple[int, int]
        if keep is None:
            self._rows = {k: v for k, v in self._rows.items() if pid_of(v) != participant_id}
            result = purge_participant(self.s, participant_id, drafts=drafts)
        else:
            self._rows = {
                k: v
                for k, v in self._rows.items()
                if pid_of(v) != participant_id or k[1] in keep.get(k[0], set())
            }
            result = purge_from_elsewhere(self.s, participant_id, keep)
        self.out.touch(PURGED, participant_id)
        by_table: dict[str, list[str]] = {}
        for table, row_id in self._meta:
            by_table.setdefault(table, []).append(row_id)
        for table, ids in by_table.items():
            cls: Any = SHAPES[table].cls
            still: set[str] = set()
            for chunk in chunks(ids, 500):
                still |= set(self.s.scalars(select(cls.id).where(cls.id.in_(chunk))))
            for row_id in ids:
                if row_id not in still:
                    del self._meta[(table, row_id)]
        return result

    def _erased_here(self, participant_id: str) -> bool:
        return participant_id in self._erased and self.s.get(Participant, participant_id) is None

    def _drop_local_receipt(self, participant_id: str) -> None:
        # the synced receipt replaces the one this device wrote when it applied the erasure
        self.s.execute(
            delete(ErasureReceipt).where(
                ErasureReceipt.id == stable_id("receipt", participant_id),
                ErasureReceipt.sharing == "private",
            )
        )

    # - erasure -
    def _erase(self, participant_id: str) -> None:
        if participant_id in self._erased and not live_rows_of(self.s, participant_id):
            self.out.unchanged += 1  # erased here already (the server may tell twice)
            return
        removed = self._purge(participant_id)
        self._new_revisions = [r for r in self._new_revisions if r[1] != participant_id]
        has_receipt = self.s.scalar(
            select(func.count())
            .select_from(ErasureReceipt)
            .where(ErasureReceipt.participant_id == participant_id)
        )
        if not has_receipt:
            # private: this device's own proof; the erasing device's receipt syncs separately
            self.s.add(
                ErasureReceipt(
                    id=stable_id("receipt", participant_id),
                    participant_id=participant_id,
                    erased_at=utc_now(),
                    rows_removed=removed,
                    hlc=self.ctx.stamp(),
                    origin=self.ctx.device_id,
                    owner=self.ctx.worker_id,
                    sharing="private",
                    deleted=False,
                    field_hlc={},
                )
            )
        self._erased.add(participant_id)
        self.out.removed += removed
        self.out.erased.append(participant_id)
        self.out.tables |= set(RECORD_TABLES)
        log.info("applied erasure of participant %s: %d rows removed", participant_id, removed)

    # - withdrawal of team sharing -
    def _withdrawn_elsewhere(self, ch: ServerChange) -> bool:
        """A team consent withdrawn on another device: purge the participant here.

        From a withdrawal on, the participant is private to the device that recorded it
        (rule 2), so the worker's other devices keep nothing of them that came from
        elsewhere, not even the consent; what this one recorded itself stays (rule 7), and so
        do the worker's unsaved words kept here (drafts).
        Returns True when the change was handled (and must not be applied as a row).
        """
        if not withdrawal_from_elsewhere(ch, self.ctx.device_id):
            return False
        pid = str(ch.participant_id)
        if superseded_here(self.s, ch):
            return False  # consent given again here since: the later record decides
        if (CONSENT_TABLE, ch.row_id) in self._meta:
            return False  # applied here before (a repair downloads it again): nothing new
        read_only = set(state.get(self.s, state.READ_ONLY, []))
        if pid in read_only:
            read_only.discard(pid)
            state.put(self.s, state.READ_ONLY, sorted(read_only))
        # one record of a person withdrawn (on a laptop that may not have known the records
        # were one person): the person's other records here follow before the next push
        same_person.note_withdrawn(self.s, pid, ch.fields)
        self._new_revisions = [r for r in self._new_revisions if r[1] != pid]
        self.s.flush()
        keep = own_work_of(self.s, pid, self.ctx.device_id)
        if keep:
            return self._keep_local(ch, keep)
        # the worker's unsaved words, typed here and never sent, are this laptop's own (rule 7)
        removed = self._purge(pid, drafts=False)
        self.out.removed += removed
        self.out.withdrawn_rows += removed
        self.out.withdrawn_away.append(pid)
        self.out.applied += 1
        self.out.tables |= set(RECORD_TABLES)
        log.info("team sharing withdrawn on another device: participant %s purged here", pid)
        return True

    def _keep_local(self, ch: ServerChange, keep: dict[str, set[str]]) -> bool:
        """Rule 7: what this laptop recorded itself stays here as a local-only case; what
        came from elsewhere goes; the withdrawal is applied as a row (so rule 2 now holds
        the case back here) and the worker is told."""
        pid = str(ch.participant_id)
        removed, kept = self._purge(pid, keep=keep)
        self.out.removed += removed
        self.out.withdrawn_rows += removed
        self.out.tables |= set(RECORD_TABLES)
        self._row_change(SHAPES[CONSENT_TABLE], ch)
        self._tell_local_only(pid, kept, removed)
        log.info(
            "team sharing withdrawn on another device: participant %s kept here local only "
            "(%d rows kept, %d removed)",
            pid,
            kept,
            removed,
        )
        return True

    # - handover -
    def _handover_notice(self, ch: ServerChange) -> None:
        notice = read_handover(ch)
        if notice is None:
            return
        pid = notice.participant_id
        read_only = set(state.get(self.s, state.READ_ONLY, []))
        if notice.to_worker == self.ctx.worker_id:
            read_only.discard(pid)  # the case is ours (again); its rows follow this notice
            self._share_kept_again(pid)
        elif notice.from_worker == self.ctx.worker_id and self._forgotten_here(pid):
            # forgotten here before this laptop heard of the handover: the server took the
            # erasure; its receipt is off this worker's caseload now, this laptop's own proof
            receipts = list(
                self.s.scalars(
                    select(ErasureReceipt.id).where(
                        ErasureReceipt.participant_id == pid,
                        ErasureReceipt.sharing == Sharing.TEAM.value,
                    )
                )
            )
            self.s.execute(
                update(ErasureReceipt)
                .where(ErasureReceipt.id.in_(receipts))
                .values(sharing=Sharing.PRIVATE.value)
            )
            for receipt_id in receipts:
                self.out.touch(ErasureReceipt.__tablename__, receipt_id)  # out of verify now
            log.info("case %s handed over after its erasure here: receipt kept private", pid)
        elif notice.from_worker == self.ctx.worker_id and self._withdrawn_here(pid):
            # team sharing withdrawn here before this laptop heard of the handover: the
            # server took the withdrawal and dropped the case everywhere else, so this
            # laptop keeps the record, private, as the withdrawing laptop always does
            read_only.discard(pid)
            log.info("case %s handed over after its withdrawal here: kept here", pid)
        elif notice.from_worker == self.ctx.worker_id:
            if notice.keep_read_only:
                read_only.add(pid)
                self.s.flush()
                mine = created_here(self.s, unsent_work_of(self.s, pid))
                self._reown(pid, notice.to_worker)
                if mine:
                    # new rows the server never took: private here, still the worker's
                    self._keep_handed(pid, mine, purge=False)
            else:
                read_only.discard(pid)
                self.s.flush()
                keep = unsent_work_of(self.s, pid)
                if keep:
                    self._keep_handed(pid, keep)
                else:
                    removed = self._purge(pid, drafts=False)  # unsaved words: the worker's
                    self.out.removed += removed
                    log.info("case %s handed to a colleague: %d rows removed here", pid, removed)
                self.out.handed_away.append(pid)
            self.out.tables |= set(RECORD_TABLES)
        state.put(self.s, state.READ_ONLY, sorted(read_only))
        self.out.touch(HANDOVER_TABLE, pid)
        self.out.applied += 1

    def _forgotten_here(self, pid: str) -> bool:
        """Whether this laptop erased ``pid`` (a receipt, no record left)."""
        self.s.flush()
        if self.s.get(Participant, pid) is not None:
            return False
        receipt = select(ErasureReceipt.id).where(ErasureReceipt.participant_id == pid)
        return self.s.scalar(receipt.limit(1)) is not None

    def _withdrawn_here(self, pid: str) -> bool:
        """Whether this laptop holds ``pid`` with team sharing withdrawn (rule 2 keeps them
        here): the latest team consent here says not given. None held here is not a
        withdrawal (the consent may have been recorded on the worker's other laptop)."""
        self.s.flush()
        return self.s.get(Participant, pid) is not None and team_decision(self.s, pid) is False

    def _keep_handed(self, pid: str, keep: dict[str, set[str]], *, purge: bool = True) -> None:
        """A case handed to a colleague while this laptop held work about it the server had
        not taken (written offline, refused as no longer the worker's case): that work stays
        here, private to this laptop, the rest goes (unless the case stays here read-only,
        ``purge=False``), and the worker is told to pass it on. Should the case come back,
        the work is shared again (``_share_kept_again``)."""
        removed, kept = self._purge(pid, keep=keep) if purge else (0, sum(map(len, keep.values())))
        self.out.removed += removed
        made_private: dict[str, list[str]] = {}
        for name, ids in keep.items():
            cls: Any = TABLE_BY_NAME[name]
            for chunk in chunks(sorted(ids), 500):
                team = list(
                    self.s.scalars(select(cls.id).where(cls.id.in_(chunk), cls.sharing == "team"))
                )
                self.s.execute(
                    update(cls)
                    .where(cls.id.in_(team))
                    .values(sharing="private", owner=self.ctx.worker_id)
                )
                made_private.setdefault(name, []).extend(team)
                for row_id in team:
                    self.out.touch(name, row_id)  # out of what verify compares now
        if not purge:  # their queued changes would only be refused (a purge drops them)
            for chunk in chunks(sorted(i for ids in keep.values() for i in ids), 500):
                self.s.execute(
                    delete(Outbox).where(Outbox.row_id.in_(chunk), Outbox.batch_key.is_(None))
                )
        self._refresh_rows_of(pid)
        handed = dict(state.get(self.s, state.HANDED_KEPT, {}))
        handed[pid] = made_private
        state.put(self.s, state.HANDED_KEPT, handed)
        self._tell_local_only(pid, kept, removed, handed=True)
        log.info("case %s handed to a colleague: %d unsent rows kept here private", pid, kept)

    def _share_kept_again(self, pid: str) -> None:
        """A case handed back: the work kept private when it was handed away is shared again
        (verify finds it missing on the server and sends it)."""
        handed = dict(state.get(self.s, state.HANDED_KEPT, {}))
        rows = handed.pop(pid, None)
        if rows is None:
            return
        self.s.flush()
        for name, ids in rows.items():
            cls: Any = TABLE_BY_NAME[name]
            for chunk in chunks(sorted(ids), 500):
                self.s.execute(update(cls).where(cls.id.in_(chunk)).values(sharing="team"))
            for row_id in ids:
                self.out.touch(name, row_id)  # verify finds them missing there and sends them
        self._refresh_rows_of(pid)
        state.put(self.s, state.HANDED_KEPT, handed)
        state.put(self.s, state.LOCAL_ONLY, self._notices_but(pid))

    def _notices_but(self, pid: str) -> list[dict[str, Any]]:
        """The local-only notices kept here, without ``pid``'s."""
        notices = state.get(self.s, state.LOCAL_ONLY, [])
        return [n for n in notices if n.get("participant_id") != pid]

    def _tell_local_only(self, pid: str, kept: int, removed: int, *, handed: bool = False) -> None:
        """Note ``pid``'s case as local only here: in this page's outcome, and as the one
        notice about them the sync report tells the worker of."""
        programme_id = self.s.scalar(select(Participant.programme_id).where(Participant.id == pid))
        case = LocalOnlyCase(pid, str(programme_id or ""), kept, removed, handed=handed)
        self.out.kept_local.append(case)
        state.put(self.s, state.LOCAL_ONLY, [*self._notices_but(pid), case.as_json()])

    def _refresh_rows_of(self, pid: str) -> None:
        """Read again the rows of ``pid`` this page holds (they were changed by statement)."""
        for row in self._rows.values():
            if pid_of(row) == pid:
                self.s.refresh(row)

    def _reown(self, participant_id: str, worker_id: str) -> None:
        self.s.flush()
        self.s.execute(
            update(Participant).where(Participant.id == participant_id).values(owner=worker_id)
        )
        for name in PURGE_ORDER:
            cls: Any = TABLE_BY_NAME[name]
            self.s.execute(
                update(cls).where(cls.participant_id == participant_id).values(owner=worker_id)
            )
        self._refresh_rows_of(participant_id)
