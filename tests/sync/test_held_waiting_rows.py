"""Pulled rows whose parent this laptop does not hold: kept, shown, and told by the sync check.

The server keeps a row only once it holds the rows it points at, so such rows reach a laptop
in two ways, both made here from the outside: a parent that comes in a later page (a team
consent is logged before the participant it lets in, so with small pages the consent's page
comes first), and a parent the server no longer holds (a goal taken out of its database, as
a server before this version could leave a step without its goal). Another device of the
worker speaks HTTP to a real server on 127.0.0.1; the laptop is a real vault syncing through
the real client.

The rule (``storage.waiting``): such a row is kept as it came, shown where the worker looks
for it, and the sync check does not say "everything matches" while it holds rows back: it
says what waits, in the worker's words, and the log names no one and quotes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from server_kit import Device
from sqlalchemy import delete, select
from sync_kit import Dev, ServerProcess, shared_by

from linksdesk.casework import goals, own_record
from linksdesk.casework.casebook import Casebook
from linksdesk.core.errors import SyncError
from linksdesk.server.models import ChangeLog, Record
from linksdesk.server.sealing import keyring_of
from linksdesk.storage import waiting
from linksdesk.storage.tables import Consent

DAY = "2026-11-02"
STEP_TEXT = "CANARY-step-ask-about-the-allotment"


def _person(other: Device) -> str:
    return shared_by(other, "P9101", DAY)


def _goal(other: Device, pid: str, row_id: str | None = None) -> dict[str, Any]:
    fields = {
        "participant_id": pid,
        "title": "Get out more",
        "status": "active",
        "set_on": DAY,
        "progress": 2,
    }
    return other.change("goal", row_id, participant_id=pid, fields=fields)


def _step(other: Device, pid: str, goal_id: str) -> dict[str, Any]:
    fields = {"goal_id": goal_id, "participant_id": pid, "position": 1, "description": STEP_TEXT}
    return other.change("goal_step", participant_id=pid, fields=fields)


def _applied(other: Device, changes: list[dict[str, Any]]) -> None:
    results = other.push(changes)["results"]
    assert {r["status"] for r in results} == {"applied"}, results


def _steps_shown(laptop: Dev, pid: str) -> dict[str, list[str]]:
    """Goal title → its steps, as the record's Goals tab and the person's own record show."""
    cb = Casebook(laptop.vault)
    listed = {g.title: [s.description for s in g.steps] for g in goals.list_goals(cb, pid)}
    exported = own_record.gather_record(cb, pid, include_private=True).goals
    assert {g.title: [s.description for s in g.steps] for g in exported} == listed
    return listed


class _CutAfterFirstPage:
    """A sync's checkpoint that ends it once its first pulled page has been stored."""

    def __init__(self) -> None:
        self.received = 0

    def __call__(self, point: str) -> None:
        if point == "pull:received":
            self.received += 1
            if self.received == 2:  # the first page is committed before the next is handled
                raise SyncError("the network went")


def test_a_consent_paged_before_its_participant_waits_then_the_record_is_whole(
    laptop_and_other: tuple[Dev, Device],
) -> None:
    laptop, other = laptop_and_other
    pid = _person(other)  # its consent is logged first, then the participant's row
    with pytest.raises(SyncError):
        laptop.client(page_size=1, checkpoint=_CutAfterFirstPage()).sync()
    with laptop.store.read() as s:
        assert waiting.held(s) == {"consent": {_consent_of(laptop, pid): "participant"}}
    assert laptop.get("participant", pid) is None

    report = laptop.sync(page_size=1)
    assert report.verified and report.held == {}, report.message
    assert "Checked against the server: everything matches." in report.message
    with laptop.store.read() as s:
        assert waiting.held(s) == {}
    assert Casebook(laptop.vault) and laptop.get("participant", pid).programme_id == "P9101"


def _consent_of(laptop: Dev, pid: str) -> str:
    with laptop.store.read() as s:
        return str(s.scalar(select(Consent.id).where(Consent.participant_id == pid)))


