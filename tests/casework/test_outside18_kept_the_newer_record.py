"""Outside check 18: a worker opens the newer of two records of one person and finds the
older one as the same person (Same person as…, the open record kept). The lists' SQL
broke a pair's tie ("of a pair marked into each other, the lower id is kept") with a
comparison that was NULL when the kept record had no mark, so every record merged into a
newer one stayed on the caseload as a person of its own, its visits out of the person's
figures and its diary entries under its own name."""

from __future__ import annotations

import datetime as dt

from linksdesk.casework import contacts, lists, merging, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.core.vocab import ContactKind

TODAY = dt.date(2025, 6, 2)


def test_the_older_record_merged_into_the_newer_is_listed_once(cb: Casebook) -> None:
    older = participants.create_participant(cb, given_name="Isla", family_name="Twiceton")
    newer = participants.create_participant(cb, given_name="Isla", family_name="Twyceton")
    seen = dt.datetime(2025, 5, 26, 11)
    contacts.record_contact(cb, older.value.id, kind=ContactKind.HOME_VISIT, at=seen)

    merging.merge_records(cb, newer.value.id, older.value.id)  # the newer record kept

    q = CaseloadQuery(today=TODAY)
    (row,) = lists.caseload(cb, q).rows
    assert row.participant_id == newer.value.id
    assert row.last_contact == seen and row.appointments_used == 1
    (entry,) = lists.diary(cb, dt.date(2025, 5, 26), days=1)
    assert entry.display_name == "Isla Twyceton"
    assert entry.programme_id == newer.value.programme_id
    found = lists.caseload(cb, CaseloadQuery(today=TODAY, text="Twiceton")).rows
    assert [r.participant_id for r in found] == [newer.value.id]
