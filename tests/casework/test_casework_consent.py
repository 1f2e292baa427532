"""Consent: versions per scope, the latest decides, and team consent decides what is queued."""

from __future__ import annotations

import datetime as dt

import pytest
from casework_kit import outbox, queued_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from linksdesk.casework import (
    concerns,
    contacts,
    goals,
    measures,
    notes,
    onward,
    referrals,
    relationships,
    resources,
)
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import (
    consent_history,
    current_consent,
    record_consent,
    sharing_allowed,
)
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import ValidationError
from linksdesk.core.vocab import (
    ConcernStage,
    ConsentMethod,
    ConsentScope,
    ContactKind,
    MeasureContext,
    MeasureKind,
    OnwardKind,
    ParticipantStatus,
    ReferralSource,
    RelationshipKind,
)
from linksdesk.storage.store import participant_shared
from linksdesk.storage.tables import PARTICIPANT_LINKED, TABLE_BY_NAME
from linksdesk.storage.tables import Consent as ConsentRow

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _live_rows(cb: Casebook, participant_id: str) -> set[tuple[str, str]]:
    out = {("participant", participant_id)}
    with cb.store.read() as s:
        for name in PARTICIPANT_LINKED:
            table = TABLE_BY_NAME[name]
            ids = s.scalars(
                select(table.id).where(
                    table.participant_id == participant_id,  # type: ignore[attr-defined]
                    table.deleted.is_(False),
                )
            )
            out |= {(name, i) for i in ids}
    return out


def _record_everything(cb: Casebook, pid: str) -> str:
    """One row of every kind for the participant; returns the id of a private note."""
    referrals.record_referral(cb, pid, source=ReferralSource.GP, referrer="Dr Example")
    concerns.add_concern(cb, pid, "Housing", stage=ConcernStage.AT_REFERRAL)
    contact = contacts.record_contact(
        cb, pid, kind=ContactKind.APPOINTMENT, at=dt.datetime(2025, 2, 1, 10)
    ).value
    notes.write_note(cb, pid, "First meeting went well", contact_id=contact.id)
    private = notes.write_note(cb, pid, "Worker's own reminder", private=True).value
    goals.set_goal(cb, pid, "Get out more", steps=["Find a group"])
    relationships.add_relationship(cb, pid, RelationshipKind.FRIEND, "A neighbour", phone="0141")
    res = resources.add_resource(cb, organisation="Org", service="Lunch club").value
    onward.refer_onward(cb, pid, res.id, OnwardKind.SIGNPOST)
    measures.record_measure(cb, pid, MeasureKind.SWEMWBS, [3] * 7, context=MeasureContext.BASELINE)
    P.change_status(cb, pid, ParticipantStatus.ACTIVE)
    return private.id


def test_versions_history_and_latest_decides(cb: Casebook, person: Participant) -> None:
    record_consent(cb, person.id, ConsentScope.RECORD, True, method=ConsentMethod.WRITTEN)
    record_consent(cb, person.id, ConsentScope.EVALUATION, True)
    record_consent(cb, person.id, ConsentScope.EVALUATION, False, note="Changed their mind")
    history = consent_history(cb, person.id, ConsentScope.EVALUATION)
    assert [(c.version, c.given) for c in history] == [(1, True), (2, False)]
    assert len(consent_history(cb, person.id)) == 3
    current = current_consent(cb, person.id)
    assert current[ConsentScope.RECORD] is not None
    assert current[ConsentScope.RECORD].method is ConsentMethod.WRITTEN
    assert current[ConsentScope.GP] is None
    assert sharing_allowed(cb, person.id) == {
        ConsentScope.RECORD: True,
        ConsentScope.TEAM: False,
        ConsentScope.GP: False,
        ConsentScope.EVALUATION: False,
    }


def test_nothing_about_an_unconsented_participant_is_queued(
    cb: Casebook, person: Participant
) -> None:
    _record_everything(cb, person.id)
    tables = {o.table_name for o in outbox(cb)}
    assert tables == {"resource"}  # only the team's directory


def test_team_consent_backfills_everything_already_recorded(
    cb: Casebook, person: Participant
) -> None:
    private_note = _record_everything(cb, person.id)
    before = queued_rows(cb)
    given_ = record_consent(cb, person.id, ConsentScope.TEAM, True)
    queued = queued_rows(cb) - before
    expected = _live_rows(cb, person.id)
    private = {("note", private_note)} | {
        ("note_revision", r) for r in [notes.get_note(cb, private_note).latest.id]
    }
    assert queued == expected - private
    assert ("consent", given_.value.id) in queued
    # the consent reaches the server before the content it allows, then the participant
    # row before anything that points at it
    new = [o for o in outbox(cb) if (o.table_name, o.row_id) in queued]
    assert (new[0].table_name, new[0].row_id) == ("consent", given_.value.id)
    assert new[1].table_name == "participant"
    # local-only columns never enter the outbox, not even in a backfill
    rel = next(o for o in new if o.table_name == "relationship")
    assert "phone" not in rel.payload["fields"] and rel.payload["fields"]["name"] == "A neighbour"
    # later writes are queued as they happen
    later = notes.write_note(cb, person.id, "After consent").value
    assert ("note", later.id) in queued_rows(cb)


