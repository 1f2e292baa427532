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
from sync_kit import Dev, assert_replica_matches, new_server

from linksdesk.server.models import Record
from linksdesk.storage.tables import SyncAttention


def test_rows_a_restored_server_lost_come_back_whole_though_edited_since(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    server = new_server(fast_tmp)
    try:
        laptop = devices("laptop")
        laptop.enrol(server, server.worker(server.team()))
        assert laptop.sync().verified
        backup = fast_tmp / "backup.db"
        server.backup(backup)
        late = laptop.participant(given_name="Late")
        laptop.sync()
        # required fields edited later: their clocks differ from the row's first
        laptop.edit("participant", late, status="paused", given_name="Later")
        laptop.sync()
        server.restore(backup, epoch=True)
        report = laptop.sync()
        assert report.verified and report.refused == 0, report.message
        with server.db.reading() as s:
            assert s.get(Record, ("participant", late)) is not None
        with laptop.store.read() as s:
            assert s.scalar(select(func.count()).select_from(SyncAttention)) == 0
        assert laptop.get("participant", late).given_name == "Later"
        assert_replica_matches(laptop, server)
    finally:
        server.close()
