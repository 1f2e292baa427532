"""A person registered twice counts once in the reports once the records are found to be
one person, and their own record (the PDF, read back with pdftotext) holds both records'
history."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from linksdesk.casework import contacts, merging, notes, own_record, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ContactKind
from linksdesk.reports.build import INTERNAL, report_from_store
from linksdesk.reports.scope import Period, Scope

MARCH = Scope(Period.parse("2026-03"))


@pytest.fixture
def cb(vault: Any) -> Iterator[Casebook]:
    book = Casebook(vault)
    yield book
    book.lock()


def _twice(cb: Casebook) -> tuple[str, str]:
    ids = []
    for when, words in ((dt.datetime(2026, 3, 2, 10), "FIRSTRECORDWORDS"),
                        (dt.datetime(2026, 3, 9, 10), "SECONDRECORDWORDS")):  # fmt: skip
        pid = participants.create_participant(
            cb, given_name="Isla", family_name="Twiceton", date_of_birth=dt.date(1970, 2, 3)
        ).value.id
        contacts.record_contact(cb, pid, kind=ContactKind.APPOINTMENT, at=when, minutes=30)
        notes.write_note(cb, pid, words)
        ids.append(pid)
    return ids[0], ids[1]


def _worked_with(cb: Casebook) -> int:
    table = (
        report_from_store(cb.store, MARCH, audience=INTERNAL).section("caseload").table("caseload")
    )
    return int(table.rows[-1][table.column_index("worked_with")])


def test_a_person_registered_twice_counts_once_once_merged(cb: Casebook) -> None:
    first, second = _twice(cb)
    assert _worked_with(cb) == 2  # two records, counted as two people until found out
    merging.merge_records(cb, first, second)
    assert _worked_with(cb) == 1
    merging.separate_records(cb, second)
    assert _worked_with(cb) == 2


def test_the_own_record_pdf_holds_both_records_history(cb: Casebook, tmp_path: Path) -> None:
    first, second = _twice(cb)
    # the second registration spelled the family name another way: the record holds it
    participants.edit_participant(cb, second, family_name="Twyceton")
    second_id = participants.get_participant(cb, second).programme_id
    merging.merge_records(cb, first, second)
    for asked in (first, second):  # a subject access request from either id
        pdf = own_record.record_pdf(cb, asked, include_private=False).pdf
        out = tmp_path / "record.pdf"
        out.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "FIRSTRECORDWORDS" in text and "SECONDRECORDWORDS" in text
        # the other programme id the person was registered under, and what that record holds
        assert f"Also recorded as {second_id}" in text
        assert "Twyceton" in text
