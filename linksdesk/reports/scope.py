"""What a report covers: a period of whole months, and one or all workers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from linksdesk.core.errors import ValidationError
from linksdesk.core.typed_dates import EARLIEST

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# the years a period may name: from the earliest date LinksDesk reads to well ahead of any
# record; a typed 0001 or 9999 is a slip, never a period
FIRST_YEAR = EARLIEST.year
LAST_YEAR = 2199


def _month(text: str) -> tuple[int, int]:
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError(
            f"'{text.strip()}' is not a month: write it as YYYY-MM, e.g. 2026-04."
        )
    return int(m.group(1)), int(m.group(2))


def day_words(day: dt.date) -> str:
    """A day as a board reads it: "31 March 2026"."""
    return f"{day.day} {day:%B %Y}"


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """Whole months from ``first`` to ``last`` inclusive."""

    first: dt.date  # the first day of the first month
    last: dt.date  # the last day of the last month

    @classmethod
    def months(cls, first: tuple[int, int], last: tuple[int, int]) -> Period:
        # a year typed wrong (0001, 9999) is said as such: a date outside Python's, or a
        # table of more months than a spreadsheet has columns, stopped LinksDesk as a bug
        for year, _month in (first, last):
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValidationError(
                    f"{year:04d} is not a year a report can cover: check the year "
                    f"({FIRST_YEAR} to {LAST_YEAR})."
                )
        start = dt.date(first[0], first[1], 1)
        ny, nm = _add_months(last[0], last[1], 1)
        end = dt.date(ny, nm, 1) - dt.timedelta(days=1)
        if end < start:
            raise ValidationError("The period ends before it starts.")
        return cls(start, end)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-04..2026-09`` (or one month, ``2026-04``)."""
        parts = text.split("..")
        if len(parts) > 2 or not parts[0].strip():
            raise ValidationError("Write the period as FIRST..LAST months, e.g. 2026-04..2026-09.")
        first = _month(parts[0])
        last = _month(parts[1]) if len(parts) == 2 else first
        return cls.months(first, last)

    @classmethod
    def last_twelve_months(cls, today: dt.date) -> Period:
        """The 12 whole months up to and including the current one (the default)."""
        first = _add_months(today.year, today.month, -11)
        return cls.months(first, (today.year, today.month))

    @property
    def month_keys(self) -> tuple[str, ...]:
        out = []
        y, m = self.first.year, self.first.month
        while (y, m) <= (self.last.year, self.last.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = _add_months(y, m, 1)
        return tuple(out)

    @property
    def label(self) -> str:
        keys = self.month_keys
        return keys[0] if len(keys) == 1 else f"{keys[0]}..{keys[-1]}"

    @property
    def words(self) -> str:
        """The period as a board reads it: "March 2026", "January to December 2026",
        "November 2025 to April 2026"."""
        first, last = self.first, self.last
        if (first.year, first.month) == (last.year, last.month):
            return f"{first:%B %Y}"
        if first.year == last.year:
            return f"{first:%B} to {last:%B %Y}"
        return f"{first:%B %Y} to {last:%B %Y}"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime):
            day = day.date()
        return isinstance(day, dt.date) and self.first <= day <= self.last


@dataclass(frozen=True)
class Scope:
    """A period and the workers it covers (``None``: every worker in the vault)."""

    period: Period
    workers: frozenset[str] | None = None
    team: str | None = None  # a name for the set of workers, shown in titles

    @classmethod
    def within_team(
        cls, period: Period, team: str, members: frozenset[str], workers: frozenset[str] | None
    ) -> Scope:
        """A team's workers, or those of ``workers`` in it. Named as the team only when it is
        the whole team: a report of one of its workers holds that worker's figures alone, and
        a board reading "Team …" above them took them for the team's."""
        if workers is None:
            return cls(period, members, team)
        return cls(period, workers & members)
