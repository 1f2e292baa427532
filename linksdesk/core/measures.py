"""Wellbeing measures (WEMWBS, SWEMWBS, ONS4): wording, scoring and change thresholds.

The wording, response options and conversion table are data in ``measures.toml`` beside this
module. Every fact there is listed, with its source, in docs/measures.md; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, overload

from linksdesk.core.datafiles import load_toml
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import Change, MeasureKind

# -- wording -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureItem:
    """One item (question) as it appears on the scale."""

    number: int  # 1-based position on this scale
    key: str  # stable name for storage and exports; never shown
    short_name: str  # what messages and charts call it
    statement: str  # the wording exactly as on the scale
    lower_is_better: bool = False  # only ONS4 anxiety


@dataclass(frozen=True)
class ResponseOption:
    """One box a person can tick, with the score it carries."""

    value: int
    label: str


@dataclass(frozen=True)
class MeasureDefinition:
    """Everything a form needs to show a measure and everything scoring needs to check it."""

    kind: MeasureKind
    title: str
    intro: str
    items: tuple[MeasureItem, ...]
    responses: tuple[ResponseOption, ...]
    copyright: str | None
    item_noun: str  # "item" on the Warwick-Edinburgh scales, "question" on ONS4

    @property
    def lowest(self) -> int:
        return self.responses[0].value

    @property
    def highest(self) -> int:
        return self.responses[-1].value


# the wording, the response options and the conversion table are data: measures.toml
_DATA: Final = load_toml("linksdesk.core", "measures.toml")
_WARWICK, _WEMWBS, _SWEMWBS, _ONS4 = (_DATA[k] for k in ("warwick", "wemwbs", "swemwbs", "ons4"))

WEMWBS_COPYRIGHT: Final[str] = _WEMWBS["copyright"]
SWEMWBS_COPYRIGHT: Final[str] = _SWEMWBS["copyright"]
WARWICK_INTRO: Final[str] = _WARWICK["intro"]
WARWICK_RESPONSES: Final = tuple(
    ResponseOption(value, label) for value, label in enumerate(_WARWICK["responses"], start=1)
)


def _items(
    wording: list[list[str]], lower_is_better: Sequence[str] = ()
) -> tuple[MeasureItem, ...]:
    """Items from (key, short name, statement) in scale order."""
    return tuple(
        MeasureItem(number, key, short, statement, key in lower_is_better)
        for number, (key, short, statement) in enumerate(wording, start=1)
    )


WEMWBS_ITEMS: Final = _items(_WEMWBS["items"])
# The short form keeps some WEMWBS items, in WEMWBS order (docs/measures.md).
SWEMWBS_ITEMS: Final = _items(
    [
        [item.key, item.short_name, item.statement]
        for key in _SWEMWBS["items"]
        for item in WEMWBS_ITEMS
        if item.key == key
    ]
)

ONS4_INTRO: Final[str] = _ONS4["intro"]
ONS4_QUESTIONS: Final = _items(_ONS4["items"], _ONS4["lower_is_better"])
ONS4_RESPONSES: Final = tuple(
    ResponseOption(n, _ONS4["responses"].get(str(n), str(n))) for n in range(11)
)


def _definition(
    kind: MeasureKind,
    declared: Mapping[str, Any],
    items: tuple[MeasureItem, ...],
    responses: tuple[ResponseOption, ...],
) -> MeasureDefinition:
    intro = declared.get("intro", WARWICK_INTRO)  # the two Warwick-Edinburgh scales share one
    copyright_ = declared.get("copyright")
    return MeasureDefinition(
        kind, declared["title"], intro, items, responses, copyright_, declared["item_noun"]
    )


DEFINITIONS: Final[Mapping[MeasureKind, MeasureDefinition]] = MappingProxyType(
    {
        MeasureKind.WEMWBS: _definition(
            MeasureKind.WEMWBS, _WEMWBS, WEMWBS_ITEMS, WARWICK_RESPONSES
        ),
        MeasureKind.SWEMWBS: _definition(
            MeasureKind.SWEMWBS, _SWEMWBS, SWEMWBS_ITEMS, WARWICK_RESPONSES
        ),
        MeasureKind.ONS4: _definition(MeasureKind.ONS4, _ONS4, ONS4_QUESTIONS, ONS4_RESPONSES),
    }
)


def definition(kind: MeasureKind) -> MeasureDefinition:
    """The wording and response options of one measure."""
    return DEFINITIONS[MeasureKind(kind)]


def copyright_line(kind: MeasureKind) -> str | None:
    """The line that must be shown wherever the scale is; None for ONS4, which has none."""
    return definition(kind).copyright


# -- SWEMWBS raw score to Rasch metric score (the table in docs/measures.md) ---------------

SWEMWBS_METRIC: Final[Mapping[int, float]] = MappingProxyType(
    {int(raw): float(metric) for raw, metric in _SWEMWBS["metric"].items()}
)

_SWEMWBS_METRIC_VALUES: Final = frozenset(SWEMWBS_METRIC.values())


def swemwbs_metric(raw: int) -> float:
    """The Rasch metric score for a SWEMWBS raw total (7–35)."""
    if not _is_whole(raw) or raw not in SWEMWBS_METRIC:
        raise ValidationError("A SWEMWBS raw score must be a whole number from 7 to 35.")
    return SWEMWBS_METRIC[raw]


# -- scores --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureScore:
    """A scored measure. Build it with ``score`` or a ``score_*`` function, which validate."""

    kind: MeasureKind
    items: tuple[int, ...]
    total: int | None
    metric: float | None

    @property
    def comparable(self) -> float | None:
        """The number change is judged on: WEMWBS total, SWEMWBS metric, none for ONS4."""
        if self.kind is MeasureKind.SWEMWBS:
            return self.metric
        if self.kind is MeasureKind.WEMWBS and self.total is not None:
            return float(self.total)
        return None


@dataclass(frozen=True)
class WemwbsScore(MeasureScore):
    """WEMWBS: ``total`` is the sum of the 14 items (14–70); there is no metric score."""

    total: int
    metric: None = None


@dataclass(frozen=True)
class SwemwbsScore(MeasureScore):
    """SWEMWBS: ``total`` is the raw sum (7–35); ``metric`` its Rasch metric score.

    Any analysis must use ``metric``, never the raw sum.
    """

    total: int
    metric: float

    @property
    def raw(self) -> int:
        return self.total


class _Answer:
    """One ONS4 answer, read at the place measures.toml gives its question."""

    def __init__(self, key: str) -> None:
        self.index = next(q.number - 1 for q in ONS4_QUESTIONS if q.key == key)

    @overload
    def __get__(self, score: None, owner: type) -> _Answer: ...
    @overload
    def __get__(self, score: MeasureScore, owner: type) -> int: ...
    def __get__(self, score: MeasureScore | None, owner: type) -> int | _Answer:
        return self if score is None else score.items[self.index]


@dataclass(frozen=True)
class Ons4Score(MeasureScore):
    """ONS4: four answers 0–10, reported one by one and never summed."""

    total: None = None
    metric: None = None

    life_satisfaction = _Answer("life_satisfaction")
    worthwhile = _Answer("worthwhile")
    happiness = _Answer("happy_yesterday")
    anxiety = _Answer("anxious_yesterday")  # lower is better


class MeasureItemError(ValidationError):
    """A measure that cannot be scored; ``item_numbers`` (1-based) lets a form select the field."""

    def __init__(self, message: str, item_numbers: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.item_numbers = item_numbers


def score_wemwbs(items: Sequence[int | None]) -> WemwbsScore:
    """Score a WEMWBS: 14 answers 1–5, total 14–70."""
    values = _validated(definition(MeasureKind.WEMWBS), items)
    return WemwbsScore(MeasureKind.WEMWBS, values, sum(values))


def score_swemwbs(items: Sequence[int | None]) -> SwemwbsScore:
    """Score a SWEMWBS: 7 answers 1–5, raw 7–35 converted to the Rasch metric score."""
    values = _validated(definition(MeasureKind.SWEMWBS), items)
    raw = sum(values)
    return SwemwbsScore(MeasureKind.SWEMWBS, values, raw, SWEMWBS_METRIC[raw])


def score_ons4(items: Sequence[int | None]) -> Ons4Score:
    """Check the four ONS4 answers (0–10); they are kept per question and never summed."""
    values = _validated(definition(MeasureKind.ONS4), items)
    return Ons4Score(MeasureKind.ONS4, values)


def score(kind: MeasureKind, items: Sequence[int | None]) -> MeasureScore:
    """Score any measure by kind."""
    kind = MeasureKind(kind)
    if kind is MeasureKind.WEMWBS:
        return score_wemwbs(items)
    if kind is MeasureKind.SWEMWBS:
        return score_swemwbs(items)
    return score_ons4(items)


def _is_whole(value: object) -> bool:
    # bool is an int subclass, but True is not an answer on any of these scales.
    return isinstance(value, int) and not isinstance(value, bool)


def _article(label: str) -> str:
    return "an" if label[0] in "AEIOU" else "a"


def _item_name(measure: MeasureDefinition, item: MeasureItem) -> str:
    return f"{measure.item_noun.capitalize()} {item.number} ({item.short_name})"


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _validated(measure: MeasureDefinition, items: Sequence[int | None]) -> tuple[int, ...]:
    """The answers as plain ints, or a MeasureItemError naming every answer that is wrong."""
    label = measure.kind.label
    noun = measure.item_noun
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        raise MeasureItemError(
            f"{_article(label).capitalize()} {label} needs a list of {noun} scores."
        )
    expected = len(measure.items)
    if len(items) != expected:
        given = f"{len(items)} {'was' if len(items) == 1 else 'were'} given"
        raise MeasureItemError(
            f"{_article(label).capitalize()} {label} has {expected} {noun}s, but {given}."
        )
    low, high = measure.lowest, measure.highest
    problems: list[str] = []
    missing: list[str] = []
    bad: list[int] = []
    for item, value in zip(measure.items, items, strict=True):
        name = _item_name(measure, item)
        if value is None:
            missing.append(name)
        elif not _is_whole(value):
            # The value itself is not echoed: it could be any text someone typed.
            problems.append(f"{name} is not a whole number from {low} to {high}.")
        elif not low <= value <= high:
            problems.append(f"{name} is {value}, outside {low} to {high}.")
        else:
            continue
        bad.append(item.number)
    if missing:
        listed = _listed([missing[0], *(m[0].lower() + m[1:] for m in missing[1:])])
        verb = "is" if len(missing) == 1 else "are"
        problems.append(
            f"{listed} {verb} missing: {_article(label)} {label} with a missing "
            f"{'answer' if noun == 'question' else noun} cannot be scored."
        )
    if problems:
        raise MeasureItemError(" ".join(problems), tuple(bad))
    # int() drops int subclasses (e.g. IntEnum) so scores compare and store as plain ints.
    return tuple(int(v) for v in items if v is not None)


# -- change between two scores -------------------------------------------------------------


@dataclass(frozen=True)
class ChangeThresholds:
    """Individual-change thresholds for one scale and where they come from."""

    kind: MeasureKind
    possible: float  # at least this much: a possible (meaningful) change
    clear: float  # at least this much: a clear, statistically important change
    source: str


WEMWBS_SOURCE: Final = "Maheswaran et al. 2012, Health and Quality of Life Outcomes 10:156"
SWEMWBS_SOURCE: Final = "Shah et al. 2018, Health and Quality of Life Outcomes 16:239"

THRESHOLDS: Final[Mapping[MeasureKind, ChangeThresholds]] = MappingProxyType(
    {
        # SEM 2.4–3.1 points: 3 ≈ 1 SEM, 8 ≈ 2.77 SEM.
        MeasureKind.WEMWBS: ChangeThresholds(MeasureKind.WEMWBS, 3.0, 8.0, WEMWBS_SOURCE),
        # 1 SEM = 1.03 metric points, 2.77 SEM = 2.87.
        MeasureKind.SWEMWBS: ChangeThresholds(MeasureKind.SWEMWBS, 1.0, 3.0, SWEMWBS_SOURCE),
    }
)


def thresholds(kind: MeasureKind) -> ChangeThresholds:
    """The change thresholds of WEMWBS or SWEMWBS; ONS4 has none."""
    kind = MeasureKind(kind)
    if kind not in THRESHOLDS:
        raise ValidationError(
            f"{kind.label} has no individual-change thresholds: compare its answers one by one."
        )
    return THRESHOLDS[kind]


def band_thresholds(kind: MeasureKind) -> tuple[float, float]:
    """(possible, clear) change sizes, for drawing meaningful-change bands on a chart."""
    t = thresholds(kind)
    return (t.possible, t.clear)


@dataclass(frozen=True)
class ChangeResult:
    """How far a score moved, how much that matters, and which way."""

    kind: MeasureKind
    change: Change
    direction: int  # 1 better, -1 worse, 0 the same (sign of the difference, whatever its size)
    difference: float  # after minus before: WEMWBS points or SWEMWBS metric points
    source: str

    @property
    def summary(self) -> str:
        """Plain words for a person, e.g. "Clear improvement (8 points)"."""
        if self.change is Change.NONE:
            words = "No meaningful change"
        else:
            way = "improvement" if self.direction > 0 else "decline"
            words = f"{self.change.label} {way}"
        size = abs(self.difference)
        unit = "point" if size == 1 else "points"
        if self.kind is MeasureKind.SWEMWBS:
            unit = f"metric {unit}"
        return f"{words} ({size:g} {unit})"


def classify_difference(kind: MeasureKind, difference: float) -> Change:
    """Classify a change of ``difference`` (either direction) against the scale's thresholds."""
    t = thresholds(kind)
    # Metric scores have two decimals; rounding stops float noise (0.9999…) missing a boundary.
    size = round(abs(difference), 2)
    if size >= t.clear:
        return Change.CLEAR
    if size >= t.possible:
        return Change.POSSIBLE
    return Change.NONE


