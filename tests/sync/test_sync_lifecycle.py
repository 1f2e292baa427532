"""Erasure, handover, settings, tombstones, guards, epochs and verify over a real server."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sync_kit import Dev, ServerProcess, assert_replica_matches, new_server

from linksdesk.core.errors import ServerUnreachableError, SyncAuthError
from linksdesk.core.settings import Settings
from linksdesk.server import admin
from linksdesk.server.models import ChangeLog, Record
from linksdesk.storage.tables import (
    Contact,
    ErasureReceipt,
    LocalSetting,
    MonthlyTotal,
    Participant,
    SyncState,
)
from linksdesk.sync import engine, state
from linksdesk.sync.client import (
    HandshakeRefused,
    MassDeletionError,
    SyncScheduler,
    list_attention,
    sync_history,
    sync_status,
)
from linksdesk.sync.protocol import PROTOCOL_VERSION


def _pair(server: ServerProcess, devices: Callable[[str], Dev]) -> tuple[Dev, Dev, str, str]:
    team = server.team()
    worker = server.worker(team)
    a, b = devices("laptop-a"), devices("laptop-b")
    a.enrol(server, worker)
    b.enrol(server, worker)
    return a, b, worker, team


def test_enrol_keeps_the_token_in_the_vault_only(
    shared_server: ServerProcess, devices: Callable[[str], Dev], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    team = shared_server.team()
    worker = shared_server.worker(team)
    dev = devices("laptop")
    pid = dev.participant()  # made before enrolment: passes to the enrolled worker
    dev.enrol(shared_server, worker)
    with dev.store.read() as s:
        token = state.get(s, state.TOKEN)
        assert state.get(s, state.SERVER_URL) == shared_server.url
        assert state.get(s, state.WORKER_ID) == worker
        assert s.get(Participant, pid).owner == worker  # type: ignore[union-attr]
    assert isinstance(token, str) and len(token) > 20
    assert dev.store.worker_id == worker
    dev.sync()
    assert token not in caplog.text
    assert token not in shared_server.log_text()
    assert dev.get("participant", pid) is not None
    assert shared_server.records(worker)["participant"].keys() == {pid}


def test_a_wrong_code_is_a_plain_message(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    from linksdesk.sync.client import enrol

    dev = devices("laptop")
    with pytest.raises(SyncAuthError, match="enrolment code was not accepted"):
        enrol(dev.store, shared_server.url, "ABCD-EFGH-JKMN-PQRS")


def test_erasure_reaches_every_device_and_leaves_a_receipt(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b, _, _ = _pair(shared_server, devices)
    pid = a.participant(given_name="Jordan")
    keep = a.participant(given_name="Casey")
    a.contact(pid, purpose="benefits check")
    a.note(pid, "Talked about debt advice.")
    a.sync()
    b.sync()
    assert b.get("participant", pid) is not None

    b.erase(pid)
    b.sync()
    report = a.sync()
    assert report.erased == 1
    for dev in (a, b):
        with dev.store.read() as s:
            assert s.get(Participant, pid) is None
            assert not list(s.scalars(select(Contact).where(Contact.participant_id == pid)))
            receipts = list(
                s.scalars(select(ErasureReceipt).where(ErasureReceipt.participant_id == pid))
            )
            assert len(receipts) == 1, dev.label
        assert dev.get("participant", keep) is not None
    with shared_server.db.reading() as s:
        assert s.get(Record, ("participant", pid)) is None
        assert not list(
            s.scalars(
                select(ChangeLog).where(
                    ChangeLog.participant_id == pid, ChangeLog.table_name == "contact"
                )
            )
        )
    a.sync()
    assert_replica_matches(a, shared_server)
    assert_replica_matches(b, shared_server)


@pytest.mark.parametrize("keep_read_only", [False, True])
def test_handover_moves_a_case_between_workers(
    shared_server: ServerProcess, devices: Callable[[str], Dev], keep_read_only: bool
) -> None:
    team = shared_server.team()
    first, second = shared_server.worker(team), shared_server.worker(team)
    old, new = devices("old-laptop"), devices("new-laptop")
    old.enrol(shared_server, first)
    new.enrol(shared_server, second)
    pid = old.participant(given_name="Morgan")
    contact = old.contact(pid, purpose="housing form")
    stays = old.participant(given_name="Riley")
    old.sync()
    new.sync()
    assert new.get("participant", pid) is None

    admin.handover(shared_server.db, pid, second, keep_read_only=keep_read_only)
    new.sync()
    assert new.get("participant", pid).owner == second
    assert new.get("contact", contact).purpose == "housing form"
    report = old.sync()
    if keep_read_only:
        assert old.get("participant", pid).owner == second
        # the old worker's edits are refused and shown, never blocking the queue
        old.edit("contact", contact, minutes=5)
        old.contact(stays, purpose="still mine")
        old.sync()
        attention = list_attention(old.store)
        assert [a.row_id for a in attention] == [contact]
        assert "not on your caseload" in attention[0].reason
        assert old.outbox() == 0
    else:
        assert report.handed_away == 1
        assert old.get("participant", pid) is None
        assert old.get("contact", contact) is None
    assert old.get("participant", stays) is not None
    new.edit("contact", contact, venue="GP practice")
    new.sync()
    old.sync()
    if keep_read_only:
        assert old.get("contact", contact).venue == "GP practice"
    assert_replica_matches(new, shared_server)


def test_programme_settings_replace_local_defaults(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    team = shared_server.team()
    worker = shared_server.worker(team)
    dev = devices("laptop")
    dev.enrol(shared_server, worker)
    admin.set_setting(shared_server.db, team, "appointment_limit", "8")
    admin.set_setting(shared_server.db, team, "concern_taxonomy", "Housing,Debt,Loneliness")
    dev.sync()
    with dev.store.read() as s:
        stored = s.get(LocalSetting, "settings")
        assert stored is not None
        settings = Settings.from_json(stored.value)
    assert settings.appointment_limit == 8
    assert settings.concern_taxonomy == ("Housing", "Debt", "Loneliness")
    assert settings.programme_settings_version >= 2
    assert settings.auto_lock_minutes == 5  # the worker's own settings are untouched


def test_deletes_sync_as_tombstones(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b, _, _ = _pair(shared_server, devices)
    pid = a.participant()
    contact = a.contact(pid)
    a.sync()
    b.sync()
    b.delete("contact", contact)
    b.sync()
    a.sync()
    row = a.get("contact", contact)
    assert row is not None and row.deleted
    assert_replica_matches(a, shared_server)


def test_a_pull_that_would_delete_a_third_stops_and_asks(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b, _, _ = _pair(shared_server, devices)
    pids = [a.participant() for _ in range(40)]
    a.sync()
    b.sync()
    for pid in pids[:30]:
        b.delete("participant", pid)
    b.sync()
    with pytest.raises(MassDeletionError, match="would remove 30 of the"):
        a.sync()
    assert all(not a.get("participant", p).deleted for p in pids)
    assert sync_status(a.store).last_outcome == "stopped"
    report = a.sync(allow_mass_delete=True)
    assert report.removed == 30
    assert sum(a.get("participant", p).deleted for p in pids) == 30


def test_records_missing_on_the_server_are_never_deleted_and_verify_repairs(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b, worker, _ = _pair(shared_server, devices)
    pid = a.participant()
    lost_on_server = a.contact(pid, purpose="lost on the server")
    lost_on_device = a.contact(pid, purpose="lost on the device")
    a.sync()
    b.sync()
    # damage both sides behind sync's back
    with shared_server.db.writing() as s:
        s.execute(delete(Record).where(Record.row_id == lost_on_server))
    with b.store.write() as tx:
        tx.session.execute(delete(Contact).where(Contact.id == lost_on_device))
        # as if the hour after which a sync compares anyway had passed
        last = dict(state.get(tx.session, state.LAST_VERIFIED))
        state.put(tx.session, state.LAST_VERIFIED, {**last, "at": 0})
    report = b.sync()
    assert report.verified, report.message
    assert "contact" in report.repaired_tables
    assert b.get("contact", lost_on_server) is not None  # kept, and sent back
    assert b.get("contact", lost_on_device).purpose == "lost on the device"
    with shared_server.db.reading() as s:
        assert s.get(Record, ("contact", lost_on_server)) is not None
    assert_replica_matches(b, shared_server)
    # damage behind the app's back is found by a full check at once, too
    with shared_server.db.writing() as s:
        s.execute(delete(Record).where(Record.row_id == lost_on_device))
    assert b.sync().verified  # nothing moved since the last check: not compared
    report = b.sync(full_check=True)
    assert report.verified and report.repaired_tables == ("contact",), report.message
    del worker


@pytest.mark.parametrize("new_epoch", [True, False])
def test_a_restored_server_makes_devices_merge_not_overwrite(
    fast_tmp: Path, devices: Callable[[str], Dev], new_epoch: bool
) -> None:
    server = new_server(fast_tmp)
    try:
        a, b, worker, _ = _pair(server, devices)
        early = a.participant(given_name="Early")
        a.sync()
        b.sync()
        backup = fast_tmp / "backup.db"
        server.backup(backup)
        late_a = a.participant(given_name="Late")
        a.edit("participant", early, family_name="Changed-After-Backup")
        a.sync()
        b.sync()
        late_b = b.participant(given_name="Offline")  # made while the server is away
        # the server is restored from the backup and starts a new epoch
        server.restore(backup, epoch=new_epoch)  # without: the cursors are past its head
        with server.db.reading() as s:
            assert s.get(Record, ("participant", late_a)) is None
        report = b.sync()
        assert report.resynced and report.verified, report.message
        report = a.sync()
        # without a new epoch the server spots the restore only while a device's cursor is
        # past its head; once b has pushed past it, a's verify and repair close the gap
        assert report.verified, report.message
        assert report.resynced or not new_epoch
        b.sync()
        for dev in (a, b):
            for pid in (early, late_a, late_b):
                assert dev.get("participant", pid) is not None, dev.label
            assert dev.get("participant", early).family_name == "Changed-After-Backup"
            assert_replica_matches(dev, server)
        with a.store.read() as s:
            assert state.get(s, state.RESYNC) is None
        del worker
    finally:
        server.close()


def test_offline_and_revoked_are_plain_one_liners(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    server = new_server(fast_tmp)
    try:
        team = server.team()
        worker = server.worker(team)
        dev = devices("laptop")
        dev.enrol(server, worker)
        dev.participant()
        dev.sync()
        dev.contact(dev.participant())
        server.stop()
        with pytest.raises(ServerUnreachableError) as err:
            dev.sync()
        assert "\n" not in str(err.value) and "Cannot reach the sync server" in str(err.value)
        status = sync_status(dev.store)
        assert status.offline and status.waiting > 0 and status.last_synced_at is not None
        server.start()
        dev.sync()
        assert sync_status(dev.store).waiting == 0
        admin.revoke_device(server.db, dev.store.device_id)
        with pytest.raises(SyncAuthError, match="no longer enrolled"):
            dev.sync()
        outcomes = [h.outcome for h in sync_history(dev.store)]
        assert outcomes[:4] == ["auth", "ok", "offline", "ok"]
    finally:
        server.close()


def test_unshared_participants_count_only_in_monthly_totals(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    import datetime as dt

    team = shared_server.team()
    worker = shared_server.worker(team)
    dev = devices("laptop")
    dev.enrol(shared_server, worker)
    hidden = dev.participant(shared=False, given_name="Quinn")
    dev.contact(hidden, status="attended", when=dt.datetime(2025, 2, 3, 10))
    dev.contact(hidden, status="did_not_attend", when=dt.datetime(2025, 2, 10, 10))
    dev.referral(hidden, source="self")
    shared = dev.participant()
    dev.contact(shared, status="attended", private=True, when=dt.datetime(2025, 2, 5, 10))
    dev.sync()
    held = shared_server.records(worker)
    assert hidden not in held["participant"] and shared in held["participant"]
    assert len(held["contact"]) == 0
    totals = {v["month"]: v["counts"] for v in held["monthly_total"].values()}
    assert totals["2025-02"]["contacts"] == 2  # the unshared one and the private one
    assert totals["2025-02"]["did_not_attend"] == 1
    assert totals["2025-01"]["referrals_by_source"] == {"self": 1}
    assert totals["2025-01"]["participants"] == 1
    text = repr(held["monthly_total"])
    assert hidden not in text and "Quinn" not in text
    with dev.store.read() as s:
        rows = list(s.scalars(select(MonthlyTotal)))
        assert {r.month for r in rows} >= {"2025-01", "2025-02"}
        assert s.get(SyncState, state.TOKEN) is not None


def test_scheduler_backs_off_and_pauses_for_what_only_people_fix() -> None:
    now = [0.0]
    sched = SyncScheduler(300, first_retry_s=30, max_backoff_s=240, clock=lambda: now[0])
    assert sched.due()
    delays = []
    for _ in range(5):
        sched.failed(ServerUnreachableError("offline"))
        delays.append(sched.seconds_until_due())
    assert delays == [30, 60, 120, 240, 240]
    sched.succeeded()
    assert sched.seconds_until_due() == 300
    now[0] += 300
    assert sched.due()
    sched.failed(SyncAuthError("revoked"))
    assert not sched.due() and sched.paused_reason == "revoked"
    sched.resume()
    assert sched.due()


def test_retries_back_off_exponentially_up_to_a_cap() -> None:
    from linksdesk.sync.transport import Backoff

    backoff = Backoff(attempts=8, base_s=0.2, cap_s=5.0)
    for n in range(10):
        full = min(5.0, 0.2 * 2**n)
        for _ in range(20):
            assert full / 2 <= backoff.delay(n) <= full


def test_the_same_programme_id_made_on_two_laptops_does_not_stop_sync(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b, _, _ = _pair(shared_server, devices)
    first, second = a.participant(), b.participant()
    for dev, pid in ((a, first), (b, second)):
        dev.edit("participant", pid, programme_id="P1001")  # both handed out P1001 offline
    a.sync()
    b.sync()
    a.sync()
    for dev in (a, b):
        ids = {dev.get("participant", p).programme_id for p in (first, second)}
        assert "P1001" in ids and len(ids) == 2, dev.label
        assert sync_status(dev.store).waiting == 0


def test_an_older_linksdesk_is_told_to_update(
    shared_server: ServerProcess, devices: Callable[[str], Dev], monkeypatch: pytest.MonkeyPatch
) -> None:
    dev = devices("laptop")
    dev.enrol(shared_server, shared_server.worker(shared_server.team()))
    dev.participant()
    waiting = dev.outbox()
    # this laptop runs a LinksDesk from before the verify digest changed (protocol 1)
    monkeypatch.setattr(engine, "PROTOCOL_VERSION", PROTOCOL_VERSION - 1)
    with pytest.raises(HandshakeRefused) as err:
        dev.sync()
    message = str(err.value)
    assert message == (
        "This copy of LinksDesk is too old to sync with the server. Update LinksDesk, then "
        "sync again; your work stays safe on this laptop meanwhile."
    )
    assert dev.outbox() == waiting  # nothing was sent
    assert sync_history(dev.store)[0].message == message
    scheduler = SyncScheduler()
    scheduler.failed(err.value)
    assert scheduler.paused_reason == message  # no retrying on a timer: a person must act
    monkeypatch.undo()
    assert dev.sync().verified
