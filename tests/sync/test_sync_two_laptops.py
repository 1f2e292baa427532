"""One worker, two laptops (issue 8): a team consent withdrawal recorded on one laptop never
deletes the other laptop's own work, and the worker is told what stays where.

The reproduction runs over a real server on 127.0.0.1, once plainly and once with the
worker's second laptop killed mid-sync (SIGKILL) at every step it syncs in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_kit import (
    PASSPHRASE,
    Dev,
    ServerProcess,
    SyncForker,
    assert_agrees_with_server,
    two_laptops,
)

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.models import Record
from linksdesk.storage.tables import Note, NoteRevision, Outbox, Participant
from linksdesk.sync import state

SHARED_BODY = "CANARY-two-laptops-shared-3f1a talked about the allotment"
PRIVATE_BODY = "CANARY-two-laptops-private-8c2e worried about the landlord"


def _worker_with_two_laptops(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> tuple[Dev, Dev]:
    return two_laptops(server, devices)


def _notes_about(dev: Dev, pid: str) -> dict[str, str]:
    """note id → latest body, for the participant's notes this laptop holds."""
    with dev.store.read() as s:
        notes = set(s.scalars(select(Note.id).where(Note.participant_id == pid)))
        return {
            r.note_id: r.body
            for r in s.scalars(
                select(NoteRevision)
                .where(NoteRevision.participant_id == pid)
                .order_by(NoteRevision.revision)
            )
            if r.note_id in notes
        }


def _queued_about(dev: Dev, pid: str) -> int:
    with dev.store.read() as s:
        return sum(
            1
            for o in s.scalars(select(Outbox))
            if (o.payload or {}).get("participant_id") == pid or o.row_id == pid
        )


