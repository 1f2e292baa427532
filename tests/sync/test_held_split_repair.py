"""A repair whose changes for one row would fall into two push batches.

The server keeps a new row only whole, counting its columns over the row's changes in one
batch, and a laptop's verify repair sends a row the server lacks as one change per field
clock. With a small push batch, the changes of one row must still go together: the first
part alone would be refused as incomplete and set aside, and the row would never reach the
server (the next check would find the same difference and not repair it again). Real
server on 127.0.0.1, real vaults.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sync_kit import Dev, ServerProcess, assert_replica_matches, lost_in_a_restore

from linksdesk.server.models import Record
from linksdesk.storage.tables import SyncAttention


def test_a_repaired_row_split_by_a_small_batch_reaches_the_server_whole(
    fast_tmp: Path, server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    laptop, late = lost_in_a_restore(server, devices, fast_tmp, people=3)
    # two changes a batch: a row's two parts would fall into two batches
    report = laptop.sync(batch_size=2)
    assert report.refused == 0, report.message
    assert report.verified, report.message
    with server.db.reading() as s:
        assert all(s.get(Record, ("participant", pid)) is not None for pid in late)
    with laptop.store.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncAttention)) == 0
    again = laptop.sync(batch_size=2, full_check=True)
    assert again.verified and again.refused == 0, again.message
    assert_replica_matches(laptop, server)


def test_a_row_whose_repair_was_split_and_refused_is_sent_again_at_the_next_check(
    fast_tmp: Path, server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    laptop, [late] = lost_in_a_restore(server, devices, fast_tmp, people=1)
    # a batch of one: the row's two parts cannot go together, and each alone is refused
    # (as a laptop before this version split them whatever its batch)
    split = laptop.sync(batch_size=1)
    assert split.refused and not split.verified
    with server.db.reading() as s:
        assert s.get(Record, ("participant", late)) is None
    # the next check sends the row again, whole, and the server takes it
    again = laptop.sync()
    assert again.verified and again.refused == 0, again.message
    assert again.attention == 0  # what was refused of it is no longer listed
    with server.db.reading() as s:
        assert s.get(Record, ("participant", late)) is not None
    assert_replica_matches(laptop, server)