def change_between(
    kind: MeasureKind, before: MeasureScore | float, after: MeasureScore | float
) -> ChangeResult:
    """Compare two scores of one person on the same scale.

    Scores may be given as ``MeasureScore`` or as numbers: a WEMWBS total (14–70), or a
    SWEMWBS *metric* score from the conversion table (never the raw sum).
    """
    t = thresholds(kind)
    first = _comparable(t.kind, before, "earlier")
    second = _comparable(t.kind, after, "later")
    difference = round(second - first, 2)
    direction = (difference > 0) - (difference < 0)
    return ChangeResult(
        t.kind, classify_difference(t.kind, difference), direction, difference, t.source
    )


def classify_change(
    kind: MeasureKind, before: MeasureScore | float, after: MeasureScore | float
) -> Change:
    """None, possible or clear change between two scores (see ``change_between`` for direction)."""
    return change_between(kind, before, after).change


def _comparable(kind: MeasureKind, value: MeasureScore | float, which: str) -> float:
    label = kind.label
    if isinstance(value, MeasureScore):
        if value.kind is not kind or value.comparable is None:
            raise ValidationError(
                f"The {which} score is {_article(value.kind.label)} {value.kind.label}, so it "
                f"cannot be compared with {_article(label)} {label}."
            )
        return value.comparable
    if kind is MeasureKind.WEMWBS:
        if not _is_whole(value) or not 14 <= value <= 70:
            raise ValidationError(f"The {which} WEMWBS total must be a whole number from 14 to 70.")
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"The {which} SWEMWBS score must be a metric score.")
    # Only the 29 table values are possible; anything else is most likely a raw sum.
    if round(float(value), 2) not in _SWEMWBS_METRIC_VALUES:
        raise ValidationError(
            f"The {which} SWEMWBS score is not a metric score from the conversion table; "
            "convert the raw sum first."
        )
    return round(float(value), 2)


