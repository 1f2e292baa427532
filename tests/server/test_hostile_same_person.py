"""A hostile or broken device marks a record merged into a participant the team holds no
consent for (two records of one person, ``merged_into_id``): the real server over HTTP
refuses the mark, says why in words of its own for each reason (never advice to record
consent where consent is not what is missing), and nothing of it reaches the worker's other
devices. A mark into a participant this team erased (the other laptop forgot the person
first) is taken: nothing can go under it, and the other order of the same two events
leaves the same; one into a participant another team erased is not."""

from __future__ import annotations

import pytest
from server_kit import Programme

WHY = {  # each reason's own words
    "unconsented": "does not hold",
    "withdrawn": "consent to share with the team the server does not hold",
    "colleague": "no longer on your caseload",
    "unknown": "does not hold",
    "itself": "does not hold",
}


@pytest.mark.parametrize("target", ["unconsented", "withdrawn", "colleague", "unknown", "itself"])
def test_a_mark_into_a_participant_without_team_consent_is_refused(
    served: Programme, target: str
) -> None:
    team = served.team()
    worker = served.worker(team)
    laptop, other = served.enrol(worker), served.enrol(worker)
    shared = laptop.participant()
    assert [r["status"] for r in laptop.push(laptop.shared(shared))["results"]] == ["applied"] * 2
    if target == "unconsented":  # held by the server only as a consent-less row: never
        into = laptop.participant()["row_id"]
    elif target == "withdrawn":
        kept = laptop.participant()
        laptop.push(laptop.shared(kept))
        assert (
            laptop.push_one(laptop.consent(kept["row_id"], given=False, version=2))["status"]
            == "applied"
        )
        into = kept["row_id"]
    elif target == "colleague":  # shared, but on a colleague's caseload
        colleague = served.enrol(served.worker(team))
        theirs = colleague.participant()
        colleague.push(colleague.shared(theirs))
        into = theirs["row_id"]
    elif target == "unknown":
        into = "01900000-0000-7000-8000-000000000000"
    else:
        into = shared["row_id"]
    _seen, cursor = other.pull_all()
    result = laptop.push_one(laptop.same_person(shared, into))
    assert result["status"] == "rejected", result
    assert "same person" in result["reason"]
    assert WHY[target] in result["reason"], result["reason"]
    assert ("team consent" in result["reason"]) == (target == "withdrawn")
    pulled, _ = other.pull_all(cursor)
    assert not [c for c in pulled if "merged_into_id" in (c.get("fields") or {})]


def test_a_mark_into_the_workers_own_shared_participant_is_taken(served: Programme) -> None:
    worker = served.worker(served.team())
    laptop, other = served.enrol(worker), served.enrol(worker)
    kept, merged = laptop.participant(), laptop.participant()
    laptop.push([*laptop.shared(kept), *laptop.shared(merged)])
    _seen, cursor = other.pull_all()
    assert laptop.push_one(laptop.same_person(merged, kept["row_id"]))["status"] == "applied"
    pulled, _ = other.pull_all(cursor)
    assert [c["fields"]["merged_into_id"] for c in pulled] == [kept["row_id"]]


@pytest.mark.parametrize("erased_by", ["this team", "another team"])
def test_a_mark_into_a_participant_erased_is_taken_only_from_the_same_team(
    served: Programme, erased_by: str
) -> None:
    team = served.team()
    worker = served.worker(team)
    laptop, other = served.enrol(worker), served.enrol(worker)
    kept, merged = laptop.participant(), laptop.participant()
    laptop.push([*laptop.shared(kept), *laptop.shared(merged)])
    if erased_by == "this team":
        into = kept["row_id"]
        erase = other.change("participant", into, op="erase")
    else:  # another team's participant, erased there: not this team's to name
        stranger = served.enrol(served.worker(served.team()))
        theirs = stranger.participant()
        stranger.push(stranger.shared(theirs))
        into = theirs["row_id"]
        erase = stranger.change("participant", into, op="erase")
    assert (other if erased_by == "this team" else stranger).push_one(erase)["status"] == (
        "applied"
    )
    _seen, cursor = other.pull_all()
    result = laptop.push_one(laptop.same_person(merged, into))
    pulled, _ = other.pull_all(cursor)
    marks = [c for c in pulled if "merged_into_id" in (c.get("fields") or {})]
    if erased_by == "this team":
        assert result["status"] == "applied", result
        assert [c["fields"]["merged_into_id"] for c in marks] == [into]
    else:
        assert result["status"] == "rejected", result
        assert "team consent" not in result["reason"]
        assert marks == []
