"""A hostile device against the real server over HTTP: another team's or a colleague's rows.

What a device may touch is decided by its token. Here a device takes up a case another
team withdrew, a colleague works out a worker's monthly totals' row id, and a device
registers another worker's signing key: each is refused, and the server's database shows
nothing taken, moved or handed on.
"""

from __future__ import annotations

from typing import Any

from server_kit import CANARY, Programme
from server_kit import Device as Laptop
from sqlalchemy import func, select

from linksdesk.core.hlc import HLC
from linksdesk.core.ids import stable_id, uuid7
from linksdesk.server import admin, bundles
from linksdesk.server.models import (
    AppliedOp,
    ChangeLog,
    Device,
    ParticipantAccess,
    Record,
    RefusalLog,
)
from linksdesk.sync.bundle.signing import SigningKey
from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION


def _statuses(answer: dict[str, Any]) -> list[str]:
    return [r["status"] for r in answer["results"]]


def _rows_by_team(p: Programme, pid: str) -> dict[str, int]:
    with p.db.reading() as s:
        return {
            team: int(n)
            for team, n in s.execute(
                select(Record.team_id, func.count())
                .where(Record.participant_id == pid)
                .group_by(Record.team_id)
            )
        }


def _withdrawn_case(p: Programme, north: Laptop) -> str:
    """A North case shared then withdrawn: the server keeps its two team consent records."""
    part = north.participant()
    assert _statuses(north.push(north.shared(part))) == ["applied", "applied"]
    pid = str(part["row_id"])
    assert north.push_one(north.consent(pid, given=False, version=2))["status"] == "applied"
    assert _rows_by_team(p, pid) == {north.team_id: 2}
    return pid


def test_another_team_cannot_take_up_a_withdrawn_case_with_a_consent_of_its_own(
    served: Programme,
) -> None:
    north = served.enrol(served.worker(served.team("North")))
    south = served.enrol(served.worker(served.team("South")))
    pid = _withdrawn_case(served, north)

    # South "gives" team consent for North's withdrawn case, at a higher version, and
    # sends the person's record and a receipt with it
    taking = [
        south.consent(pid, given=True, version=9),
        south.participant(pid),
        south.change(
            "erasure_receipt",
            fields={"erased_at": "2026-01-01T00:00:00", "rows_removed": 0},
            participant_id=pid,
        ),
    ]
    answer = south.push(taking)
    assert _statuses(answer) == ["rejected"] * 3
    assert all("another team" in r["reason"] for r in answer["results"])

    # nothing of South's was kept, no one got the case, and South pulls nothing of it
    assert _rows_by_team(served, pid) == {north.team_id: 2}
    with served.db.reading() as s:
        assert s.scalar(select(func.count()).where(ParticipantAccess.participant_id == pid)) == 0
        assert s.scalar(select(func.count()).where(ChangeLog.team_id == south.team_id)) == 0
        refused = set(
            s.scalars(select(RefusalLog.reason).where(RefusalLog.device_id == south.device_id))
        )
    assert refused == {"other_team"}
    pulled, _ = south.pull_all()
    assert pulled == []
    verified = south.post("verify").json()["tables"]
    assert all(t["count"] == 0 for t in verified.values())

    # North is still the case's team: its worker shares the case again
    again = [north.consent(pid, given=True, version=3), north.participant(pid)]
    assert _statuses(north.push(again)) == ["applied", "applied"]
    with served.db.reading() as s:
        access = s.scalars(select(ParticipantAccess).where(ParticipantAccess.participant_id == pid))
        assert [(a.worker_id, a.team_id) for a in access] == [(north.worker_id, north.team_id)]


def test_a_colleague_can_neither_read_nor_write_a_workers_monthly_totals(
    served: Programme,
) -> None:
    team = served.team()
    worker = served.enrol(served.worker(team))
    colleague = served.enrol(served.worker(team))
    # the row id every device derives from its own id, which each change it sends carries
    row_id = stable_id("monthly_total", worker.device_id, "2026-11")
    own = worker.change("monthly_total", row_id, fields={"month": "2026-11", "counts": {"seen": 7}})
    assert worker.push_one(own)["status"] == "applied"

    old_clock = HLC(1, 0, colleague.device_id).encode()  # loses: the answer would say the value
    peek = colleague.change("monthly_total", row_id, fields={"counts": {"seen": 0}}, hlc=old_clock)
    overwrite = colleague.change("monthly_total", row_id, fields={"counts": {"seen": 999}})
    remove = colleague.change("monthly_total", row_id, op="delete")
    answer = colleague.push([peek, overwrite, remove])
    assert _statuses(answer) == ["rejected"] * 3
    for result in answer["results"]:
        assert "colleague's" in result["reason"]
        assert result["server_values"] is None and "7" not in result["reason"]

    # the worker's row is as they sent it, and only they are handed it
    with served.db.reading() as s:
        rec = s.get(Record, ("monthly_total", row_id))
        assert rec is not None
        assert (rec.owner, rec.origin, rec.deleted) == (worker.worker_id, worker.device_id, False)
        assert rec.fields["counts"] == {"seen": 7}
        logged = s.scalar(select(func.count()).where(ChangeLog.row_id == row_id))
        reasons = set(
            s.scalars(select(RefusalLog.reason).where(RefusalLog.device_id == colleague.device_id))
        )
    assert logged == 1 and reasons == {"not_your_totals"}
    mine, _ = worker.pull_all()
    assert [c["fields"] for c in mine if c["row_id"] == row_id] == [
        {"month": "2026-11", "counts": {"seen": 7}}
    ]
    theirs, _ = colleague.pull_all()
    assert [c for c in theirs if c["row_id"] == row_id] == []


