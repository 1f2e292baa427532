"""Backups of the open vault and restoring them: real SQLCipher files, real tar files, no mocks."""

from __future__ import annotations

import hashlib
import os
import stat
import tarfile
import threading
from pathlib import Path

import pytest
from synthetic import PASSPHRASE

from linksdesk.casework import backup, notes, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import WrongPassphraseError, WrongRecoveryKeyError
from linksdesk.storage.keyfile import keyfile_path

NEW_PASSPHRASE = "lighthouse keeper orange paperclip"
CANARY = "CANARY-BACKUP-4711 spoke about the rent arrears"


def _make(path: Path, people: int = 3) -> tuple[list[str], str]:
    cb, recovery = Casebook.create(path, PASSPHRASE)
    ids = []
    try:
        for i in range(people):
            p = participants.create_participant(
                cb, given_name=f"Person{i}", family_name="Example"
            ).value
            notes.write_note(cb, p.id, f"{CANARY} {i}")
            ids.append(p.id)
    finally:
        cb.lock()
    return ids, recovery


def _people(path: Path, passphrase: str = PASSPHRASE) -> set[str]:
    cb = Casebook.unlock(path, passphrase)
    try:
        return {p.id for p in participants.find_participants(cb, "Example", limit=500)}
    finally:
        cb.lock()


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()


def _backup(vault: Path, out: Path, passphrase: str = PASSPHRASE) -> backup.BackupInfo:
    cb = Casebook.unlock(vault, passphrase)
    try:
        return backup.back_up(cb, out)
    finally:
        cb.lock()


def test_backup_is_one_encrypted_file_that_restores_elsewhere(tmp_path: Path) -> None:
    vault = tmp_path / "old" / "worker.vault"
    ids, _recovery = _make(vault)
    out = tmp_path / "usb" / "monday.ldbackup"
    out.parent.mkdir()  # a memory stick's folder (never made by the backup: see test_backup_stick)
    seen: list[tuple[int, int]] = []
    cb = Casebook.unlock(vault, PASSPHRASE)
    try:
        info = backup.back_up(cb, out, progress=lambda d, t: seen.append((d, t)))
    finally:
        cb.lock()
    assert out.is_file() and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert seen and seen[-1][0] == seen[-1][1] > 0  # progress reached the end
    with tarfile.open(out) as tar:
        assert sorted(tar.getnames()) == ["manifest.json", "vault.db", "vault.key"]
    raw = out.read_bytes()
    assert b"CANARY" not in raw and b"Person0" not in raw  # still encrypted
    assert b"SQLite format 3" not in raw
    assert info.latest_change is not None
    assert backup.read_backup(out) == info
    # a new laptop: nothing at the target yet
    target = tmp_path / "new" / "worker.vault"
    result = backup.restore_backup(out, target, passphrase=PASSPHRASE)
    assert not result.replaced and result.kept_as == ()
    assert _people(target) == set(ids)
    cb = Casebook.unlock(target, PASSPHRASE)
    try:
        assert cb.check().ok
        assert {n.text for n in notes.list_notes(cb, ids[0])} == {f"{CANARY} 0"}
    finally:
        cb.lock()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".linksdesk-")]


def test_backup_while_the_vault_is_being_written_is_consistent(tmp_path: Path) -> None:
    vault = tmp_path / "worker.vault"
    _make(vault, people=1)
    cb = Casebook.unlock(vault, PASSPHRASE)
    stop = threading.Event()
    written: list[str] = []

    def keep_writing() -> None:
        # a pause between saves, as a worker's window makes: back to back, this thread
        # could hold the write lock past the backup's own audit write's wait on a busy machine
        while not stop.wait(0.005):
            p = participants.create_participant(cb, given_name="Busy", family_name="Example")
            written.append(p.value.id)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:
            pass
        info = backup.back_up(cb, tmp_path / "busy.ldbackup")
    finally:
        stop.set()
        writer.join()
        cb.lock()
    target = tmp_path / "restored.vault"
    backup.restore_backup(tmp_path / "busy.ldbackup", target, passphrase=PASSPHRASE)
    restored = Casebook.unlock(target, PASSPHRASE)
    try:
        report = restored.check()
        assert report.ok, report.describe()  # pages, structure and the audit chain all add up
    finally:
        restored.lock()
    got = _people(target)
    assert 5 <= len(got) - 1 <= len(written)  # a snapshot: some of the writes, every one whole
    assert info.size > 0


def test_restore_with_the_recovery_key_sets_a_new_passphrase(tmp_path: Path) -> None:
    vault = tmp_path / "worker.vault"
    ids, recovery = _make(vault)
    out = tmp_path / "b.ldbackup"
    _backup(vault, out)
    target = tmp_path / "elsewhere" / "worker.vault"
    _other_ids, wrong = _make(tmp_path / "another.vault", people=0)  # a real key, not this one
    with pytest.raises(WrongRecoveryKeyError):
        backup.restore_backup(out, target, recovery_key=wrong, new_passphrase=NEW_PASSPHRASE)
    assert not target.exists()
    backup.restore_backup(out, target, recovery_key=recovery, new_passphrase=NEW_PASSPHRASE)
    assert _people(target, NEW_PASSPHRASE) == set(ids)
    with pytest.raises(WrongPassphraseError):
        Casebook.unlock(target, PASSPHRASE)


