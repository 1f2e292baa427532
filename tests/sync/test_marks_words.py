"""The words a laptop says for an entered-in-error mark that could not reach the worker's
other laptop (or the colleague now holding the case) name the row by its kind and its day,
for every kind of row a worker can mark: "mark the same contact entered in error there"
is no help among twenty contacts. A case note was named by its day, the rest were not."""

from __future__ import annotations

import datetime as dt

import pytest

from linksdesk.core import registry
from linksdesk.core.item_words import named
from linksdesk.storage.tables import TABLE_BY_NAME
from linksdesk.sync.steps.marks import what

DAY = dt.date(2026, 3, 3)


def a_row(table: str, **days: dt.date | None) -> object:
    """A row of ``table`` with each of its day columns set (or as given); nothing else."""
    row = TABLE_BY_NAME[table]()
    for column in registry.days(table):
        kind = registry.BY_NAME[table].types[column].kind
        day = days.get(column, DAY)
        at = dt.datetime.combine(day, dt.time(10, 30)) if day and kind == "datetime" else day
        setattr(row, column, at)
    return row


@pytest.mark.parametrize("table", sorted(registry.MARKABLE_TABLES))
def test_every_kind_of_row_that_can_be_marked_is_named_by_its_day(table: str) -> None:
    said = what(table, a_row(table))
    assert said == f"the {named(table)} of 3 Mar 2026", said


def test_an_onward_referral_made_without_a_suggested_day_is_named_by_its_made_day() -> None:
    row = a_row("onward_referral", suggested_on=None, made_on=dt.date(2026, 4, 9))
    assert what("onward_referral", row) == "the onward referral of 9 Apr 2026"
