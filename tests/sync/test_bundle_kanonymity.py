"""Evaluation records: the k the manifest states holds on the rows (hypothesis), and the
transforms follow the policy's evaluation tags."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from linksdesk.sync.bundle import evaluation
from linksdesk.sync.bundle.evaluation import QUASI_IDENTIFIERS, DeprivationLookup, Source
from linksdesk.sync.policy import COLUMNS

KEY = bytes(range(32))
LOOKUP = DeprivationLookup("Synthetic", "2026", {f"G{n}1AB": n % 10 + 1 for n in range(20)})


def _person(i: int, born: dt.date, postcode: str, source: str, referred: dt.date) -> list[Any]:
    pid = f"00000000-0000-7000-8000-{i:012d}"
    hlc = "000000000000001-00000-dev"
    common = {"op": "upsert", "hlc": hlc, "owner": "w", "participant_id": pid}
    return [
        {
            **common,
            "table": "participant",
            "row_id": pid,
            "fields": {
                "given_name": f"Name{i}",
                "date_of_birth": born.isoformat(),
                "postcode": postcode,
                "referred_on": referred.isoformat(),
                "created_on": referred.isoformat(),
                "status": "active",
            },
        },
        {
            **common,
            "table": "consent",
            "row_id": f"10000000-0000-7000-8000-{i:012d}",
            "fields": {"scope": "evaluation", "given": True, "version": 1},
        },
        {
            **common,
            "table": "referral",
            "row_id": f"20000000-0000-7000-8000-{i:012d}",
            "fields": {"source": source, "received_on": referred.isoformat(), "reason": "x"},
        },
    ]


people = st.lists(
    st.tuples(
        st.dates(dt.date(1930, 1, 1), dt.date(2008, 1, 1)),
        st.sampled_from([f"G{n}1AB" for n in range(20)] + ["ZZ9 9ZZ", ""]),
        st.sampled_from(["gp", "self", "housing", "family", "community"]),
        st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    ),
    min_size=0,
    max_size=120,
)


@settings(max_examples=60, deadline=None)
@given(people)
def test_the_stated_k_holds_on_the_rows(drawn: list[tuple[dt.date, str, str, dt.date]]) -> None:
    changes = [c for i, p in enumerate(drawn) for c in _person(i, *p)]
    records, extra = evaluation.evaluation_records(Source(changes, [], KEY, LOOKUP))
    rows = [r for r in records if r["table"] == "participant"]
    k = extra["k_anonymity"]
    classes = Counter(tuple(r["fields"][q] for q in QUASI_IDENTIFIERS) for r in rows)
    if rows:
        assert k["k"] == min(classes.values()) and k["k"] >= evaluation.K
    else:
        assert k["k"] is None
    left = k["left_out"]["participants"]
    assert left + len(rows) == len(drawn)  # everyone is either in, or left out and counted
    # nothing of a left-out person travels
    kept = {r["participant_id"] for r in rows}
    assert all(r["participant_id"] in kept for r in records if r["participant_id"])
    for r in rows:
        assert "given_name" not in r["fields"] and "date_of_birth" not in r["fields"]
        assert "postcode" not in r["fields"]


def test_every_transform_tag_has_a_rule_and_dates_become_months_or_quarters() -> None:
    for table, columns in COLUMNS.items():
        for column, (_, tag) in columns.items():
            if tag == "transform":
                assert evaluation.transform_kind(column) in (
                    "pseudonym",
                    "age_band",
                    "decile",
                    "period",
                ), (table, column)
    assert evaluation.period("2026-05-17", "month") == "2026-05"
    assert evaluation.period("2026-05-17T10:00:00", "quarter") == "2026-Q2"
    assert evaluation.age_band("1980-06-01", "2026-05-31", 5) == "45-49"
    assert evaluation.age_band("1980-06-01", "2026-06-01", 10) == "40-49"
    assert LOOKUP.decile("g1 1ab") == "2" and LOOKUP.decile("AB1 2CD") == "unknown"


def test_rare_combinations_are_coarsened_before_anyone_is_left_out() -> None:
    # ten people referred across two months of one quarter: by month 5+5 is fine; split
    # 6+4 by month, the four would stand out unless months become quarters
    drawn = [
        (dt.date(1980, 1, 1), "G11AB", "gp", dt.date(2026, 4 if i < 6 else 5, 10))
        for i in range(10)
    ]
    changes = [c for i, p in enumerate(drawn) for c in _person(i, *p)]
    records, extra = evaluation.evaluation_records(Source(changes, [], KEY, LOOKUP))
    k = extra["k_anonymity"]
    assert k["dates_as"] == "quarter" and k["left_out"]["participants"] == 0 and k["k"] == 10
    assert {r["fields"]["referral_period"] for r in records if r["table"] == "participant"} == {
        "2026-Q2"
    }