def _cli_sync(dev: Dev) -> subprocess.CompletedProcess[str]:
    """``linksdesk sync`` as the worker runs it, in its own process."""
    dev.vault.lock()
    env = {**os.environ, "LINKSDESK_PASSPHRASE": PASSPHRASE, "LINKSDESK_KDF_PROFILE": "fast"}
    try:
        return subprocess.run(
            [sys.executable, "-m", "linksdesk", "sync", "--vault", str(dev.path)],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        dev.reopen()


def _sync_killed(forker: SyncForker, dev: Dev, stage: str) -> None:
    """A sync of ``dev`` SIGKILLed as soon as it reaches ``stage``, then one that finishes."""
    dev.vault.lock()
    pid = forker.start(dev.path, batch=1, page=1)
    forker.wait_for(pid, stage)
    forker.kill(pid)
    dev.reopen()  # as the app would after a crash
    report = dev.sync()
    assert report.verified, report.message


def _reproduce(
    server: ServerProcess,
    devices: Callable[[str], Dev],
    second_laptop_sync: Callable[[Dev, str], None],
) -> None:
    one, two = _worker_with_two_laptops(server, devices)
    # 1. on laptop 1, a participant with team consent; sync laptop 1, then laptop 2
    pid = one.participant(given_name="Robin")
    other = one.participant(given_name="Sam")
    assert one.sync().verified
    second_laptop_sync(two, "pull")
    assert two.get("participant", pid) is not None
    with one.store.read() as s:
        programme_id = s.scalar(select(Participant.programme_id).where(Participant.id == pid))
    assert programme_id

    # 2. on laptop 2 the participant withdraws team consent; sync laptop 2
    record_consent(Casebook(two.vault), pid, ConsentScope.TEAM, False)
    second_laptop_sync(two, "push")

    # 3. on laptop 1, not yet synced, a shared note and a private note about them
    shared_note, _ = one.note(pid, SHARED_BODY)
    private_note, _ = one.note(pid, PRIVATE_BODY, private=True)

    # 4. sync laptop 1 (as the worker does, on the command line), then laptop 2, then 1
    first = _cli_sync(one)
    assert first.returncode == 0, first.stderr
    said = first.stdout + first.stderr
    assert "everything matches" not in said
    assert programme_id in said and "stays here only" in said, said
    second_laptop_sync(two, "pull")
    last = one.sync(full_check=True)
    assert last.verified, last.message

    # both notes are still on laptop 1, as written, as its local-only case
    assert _notes_about(one, pid) == {shared_note: SHARED_BODY, private_note: PRIVATE_BODY}
    assert one.get("participant", pid) is not None
    assert _queued_about(one, pid) == 0  # nothing of it leaves any more
    assert one.attention() == []  # explained by the notice, not left as "refused"
    with one.store.read() as s:
        notices = state.get(s, state.LOCAL_ONLY, [])
    assert [(n["participant_id"], n["programme_id"]) for n in notices] == [(pid, programme_id)]
    # ... and nowhere else: rule 1 and 2 still hold for them
    with server.db.reading() as s:
        assert s.get(Record, ("note", shared_note)) is None
        assert s.get(Record, ("note", private_note)) is None
    assert shared_note not in _notes_about(two, pid)
    assert private_note not in _notes_about(two, pid)
    # laptop 2 still holds the case it withdrew (nothing of it was removed there)
    assert two.get("participant", pid) is not None
    # the other participant is untouched and both laptops agree with the server
    assert one.get("participant", other) is not None and two.get("participant", other)
    for dev in (one, two):
        assert_agrees_with_server(dev, server)
    with one.store.read() as s:
        assert s.get(Note, shared_note) is not None


def test_a_withdrawal_on_one_laptop_keeps_the_other_laptops_unsent_notes(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    def plain(dev: Dev, _stage: str) -> None:
        report = dev.sync()
        assert report.verified, report.message

    _reproduce(shared_server, devices, plain)


def test_the_same_with_the_second_laptop_killed_mid_sync(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    forker = SyncForker()
    try:
        _reproduce(shared_server, devices, lambda dev, stage: _sync_killed(forker, dev, stage))
    finally:
        forker.close()


def test_a_withdrawal_pulled_with_nothing_of_this_laptops_own_still_purges(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    """What only came from elsewhere goes, as before: the summary says nothing was kept."""
    one, two = _worker_with_two_laptops(shared_server, devices)
    pid = two.participant(given_name="Kit")
    two.note(pid, "came from laptop 2")
    assert two.sync().verified
    assert one.sync().verified
    record_consent(Casebook(two.vault), pid, ConsentScope.TEAM, False)
    assert two.sync().verified
    report = one.sync()
    assert report.verified and not report.kept_local, report.message
    assert one.get("participant", pid) is None
    assert _notes_about(one, pid) == {}


@pytest.mark.parametrize("where", ["one", "two"])
def test_consent_given_again_after_a_local_only_case_shares_the_kept_work(
    shared_server: ServerProcess, devices: Callable[[str], Dev], where: str, tmp_path: Path
) -> None:
    one, two = _worker_with_two_laptops(shared_server, devices)
    pid = one.participant(given_name="Jo")
    assert one.sync().verified and two.sync().verified
    record_consent(Casebook(two.vault), pid, ConsentScope.TEAM, False)
    assert two.sync().verified
    note, _ = one.note(pid, "written on laptop 1 after the withdrawal")
    assert one.sync().kept_local
    again = one if where == "one" else two
    record_consent(Casebook(again.vault), pid, ConsentScope.TEAM, True)
    for dev in (again, one, two, one, two):
        report = dev.sync(full_check=True)
        assert report.verified and not report.attention, report.message
    for dev in (one, two):
        assert note in _notes_about(dev, pid), dev.label
        assert_agrees_with_server(dev, shared_server)


def test_the_summary_says_what_stayed_where_and_never_that_everything_matches() -> None:
    from linksdesk.sync.engine import SyncReport, describe
    from linksdesk.sync.local_only import LocalOnlyCase

    report = SyncReport(
        pushed=2,
        pulled=2,
        verified=True,
        kept_local=(LocalOnlyCase("p-1", "P1042", kept=4, removed=3),),
    )
    said = describe(report, [])
    assert "everything matches" not in said
    assert "P1042" in said and "withdrawn on your other laptop" in said
    assert "stays here only (4 records" in said and "3 records about P1042" in said
    plain = describe(SyncReport(pushed=2, pulled=2, verified=True), [])
    assert plain.endswith("Checked against the server: everything matches.")


def test_a_sync_cut_short_after_applying_the_withdrawal_still_tells_the_worker(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    one, two = _worker_with_two_laptops(shared_server, devices)
    pid = one.participant(given_name="Lee")
    assert one.sync().verified and two.sync().verified
    record_consent(Casebook(two.vault), pid, ConsentScope.TEAM, False)
    assert two.sync().verified
    note, _ = one.note(pid, PRIVATE_BODY, private=True)

    def crash(stage: str, _done: int, _total: int | None) -> None:
        if stage == "verify":  # the pulled pages are committed; the report is not made
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        one.client().sync(progress=crash, allow_mass_delete=False, full_check=False)
    one.reopen()
    assert note in _notes_about(one, pid)
    report = one.sync()
    assert [c.participant_id for c in report.kept_local] == [pid], report.message
    assert "everything matches" not in report.message
    again = one.sync()
    assert not again.kept_local and "everything matches" in again.message  # told once
