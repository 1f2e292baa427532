"""Two people of one name joined by mistake (Same person as…), one of them says yes to
sharing while joined, then Not the same person after all…: the other person's record must
not keep a consent they never gave. Outside checker, round 16.

A consent is never taken away (the latest version decides, and the team's server refuses a
consent record removed): a record that had no decision of its own before the join goes
back to "not given" by a new version, which for sharing is what "not asked" meant."""

from __future__ import annotations

from linksdesk.casework import consent, merging, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage.store import participant_shared

SCOPES = (ConsentScope.TEAM, ConsentScope.GP, ConsentScope.EVALUATION)


def _decisions(cb: Casebook, pid: str) -> dict[str, bool | None]:
    return {
        scope.value: (None if held is None else held.given)
        for scope, held in consent.current_consent(cb, pid).items()
    }


def _given(decisions: dict[str, bool | None]) -> dict[str, bool]:
    return {scope: bool(given) for scope, given in decisions.items()}


def _two(cb: Casebook) -> tuple[str, str]:
    kept = participants.create_participant(cb, given_name="Ailsa", family_name="Smith").value
    other = participants.create_participant(cb, given_name="Ailsa", family_name="Smyth").value
    return kept.id, other.id


def test_consent_given_while_joined_does_not_stay_on_the_other_person(cb: Casebook) -> None:
    kept, other = _two(cb)
    before = _decisions(cb, other)
    assert set(before.values()) == {None}  # nobody asked her yet
    merging.merge_records(cb, kept, other)  # a tired worker: "the same person"
    for scope in SCOPES:
        consent.record_consent(cb, kept, scope, True)  # Ailsa Smith says yes
    merging.separate_records(cb, other)  # not the same person after all

    assert _decisions(cb, kept)["team"] is True  # her own yes stands
    assert _decisions(cb, kept) == {"record": None, **{s.value: True for s in SCOPES}}
    # the user guide: "separates them again, as they were": nothing given that she never gave
    assert _given(_decisions(cb, other)) == _given(before)
    own = consent.current_consent_of_record(cb, other)
    for scope in SCOPES:
        held = own[scope]
        assert held is not None and not held.given
        assert held.note == merging.UNDO_NOTE  # the history says why
    with cb.store.read() as s:
        assert not participant_shared(s, other)
    # nothing deleted: the copies stay in her history, before the version that undoes them
    history = consent.consent_history(cb, other, ConsentScope.TEAM)
    assert [h.given for h in history] == [True, False]


def test_the_other_record_gets_its_own_earlier_decisions_back(cb: Casebook) -> None:
    kept, other = _two(cb)
    consent.record_consent(cb, other, ConsentScope.GP, True)  # said yes to her GP, once
    consent.record_consent(cb, other, ConsentScope.EVALUATION, False)  # no to evaluation
    merging.merge_records(cb, kept, other)
    for scope in SCOPES:
        consent.record_consent(cb, kept, scope, True)
    merging.separate_records(cb, other)

    assert _decisions(cb, other) == {"record": None, "team": False, "gp": True, "evaluation": False}
    assert _decisions(cb, kept) == {"record": None, **{s.value: True for s in SCOPES}}


def test_a_withdrawal_made_while_joined_stays_after_separating(cb: Casebook) -> None:
    kept, other = _two(cb)
    for pid in (kept, other):  # both said yes before anyone joined them
        for scope in SCOPES:
            consent.record_consent(cb, pid, scope, True)
    merging.merge_records(cb, kept, other)
    # the person said stop sharing with the team, and stop evaluation, while joined
    consent.record_consent(cb, other, ConsentScope.TEAM, False)
    consent.record_consent(cb, kept, ConsentScope.EVALUATION, False)
    merging.separate_records(cb, other)

    for pid in (kept, other):
        assert _decisions(cb, pid) == {
            "record": None,
            "team": False,
            "gp": True,
            "evaluation": False,
        }
    with cb.store.read() as s:
        assert not participant_shared(s, kept) and not participant_shared(s, other)


def test_stop_then_yes_while_joined_leaves_the_other_record_stopped(cb: Casebook) -> None:
    kept, other = _two(cb)
    for pid in (kept, other):
        consent.record_consent(cb, pid, ConsentScope.TEAM, True)
    merging.merge_records(cb, kept, other)
    consent.record_consent(cb, kept, ConsentScope.TEAM, False)  # stop
    consent.record_consent(cb, kept, ConsentScope.TEAM, True)  # yes again: hers, not the other's
    merging.separate_records(cb, other)

    assert _decisions(cb, kept)["team"] is True
    assert _decisions(cb, other)["team"] is False  # the stop stands for the other record
