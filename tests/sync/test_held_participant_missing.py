"""Rows pulled about a participant this laptop does not hold: told plainly, never dropped.

A participant's row taken out of a real server's database (as a server before this version
could leave it) after its consent and case notes were logged: the laptop pulls the notes
without the person. The sync check tells the worker, once per person and in their words,
that records about one participant are kept here and nothing is lost; a later sync, the
erasure of someone else (a purge, a search rebuild, a vacuum) and a backup restored
elsewhere all keep them; once the participant is sent again the record is whole.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from server_kit import Device
from sqlalchemy import func, select
from sync_kit import PASSPHRASE, Dev, ServerProcess
from test_held_waiting_rows import _person, _taken_out_of_the_server
from test_laptops_orphans import _note

from linksdesk.casework import backup, erasure, notes, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.storage import waiting
from linksdesk.storage.tables import TABLE_BY_NAME

DAY = "2026-11-02"
FIRST, SECOND = "CANARY-held-first-visit", "CANARY-held-second-visit"
TOLD = (
    "records about 1 participant not on this laptop "
    "(1 consent record, 2 case notes, 2 versions of case notes)"
)


def _rows_about(dev: Dev, pid: str) -> dict[str, int]:
    with dev.store.read() as s:
        return {
            table: int(
                s.scalar(
                    select(func.count())
                    .select_from(TABLE_BY_NAME[table])
                    .where(TABLE_BY_NAME[table].participant_id == pid)
                )
                or 0
            )
            for table in ("consent", "note", "note_revision")
        }


def test_records_of_a_participant_not_on_this_laptop_are_told_once_and_never_dropped(
    laptop_and_other: tuple[Dev, Device],
    server: ServerProcess,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    laptop, other = laptop_and_other
    pid = _person(other)
    _note(other, pid, FIRST, written_at=f"{DAY}T10:00:00")
    _note(other, pid, SECOND, written_at=f"{DAY}T11:00:00")
    _taken_out_of_the_server(server, "participant", pid)
    whole = {"consent": 1, "note": 2, "note_revision": 2}

    caplog.set_level(logging.INFO, logger="linksdesk")
    first = laptop.sync()
    assert first.verified and first.held_people == 1, first.message
    assert laptop.get("participant", pid) is None
    assert _rows_about(laptop, pid) == whole
    # said once for the person, in the worker's words, with nothing lost
    assert TOLD in first.message and "nothing is lost" in first.message, first.message
    assert "whose participant" not in first.message
    assert "everything matches" not in first.message
    assert FIRST not in caplog.text and SECOND not in caplog.text and pid not in first.message

    # a later sync read afresh, then the erasure of someone else here (a purge, the search
    # index rebuilt, the file vacuumed) and another sync: every row stays
    again = laptop.sync(full_check=True)
    assert TOLD in again.message and _rows_about(laptop, pid) == whole
    cb = Casebook(laptop.vault)
    someone = participants.create_participant(cb, given_name="Isla", family_name="Other").value
    erasure.erase_participant(cb, someone.id)
    after = laptop.sync()
    assert after.verified and TOLD in after.message, after.message
    assert _rows_about(laptop, pid) == whole

    # a backup restored elsewhere holds them, and knows they wait
    out = tmp_path / "usb" / "laptop.ldbackup"
    out.parent.mkdir()
    backup.back_up(cb, out)
    copy = tmp_path / "new-laptop" / "laptop.vault"
    backup.restore_backup(out, copy, passphrase=PASSPHRASE)
    restored = Casebook.unlock(copy, PASSPHRASE)
    try:
        with restored.store.read() as s:
            assert waiting.people_missing(s) == 1
            assert waiting.counts(s) == {(t, "participant"): n for t, n in whole.items()}
    finally:
        restored.lock()

    # the participant is sent again: the record is whole, its notes in it
    person = other.participant(pid, programme_id="P9101", created_on=DAY)
    assert {r["status"] for r in other.push([person])["results"]} == {"applied"}
    last = laptop.sync()
    assert last.verified and last.held == {} and last.held_people == 0, last.message
    assert "Checked against the server: everything matches." in last.message
    shown = {n.latest.text for n in notes.list_notes(Casebook(laptop.vault), pid)}
    assert shown == {FIRST, SECOND}
