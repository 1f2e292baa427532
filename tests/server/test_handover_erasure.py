"""Handover moves a whole case to another worker; erasure purges it everywhere it synced."""

from __future__ import annotations

import pytest
from server_kit import CANARY, Device, Programme, stored_bytes
from sqlalchemy import create_engine, func, select, text

from linksdesk.core.ids import uuid7
from linksdesk.server import admin
from linksdesk.server.errors import AdminError
from linksdesk.server.models import AppliedOp, Batch, ChangeLog, Erasure, Record, SupersededValue


def _case(dev: Device, secret: str = "note") -> tuple[str, list[dict[str, object]]]:
    p = dev.participant(given_name=secret)
    pid = p["row_id"]
    changes = [
        dev.consent(pid),
        p,
        dev.change("contact", fields={"kind": "phone", "purpose": secret}, participant_id=pid),
        dev.change("goal", fields={"title": secret, "status": "active"}, participant_id=pid),
    ]
    return pid, changes


@pytest.mark.parametrize("keep_read_only", [False, True])
def test_handover_moves_the_case(programme: Programme, keep_read_only: bool) -> None:
    team = programme.team()
    old_worker, new_worker = programme.worker(team), programme.worker(team)
    old = programme.enrol(old_worker)
    new = programme.enrol(new_worker)
    pid, changes = _case(old)
    old.push(changes)
    _, old_cursor = old.pull_all()
    _, new_cursor = new.pull_all()
    assert new_cursor > 0  # the new worker's device is already past the case's history

    done = admin.handover(programme.db, pid, new_worker, keep_read_only=keep_read_only)
    assert done.rows_moved == 4 and done.from_worker == old_worker

    pulled, _ = new.pull_all(new_cursor)
    notice = pulled[0]
    assert notice["table"] == "handover" and notice["fields"]["to_worker"] == new_worker
    rows = {(c["table"], c["row_id"]) for c in pulled[1:]}
    assert rows == {(c["table"], c["row_id"]) for c in changes}
    assert all(c["owner"] == new_worker for c in pulled[1:])
    # snapshots carry the full row, each field at its own clock
    contact = next(c for c in pulled if c["table"] == "contact")
    assert contact["fields"]["purpose"] == "note"

    old_pulled, _ = old.pull_all(old_cursor)
    assert old_pulled[0]["table"] == "handover"
    assert old_pulled[0]["fields"]["keep_read_only"] is keep_read_only
    if keep_read_only:
        assert len(old_pulled) == 5  # notice plus the case, now read-only
    else:
        assert len(old_pulled) == 1

    # the new worker now writes to the case; the old one no longer may
    r = new.push_one(new.change("contact", fields={"kind": "phone"}, participant_id=pid))
    assert r["status"] == "applied"
    r = old.push_one(old.change("contact", fields={"kind": "phone"}, participant_id=pid))
    assert r["status"] == "rejected" and "handed to a colleague" in r["reason"]
    seen_by_old = {c["change_id"] for c in old.pull_all(old_cursor)[0]}
    assert (r["change_id"] in seen_by_old) is False


def test_handover_checks(programme: Programme) -> None:
    team, other_team = programme.team(), programme.team()
    worker = programme.worker(team)
    dev = programme.enrol(worker)
    pid, changes = _case(dev)
    dev.push(changes)
    with pytest.raises(AdminError, match="same team"):
        admin.handover(programme.db, pid, programme.worker(other_team))
    with pytest.raises(AdminError, match="already holds"):
        admin.handover(programme.db, pid, worker)
    with pytest.raises(AdminError, match="no case"):
        admin.handover(programme.db, uuid7(), worker)


