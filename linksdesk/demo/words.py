"""Word lists for the synthetic demo caseload: invented names, places, phrases and resources.

Everything here is made up. Names are common first names and surnames combined at random, so
no generated person is a real individual. Places are invented neighbourhoods with a Glasgow
feel; phone numbers come from Ofcom's ranges reserved for drama (07700 900xxx, 0141 496 0xxx)
and e-mail addresses and websites use reserved example domains, so none of them reaches anyone.
"""

from __future__ import annotations

from typing import Any, Final

from linksdesk.core.datafiles import load_toml

# the lists themselves are data, in words.toml beside this module (its sections only group
# them for reading; every name is unique across them)
_WORDS: Final[dict[str, Any]] = {
    name: value
    for section in load_toml("linksdesk.demo", "words.toml").values()
    for name, value in section.items()
}
# every plain list of words, by the name the demo uses for it (``surnames`` is ``SURNAMES``)
_TEXTS: Final[dict[str, tuple[str, ...]]] = {
    name.upper(): tuple(value)
    for name, value in _WORDS.items()
    if isinstance(value, list) and all(isinstance(text, str) for text in value)
}


def __getattr__(name: str) -> tuple[str, ...]:
    """A plain word list of words.toml, e.g. ``words.SURNAMES``; the other shapes follow."""
    try:
        return _TEXTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def _texts_by(name: str) -> dict[str, tuple[str, ...]]:
    return {key: tuple(texts) for key, texts in _WORDS[name].items()}


# -- people: first names by rough birth cohort, split by the gender usually given to them --
FIRST_NAMES_OLDER: Final = _TEXTS["FEMALE_OLDER"] + _TEXTS["MALE_OLDER"]
FIRST_NAMES_MIDDLE: Final = _TEXTS["FEMALE_MIDDLE"] + _TEXTS["MALE_MIDDLE"]
FIRST_NAMES_YOUNGER: Final = _TEXTS["FEMALE_YOUNGER"] + _TEXTS["MALE_YOUNGER"]
FEMALE_NAMES: Final = _TEXTS["FEMALE_OLDER"] + _TEXTS["FEMALE_MIDDLE"] + _TEXTS["FEMALE_YOUNGER"]
MALE_NAMES: Final = _TEXTS["MALE_OLDER"] + _TEXTS["MALE_MIDDLE"] + _TEXTS["MALE_YOUNGER"]
FIRST_NAMES: Final = FIRST_NAMES_OLDER + FIRST_NAMES_MIDDLE + FIRST_NAMES_YOUNGER
NICKNAMES: Final[dict[str, str]] = dict(_WORDS["nicknames"])

# -- places --
POSTCODE_LETTERS: Final[str] = _WORDS["postcode_letters"]
GP_PRACTICE_WEIGHTS: Final[tuple[int, ...]] = tuple(_WORDS["gp_practice_weights"])
HOME_VISIT: Final[str] = _WORDS["home_visit"]

# -- concerns and goals --
CONCERN_WEIGHTS: Final[dict[str, int]] = dict(_WORDS["concern_weights"])
REFERRAL_REASONS: Final = _texts_by("referral_reasons")
CONCERN_DETAIL: Final = _texts_by("concern_detail")
CONCERN_SENTENCES: Final = _texts_by("concern_sentences")
# per concern: (goal, why it matters, steps), in the participant's own words
GOALS: Final[dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]]] = {
    concern: tuple((g["goal"], g["why"], tuple(g["steps"])) for g in goals)
    for concern, goals in _WORDS["goals"].items()
}

# -- relationships and onward referral outcomes --
FEMALE_RELATIONS: Final = frozenset(_TEXTS["FEMALE_RELATIONS"])
MALE_RELATIONS: Final = frozenset(_TEXTS["MALE_RELATIONS"])
# (who, what they do for the person)
SERVICE_CONTACTS: Final[tuple[tuple[str, str], ...]] = tuple(map(tuple, _WORDS["service_contacts"]))
GROUP_CONTACTS: Final[tuple[tuple[str, str], ...]] = tuple(map(tuple, _WORDS["group_contacts"]))
ADVICE_KINDS: Final = frozenset(_TEXTS["ADVICE_KINDS"])
OUTCOMES: Final = _texts_by("outcomes")

# -- the resource directory (ALISS-shaped) --
# (kind, categories, concerns it helps with, service names, organisation patterns), declared
# as data in resource_kinds.toml beside this module
RESOURCE_KINDS: Final[
    tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]
] = tuple(
    (
        entry["kind"],
        tuple(entry["categories"]),
        tuple(entry["concerns"]),
        tuple(entry["services"]),
        tuple(entry["organisations"]),
    )
    for entry in load_toml("linksdesk.demo", "resource_kinds.toml")["resource_kinds"]
)