def test_a_device_cannot_register_another_workers_signing_key(served: Programme) -> None:
    """A public key is no proof of its private half: the roster must not vouch for a
    colleague's (or another team's) laptop as the signer of a worker's bundles."""
    team = served.team()
    worker = served.worker(team)
    laptop = served.enrol(worker)
    colleague = served.enrol(served.worker(team))
    key = SigningKey.generate().public.line
    hello = {"protocol_version": PROTOCOL_VERSION, "schema_version": SCHEMA_VERSION}
    assert laptop.post("handshake", {**hello, "device_id": laptop.device_id, "signing_key": key})
    taken = colleague.post(
        "handshake", {**hello, "device_id": colleague.device_id, "signing_key": key}
    )
    assert taken.status_code == 200, taken.text
    code = admin.make_enrol_code(served.db, served.worker(served.team())).code
    enrolled = served.http.post("/v1/enrol", json={"code": code, "signing_key": key})
    assert enrolled.status_code == 200, enrolled.text
    # the worker's own vault restored onto a second laptop keeps its key
    restored = served.enrol(worker)
    hello["device_id"] = restored.device_id
    assert restored.post("handshake", {**hello, "signing_key": key}).status_code == 200

    with served.db.reading() as s:
        held = {row.id: row.signing_key for row in s.execute(select(Device.id, Device.signing_key))}
    assert held[laptop.device_id] == key and held[restored.device_id] == key
    assert held[colleague.device_id] is None
    assert held[enrolled.json()["device_id"]] is None
    signers = bundles.roster(served.db, team)["roster"]["signers"]
    assert {s["worker_id"] for s in signers if s["public_key"] == key} == {worker}


def test_a_change_id_another_workers_device_sent_gets_neither_its_answer_nor_its_place(
    served: Programme,
) -> None:
    """Push answers are kept by change id (exactly once): a device that sends a change id
    another worker's device used must not be handed that answer, with the case's values
    in it, nor change it."""
    team = served.team()
    worker = served.worker(team)
    laptop, tablet = served.enrol(worker), served.enrol(worker)
    colleague = served.enrol(served.worker(team))
    outsider = served.enrol(served.worker(served.team()))
    part = laptop.participant()
    pid = part["row_id"]
    # the tablet's edit is made first (a second before: two stamps of one millisecond are
    # ordered by device id, which would let the tablet win by chance), and sent last
    made = tablet.clock.now()
    older = HLC(made.wall_ms - 1_000, 0, made.device).encode()
    contact = laptop.change(
        "contact", fields={"kind": "phone", "purpose": CANARY}, participant_id=pid
    )
    assert _statuses(laptop.push([*laptop.shared(part), contact])) == ["applied"] * 3
    late = tablet.change(
        "contact", contact["row_id"], fields={"purpose": "earlier"}, participant_id=pid, hlc=older
    )
    answer = tablet.push_one(late)
    assert answer["status"] == "merged" and answer["server_values"] == {"purpose": CANARY}

    for device in (outsider, colleague):
        res = device.change("resource", fields={"organisation": "Hub", "service": "Food"})
        res["change_id"] = late["change_id"]
        r = device.post("push", {"batch_key": str(uuid7()), "changes": [res]})
        assert r.status_code == 200 and CANARY not in r.text
        (result,) = r.json()["results"]
        assert result["status"] == "rejected" and "another device" in result["reason"]
        with served.db.reading() as s:
            assert s.get(Record, ("resource", res["row_id"])) is None
    # the worker's own laptop sending it again is answered as before
    again = laptop.push_one(late)
    assert again["status"] == "merged" and again["server_values"] == {"purpose": CANARY}
    with served.db.reading() as s:
        op = s.get(AppliedOp, late["change_id"])
        assert op is not None and (op.device_id, op.status) == (tablet.device_id, "merged")
