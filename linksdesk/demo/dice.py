"""Seeded chance for the demo caseload, and the invented details of synthetic people and places.

All randomness of the demo comes from one seeded ``random.Random``, so a seed always gives the
same caseload. Phone numbers are from the ranges reserved for drama; postcodes, streets and
areas come from :mod:`linksdesk.demo.words`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from enum import StrEnum
from typing import Final, TypeVar

from linksdesk.core.datafiles import load_toml
from linksdesk.demo import words

T = TypeVar("T")


def weighted(rng: random.Random, choices: dict[T, int] | Sequence[tuple[T, int]]) -> T:
    items = list(choices.items()) if isinstance(choices, dict) else list(choices)
    return rng.choices([c for c, _ in items], weights=[w for _, w in items], k=1)[0]


# how often each choice comes up where the weights are fixed: data, in weights.toml
WEIGHTS: Final[dict[str, dict[str, int]]] = load_toml("linksdesk.demo", "weights.toml")
E = TypeVar("E", bound=StrEnum)


def weights(vocab: type[E], table: str) -> dict[E, int]:
    """The weights of ``table`` keyed by the members of ``vocab`` they name."""
    return {vocab(value): weight for value, weight in WEIGHTS[table].items()}


def weekday(day: dt.date) -> dt.date:
    """Links workers see people on weekdays: a weekend date moves to the Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


class Dice:
    """One seeded ``random.Random`` and the small choices every part of the demo makes with it."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today

    # -- small helpers ----------------------------------------------------------------------
    def pick(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def days(self, lo: int, hi: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(lo, hi))

    def at(self, day: dt.date) -> dt.datetime:
        day = weekday(day)
        slot = self.rng.randint(0, 13)  # 09:30 to 16:00 in half hours
        return dt.datetime.combine(day, dt.time(9 + (slot + 1) // 2, 30 if slot % 2 == 0 else 0))

    def mobile(self) -> str:
        return f"07700 900{self.rng.randint(0, 999):03d}"

    def landline(self) -> str:
        return f"0141 496 0{self.rng.randint(0, 999):03d}"

    def postcode(self, district: str | None = None) -> str:
        letters = words.POSTCODE_LETTERS
        return (
            f"{district or self.pick(words.POSTCODE_DISTRICTS)} {self.rng.randint(1, 9)}"
            f"{self.pick(letters)}{self.pick(letters)}"
        )

    def street(self) -> str:
        return f"{self.pick(words.STREET_STEMS)} {self.pick(words.STREET_KINDS)}"

    def address(self, area: str) -> str:
        number = self.rng.randint(1, 180)
        if self.chance(0.45):  # tenement flats: floor/flat numbering
            flat = f"{self.rng.randint(0, 3)}/{self.rng.randint(1, 3)}"
            return f"Flat {flat}, {number} {self.street()}, {area}"
        return f"{number} {self.street()}, {area}"

    @staticmethod
    def slug(text: str) -> str:
        return (
            "".join(ch if ch.isalnum() else "-" for ch in text.lower())
            .strip("-")
            .replace("--", "-")
        )
