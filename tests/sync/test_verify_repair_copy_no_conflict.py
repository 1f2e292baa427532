"""A sync check's repair copy of a narrative field raises no needless conflict.

After a server is restored from an older backup, a laptop's check sends the tables the
server lacks rows of again, each value with its own clock (a copy, not an edit). If another
laptop's edit of a narrative field, made on top of the very value the copy carries, reaches
the server between the repair's download and its push, the copy is older than it and was
replaced by it: the server must not keep the two as a conflict for the worker to settle.
A copy of a value the server never took (the restore lost it) is still a concurrent edit,
and both versions are kept. A real server on 127.0.0.1, real vaults; the other laptop
syncs at the moment the repair starts (its progress callback), not by timing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sync_kit import Dev, ServerProcess, new_server, two_laptops

from linksdesk.server.models import Record
from linksdesk.sync.engine import SyncReport
from linksdesk.sync.protocol import CONFLICT_TABLE


def _conflicts(server: ServerProcess) -> int:
    with server.db.reading() as s:
        found = select(func.count()).where(Record.table_name == CONFLICT_TABLE)
        return int(s.scalar(found) or 0)


def _syncing_when_checked(other: Dev) -> Callable[[str, int, int | None], None]:
    """A progress callback: ``other`` syncs once, as the check starts (after the pull)."""
    done: list[bool] = []

    def progress(stage: str, _done: int, _total: int | None) -> None:
        if stage == "verify" and not done:
            done.append(True)
            assert other.sync().verified

    return progress


def _written_on_venues(
    server: ServerProcess, devices: Callable[[str], Dev], summary: str
) -> tuple[Dev, Dev, str]:
    """Two laptops of one worker; a participant whose risk summary the venues laptop wrote,
    synced to both."""
    office, venues = two_laptops(server, devices)
    pid = venues.participant(risk_summary=summary)
    assert venues.sync().verified and office.sync().verified
    return office, venues, pid


def _sync_with_office_on_check(venues: Dev, office: Dev) -> SyncReport:
    progress = _syncing_when_checked(office)
    return venues.client().sync(progress=progress, allow_mass_delete=False, full_check=False)


def _lose_a_participant(server: ServerProcess, venues: Dev, folder: Path) -> Path:
    """A backup, then a participant only the venues laptop and the lost server held."""
    backup = folder / "server-backup.db"
    server.backup(backup)
    venues.participant(given_name="Lost")
    assert venues.sync().verified
    return backup


def test_a_repair_copy_of_the_value_an_edit_replaced_raises_no_conflict(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    server = new_server(fast_tmp)
    try:
        office, venues, pid = _written_on_venues(server, devices, "Lives alone; stairs are hard")
        backup = _lose_a_participant(server, venues, fast_tmp)
        # the office laptop, offline, edits the summary the venues laptop wrote
        office.edit("participant", pid, risk_summary="Lives alone; moved to a ground floor flat")
        server.restore(backup, epoch=True)
        repaired = _sync_with_office_on_check(venues, office)
        assert "participant" in repaired.repaired_tables, repaired.message
        assert _conflicts(server) == 0
        for dev in (office, venues):
            report = dev.sync()
            assert report.verified and not report.new_conflicts, report.message
            assert dev.get("participant", pid).risk_summary.endswith("ground floor flat")
    finally:
        server.close()


def test_a_repair_copy_of_a_value_the_restore_lost_is_still_kept_beside_a_later_edit(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    """The venues laptop's own edit reached the server only after the backup: the restore
    lost it, and the office laptop's edit was made without it. The two are concurrent, so
    the copy is kept as a conflict: nothing is lost."""
    server = new_server(fast_tmp)
    try:
        office, venues, pid = _written_on_venues(server, devices, "Lives alone")
        backup = fast_tmp / "server-backup.db"
        server.backup(backup)
        venues.edit("participant", pid, risk_summary="Lives alone; stairs are hard")
        venues.participant(given_name="Lost")
        assert venues.sync().verified
        # the office laptop's edit is the later by the clock, stated here rather than left to
        # which of two laptops' stamps falls later within one tick (a tie goes by device id)
        office.store.clock.observe(venues.get("participant", pid).hlc)
        office.edit("participant", pid, risk_summary="Lives alone; has a carer on Mondays")
        server.restore(backup, epoch=True)
        repaired = _sync_with_office_on_check(venues, office)
        assert "participant" in repaired.repaired_tables, repaired.message
        assert _conflicts(server) == 1
    finally:
        server.close()
