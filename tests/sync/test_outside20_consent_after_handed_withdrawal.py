"""A participant withdrew team sharing with their worker, whose laptop had not yet heard
that the administrator handed the case to a colleague (outside check 19: the withdrawal is
taken, the case is on no caseload, only the worker's laptop keeps the record, private).
Weeks later the participant comes back to that worker and says yes again.

The worker holds the only copy of the record; the colleague's laptops dropped it. So the
new consent is taken from the worker who handed the case on and recorded the withdrawal,
and the case comes back to their caseload (an administrator hands it on again if it should
be the colleague's). Refused, as before, the record could never be shared again: every sync
refused the consent and the whole record, and said the records still differ."""

from __future__ import annotations

from collections.abc import Callable

from laptops_kit import a_worker_and_a_colleague
from sqlalchemy import select
from sync_kit import Dev, ServerProcess

from linksdesk.casework.consent import record_consent
from linksdesk.casework.notes import write_note
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import admin
from linksdesk.server.models import ParticipantAccess, Record


def test_consent_given_again_after_a_withdrawal_on_the_handing_laptop_has_a_home(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    pair = a_worker_and_a_colleague(shared_server, devices)
    office, colleague, cb = pair.office, pair.colleague, pair.a
    pid = create_participant(cb, given_name="Morgan", family_name="Example").value.id
    record_consent(cb, pid, ConsentScope.TEAM, True)
    write_note(cb, pid, "first meeting")
    for dev in (office, colleague):
        assert dev.sync().verified
    admin.handover(shared_server.db, pid, pair.colleague_id)
    assert colleague.sync().verified
    record_consent(cb, pid, ConsentScope.TEAM, False)  # offline, before hearing of it
    assert office.sync().verified
    assert colleague.sync().verified
    assert colleague.get("participant", pid) is None

    # the participant comes back to the worker and agrees to sharing again
    record_consent(cb, pid, ConsentScope.TEAM, True)
    write_note(cb, pid, "second meeting")
    report = office.sync()
    assert report.verified, report.message
    assert office.outbox() == 0 and office.attention() == [], report.message

    worker = office.worker_id
    with shared_server.db.reading() as s:
        owners = set(
            s.scalars(
                select(ParticipantAccess.worker_id).where(ParticipantAccess.participant_id == pid)
            )
        )
        held = list(s.scalars(select(Record.table_name).where(Record.participant_id == pid)))
    assert owners == {worker}, "the case is back on the worker's caseload"
    assert held.count("participant") == 1 and held.count("note_revision") == 2, held
    assert colleague.sync().verified
    assert colleague.get("participant", pid) is None  # not the colleague's: never handed back
