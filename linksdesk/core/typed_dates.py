"""A date as people type it ("14/3/58", "14 March 1958", "today"), read the British way."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from dateutil import parser as date_parser

# words people type for the days around today
_RELATIVE: Final = {"today": 0, "yesterday": -1, "tomorrow": 1}
# a year of two digits falls in the century that puts it at most this many years ahead
_TWO_DIGIT_YEAR_AHEAD: Final = 10
EARLIEST: Final = dt.date(1900, 1, 1)
EXAMPLE: Final = "14/3/1958"


class UnreadableDate(ValueError):
    """The text is not a whole date; ``str()`` says why in the worker's terms (no input)."""


def _iso(text: str) -> dt.date | None:
    # dateutil reads 2026-03-04 as 3 April when told days come first: ISO dates go apart
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UnreadableDate(f"There is no such day. Type it as {EXAMPLE}.") from None


def _digits_only(text: str) -> str:
    """Six or eight digits typed without separators are day, month and year, as a GP
    system shows them: "140358" is 14/03/58 (its two-digit year read as any other),
    "14031958" is 14/03/1958. The parser read "140358" as the year 2058."""
    if re.fullmatch(r"\d{6}|\d{8}", text):
        return f"{text[:2]}/{text[2:4]}/{text[4:]}"
    return text


def _parsed(text: str, default: dt.datetime) -> dt.datetime:
    try:
        return date_parser.parse(text, dayfirst=True, default=default)
    except (ValueError, OverflowError):
        # the library's message repeats the text; ours says what to do instead
        raise UnreadableDate(
            f"This is not a date LinksDesk can read. Type it as {EXAMPLE}."
        ) from None


def read_date(
    text: str, today: dt.date | None = None, *, ahead: bool | None = None
) -> dt.date | None:
    """The date ``text`` names, None for empty text; :class:`UnreadableDate` otherwise.

    Day first (14/3/1958 is 14 March). A day and month without a year are read by which
    way the field looks (:func:`yearless`): ``ahead`` True (a booking, a review) the next
    such day from today, False (a score, a contact that happened) the latest such day not
    after today, None (a date of birth, a report's month) this year's. A two-digit year is
    the latest that is at most ten years ahead (58 is 1958, 27 is 2027). A month without a
    day, or a number alone, is refused rather than guessed.
    """
    today = today or dt.date.today()
    words = text.strip().lower()
    if not words:
        return None
    if words in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[words])
    found = _iso(words)
    if found is None:
        if re.fullmatch(r"\d{1,2}\.\d{1,2}", words):
            words = words.replace(".", "/")  # "25.12" is a day and month, not 25.12 the number
        words = _digits_only(words)
        # read twice with different defaults: a part that changes with them was not typed
        # (both leap years, so a yearless 29 February is read, and given its year below)
        first = _parsed(words, dt.datetime(2000, 1, 1))
        second = _parsed(words, dt.datetime(2004, 2, 2))
        if first.day != second.day or first.month != second.month:
            raise UnreadableDate(f"Give the day, the month and the year, as {EXAMPLE}.")
        if first.year == second.year:
            year = _typed_year(first.year, words, today)
        else:
            year = yearless(first.month, first.day, today, ahead)
        try:
            found = dt.date(year, first.month, first.day)
        except ValueError:  # 29 February of a year that has none
            raise UnreadableDate(f"There is no such day. Type it as {EXAMPLE}.") from None
    if found < EARLIEST:
        raise UnreadableDate("That date is before 1900. Check the year.")
    return found


