"""Referrals in, concerns from the configurable taxonomy, and relationships."""

from __future__ import annotations

import datetime as dt

import pytest

from linksdesk.casework import concerns, referrals, relationships
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.dto import Participant
from linksdesk.core.errors import NotFoundError, ValidationError
from linksdesk.core.vocab import ConcernStage, ReferralSource, RelationshipKind


def test_referral_in(cb: Casebook) -> None:
    p = P.create_participant(cb, given_name="Ref", family_name="Erral").value
    assert p.referred_on is None
    r = referrals.record_referral(
        cb,
        p.id,
        source=ReferralSource.FACTORING_SERVICE,
        received_on=dt.date(2025, 2, 3),
        referrer="Factor office",
        reason="Arrears",
    ).value
    assert r.source is ReferralSource.FACTORING_SERVICE
    assert P.get_participant(cb, p.id).referred_on == dt.date(2025, 2, 3)
    referrals.edit_referral(cb, r.id, source="housing")
    assert referrals.list_referrals(cb, p.id)[0].source is ReferralSource.HOUSING
    with pytest.raises(ValidationError, match="Referral source"):
        referrals.record_referral(cb, p.id, source="postman")


def test_concern_must_be_in_the_taxonomy(cb: Casebook, person: Participant) -> None:
    c = concerns.add_concern(
        cb, person.id, "money and benefits", stage=ConcernStage.AT_REFERRAL, detail="PIP"
    ).value
    assert c.category == "Money and benefits" and c.stage is ConcernStage.AT_REFERRAL
    with pytest.raises(ValidationError, match="list of concerns"):
        concerns.add_concern(cb, person.id, "Gardening")
    cb.update_settings(concern_taxonomy=["Gardening", "Housing"])
    later = concerns.add_concern(cb, person.id, "Gardening", identified_on=dt.date(2025, 5, 1))
    assert later.value.stage is ConcernStage.LATER
    resolved = concerns.resolve_concern(cb, c.id, on=dt.date.today()).value
    assert resolved.resolved
    with pytest.raises(ValidationError, match="Resolved on"):
        concerns.resolve_concern(cb, later.value.id, on=dt.date(2025, 4, 1))
    assert [x.id for x in concerns.list_concerns(cb, person.id, include_resolved=False)] == [
        later.value.id
    ]
    assert not concerns.reopen_concern(cb, c.id).value.resolved
    assert len(concerns.list_concerns(cb, person.id)) == 2


def test_relationships(cb: Casebook, person: Participant) -> None:
    r = relationships.add_relationship(
        cb, person.id, RelationshipKind.NEIGHBOUR, "Next door", phone="0141 000 0000"
    ).value
    assert r.supportive
    relationships.edit_relationship(cb, r.id, supportive=False, detail="Falls out often")
    (listed,) = relationships.list_relationships(cb, person.id)
    assert not listed.supportive and listed.detail == "Falls out often"
    with pytest.raises(ValidationError, match="Name is needed"):
        relationships.add_relationship(cb, person.id, "friend", " ")
    relationships.remove_relationship(cb, r.id)
    assert relationships.list_relationships(cb, person.id) == []
    with pytest.raises(NotFoundError):
        relationships.edit_relationship(cb, r.id, name="x")