def test_withdrawing_team_consent_queues_nothing_more(cb: Casebook, person: Participant) -> None:
    record_consent(cb, person.id, ConsentScope.TEAM, True)
    unsent = notes.write_note(cb, person.id, "Queued while consent stood").value
    assert ("note", unsent.id) in queued_rows(cb)
    withdrawn = record_consent(
        cb, person.id, ConsentScope.TEAM, False, note="CANARY-withdrawal-note"
    ).value
    # what was queued but not yet sent does not leave after the withdrawal either; the
    # withdrawal itself does (so the server and other devices drop their copies), without
    # its note
    about = [o for o in outbox(cb) if o.payload.get("participant_id") == person.id]
    assert [(o.table_name, o.row_id) for o in about] == [("consent", withdrawn.id)]
    assert about[0].payload["fields"] == {
        "participant_id": person.id,
        "scope": "team",
        "given": False,
        "version": 2,
        "recorded_on": withdrawn.recorded_on.isoformat(),
        "method": withdrawn.method.value,
    }
    count = len(outbox(cb))
    hidden = notes.write_note(cb, person.id, "Written after withdrawal").value
    P.edit_participant(cb, person.id, phone="07700 900000")
    assert len(outbox(cb)) == count
    # given again: everything, including what was written meanwhile, is backfilled
    record_consent(cb, person.id, ConsentScope.TEAM, True)
    assert {("note", hidden.id), ("note", unsent.id)} <= queued_rows(cb)


def test_giving_team_consent_twice_does_not_backfill_twice(
    cb: Casebook, person: Participant
) -> None:
    record_consent(cb, person.id, ConsentScope.TEAM, True)
    count = len(outbox(cb))
    record_consent(cb, person.id, ConsentScope.TEAM, True, method=ConsentMethod.WRITTEN)
    assert len(outbox(cb)) == count + 1  # only the new consent version


scopes = st.sampled_from(list(ConsentScope))


@SETTINGS
@given(events=st.lists(st.tuples(scopes, st.booleans()), min_size=1, max_size=12))
def test_latest_recorded_version_per_scope_decides(
    cb: Casebook, events: list[tuple[ConsentScope, bool]]
) -> None:
    person = P.create_participant(cb, given_name="Con", family_name="Sent").value
    expected: dict[ConsentScope, bool] = {}
    counts: dict[ConsentScope, int] = {}
    for scope, value in events:
        record_consent(cb, person.id, scope, value)
        expected[scope] = value
        counts[scope] = counts.get(scope, 0) + 1
    allowed = sharing_allowed(cb, person.id)
    assert allowed == {s: expected.get(s, False) for s in ConsentScope}
    for scope in ConsentScope:
        history = consent_history(cb, person.id, scope)
        assert [c.version for c in history] == list(range(1, counts.get(scope, 0) + 1))
    with cb.store.read() as s:
        assert participant_shared(s, person.id) == expected.get(ConsentScope.TEAM, False)


@SETTINGS
@given(
    values=st.lists(st.booleans(), min_size=1, max_size=8),
    order=st.randoms(use_true_random=False),
)
def test_latest_version_decides_whatever_order_rows_arrive(
    cb: Casebook, values: list[bool], order: object
) -> None:
    """Rows arriving out of order (as sync may deliver them): the highest version decides."""
    person = P.create_participant(cb, given_name="Out", family_name="Oforder").value
    versions = list(enumerate(values, start=1))
    order.shuffle(versions)  # type: ignore[attr-defined]
    for version, value in versions:
        with cb.store.write() as tx:
            tx.insert(
                ConsentRow(
                    participant_id=person.id,
                    scope=ConsentScope.TEAM.value,
                    given=value,
                    version=version,
                    recorded_on=dt.date(2025, 1, 1),
                    method=ConsentMethod.VERBAL.value,
                )
            )
    assert sharing_allowed(cb, person.id)[ConsentScope.TEAM] is values[-1]
    current = current_consent(cb, person.id)[ConsentScope.TEAM]
    assert current is not None and current.version == len(values)
    with cb.store.read() as s:
        assert participant_shared(s, person.id) is values[-1]


def test_database_errors_never_quote_the_values(cb: Casebook) -> None:
    """hide_parameters: an IntegrityError's text names no value that was being written."""
    import sqlalchemy.exc

    from linksdesk.storage.tables import Consent as ConsentRow

    planted = "Zebracanary-hidden"
    with pytest.raises(sqlalchemy.exc.IntegrityError) as caught, cb.store.write() as tx:
        tx.insert(
            ConsentRow(
                participant_id="no-such-participant",
                scope="team",
                given=True,
                version=1,
                recorded_on=dt.date(2025, 1, 1),
                method="verbal",
                note=planted,
            )
        )
    assert planted not in str(caught.value)
    assert "no-such-participant" not in str(caught.value)


def test_a_form_found_late_dated_before_a_withdrawal_is_refused_not_deciding(
    cb: Casebook, person: Participant
) -> None:
    """The latest version decides whatever its date, so a signed form from March, recorded
    in June after a May withdrawal, undid the withdrawal. The dialog says so first; any
    other caller of the use case (the command line, a script) is refused the same."""
    march, may = dt.date(2025, 3, 3), dt.date(2025, 5, 5)
    record_consent(cb, person.id, ConsentScope.TEAM, True, recorded_on=march)
    record_consent(cb, person.id, ConsentScope.TEAM, False, recorded_on=may)
    with pytest.raises(ValidationError, match="dated before it would decide over it"):
        record_consent(cb, person.id, ConsentScope.TEAM, True, recorded_on=march)
    assert sharing_allowed(cb, person.id)[ConsentScope.TEAM] is False
    assert len(consent_history(cb, person.id, ConsentScope.TEAM)) == 2
    # dated the day of the withdrawal or later, it is what they say now
    record_consent(cb, person.id, ConsentScope.TEAM, True, recorded_on=may)
    assert sharing_allowed(cb, person.id)[ConsentScope.TEAM] is True
