"""Protocol 3's compact per-field clocks: what goes on the wire expands to the same change."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from linksdesk.core.hlc import HLC
from linksdesk.sync.protocol import (
    Change,
    PullResponse,
    PushRequest,
    ServerChange,
    compact_clocks,
    expand_clocks,
)

ME = "01900000-0000-7000-8000-00000000000a"
IDS = [f"01900000-0000-7000-8000-{n:012d}" for n in range(1, 4)]
walls = st.integers(min_value=0, max_value=10**15 - 1)
counters = st.integers(min_value=0, max_value=99_999)
devices = st.sampled_from([ME, "laptop-2", "a", "x" * 64, "dev.1:b_c-d"])
clocks = st.builds(lambda w, c, d: HLC(w, c, d).encode(), walls, counters, devices)
# the clocks of one row are mostly near each other and from a few devices
near = st.builds(
    lambda w, dw, c, d: HLC(max(0, w - dw), c, d).encode(),
    st.just(1_733_000_000_000),
    st.integers(min_value=0, max_value=10**11),
    st.integers(min_value=0, max_value=3),
    st.sampled_from([ME, "laptop-2"]),
)
names = st.from_regex(r"^[a-z_][a-z0-9_]{0,20}$", fullmatch=True)
clock_maps = st.dictionaries(names, st.one_of(clocks, near), max_size=30)


def _change(hlc: str, base: dict[str, str], field_hlc: dict[str, str], **kw: Any) -> Change:
    return Change(
        change_id=IDS[0],
        table="participant",
        row_id=IDS[1],
        op="upsert",
        hlc=hlc,
        origin=ME,
        owner=IDS[2],
        participant_id=IDS[1],
        participant_shared=True,
        fields=dict.fromkeys({*base, *field_hlc}, "x"),
        base=base,
        field_hlc=field_hlc,
        **kw,
    )


@settings(max_examples=300, deadline=None)
@given(hlc=st.one_of(clocks, near), base=clock_maps, field_hlc=clock_maps)
def test_compact_then_expand_gives_the_identical_change(
    hlc: str, base: dict[str, str], field_hlc: dict[str, str]
) -> None:
    change = _change(hlc, base, field_hlc)
    wire = change.model_dump_json()
    assert Change.model_validate_json(wire) == change
    assert Change.model_validate(json.loads(wire)) == change  # as the server parses a body
    assert Change(**change.model_dump()) == change  # in memory the dicts stay as they were
    assert change.model_dump()["base"] == base and change.model_dump()["field_hlc"] == field_hlc
    sent = json.loads(wire)
    for key in ("base", "field_hlc"):
        assert all(isinstance(v, list) for v in sent[key].values())
        assert expand_clocks(sent[key], hlc) == getattr(change, key)
    # protocol 2's form (clocks written out per field) still reads as the same change
    legacy = {**sent, "base": base, "field_hlc": field_hlc}
    assert Change.model_validate_json(json.dumps(legacy)) == change


@settings(max_examples=100, deadline=None)
@given(hlc=st.one_of(clocks, near), base=clock_maps, seq=st.integers(1, 2**40))
def test_pages_and_batches_round_trip(hlc: str, base: dict[str, str], seq: int) -> None:
    change = _change(hlc, base, {})
    pulled = ServerChange(**change.model_dump(), server_seq=seq)
    page = PullResponse(
        changes=[pulled, pulled],
        next_cursor=seq,
        has_more=False,
        data_epoch=IDS[0],
        settings_version=1,
    )
    assert PullResponse.model_validate_json(page.model_dump_json()) == page
    batch = PushRequest(batch_key=IDS[0], changes=[change])
    assert PushRequest.model_validate_json(batch.model_dump_json()) == batch
    # the vault keeps a pending batch as JSON and resends it byte for byte
    saved = batch.model_dump(mode="json")
    assert PushRequest.model_validate(saved).model_dump_json() == batch.model_dump_json()


def test_one_short_key_carries_a_row_written_at_one_moment() -> None:
    hlc = HLC(1_733_000_000_000, 3, ME).encode()
    written = HLC(1_732_000_000_000, 0, ME).encode()
    other = HLC(1_732_999_999_000, 2, "laptop-2").encode()
    base = {"given_name": written, "family_name": written, "phone": other}
    assert compact_clocks(base, hlc) == {
        "-1000000000": ["given_name", "family_name"],
        "-1000.2/laptop-2": ["phone"],
    }
    assert compact_clocks({"status": hlc}, hlc) == {"0.3": ["status"]}
    full = _change(hlc, base, {})
    assert len(full.model_dump_json()) < len(json.dumps(full.model_dump(mode="python")))


HLC_NOW = HLC(1_733_000_000_000, 0, ME).encode()
BAD_GROUPS: list[tuple[Any, str]] = [
    ({"x1": ["a"]}, "not an offset"),
    ({"1.": ["a"]}, "not an offset"),
    ({"0.100000": ["a"]}, "not an offset"),  # a counter has five digits at most
    ({"01": ["a"]}, "not an offset"),
    ({"0/bad device": ["a"]}, "not an offset"),
    ({"-1733000000001": ["a"]}, "outside the clock's range"),  # before the epoch
    ({"999999999999999": ["a"]}, "outside the clock's range"),  # past 15 digits
    ({"0": []}, "one field name or more"),
    ({"0": ["a"], "-5": ["a"]}, "appears twice"),
    ({"0": ["a", "a"]}, "appears twice"),
    ({"0": [5]}, "valid string"),
    ({"0": [["a"]]}, "other than a field name"),
    ({"0": ["a"], "-7": HLC_NOW}, "one field name or more"),  # the two forms mixed
    ({"0": ["Not A Column"]}, "pattern"),
    ({str(-n): ["a"] for n in range(201)}, "more than 200"),
    ({"0": [f"f{n}" for n in range(201)]}, "more than 200"),
]


@pytest.mark.parametrize(("groups", "says"), BAD_GROUPS)
@pytest.mark.parametrize("key", ["base", "field_hlc"])
def test_unreadable_clock_groups_are_refused_naming_the_field(
    key: str, groups: Any, says: str
) -> None:
    good = json.loads(_change(HLC_NOW, {}, {}).model_dump_json())
    with pytest.raises(ValidationError) as caught:
        Change.model_validate({**good, key: groups})
    errors = caught.value.errors()
    assert errors and errors[0]["loc"][0] == key, errors
    assert says in str(caught.value)


def test_clock_groups_without_a_valid_hlc_are_refused() -> None:
    good = json.loads(_change(HLC_NOW, {}, {}).model_dump_json())
    with pytest.raises(ValidationError) as caught:
        Change.model_validate({**good, "hlc": "yesterday", "base": {"0": ["a"]}})
    locs = {e["loc"][0] for e in caught.value.errors()}
    assert locs == {"hlc", "base"}
