"""A participant's team consent reaches the server before their content, whatever the batches.

The server takes participant content only under a team consent it holds (rule 2, defence in
depth), so the device pushes the consent records of its outbox first, across batch
boundaries, even where the outbox holds a participant's rows ahead of their consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sync_kit import Dev, assert_replica_matches, new_server

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.casework.contacts import record_contact
from linksdesk.casework.participants import create_participant
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.exchange import Refusal
from linksdesk.server.models import RefusalLog
from linksdesk.storage.tables import Outbox
from linksdesk.sync import state


def test_consents_go_first_so_small_batches_sync_cleanly(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    server = new_server(fast_tmp)
    try:
        worker = server.worker(server.team())
        a, b = devices("laptop-a"), devices("laptop-b")
        a.enrol(server, worker)
        b.enrol(server, worker)
        a.reopen()
        assert a.sync().verified
        backup = fast_tmp / "backup.db"
        server.backup(backup)

        # each person is recorded, seen, and only then agrees to share with the team
        cb = Casebook(a.vault)
        pids = []
        for i in range(4):
            pid = create_participant(cb, given_name=f"Person{i}", family_name="Example").value.id
            record_contact(cb, pid, kind="appointment", at=dt.datetime(2025, 3, i + 1, 10))
            record_consent(cb, pid, ConsentScope.TEAM, True)
            pids.append(pid)
        report = a.sync(batch_size=2)
        assert report.verified and not report.attention, report.message

        # the server comes back from a backup without them: the laptop merges again and
        # queues what the server lacks table by table, participant rows ahead of consents
        server.restore(backup)
        orders: list[list[str]] = []
        batches: list[list[str]] = []

        def look(point: str) -> None:
            if point != "push:saved":
                return
            with a.store.read() as s:
                if not orders:
                    orders.append(list(s.scalars(select(Outbox.table_name).order_by(Outbox.seq))))
                saved = state.get(s, state.PENDING_BATCH)
                batches.append([c["table"] for c in saved["request"]["changes"]])

        report = a.client(batch_size=2, checkpoint=look).sync(full_check=True)
        assert report.resynced and report.verified and not report.attention, report.message
        queued = orders[0]
        assert queued.index("participant") < len(queued) - 1 - queued[::-1].index("consent")
        # every consent went out before any other row
        sent = [table for batch in batches for table in batch]
        consents = sent.count("consent")
        assert consents >= 4 and sent[:consents] == ["consent"] * consents
        assert_replica_matches(a, server)
        with server.db.reading() as s:
            refused = [r.reason for r in s.scalars(select(RefusalLog))]
        assert Refusal.NOT_SHARED.value not in refused

        report = b.sync(batch_size=2)
        assert report.verified and not report.attention, report.message
        assert all(b.get("participant", pid) is not None for pid in pids)
        assert_replica_matches(b, server)
    finally:
        server.close()
