"""Unlock with the page check beside the first reads (issue 15): writes wait for it.

The desktop opens a vault for reading at once and checks every page's HMAC on a thread of
its own. Nothing may be written into the file before that check has passed: a save made
meanwhile waits and lands after it (after the unlock audit event), and if the check finds a
damaged page the save is refused as on a damaged vault today and not a byte of the file
changes. The check is held here on an event, so every ordering is shown by events and
thread names, never by timing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from test_vault_migrations import make_0001_vault
from vault_kit import (
    CHECK_THREAD,
    PASSPHRASE,
    WAIT_S,
    HeldCheck,
    damaged_copies,
    fill,
    hold_page_check,
    raw_connection,
    side_files,
)

from linksdesk.casework import participants as P
from linksdesk.casework import record
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import VaultCorruptError
from linksdesk.storage import keyfile, migrate
from linksdesk.storage.engine import DAMAGED_READ_ONLY, VaultDamagedError
from linksdesk.storage.tables import AuditEvent, Participant
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldCheck]:
    state = hold_page_check(monkeypatch)
    yield state
    state.release.set()  # a failing test must not leave the check's thread waiting


def _in_thread(fn: Callable[[], object]) -> tuple[threading.Thread, dict[str, Any]]:
    """``fn()`` on a thread of its own (as the desktop's DB thread saves); what it gave."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = fn()
        except BaseException as exc:  # kept for the test to look at
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="saving")
    thread.start()
    return thread, outcome


def _new_participant(cb: Casebook) -> Callable[[], object]:
    return lambda: P.create_participant(
        cb, given_name="Robin", family_name="Example", referred_on=dt.date(2026, 1, 6)
    )


def _file_state(path: Path) -> dict[str, bytes | int]:
    """The vault file's and its key file's bytes and modification times."""
    kpath = keyfile.keyfile_path(path)
    return {
        "vault": path.read_bytes(),
        "vault_mtime": path.stat().st_mtime_ns,
        "key": kpath.read_bytes(),
        "key_mtime": kpath.stat().st_mtime_ns,
    }


def _made(tmp_path: Path) -> Path:
    path = tmp_path / "made" / "worker.vault"
    vault, _ = Vault.create(path, PASSPHRASE)
    fill(vault.store(SyncPolicy()), participants=8, notes_each=6)
    vault.lock()
    return path


def _audited(vault: Vault, after: int = 0) -> list[str]:
    """The audit log's actions after event ``after``, in order."""
    with vault.store().read() as s:
        return list(
            s.scalars(
                select(AuditEvent.action).where(AuditEvent.seq > after).order_by(AuditEvent.seq)
            )
        )


def _unlocked_while_held(tmp_path: Path, held: HeldCheck) -> tuple[Casebook, Path, int]:
    """A vault made for the test, unlocked with its page check held, and the seq of the
    last audit event before the unlock."""
    path = _made(tmp_path)
    before = _last_event(path)
    held.reset()
    return Casebook.unlock(path, PASSPHRASE, check_beside=True), path, before


def _last_event(path: Path) -> int:
    with Vault.unlock(path, PASSPHRASE) as vault, vault.store().read() as s:
        return int(s.scalar(select(func.max(AuditEvent.seq))) or 0)


def test_a_save_made_while_the_check_runs_lands_after_it_and_after_the_unlock_audit(
    tmp_path: Path, held: HeldCheck
) -> None:
    cb, _path, before = _unlocked_while_held(tmp_path, held)
    try:
        # the first screen reads while the check is still held
        assert len(cb.drafts()) == 0 and cb.settings() is not None
        with cb.store.read() as s:
            assert len(s.scalars(select(Participant.id)).all()) == 8
        assert not held.ended.is_set() and held.threads == [CHECK_THREAD]

        begun: list[tuple[str, bool]] = []

        @event.listens_for(cb.vault.engine, "before_cursor_execute")
        def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            if statement.startswith("BEGIN IMMEDIATE"):
                begun.append((threading.current_thread().name, held.ended.is_set()))

        saving, outcome = _in_thread(_new_participant(cb))
        assert held.arrived.wait(WAIT_S)  # the save is at the gate, the check still held
        assert not held.ended.is_set() and begun == []
        held.release.set()
        saving.join(WAIT_S)
        assert "error" not in outcome, outcome.get("error")
        # every write transaction began after the check had ended, the save's own included
        assert begun and all(after for _thread, after in begun)
        assert {thread for thread, _after in begun} == {"saving"}
        actions = _audited(cb.vault, before)
        assert actions[0] == "unlock" and actions.count("unlock") == 1
        assert "create" in actions[1:]
        assert cb.read_only_reason is None
        assert cb.check().ok  # the audit chain holds with the unlock written inside a save
    finally:
        held.release.set()
        cb.lock()


def test_the_unlock_is_audited_once_the_check_passes_without_any_save(
    tmp_path: Path, held: HeldCheck
) -> None:
    cb, path, before = _unlocked_while_held(tmp_path, held)
    try:
        checked = threading.Event()
        cb.when_pages_checked(checked.set)
        assert not checked.is_set()
        held.release.set()
        assert checked.wait(WAIT_S)
        cb.write_held()  # what the desktop does when it hears the check has passed
        cb.write_held()  # and only once
        assert _audited(cb.vault, before) == ["unlock"]
    finally:
        cb.lock()
    with Vault.unlock(path, PASSPHRASE) as again:
        assert _audited(again, before) == ["unlock", "lock"]


