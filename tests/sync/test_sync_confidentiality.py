"""Canaries in private rows, local columns and unconsented participants never leave the laptop.

They must not appear in the server's database file, in the HTTP traffic (recorded by a
proxy between device and server) or in any log line (ours, captured; the server's stderr).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sync_kit import (
    CANARIES,
    CANARY_LOCAL,
    CANARY_PRIVATE,
    CANARY_UNSHARED,
    Dev,
    FaultProxy,
    ServerProcess,
    assert_replica_matches,
    db_file_bytes,
    dump_database_text,
    new_server,
)

from linksdesk.core.errors import SyncAuthError
from linksdesk.core.ids import uuid7
from linksdesk.server import admin
from linksdesk.storage.tables import Concern, Relationship, Resource
from linksdesk.sync import state
from linksdesk.sync.client import list_attention, list_conflicts, resolve_conflict


@pytest.fixture
def proxied(fast_tmp: Path) -> Iterator[tuple[ServerProcess, FaultProxy]]:
    server = new_server(fast_tmp)
    proxy = FaultProxy(server.port)
    yield server, proxy
    proxy.close()
    server.close()


def _plant(dev: Dev) -> dict[str, str]:
    """Canaries where the rules forbid them to go; returns some ids to check later."""
    ids: dict[str, str] = {}
    # rule 1: private rows, including inside a shared participant's record
    ids["private_participant"] = dev.participant(private=True, given_name=CANARY_PRIVATE)
    shared = dev.participant(given_name="Shared", contact_preferences=CANARY_LOCAL)
    ids["shared"] = shared
    ids["private_contact"] = dev.contact(shared, purpose=CANARY_PRIVATE, private=True)
    ids["private_note"] = dev.note(shared, f"{CANARY_PRIVATE} note", private=True)[0]
    with dev.store.write() as tx:
        tx.insert(
            Resource(
                organisation="Private list",
                service=CANARY_PRIVATE,
                description=CANARY_PRIVATE,
                sharing="private",
            )
        )
        # `local` columns: a third party's phone number stays on the laptop
        tx.insert(
            Relationship(participant_id=shared, kind="family", name="Sister", phone=CANARY_LOCAL)
        )
    # rule 2: a participant who has not consented, and everything linked to them
    hidden = dev.participant(shared=False, given_name=CANARY_UNSHARED, risk_summary=CANARY_UNSHARED)
    ids["hidden"] = hidden
    dev.contact(hidden, purpose=CANARY_UNSHARED)
    dev.contact(hidden, status="did_not_attend", when=dt.datetime(2025, 2, 12, 9))
    dev.note(hidden, f"{CANARY_UNSHARED} note")
    dev.referral(hidden, source="housing", reason=CANARY_UNSHARED)
    with dev.store.write() as tx:
        tx.insert(
            Concern(
                participant_id=hidden,
                category="Debt",
                stage="at_referral",
                identified_on=dt.date(2025, 1, 20),
                detail=CANARY_UNSHARED,
            )
        )
    return ids


def test_canaries_never_leave_the_laptop(
    proxied: tuple[ServerProcess, FaultProxy],
    devices: Callable[[str], Dev],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    server, proxy = proxied
    team = server.team()
    worker = server.worker(team)
    a, b = devices("laptop-a"), devices("laptop-b")
    a.enrol(server, worker, url=proxy.url)
    b.enrol(server, worker, url=proxy.url)
    ids = _plant(a)
    a.contact(ids["shared"], purpose="ordinary visit")
    report = a.sync()
    assert report.verified, report.message
    # local columns edited later, and private rows edited, still stay
    a.edit("participant", ids["shared"], contact_preferences=f"{CANARY_LOCAL} evenings")
    a.edit("contact", ids["private_contact"], purpose=f"{CANARY_PRIVATE} again")
    a.edit("participant", ids["hidden"], given_name=f"{CANARY_UNSHARED} renamed")
    # a conflict on a shared field, resolved, travels without any canary
    b.sync()
    a.edit("participant", ids["shared"], risk_summary="risk from A")
    b.edit("participant", ids["shared"], risk_summary="risk from B")
    a.sync()
    b.sync()
    a.sync()
    conflict = list_conflicts(a.store)[0]
    resolve_conflict(a.store, conflict.id, "theirs")
    a.sync()
    b.sync()
    assert list_attention(a.store) == [] and list_attention(b.store) == []

    # what did leave: the shared participant, their shared rows, and counts
    held = server.records(worker)
    assert ids["shared"] in held["participant"]
    assert ids["hidden"] not in held["participant"]
    assert ids["private_participant"] not in held["participant"]
    assert held["monthly_total"], "unshared work must still be counted"
    assert b.get("participant", ids["hidden"]) is None
    assert b.get("participant", ids["shared"]).contact_preferences is None
    assert_replica_matches(a, server)
    assert_replica_matches(b, server)

    with a.store.read() as s:
        token = str(state.get(s, state.TOKEN))
    traffic = proxy.all_traffic()
    assert b"/v1/push" in traffic and b"Shared" in traffic  # the recording works
    stored = db_file_bytes(server.db_url) + dump_database_text(server.db_url).encode()
    logs = caplog.text + server.log_text()
    for canary in CANARIES:
        assert canary.encode() not in traffic, canary
        assert canary.encode() not in stored, canary
        assert canary not in logs, canary
    assert token not in logs
    assert "Shared" not in logs  # names never reach a log line either


def test_other_teams_and_revoked_devices_are_refused(
    proxied: tuple[ServerProcess, FaultProxy], devices: Callable[[str], Dev]
) -> None:
    server, _ = proxied
    team1, team2 = server.team(), server.team()
    w1, w2 = server.worker(team1), server.worker(team2)
    mine, theirs = devices("team1-laptop"), devices("team2-laptop")
    mine.enrol(server, w1)
    theirs.enrol(server, w2)
    pid = mine.participant(given_name="Team One Person")
    mine.resource("Team One Pantry")
    mine.sync()
    theirs.sync()
    assert theirs.get("participant", pid) is None
    assert theirs.replica()["resource"] == {}
    # a hand-made push from the other team about our participant is refused
    with theirs.store.read() as s:
        token = str(state.get(s, state.TOKEN))
    change = {
        "change_id": uuid7(),
        "table": "contact",
        "row_id": uuid7(),
        "op": "upsert",
        "hlc": theirs.store.clock.now().encode(),
        "origin": theirs.store.device_id,
        "owner": w2,
        "participant_id": pid,
        "sharing": "team",
        "participant_shared": True,
        "fields": {
            "kind": "phone",
            "status": "attended",
            "scheduled_at": "2026-01-05T10:00:00",  # whole: refused as the other team's
            "participant_id": pid,
        },
        "base": {},
    }
    r = httpx.post(
        f"{server.url}/v1/push",
        json={"batch_key": uuid7(), "changes": [change]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200
    assert r.json()["results"][0]["status"] == "rejected"
    mine.sync()
    assert [c for c in mine.replica()["contact"]] == []

    admin.revoke_device(server.db, theirs.store.device_id)
    with pytest.raises(SyncAuthError, match="no longer enrolled"):
        theirs.sync()
    r = httpx.post(
        f"{server.url}/v1/pull",
        json={"cursor": 0},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 401
