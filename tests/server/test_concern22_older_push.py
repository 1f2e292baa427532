"""A concern can now be marked entered in error (schema 5). A laptop's push written before
its LinksDesk knew the mark (a saved batch sent again after the update, a change recorded by
the older version) carries concerns without the two columns: the server takes it whole, takes
the mark a newer laptop sends, and the older change (resolving it) never takes the mark off."""

from __future__ import annotations

from server_kit import Programme, older_and_newer, older_step_beside_a_mark


def test_an_older_concern_push_without_the_mark_is_taken_and_leaves_a_mark_alone(
    programme: Programme,
) -> None:
    older, newer = older_and_newer(programme)
    person = older.participant()
    added = {"category": "Debt", "stage": "later", "identified_on": "2026-03-02"}
    concern = older.change("concern", fields=added, participant_id=person["row_id"])
    pushed = older.push([*older.shared(person), concern])["results"]
    assert [r["status"] for r in pushed] == ["applied"] * 3

    # the older laptop resolves it, knowing nothing of the mark
    held = older_step_beside_a_mark(programme, older, newer, concern, {"resolved_on": "2026-03-04"})
    assert held["resolved_on"] == "2026-03-04" and held["category"] == "Debt"
