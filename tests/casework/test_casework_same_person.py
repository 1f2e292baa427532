"""Two records of one person brought together ("these two records are one person"), through
the use cases, on a real vault: one person in every read, nothing moved, undone whole."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from linksdesk.casework import (
    consent,
    contacts,
    erasure,
    goals,
    lists,
    merging,
    notes,
    own_record,
    participants,
    record,
)
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import CaseloadQuery, Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import ConsentScope, ContactKind
from linksdesk.storage import people
from linksdesk.storage.store import participant_shared
from linksdesk.storage.tables import Contact, ErasureReceipt
from linksdesk.storage.tables import Participant as ParticipantRow

WHEN = dt.datetime(2025, 3, 4, 10, 0)


def _twice(cb: Casebook) -> tuple[Participant, Participant]:
    """The same person registered twice (a laptop offline, or back after months)."""
    first = participants.create_participant(
        cb, given_name="Isla", family_name="Twiceton", date_of_birth=dt.date(1970, 2, 3)
    ).value
    second = participants.create_participant(
        cb, given_name="Isla", family_name="Twiceton", date_of_birth=dt.date(1970, 2, 3)
    ).value
    return first, second


def _history(cb: Casebook, first: Participant, second: Participant) -> None:
    contacts.record_contact(cb, first.id, kind=ContactKind.PHONE, at=WHEN, minutes=20)
    contacts.record_contact(cb, second.id, kind=ContactKind.HOME_VISIT, at=WHEN, minutes=45)
    notes.write_note(cb, second.id, "Talked about the walking group.")
    goals.set_goal(cb, second.id, "Walk twice a week")


def test_merged_records_read_as_one_person_and_nothing_moves(cb: Casebook) -> None:
    first, second = _twice(cb)
    _history(cb, first, second)
    check = merging.check_same_person(cb, first.id, second.id)
    assert check.problem is None
    assert dict(check.other.counts)["contact"] == 1
    assert dict(check.other.counts)["note"] == 1

    merging.merge_records(cb, first.id, second.id)

    for opened in (first.id, second.id):  # the other record's id opens the person too
        data = record.open_record(cb, opened)
        assert data.participant.id == first.id
        assert data.participant.programme_id == first.programme_id
        assert [p.programme_id for p in data.same_person] == [second.programme_id]
        assert len(data.contacts) == 2
        assert len(data.notes) == 1 and len(data.goals) == 1
        assert data.appointments.used == 2
    # listed once, under the kept record; found by either programme id
    listed = lists.caseload_ids(cb, CaseloadQuery())
    assert first.id in listed and second.id not in listed
    assert [p.id for p in participants.find_participants(cb, second.programme_id)] == [first.id]
    # no row moved between participants: each stays routed by its own record
    with cb.store.read() as s:
        owners = {c.participant_id for c in s.scalars(select(Contact))}
        assert owners == {first.id, second.id}
        assert people.kept_id(s, second.id) == first.id
    # the person's own record holds both records' history
    rows = own_record._read
    with cb.store.read() as s:
        read = rows(s, second.id)
    assert read.person.id == first.id
    assert len(read.contacts) == 2 and len(read.notes) == 1


def test_undo_restores_both_records_as_they_were(cb: Casebook) -> None:
    first, second = _twice(cb)
    _history(cb, first, second)
    merging.merge_records(cb, first.id, second.id)
    # written to the merged-away record meanwhile (the other laptop, still offline)
    contacts.record_contact(cb, second.id, kind=ContactKind.PHONE, at=WHEN, minutes=5)
    merging.separate_records(cb, second.id)

    kept = record.open_record(cb, first.id)
    other = record.open_record(cb, second.id)
    assert kept.participant.id == first.id and other.participant.id == second.id
    assert kept.same_person == () and other.same_person == ()
    assert len(kept.contacts) == 1
    assert len(other.contacts) == 2 and len(other.notes) == 1 and len(other.goals) == 1
    listed = lists.caseload_ids(cb, CaseloadQuery())
    assert first.id in listed and second.id in listed
    with pytest.raises(ValidationError, match="not merged"):
        merging.separate_records(cb, second.id)


def test_a_withdrawal_on_either_record_applies_to_the_person(cb: Casebook) -> None:
    first, second = _twice(cb)
    for p in (first, second):
        consent.record_consent(cb, p.id, ConsentScope.TEAM, True)
    merging.merge_records(cb, first.id, second.id)
    # recorded on the record merged away (a worker who found it from an old letter)
    consent.record_consent(cb, second.id, ConsentScope.TEAM, False)
    with cb.store.read() as s:
        assert not participant_shared(s, first.id)
        assert not participant_shared(s, second.id)
    assert not record.open_record(cb, first.id).consent[ConsentScope.TEAM].given


def test_merging_takes_the_most_restrictive_consent_and_undo_gives_it_back(cb: Casebook) -> None:
    first, second = _twice(cb)
    consent.record_consent(cb, first.id, ConsentScope.TEAM, True)
    consent.record_consent(cb, first.id, ConsentScope.EVALUATION, True)
    consent.record_consent(cb, second.id, ConsentScope.TEAM, True)
    consent.record_consent(cb, second.id, ConsentScope.EVALUATION, False)  # said no, once
    merging.merge_records(cb, first.id, second.id)
    shown = record.open_record(cb, first.id).consent
    assert shown[ConsentScope.TEAM].given
    assert not shown[ConsentScope.EVALUATION].given  # never widened by the merge
    kept_eval = consent.current_consent_of_record(cb, first.id)[ConsentScope.EVALUATION]
    assert kept_eval is not None and not kept_eval.given  # recorded on the kept record too

    merging.separate_records(cb, second.id)
    back = consent.current_consent_of_record(cb, first.id)[ConsentScope.EVALUATION]
    assert back is not None and back.given  # as it was before the merge
    still = consent.current_consent_of_record(cb, second.id)[ConsentScope.EVALUATION]
    assert still is not None and not still.given


def test_a_shared_record_is_not_merged_into_an_unshared_one(cb: Casebook) -> None:
    first, second = _twice(cb)
    consent.record_consent(cb, second.id, ConsentScope.TEAM, True)
    assert "Keep" in (merging.check_same_person(cb, first.id, second.id).problem or "")
    with pytest.raises(ValidationError, match="shared with the team"):
        merging.merge_records(cb, first.id, second.id)
    with pytest.raises(ValidationError, match="itself"):
        merging.merge_records(cb, first.id, first.id)
    merging.merge_records(cb, second.id, first.id)  # the other way round is fine
    with pytest.raises(ValidationError, match="already"):
        merging.merge_records(cb, second.id, first.id)


def test_erasing_the_person_erases_both_records(cb: Casebook) -> None:
    first, second = _twice(cb)
    _history(cb, first, second)
    merging.merge_records(cb, first.id, second.id)
    receipt = erasure.erase_participant(cb, first.id).value
    assert receipt.rows_removed >= 6
    with cb.store.read() as s:
        assert s.scalars(select(ParticipantRow)).all() == []
        assert {r.participant_id for r in s.scalars(select(ErasureReceipt))} == {
            first.id,
            second.id,
        }


def test_marks_that_go_round_keep_the_lowest_id_everywhere() -> None:
    # two laptops offline each merged the pair the other way: both marks arrive
    assert people.resolve({"b": "a", "a": "b"}, {"a", "b"}) == {"b": "a"}
    # a person found three times, in two merges
    assert people.resolve({"c": "b", "b": "a"}, {"a", "b", "c"}) == {"c": "a", "b": "a"}
    # a mark naming a record not held here is no mark here
    assert people.resolve({"b": "x"}, {"b"}) == {}
