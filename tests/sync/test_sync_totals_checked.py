"""A sync that finds the monthly totals unchanged keeps how far it looked, and no further.

The totals check reads the audit events since the totals were last made. A sync that
found nothing counted among them keeps the seq it read up to, so a day of edits of shared
participants is not read again by every sync; an edit that counts, saved while that sync
ran, is still found by the next check.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sync_kit import Dev, ServerProcess

from linksdesk.storage.tables import AuditEvent
from linksdesk.sync import state
from linksdesk.sync.totals import totals_may_have_changed


def _seqs(dev: Dev) -> tuple[int, int]:
    """The seq the totals were last known current at, and the audit log's last."""
    with dev.store.read() as s:
        kept = int(state.get(s, state.TOTALS_SEQ, 0))
        return kept, int(s.scalar(select(func.max(AuditEvent.seq))) or 0)


def test_a_sync_keeps_how_far_it_found_the_totals_unchanged(
    fast_tmp: Path, server: ServerProcess, enrolled: Dev
) -> None:
    a = enrolled
    shared = a.participant(given_name="Shared")
    unshared = a.participant(given_name="Unshared", shared=False)
    assert a.sync().verified  # makes the totals
    a.edit("participant", shared, family_name="Edited")  # never counted
    kept_before, last = _seqs(a)
    assert kept_before < last

    edited_during: list[str] = []

    def count_something_while_syncing(point: str) -> None:
        if point == "push:answered" and not edited_during:
            # after this sync's totals check: an edit that counts
            a.edit("participant", unshared, family_name="Counted")
            edited_during.append(point)

    assert a.client(checkpoint=count_something_while_syncing).sync().verified
    assert edited_during
    kept, now = _seqs(a)
    # kept up to what the check read (the shared edit and the sync's own writes before it),
    # not past the counted edit saved afterwards
    assert last <= kept < now
    with a.store.read() as s:
        assert totals_may_have_changed(s, dt.date.today())

    assert a.sync().verified  # makes the totals again
    a.edit("participant", shared, family_name="Edited again")
    _kept, last = _seqs(a)
    assert a.sync().verified
    assert _seqs(a)[0] >= last  # a sync with nothing counted: the next reads from here
