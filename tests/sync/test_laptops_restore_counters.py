"""A laptop restored from an older backup, which then works and syncs (what the vault counts
its own work with goes back to where the backup held it).

Real vaults, a real backup file restored through ``storage.backup`` (what File › Restore and
``linksdesk restore`` use), the casework use cases and a real server on 127.0.0.1. After the
restore nothing the worker writes may be lost or overwritten, nothing the laptop sent after
the backup may stay missing, and no programme id may be given out twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sync_kit import PASSPHRASE, Dev, ServerProcess, assert_replica_matches, two_laptops

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.notes import get_note, note_history, revise_note, write_note
from linksdesk.casework.participants import create_participant
from linksdesk.core.errors import SyncError
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage import backup
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy


def _restore(dev: Dev, from_file: Path) -> Casebook:
    """The backup restored in place of ``dev``'s vault (its files are kept aside)."""
    dev.close()
    backup.restore(from_file, dev.path, passphrase=PASSPHRASE, replace=True)
    dev.vault = Vault.unlock(dev.path, PASSPHRASE)
    dev.store = dev.vault.store(SyncPolicy())
    return Casebook(dev.vault)


@pytest.fixture
def spare(tmp_path: Path) -> Iterator[Callable[[Path], Dev]]:
    """A new laptop the backup is restored onto (the worker's own one was stolen)."""
    made: list[Dev] = []

    def restore_onto(from_file: Path) -> Dev:
        path = tmp_path / "spare" / "laptop.vault"
        backup.restore(from_file, path, passphrase=PASSPHRASE)
        dev = Dev(path, Vault.unlock(path, PASSPHRASE), "spare")
        made.append(dev)
        return dev

    yield restore_onto
    for dev in made:
        dev.close()


def _new(cb: Casebook, name: str) -> str:
    pid = create_participant(cb, given_name=name, family_name="Example").value.id
    record_consent(cb, pid, ConsentScope.TEAM, True)
    return pid


def _cut_at_verify(stage: str, _done: int, _total: int | None) -> None:
    if stage == "verify":  # the network goes once the pull is done
        raise SyncError("the network went")


def test_what_the_laptop_sent_after_its_backup_comes_back_with_the_next_pull(
    shared_server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a = Casebook(office.vault)
    first = _new(a, "First")
    note = write_note(a, first, "first visit").value
    assert office.sync().verified
    out = tmp_path / "old.ldbackup"
    backup.back_up(office.vault, out)

    # a week's work after the backup, sent: a new person, a note, the note revised, an edit
    later = _new(a, "Later")
    week_note = write_note(a, first, "seen at the drop-in").value
    revise_note(a, note.id, "first visit (revised on Friday)", base_revision_id=note.latest.id)
    office.edit("participant", first, phone="01632 960001")
    assert office.sync().verified and venues.sync().verified

    # the disk fails: the old backup goes back, and the worker works before syncing
    a = _restore(office, out)
    assert office.get("participant", later) is None  # as it was then
    own = write_note(a, first, "written after the restore").value
    revise_note(
        a, note.id, "first visit (revised after the restore)", base_revision_id=note.latest.id
    )
    office.edit("participant", first, phone="01632 960002")

    # the first sync is cut once the pull is done: the pull alone brought the week back
    with pytest.raises(SyncError):
        office.client().sync(progress=_cut_at_verify, allow_mass_delete=False, full_check=False)
    assert office.get("participant", later) is not None
    assert office.get("note", week_note.id) is not None
    assert len(note_history(a, note.id)) == 3  # the week's revision and the one made since

    report = office.sync()
    assert report.verified and not report.attention, report.message
    assert report.repaired_tables == ()  # nothing was missing for the check to find
    assert venues.sync().verified
    for dev in (office, venues):
        cb = Casebook(dev.vault)
        # what the worker wrote after the restore stands, nothing of it overwritten
        assert get_note(cb, own.id).latest.text == "written after the restore"
        assert get_note(cb, note.id).latest.text == "first visit (revised after the restore)"
        assert {r.text for r in note_history(cb, note.id)} >= {
            "first visit (revised on Friday)"
        }  # the week's version is kept beside it
        assert dev.get("participant", first).phone == "01632 960002"
        assert_replica_matches(dev, shared_server)


def test_one_backup_restored_twice_gives_no_programme_id_twice(
    server: ServerProcess,
    devices: Callable[[str], Dev],
    spare: Callable[[Path], Dev],
    tmp_path: Path,
) -> None:
    office, venues = two_laptops(server, devices)
    a = Casebook(office.vault)
    people = [_new(a, "Before")]
    assert office.sync().verified
    out = tmp_path / "old.ldbackup"
    backup.back_up(office.vault, out)

    # restored, and a referral taken before the laptop is online: an id of its own counter
    a = _restore(office, out)
    people.append(_new(a, "AfterFirstRestore"))
    assert office.sync().verified

    # the laptop is stolen: the same backup goes onto a new one, and a referral comes in
    new = spare(out)
    people.append(_new(Casebook(new.vault), "OnTheNewLaptop"))
    assert new.sync().verified and venues.sync().verified

    given = server.programme_ids()
    assert len(given) == len(people)
    assert len(set(given)) == len(given), given  # one id, one person
