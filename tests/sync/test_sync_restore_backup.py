"""Restoring a week-old backup on a laptop that syncs: nothing newer is lost, no one erased returns.

Real server process, real vaults, a real backup file. The laptop works for a week after the
backup (its changes reach the server), a second device of the same worker works too and
erases a participant; then the laptop's vault is replaced by the week-old backup and synced.
Afterwards the laptop, the server and the second device must hold the same records: the
week's work back, the erased person gone (the erasure receipt), no change twice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sync_kit import PASSPHRASE, Dev, ServerProcess, assert_replica_matches, normalise, two_laptops

from linksdesk.server.models import Record
from linksdesk.storage import backup
from linksdesk.storage.tables import ErasureReceipt, NoteRevision
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy


def _server_rows(server: ServerProcess, table: str, participant_id: str) -> int:
    with server.db.reading() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(Record)
                .where(Record.table_name == table, Record.participant_id == participant_id)
            )
            or 0
        )


def test_restoring_a_week_old_backup_then_syncing_loses_nothing_and_revives_no_one(
    server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> None:
    laptop, second = two_laptops(server, devices, ("laptop", "second"))

    # a caseload (big enough that one erasure is not a mass deletion)
    people = [laptop.participant(given_name=f"Person{i}") for i in range(12)]
    keep, gone = people[0], people[1]
    laptop.note(keep, "first visit")
    laptop.note(gone, "met once")
    assert laptop.sync().verified
    assert second.sync().verified
    # one change not yet sent when the backup is made
    laptop.note(keep, "written on the bus, not yet synced")

    out = tmp_path / "week-old.ldbackup"
    backup.back_up(laptop.vault, out)

    # the week since the backup: the laptop sends the waiting note and keeps working...
    later = laptop.participant(given_name="Later")
    laptop.note(keep, "second visit")
    assert laptop.sync().verified
    # ...and the worker's other device erases a participant and adds its own work
    second.sync()
    from_second = second.participant(given_name="FromSecond")
    second.note(keep, "seen at the drop-in")
    second.erase(gone)
    assert second.sync().verified
    assert laptop.sync().verified
    notes_on_server = _server_rows(server, "note_revision", keep)
    assert notes_on_server == 4
    expected = normalise(second.replica())

    # the laptop's vault is lost; the week-old backup goes back in its place
    laptop.close()
    result = backup.restore(out, laptop.path, passphrase=PASSPHRASE, replace=True)
    assert result.newer_replaced  # it had to be told: the vault there was newer
    laptop.vault = Vault.unlock(laptop.path, PASSPHRASE)
    laptop.store = laptop.vault.store(SyncPolicy())
    assert laptop.get("participant", gone) is not None  # as it was a week ago
    assert laptop.get("participant", later) is None
    assert laptop.outbox() > 0  # the note that was waiting then is waiting again

    report = laptop.sync()
    assert report.verified and not report.attention, report.message
    report = laptop.sync()
    assert report.verified and report.pushed == 0

    # nothing newer lost: the laptop's own week and the second device's work are back
    assert laptop.get("participant", later) is not None
    assert laptop.get("participant", from_second) is not None
    with laptop.store.read() as s:
        bodies = sorted(
            r.body
            for r in s.scalars(select(NoteRevision).where(NoteRevision.participant_id == keep))
        )
        receipts = set(s.scalars(select(ErasureReceipt.participant_id)))
    assert bodies == sorted(
        [
            "first visit",
            "written on the bus, not yet synced",
            "second visit",
            "seen at the drop-in",
        ]
    )
    # no one erased comes back, here or on the server
    assert laptop.get("participant", gone) is None
    assert gone in receipts
    assert _server_rows(server, "participant", gone) == 0
    # no change twice: the re-sent note is the same row on the server
    assert _server_rows(server, "note_revision", keep) == notes_on_server
    # the laptop, the server and the second device agree
    assert_replica_matches(laptop, server)
    second.sync()
    assert_replica_matches(second, server)
    assert normalise(laptop.replica()) == normalise(second.replica()) == expected
