"""A laptop's verify repair re-sends its copies as they stand, never as new edits.

When the sync check finds a table the server lacks rows of (a server restored from an older
backup), the laptop sends that table's rows again. Each keeps the clock of the edit that made
it: the server takes what it lacks and keeps what it has ("the server merges, never
overwrites"). Were the copies stamped anew, every row of the table would outrank an edit
another laptop made before the repair and sent after it, and that edit would be lost.
A real server on 127.0.0.1 and real vaults.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sync_kit import Dev, assert_replica_matches, later_by_the_clock, new_server

from linksdesk.server.models import Record


def test_a_repair_after_a_restored_server_does_not_undo_an_edit_made_before_it(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    server = new_server(fast_tmp)
    try:
        worker = server.worker(server.team())
        office, venues = devices("office"), devices("venues")
        office.enrol(server, worker)
        venues.enrol(server, worker)
        library = office.resource("Library", "Warm space")
        assert office.sync().verified and venues.sync().verified
        backup = fast_tmp / "server-backup.db"
        server.backup(backup)
        hub = venues.resource("Hub", "Food")  # reaches the server, then the backup loses it
        assert venues.sync().verified

        # the office laptop, offline, updates the directory entry
        office.edit("resource", library, service="Warm space and tea")
        later_by_the_clock(office, venues)  # the repair below comes later, as it would in life
        server.restore(backup, epoch=True)
        repaired = venues.sync()  # finds the server lacks the hub: sends its resources again
        assert repaired.verified and "resource" in repaired.repaired_tables, repaired.message
        with server.db.reading() as s:
            assert s.get(Record, ("resource", hub)) is not None

        for dev in (office, venues, office):
            report = dev.sync()
            assert report.verified and not report.attention, report.message
        for dev in (office, venues):
            assert dev.get("resource", library).service == "Warm space and tea"
            assert dev.get("resource", hub) is not None
            assert_replica_matches(dev, server)
    finally:
        server.close()
