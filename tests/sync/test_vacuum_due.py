"""An erasure a sync or a bundle brings leaves the vault file to be rewritten (VACUUM) so
freed pages hold nothing of the person. The page or the import that erases marks that due
in its own transaction (``storage.vacuum``): if the process dies or the laptop is closed
before the VACUUM, or the vault is busy in another window, the erasure still stands, and
the next sync, import or lock does it and clears the mark.

A laptop that never syncs again kept it due for good: with another window holding the vault
open, the erased person's pages stayed in the file (and its WAL) however often it was
locked. The lock does the VACUUM now.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import Laptop, Supervisor, fingerprint_of
from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess
from vault_kit import data_key, decrypted_pages, decrypted_wal, raw_connection

from linksdesk.casework import notes
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.erasure import erase_participant
from linksdesk.storage import vault
from linksdesk.sync import state
from linksdesk.sync.bundle import export, receive


def _exported(lap: Laptop, sup: Supervisor, out: Path) -> Path:
    export.export_to_file(lap.store, out, kind="supervision", recipients=[sup.recipient])
    return out


def _vacuum_due(holder: Supervisor | Dev) -> bool:
    with holder.store.read() as s:
        return bool(state.get(s, state.VACUUM_DUE, False))


def _dies(*_: Any) -> None:
    raise SystemExit("the app was closed between the erasure and the VACUUM")


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files VACUUMed from now on (each really is)."""
    real, vacuumed = vault.vacuum_file, []

    def counted(*args: Any) -> None:
        real(*args)
        vacuumed.append(args[1])

    monkeypatch.setattr(vault, "vacuum_file", counted)
    return vacuumed


def _busy(real: Callable[..., None]) -> Callable[..., None]:
    def with_the_vault_busy(*args: Any) -> None:
        with raw_connection(args[1]) as other_window:  # another window is writing
            other_window.execute("BEGIN IMMEDIATE")
            real(*args)

    return with_the_vault_busy


@pytest.mark.parametrize("fault", ["dies", "busy"])
def test_a_vacuum_after_an_erasure_left_undone_is_done_by_the_next_import(
    tmp_path: Path,
    laptop: Laptop,
    supervisor: Supervisor,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    pid = laptop.plant_canaries()["shared"]
    first = _exported(laptop, supervisor, tmp_path / "1.age")
    receive.import_bundle(supervisor.store, first, trust=fingerprint_of(laptop))
    erase_participant(Casebook(laptop.vault), pid)
    erasing = _exported(laptop, supervisor, tmp_path / "2.age")

    with monkeypatch.context() as patch:
        if fault == "dies":
            patch.setattr(vault, "vacuum_file", _dies)
            with pytest.raises(SystemExit):
                receive.import_bundle(supervisor.store, erasing)
        else:
            patch.setattr(vault, "vacuum_file", _busy(vault.vacuum_file))
            assert receive.import_bundle(supervisor.store, erasing).erased == 1  # it stands
    assert _vacuum_due(supervisor)
    with pytest.raises(receive.AlreadyImported):  # the erasure is in, all of it
        receive.import_bundle(supervisor.store, erasing)

    laptop.person(given_name="Later")
    later = _exported(laptop, supervisor, tmp_path / "3.age")
    vacuumed = _counted(monkeypatch)
    assert receive.import_bundle(supervisor.store, later).erased == 0
    assert vacuumed == [supervisor.path]
    assert not _vacuum_due(supervisor)  # cleared only once a VACUUM has run


@pytest.mark.parametrize("where", ["pulled", "here"])
def test_a_vacuum_after_an_erasure_the_app_never_ran_is_done_by_the_next_sync(
    shared_server: ServerProcess,
    devices: Callable[[str], Dev],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    shared = a_shared_person(shared_server, devices, "Erin")
    shared.office.sync()
    shared.venues.sync()
    if where == "pulled":  # erased on the office laptop, pulled by the venues laptop
        erase_participant(shared.a, shared.pid)
        shared.office.sync()
    dev = shared.venues if where == "pulled" else shared.office

    with monkeypatch.context() as patch:
        patch.setattr(vault, "vacuum_file", _dies)
        with pytest.raises(SystemExit):
            dev.sync() if where == "pulled" else erase_participant(shared.a, shared.pid)
    # the erasure came with the mark, in its own transaction (only a VACUUM that ran and
    # failed was remembered, if any: closed before it, nothing was left to clear the file)
    assert _vacuum_due(dev)
    assert dev.get("participant", shared.pid) is None

    vacuumed = _counted(monkeypatch)
    assert dev.sync().verified
    assert vacuumed == [dev.path]
    assert not _vacuum_due(dev)
    assert dev.sync() and vacuumed == [dev.path]  # once


GONE, KEPT = "Xylovacuum", "Quokkavacuum"


def _written(cb: Casebook, mark: str) -> str:
    pid = P.create_participant(cb, given_name=f"{mark}given", family_name=f"{mark}family").value.id
    notes.write_note(cb, pid, f"note {mark} " * 200)
    return pid


def test_a_vacuum_an_erasure_left_due_is_done_at_lock_on_the_real_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "never-syncs.vault"
    cb, _ = Casebook.create(path, "correct horse battery staple")
    gone, _kept = _written(cb, GONE), _written(cb, KEPT)
    with raw_connection(path) as other_window:  # the vault open in another window
        other_window.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the text is in the file
        key = data_key(path)
        assert GONE.encode() in decrypted_pages(path, key)  # the scan does see it
        with monkeypatch.context() as patch:
            patch.setattr(vault, "vacuum_file", _dies_quietly)
            erase_participant(cb, gone)
        with cb.store.read() as s:
            assert state.get(s, state.VACUUM_DUE)
        cb.lock()  # no sync ever again
        on_disk = decrypted_pages(path, key) + decrypted_wal(path, key)
        assert GONE.encode() not in on_disk
        assert KEPT.encode() in on_disk
    again = Casebook.unlock(path, "correct horse battery staple")
    try:
        with again.store.read() as s:
            assert not state.get(s, state.VACUUM_DUE)  # done, and the mark cleared
    finally:
        again.lock()


def _dies_quietly(*_: Any) -> None:
    raise RuntimeError("the vault was busy in another window")
