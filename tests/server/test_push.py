"""Push: exactly once per change, per-field merge, kept conflicts, and refusals without content."""

from __future__ import annotations

import logging

import pytest
from server_kit import CANARY, Programme, stored_bytes
from sqlalchemy import func, select

from linksdesk.core.hlc import HLC, MAX_DRIFT_MS
from linksdesk.core.ids import uuid7
from linksdesk.server.db import now_ms
from linksdesk.server.models import AppliedOp, ChangeLog, Record, RefusalLog


def _count(programme: Programme, model: type) -> int:
    with programme.db.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_same_batch_twice_is_applied_once(programme: Programme) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    p = dev.participant()
    contact = dev.change(
        "contact", fields={"kind": "phone", "status": "attended"}, participant_id=p["row_id"]
    )
    key = uuid7()
    batch = [*dev.shared(p), contact]
    first = dev.push(batch, batch_key=key)
    seq_after_first = _count(programme, ChangeLog)
    second = dev.push(batch, batch_key=key)
    assert [r["status"] for r in first["results"]] == ["applied", "applied", "applied"]
    assert second["results"] == first["results"]
    assert second["replayed"] is True and first["replayed"] is False
    assert _count(programme, ChangeLog) == seq_after_first == 3
    assert _count(programme, AppliedOp) == 3
    # the same change in a new batch (a client that re-batched) is still applied once
    third = dev.push([contact])
    assert third["results"][0] == first["results"][2]
    assert _count(programme, ChangeLog) == 3


def test_batch_key_of_another_device_is_refused(programme: Programme) -> None:
    worker = programme.worker(programme.team())
    a, b = programme.enrol(worker), programme.enrol(worker)
    key = uuid7()
    a.push(a.shared(a.participant()), batch_key=key)
    r = b.post("push", {"batch_key": key, "changes": b.shared(b.participant())})
    assert r.status_code == 409


def test_different_fields_merge(programme: Programme) -> None:
    worker = programme.worker(programme.team())
    a, b = programme.enrol(worker), programme.enrol(worker)
    p = a.participant(status="active", phone="0100")
    assert [r["status"] for r in a.push(a.shared(p))["results"]] == ["applied", "applied"]
    base = {"status": p["hlc"], "phone": p["hlc"]}
    # both devices saw the created row; each changes a different field
    ra = a.push_one(a.change("participant", p["row_id"], fields={"phone": "0200"}, base=base))
    rb = b.push_one(b.change("participant", p["row_id"], fields={"status": "paused"}, base=base))
    assert ra["status"] == "applied"
    assert rb["status"] == "merged"
    with programme.db.reading() as s:
        rec = s.get(Record, ("participant", p["row_id"]))
        assert rec is not None
        assert rec.fields["phone"] == "0200" and rec.fields["status"] == "paused"


def test_low_risk_field_last_writer_wins_and_loser_is_reported(programme: Programme) -> None:
    worker = programme.worker(programme.team())
    a, b = programme.enrol(worker), programme.enrol(worker)
    p = a.participant(phone="0100")
    a.push(a.shared(p))
    base = {"phone": p["hlc"]}
    t = now_ms()
    early_hlc = HLC(t, 0, b.device_id).encode()
    late_hlc = HLC(t + 10, 0, a.device_id).encode()
    early = b.change("participant", p["row_id"], fields={"phone": "0300"}, base=base, hlc=early_hlc)
    late = a.change("participant", p["row_id"], fields={"phone": "0200"}, base=base, hlc=late_hlc)
    assert a.push_one(late)["status"] == "applied"
    lost = b.push_one(early)
    assert lost["status"] == "merged"
    assert lost["server_values"] == {"phone": "0200"}
    assert lost["server_field_hlc"] == {"phone": late["hlc"]}


