"""A participant withdraws team sharing (or asks to be forgotten) with their worker, whose
laptop is offline, while the administrator hands the case to a colleague. Real vaults, the
casework use cases and a real server on 127.0.0.1: once the worker's laptop syncs, the
colleague's laptop drops the case, nothing of it stays on the server, and the worker's
laptop keeps what the withdrawal leaves it (the record, private), everything matching."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from laptops_kit import a_worker_and_a_colleague
from sqlalchemy import select
from sync_kit import Dev, ServerProcess

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.notes import list_notes, write_note
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server import admin
from linksdesk.server.models import Record

WORDS = "first meeting, rent arrears"


@pytest.mark.parametrize("how", ["withdrawn", "forgotten"])
def test_a_withdrawal_on_the_laptop_that_had_not_heard_of_the_handover_reaches_the_colleague(
    shared_server: ServerProcess, devices: Callable[[str], Dev], how: str
) -> None:
    pair = a_worker_and_a_colleague(shared_server, devices)
    office, colleague, cb = pair.office, pair.colleague, pair.a
    pid = create_participant(cb, given_name="Morgan", family_name="Example").value.id
    record_consent(cb, pid, ConsentScope.TEAM, True)
    write_note(cb, pid, WORDS)
    for dev in (office, colleague):
        assert dev.sync().verified
    admin.handover(shared_server.db, pid, pair.colleague_id)
    assert colleague.sync().verified
    assert colleague.get("participant", pid) is not None  # the colleague's case now

    # offline, the worker records the participant's decision, then syncs
    if how == "withdrawn":
        record_consent(cb, pid, ConsentScope.TEAM, False)
    else:
        office.erase(pid)
    report = office.sync()
    assert report.verified, report.message
    assert office.outbox() == 0 and office.attention() == [], report.message
    if how == "withdrawn":  # the worker's laptop keeps the record, private, with its notes
        assert office.get("participant", pid) is not None
        assert [n.text for n in list_notes(Casebook(office.vault), pid)] == [WORDS]
    assert office.sync().verified

    # the colleague's laptop drops the case; the server keeps only consents or the receipt
    report = colleague.sync()
    assert report.verified, report.message
    assert colleague.get("participant", pid) is None
    with shared_server.db.reading() as s:
        held = set(s.scalars(select(Record.table_name).where(Record.participant_id == pid)))
    assert held == ({"consent"} if how == "withdrawn" else {"erasure_receipt"}), held
