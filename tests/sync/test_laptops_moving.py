"""A worker moves to a new laptop by restoring a backup on it, as the administrator guide
says when something would stay behind; the old laptop is revoked afterwards.

A tired worker goes on using the old laptop after the new one is restored, and the
administrator revokes a laptop by the id they were given. Neither laptop may lose a note
the worker wrote, no programme id may be given twice, and revoking the old laptop must
never stop the new one. Real vault files, real backup files, the casework use cases, the
administrator's own command line and a real server on 127.0.0.1; each laptop is a
computer of its own (``storage.machine``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_kit import PASSPHRASE, Dev, ServerProcess, assert_agrees_with_server

from linksdesk.casework.backup import local_only
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.notes import list_notes, write_note
from linksdesk.core.errors import SyncAuthError, SyncError
from linksdesk.server.cli import main as server_cli
from linksdesk.server.models import Device
from linksdesk.storage import backup, machine
from linksdesk.storage.vault import Vault
from linksdesk.sync.enrolment import enrol


@contextlib.contextmanager
def _on_the_new_computer(tmp_path: Path) -> Iterator[None]:
    """What happens at the new laptop's keyboard (a computer of its own)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(machine.FOLDER_ENV, str(tmp_path / "new-computer"))
        yield


def _notes(dev: Dev, pid: str) -> set[str]:
    return {n.latest.text for n in list_notes(Casebook(dev.vault), pid)}


def _revoke(
    server: ServerProcess, device: str, capsys: pytest.CaptureFixture[str], *also: str
) -> str:
    """The administrator's ``linksdesk-server revoke-device``: its exit code and words."""
    code = server_cli(["revoke-device", device, "--db", server.db_url, *also])
    out, err = capsys.readouterr()
    return f"{code} {out}{err}"


@pytest.fixture
def moved(
    server: ServerProcess, devices: Callable[[str], Dev], tmp_path: Path
) -> Iterator[tuple[Dev, Dev, str]]:
    """The old laptop with a shared participant and a private note, backed up and restored
    on the new laptop as the guide says: (old, new, the participant)."""
    worker = server.worker(server.team())
    old = devices("old-laptop")
    old.enrol(server, worker)
    old.reopen()
    pid = old.participant(given_name="Moving")
    old.note(pid, "my own reminder", private=True)
    assert old.sync().verified
    out = tmp_path / "moving.ldbackup"
    backup.back_up(old.vault, out)
    path = tmp_path / "new-laptop" / "linksdesk.vault"
    with _on_the_new_computer(tmp_path):
        result = backup.restore(out, path, passphrase=PASSPHRASE)
        new = Dev(path, Vault.unlock(path, PASSPHRASE), "new-laptop")
    try:
        assert result.new_laptop
        yield old, new, pid
    finally:
        new.close()


def test_the_new_laptop_restored_from_a_backup_is_its_own_and_revoking_the_old_one_spares_it(
    server: ServerProcess,
    moved: tuple[Dev, Dev, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new, pid = moved
    # everything came across, the private note too, but not the old laptop's identity
    assert _notes(new, pid) == {"my own reminder"}
    assert new.vault.device_id != old.vault.device_id
    with pytest.raises(SyncError, match="restored here from another computer"):
        new.sync()  # never syncs as the old laptop: it needs a code of its own
    # the tired worker goes on with the old laptop meanwhile
    write_note(Casebook(old.vault), pid, "old laptop, after the backup")
    on_old = old.participant(given_name="OnOld")
    assert old.sync().verified

    new.enrol(server, old.worker_id)
    write_note(Casebook(new.vault), pid, "new laptop, first day")
    on_new = new.participant(given_name="OnNew")
    report = new.sync()
    assert report.verified and not report.attention, report.message

    # the administrator revokes by the id the old laptop shows when moving
    shown = local_only(Casebook(old.vault)).device_id
    assert shown == old.vault.device_id
    assert _revoke(server, shown, capsys).startswith("0 ")
    write_note(Casebook(old.vault), pid, "old laptop, after it was revoked")
    with pytest.raises(SyncAuthError):
        old.sync()
    # the new laptop is not the revoked one: it syncs on
    write_note(Casebook(new.vault), pid, "new laptop, after the revoke")
    report = new.sync()
    assert report.verified and not report.attention, report.message

    # the old laptop's last note is not lost: a new code sends it as a laptop of its own
    enrol(old.store, server.url, server.code(old.worker_id))
    assert old.sync().verified and old.outbox() == 0
    assert new.sync().verified
    written = {
        "old laptop, after the backup",
        "new laptop, first day",
        "old laptop, after it was revoked",
        "new laptop, after the revoke",
    }
    for dev in (old, new):
        assert _notes(dev, pid) == written | {"my own reminder"}, dev.label
        assert dev.get("participant", on_old) is not None
        assert dev.get("participant", on_new) is not None
        assert_agrees_with_server(dev, server)
    given = server.programme_ids()
    assert len(given) == 3 and len(set(given)) == 3


def test_revoking_the_laptop_in_use_by_mistake_is_refused_and_revokes_nothing(
    server: ServerProcess,
    moved: tuple[Dev, Dev, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new, pid = moved
    new.enrol(server, old.worker_id)
    assert new.sync().verified
    # the administrator picks the wrong line of list-devices: the laptop just set up
    said = _revoke(server, new.vault.device_id, capsys)
    assert said.startswith("1 ") and "looks in use" in said and "--in-use" in said
    with server.db.reading() as s:
        assert all(d.revoked_ms is None for d in s.scalars(select(Device)))
    write_note(Casebook(new.vault), pid, "new laptop, the same afternoon")
    report = new.sync()
    assert report.verified and not report.attention, report.message
    assert _notes(new, pid) == {"my own reminder", "new laptop, the same afternoon"}
    # stolen from the car that evening: the administrator means it this time
    assert _revoke(server, new.vault.device_id, capsys, "--in-use").startswith("0 ")
    with pytest.raises(SyncAuthError):
        new.sync()
