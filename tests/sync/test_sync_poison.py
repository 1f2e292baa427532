"""A device that still meets a value it cannot store never stops syncing (issue 9).

The server refuses such values now; one written by an older server (or a fault) is put
straight into its change log (or its record) here, and the worker's other laptop syncs over
HTTP: pulling it, or told it as the value that won over its own in a push answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sync_kit import Dev, ServerProcess, later_by_the_clock, new_server, two_laptops

from linksdesk.server.models import ChangeLog, Record, ServerMeta
from linksdesk.server.sealing import is_sealed, keyring_of
from linksdesk.storage.tables import Resource
from linksdesk.sync import state


def _poison(server: Any, table: str, row_id: str, **fields: Any) -> None:
    """Rewrite what the server hands on for ``table``/``row_id`` (an older server's value)."""
    with server.db.writing() as s:
        ring = keyring_of(s)
        entries = list(
            s.scalars(
                select(ChangeLog).where(ChangeLog.table_name == table, ChangeLog.row_id == row_id)
            )
        )
        assert entries
        for entry in entries:
            payload = ring.open(s, entry.payload)
            payload = {**payload, "fields": {**payload["fields"], **fields}}
            if is_sealed(entry.payload):
                payload = ring.seal(s, str(entry.participant_id), entry.team_id, payload)
            entry.payload = payload


def test_a_value_this_laptop_cannot_store_is_set_aside_and_the_sync_goes_on(
    fast_tmp: Path, devices: Callable[[str], Dev]
) -> None:
    server = new_server(fast_tmp)
    try:
        a, b = two_laptops(server, devices, ("laptop-a", "laptop-b"))
        pid = a.participant(given_name="Poison")
        bad_resource = a.resource("Advice shop", "Debt")
        good_resource = a.resource("Library", "Warm space")
        bad_contact = a.contact(pid, purpose="first")
        contact = a.contact(pid, purpose="second")
        a.sync()
        # an older server stored an invalid date (refused as the value is converted), and
        # a 2**70 minutes (refused by SQLite only when the row is written)
        _poison(server, "resource", bad_resource, last_verified="not-a-date")
        _poison(server, "contact", bad_contact, minutes=2**70)

        report = b.sync()  # before: ValueError out of apply, every sync, exit 70
        assert report.set_aside == 2
        assert "could not be stored on this laptop" in report.message
        aside = {(x.table_name, x.row_id) for x in b.attention()}
        assert aside == {("resource", bad_resource), ("contact", bad_contact)}
        assert all("could not be stored on this laptop" in x.reason for x in b.attention())
        # the rest of the pages applied, and the cursor moved past them
        assert b.get("resource", good_resource) is not None
        assert b.get("resource", bad_resource) is None
        assert b.get("contact", contact) is not None
        assert b.get("participant", pid).given_name == "Poison"
        with server.db.reading() as s:
            head = s.get(ServerMeta, 1).seq  # type: ignore[union-attr]
        with b.store.read() as s:
            assert state.get(s, state.CURSOR) == head
        again = b.sync()
        assert again.pulled == 0 and len(b.attention()) == 2
        # a later good change to the same record still arrives
        a.edit("resource", good_resource, service="Warm space and tea")
        a.sync()
        b.sync()
        assert b.get("resource", good_resource).service == "Warm space and tea"
        with b.store.read() as s:
            assert s.scalar(select(Resource.id).where(Resource.id == bad_resource)) is None
    finally:
        server.close()


def test_a_value_it_cannot_store_in_a_push_answer_is_set_aside_and_the_sync_goes_on(
    server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    a, b = two_laptops(server, devices)
    resource = a.resource("Advice shop", "Debt")
    a.sync()
    b.sync()
    a.edit("resource", resource, last_verified=dt.date(2026, 1, 5))  # not sent yet
    later_by_the_clock(a, b)
    b.edit("resource", resource, last_verified=dt.date(2026, 2, 2))  # the later edit
    b.sync()
    with server.db.writing() as s:  # as an older server kept it
        held = s.get(Record, ("resource", resource))
        assert held is not None
        held.fields = {**held.fields, "last_verified": "not-a-date"}
    # before: ValueError out of recording the answer, every sync; the batch (and all that
    # waited behind it) was sent again and answered alike for good
    report = a.sync()
    assert report.set_aside == 1 and "could not be stored on this laptop" in report.message
    assert a.outbox() == 0
    assert [(x.table_name, x.row_id) for x in a.attention()] == [("resource", resource)]
    # the later edit as the change log hands it on (only the record was an older server's)
    assert a.get("resource", resource).last_verified == dt.date(2026, 2, 2)
    # the next change goes out, and the other laptop receives it
    later = a.resource("Library", "Warm space")
    a.sync()
    b.sync()
    assert b.get("resource", later).service == "Warm space"
