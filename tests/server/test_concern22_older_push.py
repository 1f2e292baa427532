"""A concern can now be marked entered in error (schema 5). A laptop's push written before
its LinksDesk knew the mark (a saved batch sent again after the update, a change recorded by
the older version) carries concerns without the two columns: the server takes it whole, takes
the mark a newer laptop sends, and the older change (resolving it) never takes the mark off."""

from __future__ import annotations

from server_kit import Programme

from linksdesk.core.vocab import IN_ERROR_FIELDS
from linksdesk.server.models import Record

WRONG = "Recorded on the wrong participant"


def test_an_older_concern_push_without_the_mark_is_taken_and_leaves_a_mark_alone(
    programme: Programme,
) -> None:
    worker = programme.worker(programme.team())
    older, newer = programme.enrol(worker), programme.enrol(worker)
    person = older.participant()
    pid = person["row_id"]
    added = {"category": "Debt", "stage": "later", "identified_on": "2026-03-02"}
    concern = older.change("concern", fields=added, participant_id=pid)
    assert not set(IN_ERROR_FIELDS) & set(concern["fields"])  # as the older laptop sent it
    pushed = older.push([*older.shared(person), concern])["results"]
    assert [r["status"] for r in pushed] == ["applied"] * 3

    rid, first = concern["row_id"], concern["hlc"]
    mark = dict(zip(IN_ERROR_FIELDS, ("2026-03-03T09:00:00", WRONG), strict=True))
    marked = newer.push_one(
        newer.change(
            "concern", rid, fields=mark, participant_id=pid, base=dict.fromkeys(mark, first)
        )
    )
    assert marked["status"] == "applied", marked.get("reason")

    # the older laptop resolves it, knowing nothing of the mark
    step = {"resolved_on": "2026-03-04"}
    later = older.push_one(
        older.change("concern", rid, fields=step, participant_id=pid, base={"resolved_on": first})
    )
    # taken, beside the mark it did not know of (merged: nothing of either is lost)
    assert later["status"] in ("applied", "merged"), later.get("reason")
    with programme.db.reading() as s:
        held = s.get(Record, ("concern", rid))
        assert held is not None
        assert held.fields["resolved_on"] == "2026-03-04" and held.fields["category"] == "Debt"
        assert (held.fields["in_error_at"], held.fields["in_error_reason"]) == tuple(mark.values())
