"""A restored server takes back, whole, rows it lost that a laptop edited since.

The server keeps a new row only with every column the registry requires. A laptop's verify
repair sends a row the server lacks as one change per field clock, so a row whose required
field was edited after it was made comes in over several changes of one batch: together
they are whole, and the server takes them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sync_kit import Dev, ServerProcess, assert_replica_matches, lost_in_a_restore

from linksdesk.server.models import Record
from linksdesk.storage.tables import SyncAttention


def test_rows_a_restored_server_lost_come_back_whole_though_edited_since(
    fast_tmp: Path, server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    laptop, [late] = lost_in_a_restore(server, devices, fast_tmp, people=1)
    report = laptop.sync()
    assert report.verified and report.refused == 0, report.message
    with server.db.reading() as s:
        assert s.get(Record, ("participant", late)) is not None
    with laptop.store.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncAttention)) == 0
    assert laptop.get("participant", late).given_name == "Later"
    assert_replica_matches(laptop, server)
