"""The device merges what it pulls with the server's field merge (sync/merge.py).

The server hands on only values it took, merged against everything a device had sent; so
on the device a pulled field is concurrent only with an edit still waiting in its outbox.
A narrative field edited on the worker's other laptop while this one holds no edit of it
is therefore taken (it is the server's value, nothing was merged silently), and one with
an edit waiting here keeps this laptop's version until the push, where the server keeps
both as a conflict for every device. Pure cases first, then the page applier on a real
vault, then two laptops over a real server.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sync_kit import Dev, ServerProcess, assert_replica_matches, two_laptops

from linksdesk.core.ids import uuid7
from linksdesk.sync.apply import PageApplier, pending_fields
from linksdesk.sync.client import list_conflicts
from linksdesk.sync.merge import merge_fields, merge_pulled
from linksdesk.sync.page import ApplyContext
from linksdesk.sync.protocol import ChangeStatus, Op, ServerChange

HERE = "001700000000000-00000-laptop-a"
LATER = "001700000009000-00000-laptop-b"
EARLIER = "001699999990000-00000-laptop-b"


def _pulled(
    fields: dict[str, object], hlc: str = LATER, table: str = "participant"
) -> ServerChange:
    return ServerChange(
        change_id=uuid7(),
        table="participant",
        row_id=uuid7(),
        op=Op.UPSERT,
        hlc=hlc,
        origin=hlc.split("-", 2)[2],
        owner=uuid7(),
        participant_id=None,
        fields=fields,
        server_seq=1,
    )


def test_a_narrative_field_the_server_took_is_taken_when_nothing_is_waiting_here() -> None:
    change = _pulled({"risk_summary": "from the other laptop"})
    held = {"risk_summary": "as synced"}
    result = merge_pulled(held, {"risk_summary": HERE}, change)
    assert result.fields == {"risk_summary": "from the other laptop"}
    assert result.field_hlc == {"risk_summary": LATER}
    assert not result.conflicts and not result.superseded
    # the server's rule for a push with no base would have kept ours as a conflict: the
    # pulled change is the server's merged value, not a concurrent edit
    assert merge_fields(held, {"risk_summary": HERE}, change).status is ChangeStatus.CONFLICT


def test_a_narrative_field_with_an_edit_waiting_here_keeps_ours_as_a_conflict() -> None:
    change = _pulled({"risk_summary": "from the other laptop", "family_name": "Other"})
    held = {"risk_summary": "edited here, not sent", "family_name": "Here"}
    clocks = {"risk_summary": HERE, "family_name": HERE}
    result = merge_pulled(held, clocks, change, unsent={"risk_summary", "family_name"})
    assert "risk_summary" not in result.fields
    assert [(c.field, c.kept_value, c.other_value) for c in result.conflicts] == [
        ("risk_summary", "edited here, not sent", "from the other laptop")
    ]
    # a low-risk field goes to the last writer, and the value it replaced is reported
    assert result.fields == {"family_name": "Other"}
    assert [(s.field, s.value, s.incoming) for s in result.superseded] == [
        ("family_name", "Here", False)
    ]


def test_older_and_equal_pulled_values_change_nothing_or_only_the_clock() -> None:
    stale = merge_pulled({}, {"family_name": HERE}, _pulled({"family_name": "x"}, EARLIER))
    assert not stale.changed and not stale.superseded
    # an unsent low-risk edit that is later than the pulled one stays, the pulled one lost
    lost = merge_pulled(
        {"family_name": "mine"},
        {"family_name": HERE},
        _pulled({"family_name": "theirs"}, EARLIER),
        unsent={"family_name"},
    )
    assert not lost.changed
    assert [(s.value, s.incoming) for s in lost.superseded] == [("theirs", True)]
    # the same narrative value written on both: no conflict, the later clock is kept
    same = merge_pulled(
        {"risk_summary": "same words"},
        {"risk_summary": HERE},
        _pulled({"risk_summary": "same words"}),
        unsent={"risk_summary"},
    )
    assert not same.conflicts and same.field_hlc == {"risk_summary": LATER}
    # a row not held yet takes every field at its clock
    new = merge_pulled(None, None, _pulled({"family_name": "New", "given_name": "Row"}))
    assert new.fields == {"family_name": "New", "given_name": "Row"}
    assert set(new.field_hlc.values()) == {LATER}


def test_the_page_applier_merges_through_merge_pulled(tmp_path: Path) -> None:
    """On a real vault: a pulled page meets an edit waiting in the outbox."""
    dev = Dev.create(tmp_path, "laptop-a")
    try:
        pid = dev.participant(given_name="Sky", risk_summary="at first")
        row = dev.get("participant", pid)
        clocks = dict(row.field_hlc)
        later = "009999999999999-00000-laptop-b"

        def pull(fields: dict[str, object]) -> None:
            change = ServerChange(
                change_id=uuid7(),
                table="participant",
                row_id=pid,
                op=Op.UPSERT,
                hlc=later,
                origin="laptop-b",
                owner=row.owner,
                participant_id=pid,
                fields=fields,
                server_seq=1,
            )
            with dev.store.applying() as s:
                ctx = ApplyContext(dev.store.device_id, row.owner, lambda: later, pending_fields(s))
                PageApplier(s, ctx).apply([change])

        # the creation is still waiting in the outbox: every field of it is unsent
        pull({"risk_summary": "from laptop b", "given_name": "Skye"})
        held = dev.get("participant", pid)
        assert held.risk_summary == "at first"  # narrative: ours kept for the server to pair
        assert held.given_name == "Skye"  # low-risk: the later writer
        assert held.field_hlc["risk_summary"] == clocks["risk_summary"]
        assert held.field_hlc["given_name"] == later

        with dev.store.bookkeeping() as s:  # as if the server had acknowledged everything
            s.execute(text("DELETE FROM outbox"))
        with dev.store.read() as s:
            assert pending_fields(s) == {}
        pull({"risk_summary": "from laptop b"})
        assert dev.get("participant", pid).risk_summary == "from laptop b"
    finally:
        dev.close()


def test_a_narrative_edit_on_the_other_laptop_arrives_and_no_conflict_is_made(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b = two_laptops(server, devices, ("laptop-a", "laptop-b"))
    pid = a.participant(given_name="Robin", risk_summary="none known")
    assert a.sync().verified
    assert b.sync().verified

    # sequential edits, each laptop's on top of the other's, nothing waiting on the other
    b.edit("participant", pid, risk_summary="Risk noted on B")
    assert b.sync().verified
    assert a.sync().verified
    assert a.get("participant", pid).risk_summary == "Risk noted on B"
    a.edit("participant", pid, risk_summary="Reviewed on A")
    assert a.sync().verified
    assert b.sync().verified
    assert b.get("participant", pid).risk_summary == "Reviewed on A"
    for dev in (a, b):
        assert list_conflicts(dev.store) == [], dev.label
    assert_replica_matches(a, server)
    assert_replica_matches(b, server)

    # concurrent: edited on both before either synced, so both versions stay everywhere
    a.edit("participant", pid, risk_summary="Concurrent on A")
    b.edit("participant", pid, risk_summary="Concurrent on B")
    assert b.sync().verified
    assert a.sync().verified
    assert b.sync().verified
    for dev in (a, b):
        risk = [c for c in list_conflicts(dev.store) if c.field == "risk_summary"]
        assert len(risk) == 1, dev.label
        assert {risk[0].mine, risk[0].theirs} == {"Concurrent on A", "Concurrent on B"}
    assert a.get("participant", pid).risk_summary == b.get("participant", pid).risk_summary
