"""Verify's kept digests stay equal to a recomputation from the records, whatever changes them."""

from __future__ import annotations

from typing import Any

from server_kit import Device, Programme
from sqlalchemy import select

from linksdesk.server import admin
from linksdesk.server.digests import digests_from_scratch, rebuild, visible_digests
from linksdesk.server.models import Digest


def _case(dev: Device) -> tuple[str, list[dict[str, Any]]]:
    p = dev.participant()
    pid = p["row_id"]
    consent = {"scope": "team", "given": True, "version": 1, "participant_id": pid}
    return pid, [
        p,
        dev.change("consent", fields=consent, participant_id=pid),
        dev.change("contact", fields={"kind": "phone", "participant_id": pid}, participant_id=pid),
        dev.change("goal", fields={"title": "Walk", "participant_id": pid}, participant_id=pid),
    ]


def _stored(programme: Programme) -> dict[tuple[str, str], tuple[int, str]]:
    with programme.db.reading() as s:
        return {(d.scope, d.table_name): (d.count, d.total) for d in s.scalars(select(Digest))}


def _assert_kept_right(programme: Programme, devices: list[Device]) -> None:
    for dev in devices:
        with programme.db.reading() as s:
            kept = visible_digests(s, dev.team_id, dev.worker_id)
            assert kept == digests_from_scratch(s, dev.team_id, dev.worker_id)
        answer = dev.post("verify").json()["tables"]
        assert answer == {t: d.model_dump() for t, d in kept.items()}
    # and the whole table equals one rebuilt from nothing
    before = _stored(programme)
    with programme.db.writing() as s:
        rebuild(s)
    assert _stored(programme) == before


def test_kept_digests_match_a_recount_through_every_kind_of_change(programme: Programme) -> None:
    team = programme.team()
    ana, ben = programme.worker(team), programme.worker(team)
    a, b = programme.enrol(ana), programme.enrol(ben)
    other = programme.enrol(programme.worker(programme.team()))
    devices = [a, b, other]
    first, case1 = _case(a)
    second, case2 = _case(a)
    resource = a.change("resource", fields={"organisation": "Library", "service": "Books"})
    total = a.totals("2026-10", {"contacts": 3})
    results = a.push([*case1, *case2, resource, total])["results"]
    assert {r["status"] for r in results} == {"applied"}
    _, theirs = _case(other)
    assert {r["status"] for r in other.push(theirs)["results"]} == {"applied"}
    with programme.db.reading() as s:
        seen = visible_digests(s, a.team_id, ana)
    assert seen["contact"].count == 2 and seen["resource"].count == 1
    _assert_kept_right(programme, devices)

    # edits and deletes change a row's clock and tombstone
    contact = case1[2]["row_id"]
    a.push([a.change("contact", contact, fields={"purpose": "Phone call"}, participant_id=first)])
    a.push([a.change("goal", case1[3]["row_id"], op="delete", participant_id=first)])
    b.push([b.change("resource", resource["row_id"], fields={"capacity": "open"})])
    _assert_kept_right(programme, devices)

    # handover: read-only keeps the case in both caseloads, then a full move
    admin.handover(programme.db, first, ben, keep_read_only=True)
    with programme.db.reading() as s:
        assert visible_digests(s, a.team_id, ben)["contact"].count == 1
    _assert_kept_right(programme, devices)
    admin.handover(programme.db, first, ana, keep_read_only=False)
    a.push([a.change("contact", contact, fields={"minutes": 5}, participant_id=first)])
    _assert_kept_right(programme, devices)

    # erasure purges the case from every scope; its receipt stays out of the caseload sums
    assert a.push_one(a.change("participant", second, op="erase"))["status"] == "applied"
    with programme.db.reading() as s:
        assert visible_digests(s, a.team_id, ana)["contact"].count == 1
    _assert_kept_right(programme, devices)