def test_narrative_field_conflict_keeps_both_on_every_device(programme: Programme) -> None:
    worker = programme.worker(programme.team())
    a, b = programme.enrol(worker), programme.enrol(worker)
    p = a.participant(risk_summary="first")
    a.push(a.shared(p))
    base = {"risk_summary": p["hlc"]}
    ra = a.push_one(
        a.change("participant", p["row_id"], fields={"risk_summary": "from A"}, base=base)
    )
    rb = b.push_one(
        b.change("participant", p["row_id"], fields={"risk_summary": "from B"}, base=base)
    )
    assert ra["status"] == "applied"
    assert rb["status"] == "conflict"
    assert rb["server_values"] == {"risk_summary": "from A"}
    assert rb["conflict_ids"] and len(rb["conflict_ids"]) == 1
    for device in (a, b):
        changes, _ = device.pull_all()
        conflicts = [c for c in changes if c["table"] == "sync_conflict"]
        assert len(conflicts) == 1
        fields = conflicts[0]["fields"]
        assert fields["kept_value"] == "from A" and fields["other_value"] == "from B"
        assert fields["field"] == "risk_summary"
        assert conflicts[0]["row_id"] == rb["conflict_ids"][0]
    # the worker resolves it: an ordinary change based on the kept value, then the
    # conflict row is marked resolved with a delete
    with programme.db.reading() as s:
        rec = s.get(Record, ("participant", p["row_id"]))
        assert rec is not None
        kept_hlc = rec.field_hlc["risk_summary"]
    fix = b.change(
        "participant",
        p["row_id"],
        fields={"risk_summary": "agreed"},
        base={"risk_summary": kept_hlc},
    )
    assert b.push_one(fix)["status"] == "applied"
    done = b.change("sync_conflict", rb["conflict_ids"][0], op="delete", participant_id=p["row_id"])
    assert b.push_one(done)["status"] == "applied"
    changes, _ = a.pull_all()
    resolved = [c for c in changes if c["table"] == "sync_conflict" and c["op"] == "delete"]
    assert len(resolved) == 1


def test_delete_is_a_tombstone_that_reaches_devices(programme: Programme) -> None:
    worker = programme.worker(programme.team())
    a, b = programme.enrol(worker), programme.enrol(worker)
    p = a.participant()
    goal = a.change(
        "goal", fields={"title": "walk more", "status": "active"}, participant_id=p["row_id"]
    )
    a.push([*a.shared(p), goal])
    gone = a.change("goal", goal["row_id"], op="delete", participant_id=p["row_id"])
    assert a.push_one(gone)["status"] == "applied"
    changes, _ = b.pull_all()
    last = [c for c in changes if c["row_id"] == goal["row_id"]][-1]
    assert last["op"] == "delete" and last["participant_id"] == p["row_id"]
    assert last["fields"] == {}


def _plant(device: object, **kw: object) -> dict[str, object]:
    return device.change(**kw)  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(
    "case",
    ["private", "unconsented", "local_column", "clock_ahead"],
)
def test_refused_changes_leave_no_content_anywhere(
    programme: Programme, db_url: str, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.DEBUG)
    dev = programme.enrol(programme.worker(programme.team()))
    # an accepted marker shows the file scan below does find stored content (a team
    # resource: a participant's content is sealed under their key on the server)
    p = dev.participant()
    dev.push(dev.shared(p))
    marker = dev.change("resource", fields={"organisation": "ACCEPTED-MARKER", "service": "x"})
    assert dev.push_one(marker)["status"] == "applied"
    pid = p["row_id"]
    if case == "private":
        change = dev.change(
            "contact", fields={"purpose": CANARY}, participant_id=pid, sharing="private"
        )
        expected = "Private records never leave"
    elif case == "unconsented":
        change = dev.participant(given_name=CANARY)
        change["participant_shared"] = False
        expected = "not agreed to share"
    elif case == "local_column":
        change = dev.change("participant", pid, fields={"contact_preferences": CANARY})
        expected = "stay on the device"
    else:
        ahead = HLC(now_ms() + MAX_DRIFT_MS + 60_000, 0, dev.device_id).encode()
        change = dev.change("contact", fields={"purpose": CANARY}, participant_id=pid, hlc=ahead)
        expected = "clock is more than 5 minutes ahead"
    result = dev.push_one(change)
    assert result["status"] == "rejected"
    assert expected in result["reason"]
    with programme.db.reading() as s:
        refusals = list(s.scalars(select(RefusalLog)))
    assert len(refusals) == 1
    assert refusals[0].change_id == change["change_id"]
    assert CANARY not in repr(refusals[0].__dict__)
    stored = stored_bytes(db_url)
    assert b"ACCEPTED-MARKER" in stored
    assert CANARY.encode() not in stored
    assert CANARY not in caplog.text


def test_clock_within_drift_is_accepted(programme: Programme) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    slightly = HLC(now_ms() + MAX_DRIFT_MS - 30_000, 0, dev.device_id).encode()
    p = dev.participant() | {"hlc": slightly}
    assert dev.push(dev.shared(p))["results"][1]["status"] == "applied"


def test_team_consent_withdrawn_on_server_refuses_new_content(programme: Programme) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    p = dev.participant()
    pid = p["row_id"]
    consent = dev.change(
        "consent",
        fields={"scope": "team", "given": True, "version": 1, "method": "verbal"},
        participant_id=pid,
    )
    dev.push([p, consent])
    withdrawn = dev.change(
        "consent",
        fields={"scope": "team", "given": False, "version": 2, "method": "verbal"},
        participant_id=pid,
    )
    assert dev.push_one(withdrawn)["status"] == "applied"
    later = dev.change("contact", fields={"kind": "phone"}, participant_id=pid)
    result = dev.push_one(later)
    assert result["status"] == "rejected" and "withdrew consent" in result["reason"]


