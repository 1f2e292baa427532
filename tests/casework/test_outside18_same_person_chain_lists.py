"""Outside check 18: a person found three times. Records are merged one at a time (the
second record into the first; months later the first, with it, into a third), or on two
laptops (A into B on one, B into C on the other), so the marks make a chain A → B → C.
The record view followed the chain to its end, but the worker's lists followed a mark one
step: the caseload row of the person held none of the first record's visits (shown "not
seen" while the person came every week under it), and its diary entries named the middle
record."""

from __future__ import annotations

import datetime as dt

from linksdesk.casework import contacts, goals, lists, merging, participants, record
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.core.vocab import ContactKind

TODAY = dt.date(2025, 6, 2)


def test_a_chain_of_merges_is_one_person_in_every_list(cb: Casebook) -> None:
    def person(family: str) -> str:
        made = participants.create_participant(
            cb, given_name="Isla", family_name=family, date_of_birth=dt.date(1970, 2, 3)
        )
        return made.value.id

    first, middle, last = person("Twiceton"), person("Twyceton"), person("Thriceton")
    alone = person("Other")
    seen = dt.datetime(2025, 5, 26, 11)
    contacts.record_contact(cb, first, kind=ContactKind.HOME_VISIT, at=seen, minutes=45)
    booked = dt.datetime(2025, 6, 4, 14)
    contacts.schedule_contact(cb, first, kind=ContactKind.APPOINTMENT, at=booked)
    review = TODAY - dt.timedelta(days=1)
    goals.set_goal(cb, first, "Walk twice a week", set_on=review, review_on=review)

    merging.merge_records(cb, middle, first)  # the first record into the middle one
    merging.merge_records(cb, last, middle)  # months later, that one into the last
    assert record.open_record(cb, first).participant.id == last  # the record view: whole

    q = CaseloadQuery(today=TODAY)
    rows = {r.participant_id: r for r in lists.caseload(cb, q).rows}
    assert set(rows) == {last, alone}
    row = rows[last]
    assert row.last_contact == seen and row.next_contact == booked
    assert row.open_goals == 1 and row.appointments_used == 2
    assert lists.caseload_rows(cb, [last], today=TODAY) == [row]
    assert last not in {r.participant_id for r in lists.not_seen(cb, weeks=8, today=TODAY)}
    (entry,) = lists.diary(cb, TODAY, days=7)
    assert entry.display_name == row.display_name == "Isla Thriceton"
    (due,) = lists.goals_due_for_review(cb, by=TODAY)
    assert due.display_name == "Isla Thriceton"
    # found by the first record's name, as the person
    found = lists.caseload(cb, CaseloadQuery(today=TODAY, text="Twiceton")).rows
    assert [r.participant_id for r in found] == [last]
