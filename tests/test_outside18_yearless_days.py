"""Outside check 18: a day and month typed without a year, around the year's end.

"6/1" typed in December was read as this year's 6 January, eleven months gone: a booking or
a goal's review landed in the past. A field that looks ahead reads a yearless day as the
next such day from today; a field about the past as the latest such day not after today
(a score typed "28/12" on 3 January is last December's, not one eleven months ahead).
Fields that say neither (a month of a report, a date of birth) read it in this year, as
before.
"""

from __future__ import annotations

import datetime as dt

import pytest

from linksdesk.core.typed_dates import read_date

DECEMBER = dt.date(2026, 12, 6)
JANUARY = dt.date(2027, 1, 3)


@pytest.mark.parametrize(
    ("typed", "today", "meant"),
    [
        ("6/1", DECEMBER, dt.date(2027, 1, 6)),
        ("6 Jan", DECEMBER, dt.date(2027, 1, 6)),
        ("6/12", DECEMBER, dt.date(2026, 12, 6)),  # today is no day gone
        ("20/12", DECEMBER, dt.date(2026, 12, 20)),
        ("5/12", DECEMBER, dt.date(2027, 12, 5)),
        ("29/2", DECEMBER, dt.date(2028, 2, 29)),  # the next 29 February there is
        ("6/1/2026", DECEMBER, dt.date(2026, 1, 6)),  # a year typed is the year meant
        ("tomorrow", DECEMBER, dt.date(2026, 12, 7)),
    ],
)
def test_a_field_that_looks_ahead_reads_a_yearless_day_as_the_next_one(
    typed: str, today: dt.date, meant: dt.date
) -> None:
    assert read_date(typed, today, ahead=True) == meant


@pytest.mark.parametrize(
    ("typed", "today", "meant"),
    [
        ("28/12", JANUARY, dt.date(2026, 12, 28)),
        ("28 Dec", JANUARY, dt.date(2026, 12, 28)),
        ("3/1", JANUARY, dt.date(2027, 1, 3)),  # today is not in the future
        ("2/1", JANUARY, dt.date(2027, 1, 2)),
        ("6/1", DECEMBER, dt.date(2026, 1, 6)),
        ("29/2", JANUARY, dt.date(2024, 2, 29)),  # the latest 29 February there was
        ("28/12/2027", JANUARY, dt.date(2027, 12, 28)),  # typed in full: as typed, refused later
    ],
)
def test_a_field_about_the_past_reads_a_yearless_day_as_the_latest_not_after_today(
    typed: str, today: dt.date, meant: dt.date
) -> None:
    assert read_date(typed, today, ahead=False) == meant


def test_a_field_that_says_neither_reads_a_yearless_day_in_this_year_as_before() -> None:
    assert read_date("6/1", DECEMBER) == dt.date(2026, 1, 6)
    assert read_date("28/12", JANUARY) == dt.date(2027, 12, 28)
