"""Outside check 17: programme id blocks after the server's database is restored from a
backup, as docs/server.md tells the administrator to (restore, ``new-epoch``, start).

Programme ids are unique by construction because the server never leases one number to
two laptops. A restored database has forgotten the blocks it leased after the backup,
while the laptops that got them still hold them and give their numbers out; leasing
"the next free numbers" again gave those same numbers to another laptop, and two people
of the programme got one programme id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from laptops_kit import run_low, two_laptops_then_backup
from sqlalchemy import select
from sync_kit import Dev, ServerProcess

from linksdesk.storage import programme_ids
from linksdesk.storage.tables import Participant, ProgrammeIdBlock
from linksdesk.sync.protocol import ID_BLOCK_SIZE


def _numbers(dev: Dev) -> set[int]:
    """The programme numbers this laptop gave to people or may still give: its people's
    ids and the leased numbers it has not given out yet."""
    with dev.store.read() as s:
        given = {
            int(p.removeprefix("P"))
            for p in s.scalars(select(Participant.programme_id))
            if "~" not in p  # marked as this laptop's own: never another's id
        }
        left = {n for b in s.scalars(select(ProgrammeIdBlock)) for n in range(b.next, b.last + 1)}
    return given | left


def _low_then_sync(dev: Dev) -> None:
    """Give out ids until the laptop runs low, then sync: it leases another block."""
    run_low(dev)
    assert dev.sync().verified
    with dev.store.read() as s:
        assert programme_ids.remaining(s) >= ID_BLOCK_SIZE


def test_blocks_leased_after_the_backup_are_never_leased_again(
    server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> None:
    backup = tmp_path / "server-backup.db"
    office, colleague = two_laptops_then_backup(server, devices, backup, synced=False)

    _low_then_sync(office)  # the next morning the office laptop leases a second block
    server.restore(backup)  # the database is lost and restored, with a new data epoch
    assert office.sync().verified  # the office laptop sends back what the server lost
    _low_then_sync(colleague)

    shared = _numbers(office) & _numbers(colleague)
    assert not shared, f"{len(shared)} programme numbers leased to both laptops"