def test_erasure_purges_the_server_and_reaches_devices(programme: Programme, db_url: str) -> None:
    team = programme.team()
    worker = programme.worker(team)
    laptop, tablet = programme.enrol(worker), programme.enrol(worker)
    pid, changes = _case(laptop, secret=CANARY)
    keep_pid, keep = _case(laptop, secret="stays")
    laptop.push(changes + keep)
    # a narrative conflict and a lost low-risk value also hold content
    base = {"given_name": changes[1]["hlc"]}
    laptop.push_one(laptop.change("participant", pid, fields={"phone": CANARY}))
    tablet.push_one(tablet.change("participant", pid, fields={"phone": "x"}, base={}))
    c1 = laptop.change("participant", pid, fields={"risk_summary": CANARY}, base=base)
    laptop.push_one(c1)
    c2 = tablet.change("participant", pid, fields={"risk_summary": "other"}, base=base)
    conflict = tablet.push_one(c2)
    assert conflict["status"] == "conflict"
    _, tablet_cursor = tablet.pull_all()

    erase = laptop.change("participant", pid, op="erase")
    assert laptop.push_one(erase)["status"] == "applied"
    receipt = laptop.change(
        "erasure_receipt",
        fields={"participant_id": pid, "rows_removed": 3},
        participant_id=pid,
        shared=None,
    )
    assert laptop.push_one(receipt)["status"] == "applied"

    after, _ = tablet.pull_all(tablet_cursor)
    assert [c["op"] for c in after if c["table"] == "participant"] == ["erase"]
    assert any(c["table"] == "erasure_receipt" for c in after)
    everything, _ = tablet.pull_all()
    assert all(
        c["participant_id"] != pid or c["table"] in ("participant", "erasure_receipt")
        for c in everything
    )
    assert CANARY not in repr(everything)

    with programme.db.reading() as s:
        assert s.get(Erasure, (pid, laptop.team_id)) is not None
        left = s.scalar(
            select(func.count())
            .select_from(Record)
            .where(Record.participant_id == pid, Record.table_name != "erasure_receipt")
        )
        assert left == 0
        assert s.scalar(select(func.count()).select_from(SupersededValue)) == 0
        kept = s.scalar(
            select(func.count()).select_from(Record).where(Record.participant_id == keep_pid)
        )
        assert kept == 4
        # the other participant's content is still there for the server (sealed on disk)
        held = s.scalars(select(Record).where(Record.participant_id == keep_pid))
        assert "stays" in repr([r.fields for r in held])
        for model in (AppliedOp, Batch, ChangeLog):
            assert CANARY not in repr([r.__dict__ for r in s.scalars(select(model))]), model

    # the replayed answer no longer carries the erased values either
    r = tablet.post("push", {"batch_key": uuid7(), "changes": [c2]}).json()
    assert r["results"][0]["server_values"] is None
    # nothing is left in the database (on SQLite, secure_delete overwrote the freed cells
    # and a checkpoint moves the write-ahead log into the file)
    programme.db.dispose()
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        engine.dispose()
    stored = stored_bytes(db_url)
    assert CANARY.encode() not in stored

    # later changes for the erased participant are refused, and the erase is idempotent
    late = laptop.change("contact", fields={"kind": "phone"}, participant_id=pid)
    assert laptop.push_one(late)["status"] == "rejected"
    assert laptop.push_one(laptop.change("participant", pid, op="erase"))["status"] == "applied"


def test_only_the_owner_or_a_supervisor_may_erase(programme: Programme) -> None:
    team = programme.team()
    owner = programme.enrol(programme.worker(team))
    colleague = programme.enrol(programme.worker(team))
    supervisor = programme.enrol(programme.worker(team, role="supervisor"))
    pid, changes = _case(owner)
    owner.push(changes)
    r = colleague.push_one(colleague.change("participant", pid, op="erase"))
    assert r["status"] == "rejected"
    r = supervisor.push_one(supervisor.change("participant", pid, op="erase"))
    assert r["status"] == "applied"
    pulled, _ = owner.pull_all()
    assert pulled[-1]["op"] == "erase" and pulled[-1]["row_id"] == pid
