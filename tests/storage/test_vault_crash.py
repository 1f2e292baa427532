"""Crash safety: a process killed mid-save loses no acknowledged save and leaves no half-save."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text
from vault_kit import PASSPHRASE, add_participant

from linksdesk.storage.tables import AuditEvent, Note, NoteRevision, Outbox
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy

CHILD = Path(__file__).with_name("crash_child.py")
TRIALS = 25


class Child:
    """The saving process, with its stdout read line by line on a thread."""

    def __init__(self, vault_path: Path, participant_id: str, seed: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(vault_path), PASSPHRASE, participant_id, str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.stderr = ""
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.strip())
            if line.startswith("ready"):
                self.ready.set()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 120
        while not self.ready.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"the saving process stopped before it was ready:\n{self.stderr}")

    def kill(self) -> None:
        if self.proc.stdout is not None and self.proc.stdout.closed:
            return  # already killed and drained
        self.proc.kill()  # SIGKILL: no cleanup, no atexit, no flush
        self.proc.wait()
        self._reader.join(10)
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()
        self.proc.stderr.close()
        assert self.proc.stdout is not None
        self.proc.stdout.close()

    def acks(self) -> dict[str, str]:
        """note id → revision id of every save the child said was committed."""
        out = {}
        for line in self.lines:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ack":
                out[parts[1]] = parts[2]
        return out


def _verify(vault_path: Path, acked: dict[str, str]) -> int:
    vault = Vault.unlock(vault_path, PASSPHRASE)
    try:
        report = vault.integrity_check()
        assert report.ok, report.describe()
        with vault.store().read() as s:
            notes = set(s.scalars(select(Note.id)))
            revisions = {r.id: r.note_id for r in s.scalars(select(NoteRevision))}
            queued = {(o.table_name, o.row_id) for o in s.scalars(select(Outbox))}
            audited = {
                (a.entity, a.entity_id)
                for a in s.scalars(select(AuditEvent).where(AuditEvent.action == "create"))
            }
            indexed = set(
                s.execute(text("SELECT row_id FROM search_index WHERE entity = 'note'")).scalars()
            )
        # every acknowledged save is there, with its change log, audit and index entries
        for note_id, rev_id in acked.items():
            assert note_id in notes, "an acknowledged note was lost"
            assert revisions.get(rev_id) == note_id, "an acknowledged revision was lost"
        # and every save that is there (acknowledged or not) is whole, never half-written
        assert set(revisions.values()) == notes
        for note_id in notes:
            assert ("note", note_id) in queued and ("note", note_id) in audited
            assert note_id in indexed
        for rev_id in revisions:
            assert ("note_revision", rev_id) in queued and ("note_revision", rev_id) in audited
        return len(notes)
    finally:
        vault.lock()


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_or_tears_a_save(vault_path: Path) -> None:
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    with vault.store(SyncPolicy()).write() as tx:
        participant_id = add_participant(tx).id
    vault.lock()

    seed = int(os.environ.get("LINKSDESK_CRASH_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    acked: dict[str, str] = {}
    killed_mid_run = 0
    for trial in range(TRIALS):
        child = Child(vault_path, participant_id, seed * 100 + trial)
        try:
            if trial % 5 == 4:
                # now and then, kill during start-up: while unlocking or upgrading
                time.sleep(rng.uniform(0.0, 0.5))
            else:
                child.wait_ready()
                time.sleep(rng.uniform(0.0, 0.35))
        finally:
            child.kill()
        assert child.proc.returncode == -9, f"child ended by itself (seed {seed}): {child.stderr}"
        new = child.acks()
        killed_mid_run += bool(new)
        acked.update(new)
        total = _verify(vault_path, acked)
        assert total >= len(acked)
    assert killed_mid_run >= TRIALS // 2, f"too few kills landed mid-run (seed {seed})"
    assert len(acked) > TRIALS, f"too few saves acknowledged (seed {seed})"