def test_a_newer_vault_is_never_overwritten_without_replace(tmp_path: Path) -> None:
    vault = tmp_path / "worker.vault"
    ids, _ = _make(vault)
    out = tmp_path / "old.ldbackup"
    _backup(vault, out)
    cb = Casebook.unlock(vault, PASSPHRASE)
    try:
        newer = participants.create_participant(cb, given_name="Later", family_name="Example")
    finally:
        cb.lock()
    files = [vault, keyfile_path(vault)]
    before = _digest(*files)
    with pytest.raises(backup.BackupError, match="newer than this backup"):
        backup.restore_backup(out, vault, passphrase=PASSPHRASE)
    assert _digest(*files) == before  # refused: not a byte changed
    assert newer.value.id in _people(vault)
    result = backup.restore_backup(out, vault, passphrase=PASSPHRASE, replace=True)
    assert result.replaced and result.newer_replaced
    assert _people(vault) == set(ids)
    # the replaced vault is kept beside it, whole, and still opens
    kept_vault = next(p for p in result.kept_as if p.name.startswith("worker.vault.before"))
    kept_key = next(p for p in result.kept_as if p.name.startswith("worker.vault.key.before"))
    aside = tmp_path / "aside.vault"
    os.replace(kept_vault, aside)
    os.replace(kept_key, keyfile_path(aside))
    assert newer.value.id in _people(aside)


def test_an_older_copy_of_the_same_vault_is_replaced_and_kept_aside(tmp_path: Path) -> None:
    vault = tmp_path / "worker.vault"
    _make(vault)
    old_copy = tmp_path / "copy" / "worker.vault"
    _backup(vault, tmp_path / "first.ldbackup")
    backup.restore_backup(tmp_path / "first.ldbackup", old_copy, passphrase=PASSPHRASE)
    cb = Casebook.unlock(vault, PASSPHRASE)
    try:
        later = participants.create_participant(cb, given_name="Later", family_name="Example")
    finally:
        cb.lock()
    _backup(vault, tmp_path / "second.ldbackup")
    result = backup.restore_backup(tmp_path / "second.ldbackup", old_copy, passphrase=PASSPHRASE)
    assert result.replaced and not result.newer_replaced and result.kept_as
    assert later.value.id in _people(old_copy)


def test_another_vault_or_a_damaged_backup_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "mine.vault"
    _make(mine)
    other = tmp_path / "other" / "mine.vault"
    _make(other, people=1)
    out = tmp_path / "b.ldbackup"
    _backup(mine, out)
    before = _digest(other, keyfile_path(other))
    with pytest.raises(backup.BackupError, match="not the vault this backup was made from"):
        backup.restore_backup(out, other, passphrase=PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        backup.restore_backup(out, other, passphrase="not the passphrase at all")
    # a damaged backup: one byte of the encrypted copy changed
    damaged = tmp_path / "damaged.ldbackup"
    data = bytearray(out.read_bytes())
    with tarfile.open(out) as tar:
        member = tar.getmember("vault.db")
        data[member.offset_data + 5000] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.restore_backup(damaged, tmp_path / "fresh.vault", passphrase=PASSPHRASE)
    assert not (tmp_path / "fresh.vault").exists()
    not_one = tmp_path / "holiday.jpg"
    not_one.write_bytes(os.urandom(4096))
    with pytest.raises(backup.BackupError, match="not a LinksDesk backup"):
        backup.read_backup(not_one)
    assert _digest(other, keyfile_path(other)) == before
    leftovers = [p for p in tmp_path.rglob(".linksdesk-*")]
    assert leftovers == []


def test_backup_refuses_to_overwrite_a_file_or_the_vault(tmp_path: Path) -> None:
    vault = tmp_path / "worker.vault"
    _make(vault, people=1)
    taken = tmp_path / "taken.ldbackup"
    taken.write_text("keep me")
    cb = Casebook.unlock(vault, PASSPHRASE)
    try:
        with pytest.raises(backup.BackupError, match="already a file"):
            backup.back_up(cb, taken)
        with pytest.raises(backup.BackupError):
            backup.back_up(cb, vault, overwrite=True)
    finally:
        cb.lock()
    assert taken.read_text() == "keep me"


def test_local_only_counts_what_a_new_laptop_would_not_get(tmp_path: Path) -> None:
    vault = tmp_path / "worker.vault"
    _make(vault, people=2)
    cb = Casebook.unlock(vault, PASSPHRASE)
    try:
        found = backup.local_only(cb)
    finally:
        cb.lock()
    # never enrolled, no consent to share recorded: everything is on this laptop only
    assert not found.enrolled and found.anything
    assert found.unshared_participants == 2


def test_a_private_note_with_its_versions_is_one_record_left_behind(tmp_path: Path) -> None:
    cb, _ = Casebook.create(tmp_path / "worker.vault", PASSPHRASE)
    try:
        pid = participants.create_participant(cb, given_name="Test", family_name="Private").value.id
        note = notes.write_note(cb, pid, "first words", private=True).value
        first = notes.note_history(cb, note.id)[-1]
        notes.revise_note(cb, note.id, "second words", base_revision_id=first.id)
        notes.write_note(cb, pid, "shared words")
        found = backup.local_only(cb)
    finally:
        cb.lock()
    # what the worker would call records: the note, not the note plus each of its versions
    assert found.private_records == 1


def test_a_vault_open_in_linksdesk_is_not_replaced(tmp_path: Path) -> None:
    vault = tmp_path / "worker.vault"
    _make(vault, people=1)
    out = tmp_path / "b.ldbackup"
    _backup(vault, out)
    cb = Casebook.unlock(vault, PASSPHRASE)  # LinksDesk has it open
    try:
        participants.find_participants(cb, "Example")
        assert Path(f"{vault}-wal").exists()
        with pytest.raises(backup.BackupError, match="looks open in LinksDesk"):
            backup.restore_backup(out, vault, passphrase=PASSPHRASE)
    finally:
        cb.lock()
    assert not Path(f"{vault}-wal").exists()
    result = backup.restore_backup(out, vault, passphrase=PASSPHRASE)  # closed: same age, fine
    assert result.replaced and not result.newer_replaced