def yearless(month: int, day: int, today: dt.date, ahead: bool | None) -> int:
    """The year of a day and month typed without one: the rule, in one place.

    ``ahead`` True: the next such day from today (today itself included), so "6/1" typed in
    December is next January, not eleven months gone. False: the latest such day not after
    today, so "28/12" typed in January is last December. None: this year. 29 February is
    the next (or latest) one there is.
    """
    if ahead is None:
        return today.year
    step = 1 if ahead else -1
    year = today.year
    for _ in range(9):  # a leap day is at most eight years away
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February of a year that has none, or no such day at all
            if not (month == 2 and day == 29):
                return today.year  # refused by the caller as no such day
            year += step
            continue
        if (candidate >= today) if ahead else (candidate <= today):
            return year
        year += step
    return today.year


def _typed_year(year: int, words: str, today: dt.date) -> int:
    """The year typed: two digits are the latest year at most ten years ahead."""
    if re.search(r"\d{3,}", words):
        return year
    return today.year + _TWO_DIGIT_YEAR_AHEAD - ((today.year + _TWO_DIGIT_YEAR_AHEAD - year) % 100)


MONTH_EXAMPLE: Final = "March 2026"


def read_month(text: str, today: dt.date | None = None) -> dt.date | None:
    """The first day of the month ``text`` names, None for empty text; :class:`UnreadableDate`
    otherwise: a month and its year ("March 2026", "3/2026", "2026-03", "Dec 25", "12/25"), or
    any whole date :func:`read_date` reads, taken as its month ("14/3/2026", "140326"). A
    month without its year, or a number alone, is refused rather than guessed."""
    today = today or dt.date.today()
    words = text.strip().lower()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})", words)
    if iso:
        if not 1 <= int(iso[2]) <= 12:
            raise UnreadableDate(f"There is no such month. Type it as {MONTH_EXAMPLE}.")
        words = f"1/{iso[2]}/{iso[1]}"
    # a month and a two-digit year, as on a card ("Dec 25", "12/25", "3/26"): read as a day
    # they would be the 25th of December this year
    short = re.fullmatch(r"([a-z]{3,9}\.?|\d{1,2})\s*[ /.-]\s*(\d{2})", words)
    if short and (not short[1].isdigit() or int(short[2]) > 12):
        words = f"1 {short[1]} {short[2]}"
    try:
        day = read_date(words, today)
    except UnreadableDate:
        try:
            first = _parsed(words, dt.datetime(2000, 1, 1))
            second = _parsed(words, dt.datetime(2001, 2, 2))
        except UnreadableDate:
            raise UnreadableDate(
                f"This is not a month LinksDesk can read. Type it as {MONTH_EXAMPLE}."
            ) from None
        if first.month != second.month or first.year != second.year:
            raise UnreadableDate(f"Give the month and the year, as {MONTH_EXAMPLE}.") from None
        day = dt.date(_typed_year(first.year, words, today), first.month, 1)
        if day < EARLIEST:
            raise UnreadableDate("That month is before 1900. Check the year.") from None
    return None if day is None else day.replace(day=1)


TIME_EXAMPLE: Final = "14:30"
_TIME = re.compile(r"(\d{1,2})(?:[:.h ]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")
_TIME_WORDS: Final = {"noon": dt.time(12), "midday": dt.time(12)}


def read_time(text: str) -> dt.time | None:
    """The time of day ``text`` names ("14:30", "1430", "9.30", "2pm", "noon"), None for
    empty text; :class:`UnreadableDate` otherwise. Without am or pm the clock is 24-hour."""
    words = text.strip().lower()
    if not words:
        return None
    if words in _TIME_WORDS:
        return _TIME_WORDS[words]
    found = _TIME.fullmatch(words)
    if found is None:
        raise UnreadableDate(f"This is not a time LinksDesk can read. Type it as {TIME_EXAMPLE}.")
    hour, minute = int(found[1]), int(found[2] or 0)
    if found[3]:
        if not 1 <= hour <= 12:
            raise UnreadableDate(f"There is no such time. Type it as {TIME_EXAMPLE}.")
        hour = hour % 12 + (12 if found[3].startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise UnreadableDate(f"There is no such time. Type it as {TIME_EXAMPLE}.")
    return dt.time(hour, minute)
