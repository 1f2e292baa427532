"""Withdrawing team-sharing consent reaches the server and the worker's other devices.

The withdrawal row leaves the device (without its note); the server keeps only the
participant's team consent records and drops everything else; the worker's other laptop
purges the participant on its next pull; later content is refused; verify passes everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sync_kit import (
    Dev,
    ServerProcess,
    assert_replica_matches,
    db_file_bytes,
    dump_database_text,
    new_server,
)

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.core.changes import RowChange
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.digests import digests_from_scratch, visible_digests
from linksdesk.server.exchange import Refusal
from linksdesk.server.models import ParticipantAccess, Record, RefusalLog
from linksdesk.storage.tables import Consent, Contact, NoteRevision, Participant, SyncAttention
from linksdesk.sync.client import MassWithdrawalError, sync_status
from linksdesk.sync.policy import CONSENT_DECISION, SyncPolicy
from linksdesk.sync.removals import is_mass_withdrawal

CANARY_NOTE = "CANARY-withdrawn-note-5e21"
CANARY_LATE = "CANARY-after-withdrawal-a9c3"
CANARY_CONSENT = "CANARY-withdrawal-reason-0b7d"


@pytest.fixture
def server(fast_tmp: Path) -> Iterator[ServerProcess]:
    srv = new_server(fast_tmp)
    yield srv
    srv.close()


def _two_laptops(server: ServerProcess, devices: Callable[[str], Dev]) -> tuple[Dev, Dev, str]:
    team = server.team()
    worker = server.worker(team)
    a, b = devices("laptop-a"), devices("laptop-b")
    a.enrol(server, worker)
    b.enrol(server, worker)
    a.reopen()  # unlocked after enrolment, as the app does: casework's store knows the worker
    return a, b, worker


def _stored(server: ServerProcess) -> bytes:
    """Every row as text and the database file's bytes, after a checkpoint moved the
    write-ahead log into the file (secure_delete overwrote the freed cells)."""
    server.db.dispose()
    engine = create_engine(server.db_url)
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return db_file_bytes(server.db_url) + dump_database_text(server.db_url).encode()


def _rows_about(dev: Dev, pid: str) -> int:
    with dev.store.read() as s:
        return (
            len(list(s.scalars(select(Participant.id).where(Participant.id == pid))))
            + len(list(s.scalars(select(Contact.id).where(Contact.participant_id == pid))))
            + len(
                list(s.scalars(select(NoteRevision.id).where(NoteRevision.participant_id == pid)))
            )
            + len(list(s.scalars(select(Consent.id).where(Consent.participant_id == pid))))
        )


def test_withdrawal_empties_the_server_and_the_other_laptop(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b, worker = _two_laptops(server, devices)
    pid = a.participant(given_name="Robin")
    keep = a.participant(given_name="Sam")
    a.contact(pid, purpose="housing")
    a.note(pid, f"{CANARY_NOTE} talked about debts")
    a.note(keep, "Unrelated note")
    assert a.sync().verified
    assert b.sync().verified
    assert _rows_about(b, pid) >= 4

    # the participant withdraws sharing with the team, on laptop A
    withdrawal = record_consent(
        Casebook(a.vault), pid, ConsentScope.TEAM, False, note=CANARY_CONSENT
    ).value
    report = a.sync()
    assert report.pushed >= 1 and not report.attention and report.verified, report.message

    with server.db.reading() as s:
        held = list(s.scalars(select(Record).where(Record.participant_id == pid)))
        # only the team consent records stay (they decide what comes in next), notes blanked
        assert {r.table_name for r in held} == {"consent"}
        assert all("note" not in r.fields for r in held)
        assert withdrawal.id in {r.row_id for r in held}
        assert s.get(Record, ("participant", pid)) is None
        assert not list(
            s.scalars(select(ParticipantAccess).where(ParticipantAccess.participant_id == pid))
        )
        # the kept digests still agree with a recount after the withdrawal
        team = held[0].team_id
        assert visible_digests(s, team, worker) == digests_from_scratch(s, team, worker)
    stored = _stored(server)
    for canary in (CANARY_NOTE, CANARY_CONSENT):
        assert canary.encode() not in stored

    # laptop B, offline meanwhile, writes more about the participant, then syncs: the server
    # refuses it (needs attention at push time), and the pulled withdrawal removes what came
    # from laptop A; B's own contact stays there as its local-only case (rule 7)
    late = b.contact(pid, purpose=CANARY_LATE)
    seen: dict[str, int] = {}

    def look(point: str) -> None:
        if point == "pull:received" and "attention" not in seen:
            with b.store.read() as s:
                seen["attention"] = len(
                    list(s.scalars(select(SyncAttention).where(SyncAttention.row_id == late)))
                )

    report = b.client(checkpoint=look).sync(allow_mass_delete=False, full_check=True)
    assert seen["attention"] == 1
    assert report.verified, report.message
    assert [c.participant_id for c in report.kept_local] == [pid]
    with b.store.read() as s:
        contacts = set(s.scalars(select(Contact.id).where(Contact.participant_id == pid)))
        notes = list(s.scalars(select(NoteRevision.id).where(NoteRevision.participant_id == pid)))
    assert contacts == {late} and notes == []
    assert b.attention() == [] and b.outbox() == 0
    assert b.get("participant", keep) is not None
    with b.store.read() as s:
        bodies = [r.body for r in s.scalars(select(NoteRevision))]
    assert not any(CANARY_NOTE in body for body in bodies)
    with server.db.reading() as s:
        reasons = [
            r.reason for r in s.scalars(select(RefusalLog).where(RefusalLog.change_id.is_not(None)))
        ]
        assert Refusal.CONSENT_WITHDRAWN.value in reasons
        assert s.get(Record, ("contact", late)) is None
    assert CANARY_LATE.encode() not in _stored(server)

    # laptop A still holds everything (the participant is private to it now); both verify
    assert a.get("participant", pid) is not None
    assert a.sync(full_check=True).verified
    assert b.sync(full_check=True).verified


def test_consent_given_again_lets_content_flow(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, _b, worker = _two_laptops(server, devices)
    pid = a.participant(given_name="Kit")
    a.contact(pid, purpose="walking group")
    a.sync()
    cb = Casebook(a.vault)
    record_consent(cb, pid, ConsentScope.TEAM, False)
    a.sync()
    later = a.contact(pid, purpose="allotment")
    record_consent(cb, pid, ConsentScope.TEAM, True)
    report = a.sync(full_check=True)
    assert not report.attention and report.verified, report.message
    with server.db.reading() as s:
        assert s.get(Record, ("participant", pid)) is not None
        assert s.get(Record, ("contact", later)) is not None
        team = s.get(Record, ("participant", pid)).team_id  # type: ignore[union-attr]
        assert visible_digests(s, team, worker) == digests_from_scratch(s, team, worker)


def test_policy_lets_a_withdrawal_out_without_its_note() -> None:
    values = {
        "participant_id": "p-1",
        "scope": "team",
        "given": False,
        "version": 2,
        "recorded_on": "2025-03-01",
        "method": "verbal",
        "note": CANARY_CONSENT,
        "sharing": "team",
        "owner": "w-1",
    }
    change = RowChange(
        table="consent",
        row_id="c-2",
        op="upsert",
        hlc="0001",
        values=values,
        changed=frozenset({"participant_id", "scope", "given", "version", "recorded_on"})
        | {"method", "note"},
        base={},
        participant_id="p-1",
        participant_shared=False,
    )
    out = SyncPolicy().outbound(change)
    assert out is not None
    assert out["fields"] == {k: v for k, v in values.items() if k in CONSENT_DECISION}
    assert CANARY_CONSENT not in repr(out)
    # while shared the note goes too; any other scope of an unshared participant stays
    shared = SyncPolicy().outbound(replace(change, participant_shared=True))
    assert shared is not None and shared["fields"]["note"] == CANARY_CONSENT
    gp = replace(change, values={**values, "scope": "gp"})
    assert SyncPolicy().outbound(gp) is None
    private = replace(change, values={**values, "sharing": "private"})
    assert SyncPolicy().outbound(private) is None


@pytest.mark.parametrize("b_saw_the_withdrawal", [True, False])
def test_consent_given_again_brings_the_kept_history_to_every_laptop(
    server: ServerProcess, devices: Callable[[str], Dev], b_saw_the_withdrawal: bool
) -> None:
    a, b, _worker = _two_laptops(server, devices)
    pid = a.participant(given_name="Jo")
    a.contact(pid, purpose="lunch club")
    assert a.sync().verified
    assert b.sync().verified
    cb = Casebook(a.vault)
    record_consent(cb, pid, ConsentScope.TEAM, False)
    assert a.sync().verified
    if b_saw_the_withdrawal:
        assert b.sync().verified
        assert _rows_about(b, pid) == 0
    record_consent(cb, pid, ConsentScope.TEAM, True, note="agreed again at the library")
    report = a.sync(full_check=True)
    assert report.verified and not report.repaired_tables, report.message

    # the other laptop gets every team consent the server kept, not only the new one, so
    # its first comparison with the server already matches: no repair round
    report = b.sync(full_check=True)
    assert report.verified and not report.repaired_tables and not report.attention, report.message
    with b.store.read() as s:
        versions = sorted(
            c.version
            for c in s.scalars(select(Consent).where(Consent.participant_id == pid))
            if c.scope == "team"
        )
    assert versions == [1, 2, 3]
    assert b.get("participant", pid) is not None
    for dev in (a, b):
        assert_replica_matches(dev, server)


def test_one_withdrawal_never_stops_sync_however_long_the_record(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b, _worker = _two_laptops(server, devices)
    long_case = a.participant(given_name="Long")
    for day in range(1, 29):
        a.contact(long_case, when=dt.datetime(2025, 2, day, 10))
    a.participant(given_name="Short")
    assert a.sync().verified
    assert b.sync().verified
    assert _rows_about(b, long_case) >= 30  # most of what laptop B holds
    record_consent(Casebook(a.vault), long_case, ConsentScope.TEAM, False)
    assert a.sync().verified
    report = b.sync()  # the mass-deletion guard does not ask for one person
    assert report.verified, report.message
    assert _rows_about(b, long_case) == 0


def test_a_flood_of_withdrawals_stops_and_asks(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b, _worker = _two_laptops(server, devices)
    pids = [a.participant(given_name=f"Person{i}") for i in range(10)]
    assert a.sync().verified
    assert b.sync().verified
    cb = Casebook(a.vault)
    for pid in pids[:4]:
        record_consent(cb, pid, ConsentScope.TEAM, False)
    assert a.sync().verified
    # 4 of 10 people at once is more than 30 %: laptop B asks before purging anyone
    with pytest.raises(MassWithdrawalError, match="remove 4 of the 10 people"):
        b.sync()
    assert all(_rows_about(b, pid) > 0 for pid in pids)
    assert sync_status(b.store).last_outcome == "stopped"
    report = b.sync(allow_mass_delete=True)
    assert report.verified, report.message
    assert [_rows_about(b, pid) for pid in pids[:4]] == [0] * 4
    assert all(_rows_about(b, pid) > 0 for pid in pids[4:])


@pytest.mark.parametrize(
    ("withdrawn", "people", "asks"),
    [
        (1, 1, False),  # one person is never a flood, even the only one
        (1, 100, False),
        (2, 10, False),
        (3, 10, False),
        (4, 10, True),  # more than 30 % of the people here
        (2, 5, True),
        (5, 100, False),
        (6, 100, True),  # more than 5 at once, whatever the caseload
    ],
)
def test_which_withdrawals_count_as_a_flood(withdrawn: int, people: int, asks: bool) -> None:
    assert is_mass_withdrawal(withdrawn, people) is asks