def _taken_out_of_the_server(server: ServerProcess, table: str, row_id: str) -> None:
    """The row gone from the server's database, and from its log (the digests follow)."""
    with server.db.writing() as s:
        s.execute(
            delete(ChangeLog).where(ChangeLog.table_name == table, ChangeLog.row_id == row_id)
        )
        s.execute(delete(Record).where(Record.table_name == table, Record.row_id == row_id))


def test_a_step_pulled_without_its_goal_waits_in_sight_and_is_told_until_the_goal_comes(
    laptop_and_other: tuple[Dev, Device], server: ServerProcess, caplog: pytest.LogCaptureFixture
) -> None:
    laptop, other = laptop_and_other
    pid = _person(other)
    goal = _goal(other, pid)
    _applied(other, [goal])
    _applied(other, [_step(other, pid, goal["row_id"])])
    _taken_out_of_the_server(server, "goal", goal["row_id"])

    caplog.set_level(logging.INFO, logger="linksdesk")
    first = laptop.sync(page_size=1)
    assert first.verified, first.message
    assert _steps_shown(laptop, pid) == {goals.GONE_GOAL: [STEP_TEXT]}
    assert first.held == {("goal_step", "goal"): 1}
    assert "everything matches" not in first.message
    assert "1 goal step whose goal is not on this laptop" in first.message
    again = laptop.sync(full_check=True)  # a check read afresh says so again
    assert again.held == first.held and "everything matches" not in again.message
    assert STEP_TEXT not in caplog.text and "Get out more" not in caplog.text

    # the goal comes back (sent again by the device that holds it), after its step
    _applied(other, [_goal(other, pid, goal["row_id"])])
    last = laptop.sync(page_size=1)
    assert _steps_shown(laptop, pid) == {"Get out more": [STEP_TEXT]}
    assert last.verified and last.held == {}, last.message
    assert "Checked against the server: everything matches." in last.message


def test_a_step_whose_goal_never_arrives_stays_in_sight_and_told(
    laptop_and_other: tuple[Dev, Device], server: ServerProcess
) -> None:
    laptop, other = laptop_and_other
    pid = _person(other)
    goal = _goal(other, pid)
    _applied(other, [goal])
    _applied(other, [_step(other, pid, goal["row_id"])])
    _taken_out_of_the_server(server, "goal", goal["row_id"])
    for _ in range(2):
        report = laptop.sync(page_size=2)
        assert report.verified, report.message
        assert _steps_shown(laptop, pid) == {goals.GONE_GOAL: [STEP_TEXT]}
        assert report.held == {("goal_step", "goal"): 1}
        assert "1 goal step whose goal is not on this laptop" in report.message


def test_a_contact_pulled_without_details_it_needs_is_told_while_it_waits(
    laptop_and_other: tuple[Dev, Device], server: ServerProcess
) -> None:
    laptop, other = laptop_and_other
    pid = _person(other)
    contact = other.change(
        "contact",
        participant_id=pid,
        fields={"participant_id": pid, "scheduled_at": f"{DAY}T10:00:00", "venue": "Library"},
    )
    _applied(other, [contact])
    # as a server before this version logged it: without the kind every contact must have
    with server.db.writing() as s:
        logged = s.scalar(select(ChangeLog).where(ChangeLog.row_id == contact["row_id"]))
        assert logged is not None
        ring = keyring_of(s)
        payload = dict(ring.open(s, logged.payload))
        payload["fields"] = {k: v for k, v in payload["fields"].items() if k != "kind"}
        logged.payload = ring.seal(s, pid, logged.team_id, payload)
    report = laptop.sync()
    assert laptop.get("contact", contact["row_id"]) is None  # not shown: not whole yet
    assert report.verified and report.incomplete == 1, report.message
    assert "everything matches" not in report.message
    assert "1 record still waiting for details from the server" in report.message
