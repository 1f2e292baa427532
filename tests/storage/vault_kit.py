"""Helpers for the vault tests: synthetic rows, file snapshots, bit flips and raw access."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from synthetic import PASSPHRASE

from linksdesk.storage import keyfile
from linksdesk.storage import vault as vault_module
from linksdesk.storage.engine import PAGE_SIZE, PageCheck, connect_raw
from linksdesk.storage.page_gate import PageGate
from linksdesk.storage.store import Store, WriteTx
from linksdesk.storage.tables import Consent, Note, NoteRevision, Participant

_programme_ids = itertools.count(1000)


def add_participant(tx: WriteTx, *, consent: bool = True, **values: Any) -> Participant:
    """A synthetic participant, inserted through the unit of work (outbox, index, audit).

    With ``consent`` (the default) they agreed to share with the team, so their changes
    are queued in the outbox; without it nothing of theirs may leave the device.
    """
    fields: dict[str, Any] = {
        "programme_id": f"P{next(_programme_ids)}",
        "given_name": "Alex",
        "family_name": "Example",
        "created_on": dt.date(2026, 1, 5),
        "status": "active",
    }
    fields.update(values)
    person = tx.insert(Participant(**fields))
    if consent:
        add_team_consent(tx, person.id)
    return person


def add_team_consent(tx: WriteTx, participant_id: str) -> Consent:
    return tx.insert(
        Consent(
            participant_id=participant_id,
            scope="team",
            given=True,
            version=1,
            recorded_on=dt.date(2026, 1, 5),
            method="verbal",
        )
    )


def add_note(tx: WriteTx, participant_id: str, body: str) -> tuple[Note, NoteRevision]:
    """A case note and its first revision, as casework writes them."""
    when = dt.datetime(2026, 3, 2, 10, 30)
    note = tx.insert(Note(participant_id=participant_id, contact_id=None, written_at=when))
    rev = tx.insert(
        NoteRevision(
            note_id=note.id,
            participant_id=participant_id,
            revision=1,
            base_revision_id=None,
            body=body,
            written_at=when,
        )
    )
    return note, rev


def fill(store: Store, participants: int = 20, notes_each: int = 10, size: int = 400) -> list[str]:
    """Enough synthetic rows for a file of many pages; returns the participant ids."""
    ids = []
    filler = "Talked about the lunch club and the walking group. " * (size // 50 + 1)
    for i in range(participants):
        with store.write() as tx:
            p = add_participant(tx, given_name=f"Sam{i}")
            for n in range(notes_each):
                add_note(tx, p.id, f"Note {n}. {filler[:size]}")
            ids.append(p.id)
    return ids


def data_key(vault_path: Path, passphrase: str = PASSPHRASE) -> bytes:
    return keyfile.unlock_with_passphrase(keyfile.keyfile_path(vault_path), passphrase)


@contextmanager
def raw_connection(vault_path: Path, passphrase: str = PASSPHRASE) -> Iterator[Any]:
    """A raw keyed sqlcipher3 connection, as someone holding the key could open one."""
    conn = connect_raw(vault_path, data_key(vault_path, passphrase))
    try:
        yield conn
    finally:
        conn.close()


FileState = dict[str, tuple[int, int, str]]


def snapshot(folder: Path) -> tuple[int, FileState]:
    """The folder's mtime and (size, mtime, sha256) of every file under it.

    The folder's own mtime changes when a file is created or removed in it, so equal
    snapshots also show that no file came and went in between.
    """
    files: FileState = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            files[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns, digest)
    return folder.stat().st_mtime_ns, files


def flip_bit(path: Path, offset: int, bit: int = 3) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)[0]
        fh.seek(offset)
        fh.write(bytes([byte ^ (1 << bit)]))


def page_count(path: Path) -> int:
    return path.stat().st_size // PAGE_SIZE


def split_pages(data: bytes) -> list[bytes]:
    return [data[i : i + PAGE_SIZE] for i in range(0, len(data), PAGE_SIZE)]


RESERVE = 80  # SQLCipher 4 defaults: 16-byte IV + 64-byte HMAC per page
_WAL_HEADER, _FRAME_HEADER = 32, 24


def _decrypted_page(page: bytes, key: bytes, first: bool) -> bytes:
    iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
    start = 16 if first else 0  # page 1 begins with the plaintext salt
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(page[start : PAGE_SIZE - RESERVE]) + dec.finalize()


def decrypted_pages(path: Path, key: bytes) -> bytes:
    """Every page of a vault file decrypted (live, free and leftover pages alike)."""
    data = path.read_bytes()
    assert len(data) % PAGE_SIZE == 0
    return b"".join(_decrypted_page(p, key, i == 0) for i, p in enumerate(split_pages(data)))


def decrypted_wal(path: Path, key: bytes) -> bytes:
    """Every frame of the vault's ``-wal`` file decrypted, stale frames too (b"" if none)."""
    wal = Path(f"{path}-wal")
    data = wal.read_bytes() if wal.exists() else b""
    out, at, size = bytearray(), _WAL_HEADER, _FRAME_HEADER + PAGE_SIZE
    while at + size <= len(data):
        number = int.from_bytes(data[at : at + 4], "big")
        out += _decrypted_page(data[at + _FRAME_HEADER : at + size], key, number == 1)
        at += size
    return bytes(out)


def side_files(vault_path: Path) -> list[str]:
    return [s for s in ("-wal", "-shm", "-journal") if Path(f"{vault_path}{s}").exists()]


# -- the page check beside the first reads (issue 15) -----------------------------------------
CHECK_THREAD = "vault-page-check"
WAIT_S = 30.0  # only a bound for a broken build: no test waits on the clock to pass


@dataclass
class HeldCheck:
    """The real page check, held until ``release`` is set; who ran it, and when it ended."""

    release: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Event = field(default_factory=threading.Event)  # a write at the gate
    threads: list[str] = field(default_factory=list)

    def reset(self) -> None:
        for flag in (self.release, self.ended, self.arrived):
            flag.clear()
        self.threads.clear()


def hold_page_check(monkeypatch: pytest.MonkeyPatch) -> HeldCheck:
    """Hold the page check run beside the reads until the test says, and note every write
    that reaches the gate; a check run first (on the caller's thread) is not held."""
    state = HeldCheck()
    real_check = vault_module.check_pages
    real_hold = PageGate.hold

    def check(path: Path, key: bytes, **kw: Any) -> PageCheck:
        name = threading.current_thread().name
        state.threads.append(name)
        if name == CHECK_THREAD:
            assert state.release.wait(WAIT_S), "the test never released the check"
        result = real_check(path, key, **kw)
        state.ended.set()
        return result

    def hold(gate: PageGate) -> None:
        state.arrived.set()
        real_hold(gate)

    monkeypatch.setattr(vault_module, "check_pages", check)
    monkeypatch.setattr(PageGate, "hold", hold)
    return state


def damaged_copies(tmp_path: Path, made: Path) -> Iterator[tuple[Path, int]]:
    """Copies of the vault ``made`` (with its key file), each with one bit flipped in one
    middle page: the copy and the page number, a page at a time from the middle out."""
    middle = page_count(made) // 2
    for page in (middle, middle + 1, middle - 1, middle + 2, middle - 2):
        trial = tmp_path / f"trial{page}" / made.name
        trial.parent.mkdir()
        shutil.copy(made, trial)
        shutil.copy(keyfile.keyfile_path(made), keyfile.keyfile_path(trial))
        flip_bit(trial, (page - 1) * PAGE_SIZE + 1500)
        yield trial, page
