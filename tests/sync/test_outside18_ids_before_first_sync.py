"""Outside check 18: programme ids a laptop gave, from a block the restored server forgot,
before that laptop's first sync after the restore.

Outside check 17 made a laptop report, at its first sync after a restore, the highest
number it was ever leased, so the server leases above it from then on. What it gave
before that sync was still exposed: another laptop of the programme that synced first after
the restore was leased the forgotten block again, and two people got one programme id. The
first lease of the new epoch now leaves room above the blocks the backup holds
(``server/ids.py``, ``_forgotten``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from laptops_kit import new_people, run_low, two_laptops_then_backup
from sqlalchemy import select
from sync_kit import Dev, ServerProcess

from linksdesk.storage.tables import Participant


def _given(dev: Dev) -> set[str]:
    with dev.store.read() as s:
        return {str(p) for p in s.scalars(select(Participant.programme_id))}


def test_ids_given_before_the_first_sync_after_a_restore_stay_unique(
    server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> None:
    backup = tmp_path / "server-backup.db"
    office, colleague = two_laptops_then_backup(server, devices, backup, synced=True)

    run_low(office)
    assert office.sync().verified  # the office laptop leases a second block
    run_low(office)  # and gives ids from it, out on visits, with no connection
    new_people(office, 10)

    server.restore(backup)  # the database is lost and restored, with a new data epoch
    run_low(colleague)
    assert colleague.sync().verified  # the colleague syncs first: a new block
    new_people(colleague, 150)
    assert office.sync().verified
    assert colleague.sync().verified

    mine = {p for p in _given(office) if "~" not in p}
    theirs = {p for p in _given(colleague) if "~" not in p}
    shared = mine & theirs
    assert not shared, f"{len(shared)} programme ids given to two people"
