"""Wellbeing measures: wording, scoring and change thresholds, checked against docs/measures.md."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linksdesk.core.errors import ValidationError
from linksdesk.core.measures import (
    MIN_PAIRED_FOR_EVALUATION,
    ONS4_QUESTIONS,
    SWEMWBS_COPYRIGHT,
    SWEMWBS_ITEMS,
    SWEMWBS_METRIC,
    SWEMWBS_NORM,
    WEMWBS_COPYRIGHT,
    WEMWBS_ITEMS,
    WEMWBS_NORM,
    ChangeResult,
    MeasureItemError,
    MeasureScore,
    Ons4Score,
    SwemwbsScore,
    WemwbsScore,
    band_thresholds,
    change_between,
    classify_change,
    classify_difference,
    copyright_line,
    definition,
    evaluation_caveat,
    population_norm,
    score,
    score_ons4,
    score_swemwbs,
    score_wemwbs,
    swemwbs_metric,
)
from linksdesk.core.vocab import Change, MeasureKind

# Copied by hand from docs/measures.md, so a slip in either place shows up here.
EXPECTED_METRIC = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip

WEMWBS_STATEMENTS = (
    "I've been feeling optimistic about the future",
    "I've been feeling useful",
    "I've been feeling relaxed",
    "I've been feeling interested in other people",
    "I've had energy to spare",
    "I've been dealing with problems well",
    "I've been thinking clearly",
    "I've been feeling good about myself",
    "I've been feeling close to other people",
    "I've been feeling confident",
    "I've been able to make up my own mind about things",
    "I've been feeling loved",
    "I've been interested in new things",
    "I've been feeling cheerful",
)

RANGES = {
    MeasureKind.WEMWBS: (14, 1, 5),
    MeasureKind.SWEMWBS: (7, 1, 5),
    MeasureKind.ONS4: (4, 0, 10),
}

kinds = st.sampled_from(list(MeasureKind))
scaled_kinds = st.sampled_from([MeasureKind.WEMWBS, MeasureKind.SWEMWBS])


def answers(kind: MeasureKind) -> st.SearchStrategy[list[int]]:
    count, low, high = RANGES[kind]
    return st.lists(st.integers(low, high), min_size=count, max_size=count)


@st.composite
def kind_and_answers(draw: st.DrawFn) -> tuple[MeasureKind, list[int]]:
    kind = draw(kinds)
    return kind, draw(answers(kind))


# -- wording -------------------------------------------------------------------------------


def test_wemwbs_items_are_worded_as_on_the_scale() -> None:
    assert tuple(i.statement for i in WEMWBS_ITEMS) == WEMWBS_STATEMENTS
    assert [i.number for i in WEMWBS_ITEMS] == list(range(1, 15))
    assert WEMWBS_ITEMS[4].short_name == "energy to spare"
    assert len({i.key for i in WEMWBS_ITEMS}) == 14


def test_swemwbs_is_the_named_subset_of_wemwbs_in_order() -> None:
    assert [i.statement for i in SWEMWBS_ITEMS] == [
        WEMWBS_STATEMENTS[n - 1] for n in (1, 2, 3, 6, 7, 9, 11)
    ]
    assert [i.number for i in SWEMWBS_ITEMS] == list(range(1, 8))


def test_response_labels_and_intro() -> None:
    for kind in (MeasureKind.WEMWBS, MeasureKind.SWEMWBS):
        measure = definition(kind)
        assert [(r.value, r.label) for r in measure.responses] == [
            (1, "None of the time"),
            (2, "Rarely"),
            (3, "Some of the time"),
            (4, "Often"),
            (5, "All of the time"),
        ]
        assert measure.intro == (
            "Below are some statements about feelings and thoughts. Please tick the box that "
            "best describes your experience of each over the last 2 weeks"
        )
    ons4 = definition(MeasureKind.ONS4)
    assert [r.value for r in ons4.responses] == list(range(11))
    assert (ons4.lowest, ons4.highest) == (0, 10)


def test_ons4_questions_and_anxiety_is_lower_is_better() -> None:
    assert [q.short_name for q in ONS4_QUESTIONS] == [
        "life satisfaction",
        "worthwhile",
        "happy yesterday",
        "anxious yesterday",
    ]
    assert ONS4_QUESTIONS[0].statement == "Overall, how satisfied are you with your life nowadays?"
    assert ONS4_QUESTIONS[3].statement == "Overall, how anxious did you feel yesterday?"
    assert [q.lower_is_better for q in ONS4_QUESTIONS] == [False, False, False, True]


def test_copyright_lines_are_exactly_as_given() -> None:
    assert WEMWBS_COPYRIGHT == (
        "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, University of "
        "Warwick and University of Edinburgh, 2006, all rights reserved."
    )
    assert SWEMWBS_COPYRIGHT == (
        "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, "
        "University of Warwick and University of Edinburgh, 2008, all rights reserved."
    )
    assert copyright_line(MeasureKind.WEMWBS) == WEMWBS_COPYRIGHT
    assert copyright_line(MeasureKind.SWEMWBS) == SWEMWBS_COPYRIGHT
    assert copyright_line(MeasureKind.ONS4) is None


# -- SWEMWBS conversion --------------------------------------------------------------------


def test_conversion_table_matches_measures_md_entry_by_entry() -> None:
    assert len(EXPECTED_METRIC) == 29
    assert dict(SWEMWBS_METRIC) == EXPECTED_METRIC
    for raw, metric in EXPECTED_METRIC.items():
        assert swemwbs_metric(raw) == metric


def test_conversion_is_strictly_increasing_and_fixes_the_ends() -> None:
    metrics = [SWEMWBS_METRIC[raw] for raw in range(7, 36)]
    assert all(a < b for a, b in itertools.pairwise(metrics))
    assert (metrics[0], metrics[-1]) == (7.0, 35.0)


@pytest.mark.parametrize("raw", [6, 36, 0, -7, True])
def test_conversion_refuses_impossible_raw_scores(raw: int) -> None:
    with pytest.raises(ValidationError, match="7 to 35"):
        swemwbs_metric(raw)


@given(st.integers(7, 34))
def test_metric_strictly_increases_with_raw(raw: int) -> None:
    assert swemwbs_metric(raw) < swemwbs_metric(raw + 1)


# -- scoring -------------------------------------------------------------------------------


def test_known_scores() -> None:
    assert score_wemwbs([1] * 14) == WemwbsScore(MeasureKind.WEMWBS, (1,) * 14, 14)
    assert score_wemwbs([5] * 14).total == 70
    low = score_swemwbs([1] * 7)
    assert (low.raw, low.metric) == (7, 7.0)
    middle = score_swemwbs([3, 3, 3, 3, 3, 3, 3])
    assert (middle.raw, middle.metric) == (21, 19.25)
    ons = score_ons4([7, 8, 6, 2])
    assert (ons.life_satisfaction, ons.worthwhile, ons.happiness, ons.anxiety) == (7, 8, 6, 2)
    assert (ons.total, ons.metric) == (None, None)


@given(kind_and_answers())
def test_any_valid_answers_score_within_range(case: tuple[MeasureKind, list[int]]) -> None:
    kind, items = case
    result = score(kind, items)
    assert result.kind is kind
    assert result.items == tuple(items)
    count, low, high = RANGES[kind]
    if kind is MeasureKind.ONS4:
        assert isinstance(result, Ons4Score)
        assert result.total is None and result.metric is None  # never summed
        return
    assert result.total == sum(items)
    assert count * low <= result.total <= count * high
    if kind is MeasureKind.WEMWBS:
        assert isinstance(result, WemwbsScore)
        assert result.metric is None
    else:
        assert isinstance(result, SwemwbsScore)
        assert result.metric == EXPECTED_METRIC[result.total]


@given(kind_and_answers())
def test_dispatcher_agrees_with_each_scorer(case: tuple[MeasureKind, list[int]]) -> None:
    kind, items = case
    direct = {
        MeasureKind.WEMWBS: score_wemwbs,
        MeasureKind.SWEMWBS: score_swemwbs,
        MeasureKind.ONS4: score_ons4,
    }[kind]
    assert score(kind, items) == direct(items)
    assert score(MeasureKind(kind.value), tuple(items)) == direct(items)


def test_missing_item_message_names_the_item() -> None:
    items: list[int | None] = [3] * 14
    items[4] = None
    with pytest.raises(ValidationError) as caught:
        score_wemwbs(items)
    assert str(caught.value) == (
        "Item 5 (energy to spare) is missing: a WEMWBS with a missing item cannot be scored."
    )
    assert isinstance(caught.value, MeasureItemError)
    assert caught.value.item_numbers == (5,)


def test_several_problems_are_all_named() -> None:
    items: list[int | None] = [3, 0, 3, None, 3, 3, None]
    with pytest.raises(MeasureItemError) as caught:
        score_swemwbs(items)
    message = str(caught.value)
    assert "Item 2 (useful) is 0, outside 1 to 5." in message
    assert "Item 4 (dealing with problems well) and item 7 (able to make up my own mind)" in message
    assert caught.value.item_numbers == (2, 4, 7)


def test_ons4_calls_its_items_questions() -> None:
    with pytest.raises(ValidationError, match=r"^Question 2 \(worthwhile\) is missing: an ONS4"):
        score_ons4([5, None, 5, 5])
    with pytest.raises(ValidationError, match=r"Question 4 \(anxious yesterday\) is 11"):
        score_ons4([5, 5, 5, 11])


@st.composite
def one_bad_answer(draw: st.DrawFn) -> tuple[MeasureKind, list[object], int]:
    kind, items = draw(kind_and_answers())
    _, low, high = RANGES[kind]
    index = draw(st.integers(0, len(items) - 1))
    bad = draw(
        st.one_of(
            st.none(),
            st.integers(max_value=low - 1),
            st.integers(min_value=high + 1),
            st.booleans(),
            st.floats(low, high),
            st.text(max_size=3),
        )
    )
    spoiled: list[object] = list(items)
    spoiled[index] = bad
    return kind, spoiled, index


@given(one_bad_answer())
def test_any_bad_answer_is_refused_by_name(case: tuple[MeasureKind, list[object], int]) -> None:
    kind, items, index = case
    item = definition(kind).items[index]
    with pytest.raises(MeasureItemError) as caught:
        score(kind, items)  # type: ignore[arg-type]  # deliberately wrong types
    noun = "Question" if kind is MeasureKind.ONS4 else "Item"
    assert str(caught.value).startswith(f"{noun} {index + 1} ({item.short_name}) is ")
    assert caught.value.item_numbers == (index + 1,)


@given(kinds, st.integers(0, 20))
def test_wrong_number_of_answers_is_refused(kind: MeasureKind, count: int) -> None:
    expected, low, _ = RANGES[kind]
    if count == expected:
        count += 1
    with pytest.raises(ValidationError, match=f"has {expected} "):
        score(kind, [low] * count)


@pytest.mark.parametrize("items", ["12345671234567", b"\x01" * 14, 14])
def test_not_a_list_is_refused(items: object) -> None:
    with pytest.raises(ValidationError, match="needs a list"):
        score_wemwbs(items)  # type: ignore[arg-type]  # deliberately wrong type


def test_scores_are_frozen_and_hold_plain_ints() -> None:
    result = score_wemwbs([2] * 14)
    with pytest.raises(AttributeError):
        result.total = 99  # type: ignore[misc]  # frozen on purpose
    assert isinstance(result, MeasureScore)
    assert all(type(v) is int for v in result.items)


# -- change --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, Change.NONE), (2, Change.NONE), (3, Change.POSSIBLE), (7, Change.POSSIBLE),
     (8, Change.CLEAR), (56, Change.CLEAR)],
)  # fmt: skip
def test_wemwbs_boundaries(size: int, expected: Change) -> None:
    assert classify_change(MeasureKind.WEMWBS, 14, 14 + size) is expected
    assert classify_change(MeasureKind.WEMWBS, 14 + size, 14) is expected


@given(st.integers(14, 70), st.integers(-56, 56))
def test_wemwbs_thresholds_hold_everywhere(before: int, step: int) -> None:
    after = before + step
    if not 14 <= after <= 70:
        return
    result = change_between(MeasureKind.WEMWBS, before, after)
    size = abs(step)
    expected = Change.CLEAR if size >= 8 else Change.POSSIBLE if size >= 3 else Change.NONE
    assert result.change is expected
    assert result.difference == step
    assert result.direction == (step > 0) - (step < 0)


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0.0, Change.NONE), (0.99, Change.NONE), (1.0, Change.POSSIBLE), (2.99, Change.POSSIBLE),
     (3.0, Change.CLEAR), (1.0 - 1e-12, Change.POSSIBLE), (3.0 - 1e-12, Change.CLEAR)],
)  # fmt: skip
def test_swemwbs_boundaries(size: float, expected: Change) -> None:
    assert classify_difference(MeasureKind.SWEMWBS, size) is expected
    assert classify_difference(MeasureKind.SWEMWBS, -size) is expected


@pytest.mark.parametrize(
    ("raw_before", "raw_after", "expected"),
    [
        (28, 29, Change.NONE),  # 25.03 → 26.02: 0.99, and 0.98999… in floats
        (29, 30, Change.POSSIBLE),  # 26.02 → 27.03: 1.01
        (20, 24, Change.POSSIBLE),  # 18.59 → 21.54: 2.95
        (11, 16, Change.CLEAR),  # 13.33 → 16.36: 3.03
        (21, 21, Change.NONE),
    ],
)
def test_swemwbs_change_uses_the_metric_not_the_raw_sum(
    raw_before: int, raw_after: int, expected: Change
) -> None:
    before, after = EXPECTED_METRIC[raw_before], EXPECTED_METRIC[raw_after]
    assert classify_change(MeasureKind.SWEMWBS, before, after) is expected
    # 11 → 16 is only 5 raw points; 28 → 29 would be 1 raw point: the metric decides.
    result = change_between(MeasureKind.SWEMWBS, before, after)
    assert result.difference == round(after - before, 2)


def test_change_from_scores_reports_direction_and_source() -> None:
    before = score_wemwbs([3] * 14)  # 42
    after = score_wemwbs([4] * 10 + [3] * 4)  # 52
    result = change_between(MeasureKind.WEMWBS, before, after)
    assert result == ChangeResult(
        MeasureKind.WEMWBS,
        Change.CLEAR,
        1,
        10.0,
        "Maheswaran et al. 2012, Health and Quality of Life Outcomes 10:156",
    )
    assert result.summary == "Clear improvement (10 points)"
    # Raw 21 → 14 is metric 19.25 → 15.32.
    worse = change_between(MeasureKind.SWEMWBS, score_swemwbs([3] * 7), score_swemwbs([2] * 7))
    assert (worse.change, worse.direction) == (Change.CLEAR, -1)
    assert worse.source == "Shah et al. 2018, Health and Quality of Life Outcomes 16:239"
    assert worse.summary == "Clear decline (3.93 metric points)"
    assert change_between(MeasureKind.WEMWBS, 50, 51).summary == "No meaningful change (1 point)"


@given(scaled_kinds.flatmap(lambda k: st.tuples(st.just(k), answers(k), answers(k))))
def test_change_is_antisymmetric(case: tuple[MeasureKind, list[int], list[int]]) -> None:
    kind, first, second = case
    a, b = score(kind, first), score(kind, second)
    forward = change_between(kind, a, b)
    backward = change_between(kind, b, a)
    assert forward.change is backward.change
    assert forward.direction == -backward.direction
    assert forward.difference == -backward.difference
    assert change_between(kind, a, a) == ChangeResult(kind, Change.NONE, 0, 0.0, forward.source)


def test_ons4_has_no_change_thresholds() -> None:
    ons = score_ons4([5, 5, 5, 5])
    with pytest.raises(ValidationError, match="ONS4 has no individual-change thresholds"):
        classify_change(MeasureKind.ONS4, ons, ons)
    with pytest.raises(ValidationError):
        band_thresholds(MeasureKind.ONS4)


@pytest.mark.parametrize(
    ("kind", "before", "after", "message"),
    [
        (MeasureKind.SWEMWBS, 20, 24, "convert the raw sum first"),  # raw sums, not metric
        (MeasureKind.SWEMWBS, 19.25, 40.0, "convert the raw sum first"),
        (MeasureKind.WEMWBS, 13, 40, "earlier WEMWBS total"),
        (MeasureKind.WEMWBS, 40, 71, "later WEMWBS total"),
        (MeasureKind.WEMWBS, 40.5, 41, "whole number"),
        (MeasureKind.WEMWBS, True, 41, "whole number"),
    ],
)
def test_impossible_scores_are_not_compared(
    kind: MeasureKind, before: float, after: float, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        change_between(kind, before, after)


def test_scores_of_different_scales_are_not_compared() -> None:
    short = score_swemwbs([3] * 7)
    with pytest.raises(ValidationError, match="earlier score is a SWEMWBS"):
        classify_change(MeasureKind.WEMWBS, short, 50)
    with pytest.raises(ValidationError, match="later score is an ONS4"):
        classify_change(MeasureKind.SWEMWBS, short, score_ons4([1, 2, 3, 4]))


# -- using the scores well -----------------------------------------------------------------


def test_band_thresholds_and_norms() -> None:
    assert band_thresholds(MeasureKind.WEMWBS) == (3.0, 8.0)
    assert band_thresholds(MeasureKind.SWEMWBS) == (1.0, 3.0)
    assert population_norm(MeasureKind.WEMWBS) is WEMWBS_NORM
    assert (WEMWBS_NORM.mean_men, WEMWBS_NORM.mean_women) == (50.1, 49.6)
    assert (SWEMWBS_NORM.mean_men, SWEMWBS_NORM.mean_women) == (23.7, 23.2)
    with pytest.raises(ValidationError):
        population_norm(MeasureKind.ONS4)


def test_evaluation_minimum() -> None:
    assert MIN_PAIRED_FOR_EVALUATION == 30
    assert evaluation_caveat(30) is None
    assert evaluation_caveat(29) == (
        "Only 29 people have scores at two time points; an average change needs at least 30 "
        "before it can be relied on."
    )
