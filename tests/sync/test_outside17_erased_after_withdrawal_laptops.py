"""Outside check 17, on the laptops: the person asks to be forgotten the day their team
sharing is withdrawn. The office laptop records the withdrawal (and keeps the record,
private); the venues laptop had recorded a note offline, which it keeps as its own local
case; a supervisor of the team then forgets the person. Real vaults, a real server on
127.0.0.1, the supervisor's device over HTTP.

The erase command went to no caseload (the withdrawal had taken the case off them all):
both laptops kept everything they held of the person.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from server_kit import Device
from sync_kit import Dev, ServerProcess, two_laptops

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.notes import write_note
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import admin
from linksdesk.storage.tables import Participant

CANARY = "Forgotten-canary-31d7"


def test_a_supervisors_erasure_after_a_withdrawal_empties_both_laptops(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    office, venues = two_laptops(server, devices)
    a, b = Casebook(office.vault), Casebook(venues.vault)
    pid = create_participant(a, given_name=CANARY, family_name="Example").value.id
    record_consent(a, pid, ConsentScope.TEAM, True)
    for i in range(3):  # a caseload, so one erasure is no mass removal
        other = create_participant(a, given_name=f"Other{i}", family_name="Example").value.id
        record_consent(a, other, ConsentScope.TEAM, True)
    for dev in (office, venues):
        assert dev.sync().verified
    record_consent(a, pid, ConsentScope.TEAM, False)
    write_note(b, pid, f"{CANARY} written offline")
    for dev in (office, venues):
        report = dev.sync()
        assert report.verified, report.message
    for dev in (office, venues):
        assert dev.get("participant", pid) is not None  # kept, private

    team = admin.find_worker(server.db, office.worker_id).team_id
    boss = admin.add_worker(server.db, team, "Sam Reid", "supervisor")
    with httpx.Client(base_url=server.url, timeout=30) as http:
        code = admin.make_enrol_code(server.db, boss).code
        enrolled = http.post("/v1/enrol", json={"code": code, "label": "office pc"})
        assert enrolled.status_code == 200, enrolled.text
        supervisor = Device(http, enrolled.json())
        erase = supervisor.change("participant", pid, op="erase", participant_id=pid)
        assert supervisor.push_one(erase)["status"] == "applied"

    for dev in (office, venues):
        report = dev.sync()
        assert report.verified, report.message
        with dev.store.read() as s:
            assert s.get(Participant, pid) is None
