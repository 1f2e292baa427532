"""A laptop restored from an old backup, used before it syncs again (issue 8's checks).

Real vaults, a real backup file, the casework use cases and a real server on 127.0.0.1.
What the laptop gave out after the backup was made is on the server, not in the restored
vault: the restored laptop must not give the same programme id to a second person.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sync_kit import PASSPHRASE, Dev, ServerProcess, assert_replica_matches, two_laptops

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.participants import create_participant, get_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.models import Record
from linksdesk.storage import backup
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy


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