# -- using the scores well -----------------------------------------------------------------


@dataclass(frozen=True)
class PopulationNorm:
    """A population average to set scores against."""

    kind: MeasureKind
    mean: float | None  # everyone, where the source gives it
    mean_men: float
    mean_women: float
    source: str


WEMWBS_NORM: Final = PopulationNorm(
    MeasureKind.WEMWBS, 50.0, 50.1, 49.6, "Health Survey for England 2016"
)
SWEMWBS_NORM: Final = PopulationNorm(
    MeasureKind.SWEMWBS, None, 23.7, 23.2, "Health Survey for England 2010–13 (metric scores)"
)

NORMS: Final[Mapping[MeasureKind, PopulationNorm]] = MappingProxyType(
    {MeasureKind.WEMWBS: WEMWBS_NORM, MeasureKind.SWEMWBS: SWEMWBS_NORM}
)


def population_norm(kind: MeasureKind) -> PopulationNorm:
    """The population average for WEMWBS or SWEMWBS; none is recorded for ONS4."""
    kind = MeasureKind(kind)
    if kind not in NORMS:
        raise ValidationError(f"No population average is recorded for {kind.label}.")
    return NORMS[kind]


MIN_PAIRED_FOR_EVALUATION: Final = 30
"""People with scores at two time points (or per group compared) an evaluation needs."""


def evaluation_caveat(paired: int) -> str | None:
    """The note to show beside an average change when too few people have two scores."""
    if paired >= MIN_PAIRED_FOR_EVALUATION:
        return None
    people = "person has" if paired == 1 else "people have"
    return (
        f"Only {paired} {people} scores at two time points; an average change needs at least "
        f"{MIN_PAIRED_FOR_EVALUATION} before it can be relied on."
    )


REGISTRATION_NOTE: Final = (
    "WEMWBS and SWEMWBS are free to use, but programmes must register with the University of "
    "Warwick."
)
ASSISTED_NOTE: Final = (
    "Help with completion (reading items out, filling in for the person) pushes scores up, "
    "so record whether completion was assisted."
)
