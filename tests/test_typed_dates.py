"""Dates as a tired worker types them are read the British way, or refused; never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from linksdesk.core.typed_dates import UnreadableDate, read_date, read_month, read_time

TODAY = dt.date(2026, 12, 5)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("14/03/1958", dt.date(1958, 3, 14)),
        ("14/3/58", dt.date(1958, 3, 14)),
        ("14.3.1958", dt.date(1958, 3, 14)),
        ("14-03-1958", dt.date(1958, 3, 14)),
        ("14 Mar 1958", dt.date(1958, 3, 14)),
        ("14 march 1958", dt.date(1958, 3, 14)),
        ("March 14th 1958", dt.date(1958, 3, 14)),
        ("  3/4/2026 ", dt.date(2026, 4, 3)),  # day first: 3 April, not 4 March
        ("2026-03-04", dt.date(2026, 3, 4)),  # ISO stays year-month-day
        ("5/1/27", dt.date(2027, 1, 5)),  # a booking early next year
        ("1/1/37", dt.date(1937, 1, 1)),  # more than ten years ahead: the century before
        ("14 Mar", dt.date(2026, 3, 14)),  # no year: this year
        ("14.3", dt.date(2026, 3, 14)),  # dotted as slashed: not a number 14.3
        ("25.12", dt.date(2026, 12, 25)),
        ("today", TODAY),
        ("Yesterday", dt.date(2026, 12, 4)),
        ("29/2/2024", dt.date(2024, 2, 29)),
        ("140358", dt.date(1958, 3, 14)),  # digits alone, as a GP system shows a birth date
        ("14031958", dt.date(1958, 3, 14)),
        ("050127", dt.date(2027, 1, 5)),
    ],
)
def test_what_people_type_is_read_as_they_meant_it(typed: str, meant: dt.date) -> None:
    assert read_date(typed, TODAY) == meant


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_field_is_no_date(typed: str) -> None:
    assert read_date(typed, TODAY) is None


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("14/13/1958", "not a date"),
        ("31/04/2026", "not a date"),
        ("2026-02-30", "no such day"),
        ("March 1958", "the day, the month and the year"),
        ("15", "the day, the month and the year"),
        ("1403", "the day, the month and the year"),
        ("14135800", "not a date"),
        ("next tuesday-ish", "not a date"),
        ("14/3/1858", "before 1900"),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_reason_and_no_echo(typed: str, says: str) -> None:
    with pytest.raises(UnreadableDate) as refused:
        read_date(typed, TODAY)
    message = str(refused.value)
    assert says in message
    assert typed.strip() not in message  # what was typed is not repeated into logs


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("14:30", dt.time(14, 30)),
        ("1430", dt.time(14, 30)),
        ("9.30", dt.time(9, 30)),
        ("930", dt.time(9, 30)),
        ("2pm", dt.time(14, 0)),
        ("2.30 pm", dt.time(14, 30)),
        ("12am", dt.time(0, 0)),
        ("noon", dt.time(12, 0)),
        ("14", dt.time(14, 0)),
    ],
)
def test_a_time_is_read_as_people_type_it(typed: str, meant: dt.time) -> None:
    assert read_time(typed) == meant


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("25:00", "no such time"),
        ("14:75", "no such time"),
        ("13pm", "no such time"),
        ("after lunch", "not a time"),
    ],
)
def test_a_time_it_cannot_read_is_refused_with_a_reason(typed: str, says: str) -> None:
    with pytest.raises(UnreadableDate) as refused:
        read_time(typed)
    assert says in str(refused.value) and typed not in str(refused.value)
    assert read_time("  ") is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("March 2026", dt.date(2026, 3, 1)),
        ("mar 2026", dt.date(2026, 3, 1)),
        ("3/2026", dt.date(2026, 3, 1)),
        ("2026-03", dt.date(2026, 3, 1)),
        ("dec 2025", dt.date(2025, 12, 1)),
        ("Dec 25", dt.date(2025, 12, 1)),  # a month and a two-digit year, not 25 December
        ("12/25", dt.date(2025, 12, 1)),
        ("3/26", dt.date(2026, 3, 1)),
        ("25 Dec", dt.date(2026, 12, 1)),  # a day and its month: this year's
        ("14/3/2026", dt.date(2026, 3, 1)),  # any day in it
        ("140326", dt.date(2026, 3, 1)),
    ],
)
def test_a_reports_month_is_read_as_people_type_it(typed: str, meant: dt.date) -> None:
    assert read_month(typed, TODAY) == meant


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("March", "Give the month and the year"),
        ("2026", "Give the month and the year"),
        ("13/2026", "not a month LinksDesk can read"),
        ("2026-13", "no such month"),
    ],
)
def test_a_month_it_cannot_read_is_refused_with_a_reason(typed: str, says: str) -> None:
    with pytest.raises(UnreadableDate, match=says):
        read_month(typed, TODAY)
