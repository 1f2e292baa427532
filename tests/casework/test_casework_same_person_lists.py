"""A person registered twice, once found out, is one row in the worker's lists with the
figures of both records (last seen, next contact, open goals, appointments used), and a
diary entry or goal of the record merged away shows the person's kept record. Without this,
the caseload showed the kept record "not seen" while the person came every week under the
other record, and the diary named the other record."""

from __future__ import annotations

import datetime as dt

from linksdesk.casework import contacts, goals, lists, merging, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import CaseloadQuery
from linksdesk.core.vocab import ContactKind

TODAY = dt.date(2025, 6, 2)


def test_the_kept_row_holds_both_records_figures_and_the_diary_its_name(cb: Casebook) -> None:
    kept = participants.create_participant(
        cb, given_name="Isla", family_name="Twiceton", date_of_birth=dt.date(1970, 2, 3)
    ).value
    # registered again months later, the family name typed another way
    other = participants.create_participant(
        cb, given_name="Isla", family_name="Twyceton", date_of_birth=dt.date(1970, 2, 3)
    ).value
    alone = participants.create_participant(cb, given_name="Ann", family_name="Other").value
    at = dt.datetime(2025, 1, 6, 10)
    contacts.record_contact(cb, kept.id, kind=ContactKind.PHONE, at=at, minutes=20)
    seen = dt.datetime(2025, 5, 26, 11)
    contacts.record_contact(cb, other.id, kind=ContactKind.HOME_VISIT, at=seen, minutes=45)
    booked = dt.datetime(2025, 6, 4, 14)
    contacts.schedule_contact(cb, other.id, kind=ContactKind.APPOINTMENT, at=booked)
    review = TODAY - dt.timedelta(days=1)
    goals.set_goal(cb, other.id, "Walk twice a week", set_on=review, review_on=review)

    merging.merge_records(cb, kept.id, other.id)

    q = CaseloadQuery(today=TODAY)
    rows = {r.participant_id: r for r in lists.caseload(cb, q).rows}
    assert set(rows) == {kept.id, alone.id}
    nothing = rows[alone.id]  # someone else's figures hold none of the person's rows
    assert (nothing.last_contact, nothing.next_contact, nothing.open_goals) == (None, None, 0)
    assert nothing.appointments_used == 0
    row = rows[kept.id]
    assert row.participant_id == kept.id
    assert row.last_contact == seen and row.next_contact == booked
    assert row.open_goals == 1
    assert row.appointments_used == 3 == contacts.appointment_use(cb, kept.id).used
    assert lists.caseload_rows(cb, [kept.id], today=TODAY) == [row]
    # seen last week, as the other record: not "not seen lately"
    assert kept.id not in {r.participant_id for r in lists.not_seen(cb, weeks=8, today=TODAY)}
    (entry,) = lists.diary(cb, TODAY, days=7)
    assert entry.display_name == row.display_name == "Isla Twiceton"
    assert entry.programme_id == kept.programme_id
    (due,) = lists.goals_due_for_review(cb, by=TODAY)
    assert due.display_name == "Isla Twiceton" and due.programme_id == kept.programme_id

    merging.separate_records(cb, other.id)  # not the same person after all: two rows again
    rows = {r.participant_id: r for r in lists.caseload(cb, q).rows}
    assert rows[kept.id].last_contact == at and rows[kept.id].open_goals == 0
    assert rows[other.id].next_contact == booked
    (entry,) = lists.diary(cb, TODAY, days=7)
    assert entry.display_name == "Isla Twyceton"


def test_the_caseload_finds_the_person_by_either_records_name_or_programme_id(
    cb: Casebook,
) -> None:
    kept = participants.create_participant(
        cb, given_name="Morven", family_name="Keptfield", date_of_birth=dt.date(1981, 4, 5)
    ).value
    # registered again under her former family name, with a programme id of its own
    other = participants.create_participant(
        cb, given_name="Morven", family_name="Earlierby", date_of_birth=dt.date(1981, 4, 5)
    ).value
    participants.create_participant(cb, given_name="Morven", family_name="Elsewhere")

    def found(text: str) -> set[str]:
        return {r.participant_id for r in lists.caseload(cb, CaseloadQuery(text=text)).rows}

    assert found("Earlierby") == {other.id}
    merging.merge_records(cb, kept.id, other.id)
    # the worker types the name on an old letter, or the id on the person's old card: the
    # kept row is the person's, listed once
    assert found("Earlierby") == {kept.id}
    assert found("Morven Earlierby") == {kept.id}
    assert found(other.programme_id) == {kept.id}
    assert found("Keptfield") == {kept.id}
    assert found("Earlierby Elsewhere") == set()  # each word must be the one person's
    assert lists.caseload_ids(cb, CaseloadQuery(text="earlierby")) == [kept.id]

    merging.separate_records(cb, other.id)  # not the same person after all
    assert found("Earlierby") == {other.id}
