"""Two copies of one vault: a file copied by hand to a second laptop, or a never-enrolled
vault restored from a backup while the worker had gone on working.

Neither copy may hand out a programme id the other gave, and neither may hide the other's
changes: both would otherwise sync as one device, and the pull leaves a device's own
changes out. A vault notices it was copied by a marker kept outside it on each computer
(``storage.machine``); each test's computers are folders of their own. Real vault files,
the casework use cases and a real server on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_kit import PASSPHRASE, Dev, ServerProcess

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.participants import create_participant
from linksdesk.core.errors import SyncError
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage import backup, machine
from linksdesk.storage.keyfile import keyfile_path
from linksdesk.storage.vault import Vault
from linksdesk.sync.client import sync_status


def _new(cb: Casebook, name: str) -> tuple[str, str]:
    """A new participant shared with the team: (row id, programme id)."""
    person = create_participant(cb, given_name=name, family_name="Example").value
    record_consent(cb, person.id, ConsentScope.TEAM, True)
    return person.id, person.programme_id


def _copied(vault: Path, folder: Path) -> Path:
    """The vault file and its key file, copied by hand into ``folder``."""
    folder.mkdir(parents=True)
    for path in (vault, keyfile_path(vault)):
        shutil.copy2(path, folder / path.name)
    return folder / vault.name


def _cut_at_verify(stage: str, _done: int, _total: int | None) -> None:
    if stage == "verify":  # the network goes once the pull is done
        raise SyncError("the network went")


def _pull_only(dev: Dev) -> None:
    """A sync cut once its pull is done: what the pull alone brought."""
    with pytest.raises(SyncError):
        dev.client().sync(progress=_cut_at_verify, allow_mass_delete=False, full_check=False)


def test_a_vault_copied_by_hand_to_a_second_laptop_syncs_as_a_laptop_of_its_own(
    server: ServerProcess,
    devices: Callable[[str], Dev],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worker = server.worker(server.team())
    office = devices("office")
    office.enrol(server, worker)
    office.reopen()
    a = Casebook(office.vault)
    _new(a, "Before")
    assert office.sync().verified
    office.close()
    path = _copied(office.path, tmp_path / "second-laptop")
    office.reopen()  # the first laptop goes on as it was
    a = Casebook(office.vault)

    monkeypatch.setenv(machine.FOLDER_ENV, str(tmp_path / "second-computer"))
    second = Dev(path, Vault.unlock(path, PASSPHRASE), "second")
    try:
        b = Casebook(second.vault)
        # both copies take a participant before either syncs
        on_a, id_a = _new(a, "Office")
        on_b, id_b = _new(b, "Second")
        assert id_a != id_b
        assert second.vault.device_id != office.vault.device_id
        # the copy cannot sync as the laptop it was copied from: it says so, keeps its work
        with pytest.raises(SyncError, match="copied"):
            second.sync()
        assert not sync_status(second.store).enrolled
        second.enrol(server, worker)
        second.reopen()
        b = Casebook(second.vault)
        assert second.sync().verified
        # each copy's sync sends its own first, then pulls: the pull alone must bring the
        # other's changes (one device would take them for its own echoes and leave them out)
        _pull_only(office)
        assert office.get("participant", on_b).given_name == "Second"
        office.edit("participant", on_b, phone="01632 960101")
        assert office.sync().verified
        second.edit("participant", on_b, email="second@example.org")
        _pull_only(second)
        assert second.get("participant", on_b).phone == "01632 960101"
        assert second.get("participant", on_a) is not None
        assert second.sync().verified
        _pull_only(office)
        assert office.get("participant", on_b).email == "second@example.org"
        given = server.programme_ids()
        assert len(given) == 3 and len(set(given)) == 3
    finally:
        second.close()


def test_a_never_enrolled_vault_restored_from_a_backup_gives_no_programme_id_again(
    tmp_path: Path,
) -> None:
    cb, _ = Casebook.create(tmp_path / "first" / "laptop.vault", PASSPHRASE)
    with cb:
        _new(cb, "Before")
        out = tmp_path / "old.ldbackup"
        backup.back_up(cb.vault, out)
        _, after = _new(cb, "After")  # given out since the backup (on a letter, say)
    restored_to = tmp_path / "restored" / "laptop.vault"
    backup.restore(out, restored_to, passphrase=PASSPHRASE)
    with Casebook.unlock(restored_to, PASSPHRASE) as again:
        _, given = _new(again, "Restored")
    assert given != after


def test_a_never_enrolled_vault_copied_by_hand_gives_no_programme_id_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cb, _ = Casebook.create(tmp_path / "first" / "laptop.vault", PASSPHRASE)
    with cb:
        _new(cb, "Before")
    path = _copied(tmp_path / "first" / "laptop.vault", tmp_path / "second-laptop")
    with Casebook.unlock(tmp_path / "first" / "laptop.vault", PASSPHRASE) as first:
        _, on_first = _new(first, "First")
    monkeypatch.setenv(machine.FOLDER_ENV, str(tmp_path / "second-computer"))
    with Casebook.unlock(path, PASSPHRASE) as second:
        _, on_second = _new(second, "Second")
    assert on_first != on_second
