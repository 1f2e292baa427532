"""The shared protocol and the pure per-field merge, without a server."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from linksdesk.core.hlc import HLC
from linksdesk.core.ids import uuid7
from linksdesk.storage.tables import PARTICIPANT_LINKED, TABLE_BY_NAME
from linksdesk.sync.merge import merge_fields
from linksdesk.sync.protocol import (
    NARRATIVE_FIELDS,
    PARTICIPANT_LINKED_TABLES,
    SYNCABLE_TABLES,
    Change,
    ChangeStatus,
    is_narrative,
    table_digest,
)

OWNER = uuid7()


def test_table_lists_match_the_vault() -> None:
    assert tuple(TABLE_BY_NAME) == SYNCABLE_TABLES
    assert set(PARTICIPANT_LINKED) == set(PARTICIPANT_LINKED_TABLES)
    for table, names in NARRATIVE_FIELDS.items():
        columns = set(TABLE_BY_NAME[table].__table__.columns.keys())  # type: ignore[attr-defined]
        assert names <= columns | {"*"}, table


def test_narrative_fields() -> None:
    assert is_narrative("note_revision", "body")
    assert is_narrative("consent", "given") and is_narrative("consent", "note")
    assert is_narrative("participant", "risk_summary")
    assert not is_narrative("participant", "phone")
    assert not is_narrative("resource", "description")


def test_digest_ignores_order_and_sees_every_part() -> None:
    rows = [("a", "h1", False), ("b", "h2", True)]
    d = table_digest(rows)
    assert d == table_digest(list(reversed(rows)))
    assert d.count == 2
    assert d != table_digest([("a", "h1", False), ("b", "h2", False)])
    assert d != table_digest([("a", "h1", False), ("b", "h3", True)])
    assert table_digest([]).count == 0


def _change(
    device: str,
    wall: int,
    fields: dict[str, Any],
    base: dict[str, str] | None = None,
    table: str = "participant",
    op: str = "upsert",
) -> Change:
    return Change(
        change_id=uuid7(),
        table=table,
        row_id="01900000-0000-7000-8000-000000000001",
        op=op,
        hlc=HLC(wall, 0, device).encode(),
        origin=device,
        owner=OWNER,
        participant_id="01900000-0000-7000-8000-000000000001",
        participant_shared=True,
        fields=fields,
        base=base or {},
    )


def test_change_model_refuses_bad_shapes() -> None:
    good = _change("dev-a", 1000, {"phone": "1"}).model_dump()
    for bad in (
        {"hlc": "yesterday"},
        {"row_id": "not-a-uuid"},
        {"op": "truncate"},
        {"fields": {"Bad Key": 1}},
        {"sharing": "everyone"},
        {"unexpected": True},
    ):
        with pytest.raises(ValidationError):
            Change.model_validate({**good, **bad})


def test_new_row_is_applied_with_its_clock() -> None:
    c = _change("dev-a", 1000, {"phone": "1", "status": "active"})
    r = merge_fields(None, None, c)
    assert r.status is ChangeStatus.APPLIED
    assert r.fields == {"phone": "1", "status": "active"}
    assert set(r.field_hlc.values()) == {c.hlc}


def test_fast_forward_and_stale_replay() -> None:
    first = _change("dev-a", 1000, {"phone": "1"})
    state = merge_fields(None, None, first)
    nxt = _change("dev-b", 2000, {"phone": "2"}, base={"phone": first.hlc})
    r = merge_fields(state.fields, state.field_hlc, nxt)
    assert r.status is ChangeStatus.APPLIED and r.fields == {"phone": "2"}
    # the same change again changes nothing
    fields = {**state.fields, **r.fields}
    hlcs = {**state.field_hlc, **r.field_hlc}
    again = merge_fields(fields, hlcs, nxt)
    assert not again.changed


def test_concurrent_narrative_edit_is_a_conflict_and_keeps_the_stored_value() -> None:
    first = _change("dev-a", 1000, {"risk_summary": "x"})
    s = merge_fields(None, None, first)
    a = _change("dev-a", 3000, {"risk_summary": "a"}, base={"risk_summary": first.hlc})
    sa = merge_fields(s.fields, s.field_hlc, a)
    fields, hlcs = {**s.fields, **sa.fields}, {**s.field_hlc, **sa.field_hlc}
    b = _change("dev-b", 2000, {"risk_summary": "b"}, base={"risk_summary": first.hlc})
    r = merge_fields(fields, hlcs, b)
    assert r.status is ChangeStatus.CONFLICT
    assert r.fields == {}
    (c,) = r.conflicts
    assert (c.kept_value, c.other_value) == ("a", "b")
    # a later clock does not win a narrative field either
    b_late = _change("dev-b", 9000, {"risk_summary": "b"}, base={"risk_summary": first.hlc})
    assert merge_fields(fields, hlcs, b_late).status is ChangeStatus.CONFLICT
    # an identical concurrent value is no conflict
    same = _change("dev-b", 2000, {"risk_summary": "a"}, base={"risk_summary": first.hlc})
    assert merge_fields(fields, hlcs, same).status is ChangeStatus.MERGED


def test_delete_versus_concurrent_edit_is_last_writer_wins() -> None:
    first = _change("dev-a", 1000, {"phone": "1"})
    s = merge_fields(None, None, first)
    gone = _change("dev-b", 2000, {}, op="delete", base={"deleted": first.hlc})
    r = merge_fields(s.fields, s.field_hlc, gone)
    assert r.fields == {"deleted": True}


LOW_RISK = ["phone", "status", "postcode"]


@settings(max_examples=150, deadline=None)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["dev-a", "dev-b", "dev-c"]),
            st.integers(min_value=1, max_value=50),
            st.dictionaries(st.sampled_from(LOW_RISK), st.integers(0, 9), min_size=1),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda e: (e[0], e[1]),  # a device's clock never repeats
    ),
    data=st.data(),
)
def test_any_order_of_concurrent_low_risk_edits_converges(
    edits: list[tuple[str, int, dict[str, int]]], data: st.DataObject
) -> None:
    """Replicas applying the same concurrent edits in different orders end up the same."""
    changes = [_change(dev, 1000 + wall, fields) for dev, wall, fields in edits]

    def apply_all(order: list[Change]) -> dict[str, Any]:
        fields: dict[str, Any] | None = None
        hlcs: dict[str, str] | None = None
        for c in order:
            r = merge_fields(fields, hlcs, c)
            fields = {**(fields or {}), **r.fields}
            hlcs = {**(hlcs or {}), **r.field_hlc}
        return {"fields": fields, "hlcs": hlcs}

    orders = [changes, list(reversed(changes)), data.draw(st.permutations(changes))]
    results = [apply_all(o) for o in orders]
    assert all(r == results[0] for r in results)
    # and each field holds the value written at the latest clock
    for name in LOW_RISK:
        writes = [(c.hlc, c.fields[name]) for c in changes if name in c.fields]
        if writes:
            assert results[0]["fields"][name] == max(writes)[1]


def test_every_pair_order_reports_the_loser() -> None:
    a = _change("dev-a", 2000, {"phone": "a"})
    b = _change("dev-b", 1000, {"phone": "b"})
    for first, second in itertools.permutations([a, b]):
        s = merge_fields(None, None, first)
        r = merge_fields(s.fields, s.field_hlc, second)
        lost = [x for x in r.superseded]
        assert len(lost) == 1 and lost[0].value == "b"
