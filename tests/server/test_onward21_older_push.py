"""An onward referral can now be marked entered in error. A laptop's push written before its
LinksDesk knew the mark (a saved batch sent again after the update, a change recorded by the
older version) carries onward referrals without the two columns: the server takes it whole,
takes the mark a newer laptop sends, and the older change never takes the mark off."""

from __future__ import annotations

from server_kit import Programme

from linksdesk.core.vocab import IN_ERROR_FIELDS
from linksdesk.server.models import Record

WRONG = "Recorded on the wrong participant"


def test_an_older_push_without_the_mark_is_taken_and_leaves_a_mark_alone(
    programme: Programme,
) -> None:
    worker = programme.worker(programme.team())
    older, newer = programme.enrol(worker), programme.enrol(worker)
    place = older.change("resource", fields={"organisation": "Craigbank Advice", "service": "Debt"})
    person = older.participant()
    pid = person["row_id"]
    made = {"resource_id": place["row_id"], "kind": "referral", "status": "made"}
    referral = older.change(
        "onward_referral", fields={**made, "made_on": "2026-03-02"}, participant_id=pid
    )
    assert not set(IN_ERROR_FIELDS) & set(referral["fields"])  # as the older laptop sent it
    pushed = older.push([place, *older.shared(person), referral])["results"]
    assert [r["status"] for r in pushed] == ["applied"] * 4

    rid, first = referral["row_id"], referral["hlc"]
    mark = dict(zip(IN_ERROR_FIELDS, ("2026-03-03T09:00:00", WRONG), strict=True))
    marked = newer.push_one(
        newer.change(
            "onward_referral",
            rid,
            fields=mark,
            participant_id=pid,
            base=dict.fromkeys(IN_ERROR_FIELDS, first),
        )
    )
    assert marked["status"] == "applied", marked.get("reason")

    # the older laptop records what came of it, knowing nothing of the mark
    step = {"status": "attended", "outcome": "Seen by an adviser", "outcome_on": "2026-03-04"}
    later = older.push_one(
        older.change(
            "onward_referral", rid, fields=step, participant_id=pid, base=dict.fromkeys(step, first)
        )
    )
    # taken, beside the mark it did not know of (merged: nothing of either is lost)
    assert later["status"] in ("applied", "merged"), later.get("reason")
    with programme.db.reading() as s:
        held = s.get(Record, ("onward_referral", rid))
        assert held is not None
        assert held.fields["status"] == "attended"
        assert (held.fields["in_error_at"], held.fields["in_error_reason"]) == tuple(mark.values())
