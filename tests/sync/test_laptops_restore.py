"""A laptop restored from an old backup, used before it syncs again (issue 8's checks).

Real vaults, a real backup file, the casework use cases and a real server on 127.0.0.1.
What the laptop gave out after the backup was made is on the server, not in the restored
vault: the restored laptop must not give the same programme id to a second person.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_kit import (
    PASSPHRASE,
    Dev,
    ServerProcess,
    assert_replica_matches,
    two_laptops,
)

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent, sharing_allowed
from linksdesk.casework.notes import list_notes, write_note
from linksdesk.casework.participants import create_participant, get_participant
from linksdesk.core.errors import SyncError
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.models import Record
from linksdesk.storage import backup
from linksdesk.storage.vault import Vault
from linksdesk.sync import state
from linksdesk.sync.policy import SyncPolicy
from linksdesk.sync.protocol import ID_BLOCK_SIZE

CANARY = "CANARY-restored-withdrawn-2d9f"


def _server_notes(server: ServerProcess, pid: str) -> list[str]:
    """The server's records about ``pid``'s notes (content is sealed: ids tell)."""
    with server.db.reading() as s:
        return list(
            s.scalars(
                select(Record.row_id).where(
                    Record.participant_id == pid,
                    Record.table_name.in_(("note", "note_revision")),
                )
            )
        )


def _new(cb: Casebook, name: str) -> str:
    pid = create_participant(cb, given_name=name, family_name="Example").value.id
    record_consent(cb, pid, ConsentScope.TEAM, True)
    return pid


def _restore(dev: Dev, from_file: Path) -> Casebook:
    dev.close()
    backup.restore(from_file, dev.path, passphrase=PASSPHRASE, replace=True)
    dev.vault = Vault.unlock(dev.path, PASSPHRASE)
    dev.store = dev.vault.store(SyncPolicy())
    return Casebook(dev.vault)


def _programme_ids_on_server(server: ServerProcess, pids: set[str]) -> list[str]:
    with server.db.reading() as s:
        return [
            str(r.fields["programme_id"])
            for r in s.scalars(select(Record).where(Record.table_name == "participant"))
            if r.row_id in pids
        ]


def test_a_restored_laptop_never_gives_an_id_it_gave_after_the_backup(
    shared_server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> None:
    office, venues = two_laptops(shared_server, devices)
    a = Casebook(office.vault)
    before = _new(a, "Before")
    assert office.sync().verified
    out = tmp_path / "old.ldbackup"
    backup.back_up(office.vault, out)

    # after the backup: two more people, synced (the venues laptop has them too)
    after = [_new(a, "After1"), _new(a, "After2")]
    given_after = {get_participant(a, p).programme_id for p in after}
    assert office.sync().verified and venues.sync().verified

    # the laptop's disk fails; the old backup goes back, and a referral comes in at once,
    # before the laptop is online again
    a = _restore(office, out)
    assert get_participant(a, before).programme_id
    newcomer = _new(a, "Newcomer")
    given = get_participant(a, newcomer).programme_id
    assert given not in given_after
    assert not any(given.startswith(f"{old}~") for old in given_after)  # not read as a sibling

    report = office.sync()
    assert report.verified and not report.attention, report.message
    assert venues.sync().verified
    people = {before, newcomer, *after}
    on_server = _programme_ids_on_server(shared_server, people)
    assert len(on_server) == len(set(on_server)) == 4  # one id, one person
    # the ids the people were given stay theirs on both laptops (nothing marked "~")
    for dev in (office, venues):
        cb = Casebook(dev.vault)
        assert {get_participant(cb, p).programme_id for p in after} == given_after
        assert_replica_matches(dev, shared_server)


def test_a_backup_made_while_ids_were_being_leased_gives_none_of_that_block_again(
    shared_server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> None:
    """The backup holds the lease request the laptop had saved but not yet had answered;
    after it, the laptop got that block and gave its numbers out. Restored, the laptop asks
    again with the saved request: the server answers with the same block, whose numbers
    are people's already."""
    office, venues = two_laptops(shared_server, devices)
    a = Casebook(office.vault)
    first_block = [_new(a, f"Person{i}") for i in range(ID_BLOCK_SIZE)]
    with office.store.write() as tx:  # the request saved, as a sync does before asking
        state.put(tx.session, state.ID_LEASE, {"request_id": uuid7(), "floor": 0})
    out = tmp_path / "mid-lease.ldbackup"
    backup.back_up(office.vault, out)
    assert office.sync().verified  # the answer arrives: the second block
    from_second = [_new(a, "Later1"), _new(a, "Later2")]
    given_after = {get_participant(a, p).programme_id for p in from_second}
    assert office.sync().verified and venues.sync().verified

    a = _restore(office, out)

    def cut(stage: str, _done: int, _total: int | None) -> None:
        if stage in ("push", "pull"):  # the network goes after the handshake
            raise SyncError("the network went")

    with pytest.raises(SyncError):  # the handshake leased ids, nothing was pulled
        office.client().sync(progress=cut, allow_mass_delete=False, full_check=False)
    newcomer = _new(a, "Newcomer")
    assert get_participant(a, newcomer).programme_id not in given_after
    assert office.sync().verified
    people = {*first_block, *from_second, newcomer}
    on_server = _programme_ids_on_server(shared_server, people)
    assert len(on_server) == len(set(on_server)) == len(people)


def test_a_laptop_restored_from_before_its_own_withdrawal_shares_nothing_again(
    shared_server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> None:
    """The backup holds a note queued while consent stood; after it, the participant
    withdrew consent on this laptop. Restored, the laptop must not share the note."""
    office, venues = two_laptops(shared_server, devices)
    a = Casebook(office.vault)
    pid = _new(a, "Robin")
    assert office.sync().verified and venues.sync().verified
    write_note(a, pid, f"{CANARY} queued when the backup was made")
    out = tmp_path / "before-withdrawal.ldbackup"
    backup.back_up(office.vault, out)
    record_consent(a, pid, ConsentScope.TEAM, False)
    assert office.sync().verified and venues.sync().verified

    a = _restore(office, out)
    assert sharing_allowed(a, pid)[ConsentScope.TEAM]  # as it was then
    report = office.sync()
    assert not sharing_allowed(a, pid)[ConsentScope.TEAM], report.message  # its own decision
    assert office.sync().verified and venues.sync().verified
    assert _server_notes(shared_server, pid) == []
    assert venues.get("participant", pid) is None  # purged there, as before
    assert CANARY in " ".join(n.text for n in list_notes(a, pid))  # kept on this laptop
    assert office.outbox() == 0