def test_consent_given_again_resends_the_kept_consent_records(programme: Programme) -> None:
    worker = programme.worker(programme.team())
    laptop, tablet = programme.enrol(worker), programme.enrol(worker)
    p = laptop.participant()
    pid = p["row_id"]
    first = laptop.consent(pid)
    first["fields"]["note"] = "agreed at the GP practice"
    laptop.push([first, p])
    withdrawn = laptop.consent(pid, given=False, version=2)
    assert laptop.push_one(withdrawn)["status"] == "applied"
    _, cursor = tablet.pull_all()
    again = laptop.consent(pid, given=True, version=3)
    assert laptop.push_one(again)["status"] == "applied"
    pulled, _ = tablet.pull_all(cursor)
    # the new record, then every kept one whole (oldest first), so a device that purged
    # the case holds the same history as the server; the withdrawal dropped the note
    assert [c["row_id"] for c in pulled] == [
        again["row_id"],
        first["row_id"],
        withdrawn["row_id"],
    ]
    assert pulled[1]["fields"] == {k: v for k, v in first["fields"].items() if k != "note"}
    assert pulled[2]["fields"] == withdrawn["fields"]
    assert all(c["participant_shared"] is True for c in pulled)
    # given again while still given: nothing is re-sent
    _, cursor = tablet.pull_all()
    renewed = laptop.consent(pid, given=True, version=4)
    laptop.push_one(renewed)
    assert [c["row_id"] for c in tablet.pull_all(cursor)[0]] == [renewed["row_id"]]


def test_other_workers_and_other_teams_cases_are_refused(programme: Programme) -> None:
    team, other_team = programme.team(), programme.team()
    mine = programme.enrol(programme.worker(team))
    colleague = programme.enrol(programme.worker(team))
    outsider = programme.enrol(programme.worker(other_team))
    p = mine.participant()
    mine.push(mine.shared(p))
    pid = p["row_id"]
    r = colleague.push_one(
        colleague.change("contact", fields={"kind": "phone"}, participant_id=pid)
    )
    assert r["status"] == "rejected" and "not on your caseload" in r["reason"]
    r = outsider.push_one(outsider.change("contact", fields={"kind": "phone"}, participant_id=pid))
    assert r["status"] == "rejected" and "another team" in r["reason"]
    # claiming to write as a worker of another team is refused too
    r = outsider.push_one(outsider.participant() | {"owner": mine.worker_id})
    assert r["status"] == "rejected" and "another team" in r["reason"]
    # a resource of one team cannot be edited from another
    res = mine.change("resource", fields={"organisation": "Food bank", "service": "Parcels"})
    mine.push_one(res)
    r = outsider.push_one(outsider.change("resource", res["row_id"], fields={"cost": "free"}))
    assert r["status"] == "rejected" and "another team" in r["reason"]
    # monthly totals belong to their own worker
    total = colleague.change("monthly_total", fields={"month": "2026-01"}, owner=mine.worker_id)
    assert colleague.push_one(total)["status"] == "rejected"


def test_a_rejected_change_does_not_block_the_rest_of_its_batch(programme: Programme) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    p = dev.participant()
    bad = dev.change(
        "contact", fields={"kind": "phone"}, participant_id=p["row_id"], sharing="private"
    )
    good = dev.change("contact", fields={"kind": "phone"}, participant_id=p["row_id"])
    results = dev.push([*dev.shared(p), bad, good])["results"]
    assert [r["status"] for r in results] == ["applied", "applied", "rejected", "applied"]


def test_routing_must_be_consistent(programme: Programme) -> None:
    dev = programme.enrol(programme.worker(programme.team()))
    p = dev.participant()
    dev.push(dev.shared(p))
    no_participant = dev.change("contact", fields={"kind": "phone"}, participant_id=None)
    no_participant["participant_id"] = None
    resource_with_participant = dev.change(
        "resource", fields={"organisation": "x"}, participant_id=p["row_id"]
    )
    unknown_table = dev.change("audit_event", fields={"action": "view"})
    made_by_server = dev.change("sync_conflict", fields={"field": "x"}, participant_id=p["row_id"])
    results = dev.push([no_participant, resource_with_participant, unknown_table, made_by_server])
    assert [r["status"] for r in results["results"]] == ["rejected"] * 4
