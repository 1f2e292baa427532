"""Outside check 17: the person asks to be forgotten the day their team sharing is
withdrawn. The worker records the withdrawal on a laptop (which keeps the whole record,
private, as the withdrawing laptop does) and syncs; a supervisor of the team then uses
Forget this participant…, as docs/server.md allows. Real HTTP to a real server.

The withdrawal took the case off every caseload on the server (no device pulls it any
more), so the erase command was logged for nobody: the worker's laptops, one holding the
whole record and the other what it had recorded itself, never learnt the person was
forgotten and kept everything.
"""

from __future__ import annotations

from server_kit import Programme


def test_a_supervisors_erasure_after_a_withdrawal_reaches_the_workers_laptops(
    served: Programme,
) -> None:
    team = served.team()
    worker = served.worker(team)
    office, venues = served.enrol(worker), served.enrol(worker)
    supervisor = served.enrol(served.worker(team, role="supervisor"))
    person = office.participant()
    pid = str(person["row_id"])
    assert {r["status"] for r in office.push(office.shared(person))["results"]} == {"applied"}
    _, office_at = office.pull_all()
    _, venues_at = venues.pull_all()
    withdrawal = office.consent(pid, given=False, version=2)
    assert office.push_one(withdrawal)["status"] == "applied"

    erase = supervisor.change("participant", pid, op="erase", participant_id=pid)
    assert supervisor.push_one(erase)["status"] == "applied"

    for laptop, cursor in ((office, office_at), (venues, venues_at)):
        pulled, _ = laptop.pull_all(cursor)
        erased = [c for c in pulled if c["op"] == "erase" and c["row_id"] == pid]
        assert len(erased) == 1, [(c["table"], c["op"]) for c in pulled]
    # nobody else is told of the person
    colleague = served.enrol(served.worker(team))
    pulled, _ = colleague.pull_all()
    assert not [c for c in pulled if pid in (c["row_id"], c["participant_id"])]