@pytest.mark.slow
def test_a_damage_found_beside_the_reads_refuses_the_held_save_and_writes_nothing(
    tmp_path: Path, held: HeldCheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _made(tmp_path)
    opened = 0
    # an unlock the first reads refuse locks the vault again, which waits for its check:
    # the check held here goes on then (else each such trial waited out WAIT_S)
    lock = Vault.lock

    def lock_releasing(vault: Vault) -> None:
        held.release.set()
        lock(vault)

    monkeypatch.setattr(Vault, "lock", lock_releasing)
    for trial, page in damaged_copies(tmp_path, made):
        held.reset()
        before = _file_state(trial)
        try:
            cb = Casebook.unlock(trial, PASSPHRASE, check_beside=True)
        except VaultCorruptError:
            continue  # the first reads needed that page: refused plainly, as before
        opened += 1
        try:
            assert cb.read_only_reason is None  # not known yet: the check is held
            checked = threading.Event()
            cb.when_pages_checked(checked.set)
            saving, outcome = _in_thread(_new_participant(cb))
            assert held.arrived.wait(WAIT_S)
            held.release.set()
            saving.join(WAIT_S)
            assert checked.wait(WAIT_S)
            error = outcome.get("error")
            assert isinstance(error, VaultDamagedError), outcome
            assert "read-only" in str(error) and "backup" in str(error)
            assert cb.vault.read_only and cb.vault.damaged_pages == (page,)
            assert cb.read_only_reason == DAMAGED_READ_ONLY
            # later writes are refused too, the worker's typing kept nowhere in the file
            with pytest.raises(VaultDamagedError):
                cb.save_draft("note/-/new", "Talked about the allotment.")
            cb.write_held()  # the desktop's nudge writes nothing into a damaged vault
        finally:
            held.release.set()
            cb.lock()
        assert _file_state(trial) == before  # not a byte, not even the unlock audit
        assert side_files(trial) == []
    assert opened >= 2, "every damaged middle page stopped unlock: the test proves little"


def test_the_check_runs_first_where_opening_for_writing_would_write(
    tmp_path: Path, held: HeldCheck
) -> None:
    """A vault that needs a migration, one not in WAL mode (a restored backup is not) and one
    with a -wal left beside it are checked on the calling thread before anything opens."""
    held.release.set()
    old = tmp_path / "old" / "worker.vault"
    old.parent.mkdir()
    make_0001_vault(old)
    rollback = _made(tmp_path / "delete")
    with raw_connection(rollback) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    for path in (old, rollback):
        held.threads.clear()
        vault = Vault.unlock(path, PASSPHRASE, check_beside=True)
        try:
            assert held.threads == [threading.current_thread().name]
            assert migrate.current_revision(vault.engine) == migrate.head_revision()
        finally:
            vault.lock()
    # the other way round: a sound WAL vault is checked beside, on the check's thread
    sound = _made(tmp_path / "sound")
    held.threads.clear()
    with Vault.unlock(sound, PASSPHRASE, check_beside=True):
        pass
    assert held.threads == [CHECK_THREAD]
    left = tmp_path / "left" / "worker.vault"
    shutil.copytree(sound.parent, left.parent)
    Path(f"{left}-wal").write_bytes(b"")
    held.threads.clear()
    with Vault.unlock(left, PASSPHRASE, check_beside=True):
        assert held.threads == [threading.current_thread().name]


def test_a_lock_before_the_check_ends_waits_for_it_and_still_audits_the_unlock_first(
    tmp_path: Path, held: HeldCheck
) -> None:
    cb, path, before = _unlocked_while_held(tmp_path, held)
    locking, outcome = _in_thread(cb.lock)
    assert held.arrived.wait(WAIT_S)  # the lock's audit event waits at the gate
    held.release.set()
    locking.join(WAIT_S)
    assert "error" not in outcome and cb.is_locked
    with Vault.unlock(path, PASSPHRASE) as again:
        assert _audited(again, before) == ["unlock", "lock"]


def test_a_record_opened_while_the_check_runs_shows_at_once_its_view_audited_after_it(
    tmp_path: Path, held: HeldCheck
) -> None:
    """Opening a record audits the view (a write): it no longer waits for the page check,
    the view is written once the check has passed, after the unlock."""
    cb, _path, before = _unlocked_while_held(tmp_path, held)
    try:
        with cb.store.read() as s:
            first = s.scalars(select(Participant.id).order_by(Participant.id)).first()
        assert first is not None
        opening, outcome = _in_thread(lambda: record.open_record(cb, first))
        opening.join(WAIT_S)
        assert not opening.is_alive() and "error" not in outcome, outcome
        assert outcome["result"].participant.id == first
        assert not held.ended.is_set()  # shown while every page is still being checked
        assert _audited(cb.vault, before) == []  # nothing written yet
        held.release.set()
        assert held.ended.wait(WAIT_S)
        cb.write_held()
        assert _audited(cb.vault, before) == ["unlock", "view"]
    finally:
        held.release.set()
        cb.lock()


def test_a_damaged_vault_opened_read_only_still_shows_its_records(tmp_path: Path) -> None:
    """The read-only vault is there so the worker can still read: opening a record must
    not fail on its view audit (nothing is written into a damaged file)."""
    made = _made(tmp_path)
    shown = 0
    for trial, _page in damaged_copies(tmp_path, made):
        before = _file_state(trial)
        try:
            cb = Casebook.unlock(trial, PASSPHRASE)  # the command line's: checked first
        except VaultCorruptError:
            continue
        try:
            assert cb.read_only_reason == DAMAGED_READ_ONLY
            with cb.store.read() as s:
                ids = list(s.scalars(select(Participant.id)))
            for pid in ids:
                try:
                    data = record.open_record(cb, pid)
                except VaultCorruptError:
                    continue  # this person's rows sit on the damaged page
                assert data.participant.id == pid
                shown += 1
        finally:
            cb.lock()
        assert _file_state(trial) == before
    assert shown >= 2, "no record could be shown: the test proves little"
