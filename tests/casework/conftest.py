"""Fixtures for casework tests: a Casebook over the real SQLCipher vault of tests/conftest.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from linksdesk.casework import participants
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant


@pytest.fixture
def cb(vault: Any) -> Iterator[Casebook]:
    book = Casebook(vault)
    yield book
    book.lock()


@pytest.fixture
def person(cb: Casebook) -> Participant:
    return participants.create_participant(
        cb,
        given_name="Morag",
        family_name="Testperson",
        date_of_birth=dt.date(1961, 5, 4),
        referred_on=dt.date(2025, 1, 6),
    ).value
