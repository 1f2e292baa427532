"""A participant withdraws team sharing with their worker, whose laptop is offline, while
the administrator hands the case to a colleague. The withdrawal is the participant's
decision, not a change to the colleague's case: once it syncs, the team must stop sharing
the case (docs/server.md, "When a participant withdraws consent to share with the team").
"""

from __future__ import annotations

import pytest
from server_kit import Device, Programme

from linksdesk.server import admin

WORDS = "Rang about rent Canaryhandedwithdrawal"


def handed_case(programme: Programme, keep_read_only: bool) -> tuple[Device, Device, str, str]:
    """A worker's shared case, with a case note, handed over to a colleague by the
    administrator: (the worker's laptop, the colleague's, the colleague, the participant)."""
    team = programme.team()
    worker, colleague = programme.worker(team), programme.worker(team)
    laptop, theirs = programme.enrol(worker), programme.enrol(colleague)
    person = laptop.participant()
    pid = person["row_id"]
    note, revision = laptop.note(pid, WORDS)
    answers = laptop.push([*laptop.shared(person), note, revision])["results"]
    assert [a["status"] for a in answers] == ["applied"] * 4
    admin.handover(programme.db, pid, colleague, keep_read_only=keep_read_only)
    return laptop, theirs, colleague, pid


@pytest.mark.parametrize("keep_read_only", [False, True])
def test_a_withdrawal_recorded_before_the_handover_reached_the_laptop_is_taken(
    programme: Programme, keep_read_only: bool
) -> None:
    laptop, theirs, colleague, pid = handed_case(programme, keep_read_only)
    _case, cursor = theirs.pull_all()

    # the worker's laptop, offline since, records the participant's withdrawal
    withdrawal = laptop.consent(pid, given=False, version=2)
    result = laptop.push_one(withdrawal)
    assert result["status"] == "applied", result

    # the colleague's laptop is told, and the server keeps nothing but the consents
    pulled, _ = theirs.pull_all(cursor)
    told = [c for c in pulled if c["table"] == "consent" and c["fields"].get("given") is False]
    assert [c["row_id"] for c in told] == [withdrawal["row_id"]]
    assert told[0]["owner"] == colleague  # still the colleague's case, as handed
    again, _ = theirs.pull_all()
    assert {c["table"] for c in again} <= {"consent", "handover"}, again
    assert WORDS not in str(again)
    # the participant's content is refused from either worker until consent is given again
    late = theirs.change("contact", participant_id=pid)
    refused = theirs.push_one(late)
    assert refused["status"] == "rejected" and "withdrew consent" in refused["reason"]


def test_a_participant_forgotten_before_the_handover_reached_the_laptop_is_erased(
    programme: Programme,
) -> None:
    """The same, for "Forget this participant": the worker's laptop erased them offline."""
    laptop, theirs, _colleague, pid = handed_case(programme, False)
    _case, cursor = theirs.pull_all()

    result = laptop.push_one(laptop.change("participant", pid, op="erase"))
    assert result["status"] == "applied", result
    pulled, _ = theirs.pull_all(cursor)
    assert {(c["op"], c["row_id"]) for c in pulled} == {("erase", pid)}
    again, _ = theirs.pull_all()
    assert WORDS not in str(again) and not [c for c in again if c["table"] == "note"]
    # nothing of the participant can come back from the colleague's laptop either
    late = theirs.change("contact", participant_id=pid)
    assert theirs.push_one(late)["status"] == "rejected"
