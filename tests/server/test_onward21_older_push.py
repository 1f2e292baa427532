"""An onward referral can now be marked entered in error. A laptop's push written before its
LinksDesk knew the mark (a saved batch sent again after the update, a change recorded by the
older version) carries onward referrals without the two columns: the server takes it whole,
takes the mark a newer laptop sends, and the older change never takes the mark off."""

from __future__ import annotations

from server_kit import Programme, older_and_newer, older_step_beside_a_mark


def test_an_older_push_without_the_mark_is_taken_and_leaves_a_mark_alone(
    programme: Programme,
) -> None:
    older, newer = older_and_newer(programme)
    place = older.change("resource", fields={"organisation": "Craigbank Advice", "service": "Debt"})
    person = older.participant()
    made = {"resource_id": place["row_id"], "kind": "referral", "status": "made"}
    referral = older.change(
        "onward_referral", fields={**made, "made_on": "2026-03-02"}, participant_id=person["row_id"]
    )
    pushed = older.push([place, *older.shared(person), referral])["results"]
    assert [r["status"] for r in pushed] == ["applied"] * 4

    # the older laptop records what came of it, knowing nothing of the mark
    step = {"status": "attended", "outcome": "Seen by an adviser", "outcome_on": "2026-03-04"}
    held = older_step_beside_a_mark(programme, older, newer, referral, step)
    assert held["status"] == "attended"
