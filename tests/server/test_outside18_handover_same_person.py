"""Outside check 18: a case handed over whole when its participant was registered twice.

A worker found two records to be one person (the record merged away marked with the kept
one's id); the caseload lists the person once. The administrator then hands the case to a
colleague (`linksdesk-server handover --participant`, by the id the worker read out): half
the person moved. The colleague got one record without the other's notes and contacts,
and the old worker's laptop, no longer holding the kept record, listed the record left
behind as a person of their own on their caseload. The server takes a mark only between
records on one worker's caseload; a handover must not split them afterwards.
"""

from __future__ import annotations

import pytest
from server_kit import Programme
from sqlalchemy import select

from linksdesk.server.cli import main
from linksdesk.server.models import ParticipantAccess


def _owners(p: Programme, *pids: str) -> dict[str, str]:
    with p.db.reading() as s:
        rows = s.scalars(
            select(ParticipantAccess).where(
                ParticipantAccess.participant_id.in_(pids), ParticipantAccess.mode == "owner"
            )
        )
        return {r.participant_id: r.worker_id for r in rows}


@pytest.mark.parametrize("named", ["kept", "merged away", "every case"])
def test_handing_over_one_record_of_a_person_hands_over_the_person(
    served: Programme, named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    team = served.team()
    leaving, colleague = served.worker(team), served.worker(team)
    laptop = served.enrol(leaving)
    kept, merged = laptop.participant(), laptop.participant()
    note = laptop.note(merged["row_id"], "seen at the drop-in")
    assert {
        r["status"] for r in laptop.push([*laptop.shared(kept), *laptop.shared(merged)])["results"]
    } == {"applied"}
    assert {r["status"] for r in laptop.push(list(note))["results"]} == {"applied"}
    assert laptop.push_one(laptop.same_person(merged, kept["row_id"]))["status"] == "applied"
    other = merged["row_id"] if named == "merged away" else kept["row_id"]

    db = ["--db", served.db_url]
    if named == "every case":  # the worker leaves: one person, one case moved
        assert main(["move-cases", "--from", leaving, "--to", colleague, *db]) == 0
        assert "Moved 1 case (" in capsys.readouterr().out
    else:
        assert main(["handover", "--participant", other, "--to", colleague, *db]) == 0
        assert "with 1 record more of the same person" in capsys.readouterr().out

    owners = _owners(served, kept["row_id"], merged["row_id"])
    assert owners == {kept["row_id"]: colleague, merged["row_id"]: colleague}
    theirs = served.enrol(colleague)
    pulled, _ = theirs.pull_all()
    held = {c["row_id"] for c in pulled if c["table"] == "participant"}
    assert held == {kept["row_id"], merged["row_id"]}
    assert note[1]["row_id"] in {c["row_id"] for c in pulled}
