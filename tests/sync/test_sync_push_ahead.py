"""The batch made ahead while another is at the server is sent only if the queue still holds it.

While one push batch is at the server, the device makes the next from a read of the
outbox. If the queue changes meanwhile (here: team consent withdrawn, which drops the
participant's unsent changes), the transaction that records the answer must not take
that draft: what was queued while consent stood must never leave after it was withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sync_kit import CANARY_UNSHARED, Dev, FaultProxy, assert_replica_matches, new_server

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.models import Record


def test_a_draft_holding_changes_dropped_meanwhile_is_not_sent(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    server = new_server(fast_tmp)
    proxy = FaultProxy(server.port)
    try:
        worker = server.worker(server.team())
        a = devices("laptop-a")
        a.enrol(server, worker, url=proxy.url)
        a.reopen()
        assert a.sync().verified
        # queued in this order: Sam, Sam's consent, the other person, their consent, a contact
        sam = a.participant(given_name="Sam")
        withdrawn = a.participant(given_name=CANARY_UNSHARED)
        a.contact(withdrawn, purpose=CANARY_UNSHARED)
        traffic_before = len(proxy.all_traffic())

        # batches of two: both consents go first; while they are at the server the next
        # batch is made ahead from the queue (Sam and the other person's row), and before
        # the answer is recorded the other person withdraws team consent
        answered: list[str] = []

        def withdraw(point: str) -> None:
            if point == "push:answered" and not answered:
                answered.append(point)
                record_consent(Casebook(a.vault), withdrawn, ConsentScope.TEAM, False)

        report = a.client(batch_size=2, checkpoint=withdraw).sync()
        assert answered and report.verified and not report.attention, report.message

        # the rows dropped from the queue never left the laptop, though the draft held one
        sent = proxy.all_traffic()[traffic_before:]
        assert CANARY_UNSHARED.encode() not in sent
        with server.db.reading() as s:
            theirs = select(Record.table_name).where(Record.participant_id == withdrawn)
            kept = set(s.scalars(theirs))
            sams = s.get(Record, ("participant", sam))
        assert kept <= {"consent"}
        assert sams is not None
        assert_replica_matches(a, server)
    finally:
        proxy.close()
        server.close()
