"""Rule 2 on the server: participant content comes in only under a team consent it holds.

The device's ``participant_shared`` flag is not enough: a crafted push saying True for a
participant whose team consent the server does not hold is refused and nothing is kept.
A team consent anywhere in the same batch counts. Over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_kit import CANARY, Device, Programme, stored_bytes
from serving import running
from sqlalchemy import func, select

from linksdesk.server.exchange import Refusal
from linksdesk.server.models import AppliedOp, ChangeLog, ParticipantAccess, Record, RefusalLog


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[tuple[Programme, Path]]:
    log = tmp_path / "server.log"
    with running(db_url, log) as url, httpx.Client(base_url=url, timeout=30) as http:
        programme = Programme(db_url, http)
        try:
            yield programme, log
        finally:
            programme.close()


def _laptops(programme: Programme) -> tuple[Device, Device]:
    worker = programme.worker(programme.team())
    return programme.enrol(worker), programme.enrol(worker)


def test_a_participant_without_a_team_consent_on_the_server_is_refused(
    served: tuple[Programme, Path], db_url: str
) -> None:
    programme, log = served
    laptop, tablet = _laptops(programme)
    # the device claims consent, but no team consent record ever reached the server
    p = laptop.participant(given_name=CANARY)
    pid = p["row_id"]
    contact = laptop.change("contact", fields={"purpose": CANARY}, participant_id=pid)
    gp_consent = laptop.change(
        "consent", fields={"scope": "gp", "given": True, "version": 1}, participant_id=pid
    )
    assert p["participant_shared"] is True and contact["participant_shared"] is True
    results = laptop.push([p, contact, gp_consent])["results"]
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert all("not agreed to share" in r["reason"] for r in results)

    with programme.db.reading() as s:
        refusals = list(s.scalars(select(RefusalLog)))
        assert {r.reason for r in refusals} == {Refusal.NOT_SHARED.value}
        assert {r.change_id for r in refusals} == {c["change_id"] for c in (p, contact, gp_consent)}
        assert s.scalar(select(func.count()).select_from(Record)) == 0
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == 0
        assert s.scalar(select(func.count()).select_from(ParticipantAccess)) == 0
        assert all(op.status == "rejected" for op in s.scalars(select(AppliedOp)))
    assert tablet.pull_all()[0] == []
    assert CANARY.encode() not in stored_bytes(db_url)
    assert CANARY not in log.read_text()

    # once the team consent is there (a later batch), the same participant comes in
    assert laptop.push_one(laptop.consent(pid))["status"] == "applied"
    again = laptop.push([laptop.participant(pid, given_name="Sam")])["results"]
    assert [r["status"] for r in again] == ["applied"]


def test_a_team_consent_later_in_the_same_batch_counts(served: tuple[Programme, Path]) -> None:
    programme, _ = served
    laptop, tablet = _laptops(programme)
    consented, other = laptop.participant(), laptop.participant()
    parent, note = laptop.note(consented["row_id"], "met at the library")
    consent = laptop.consent(consented["row_id"])
    unconsented_contact = laptop.change(
        "contact", fields={"kind": "phone"}, participant_id=other["row_id"]
    )
    # participant row and note first, their team consent last; a second participant
    # in the same batch has no consent at all
    batch = [consented, parent, note, other, unconsented_contact, consent]
    results = laptop.push(batch)["results"]
    assert [r["change_id"] for r in results] == [c["change_id"] for c in batch]
    assert [r["status"] for r in results] == [
        "applied",
        "applied",
        "applied",
        "rejected",
        "rejected",
        "applied",
    ]
    with programme.db.reading() as s:
        assert s.get(Record, ("participant", consented["row_id"])) is not None
        assert s.get(Record, ("note_revision", note["row_id"])) is not None
        assert s.get(Record, ("participant", other["row_id"])) is None
        assert s.get(Record, ("contact", unconsented_contact["row_id"])) is None
    # the worker's other laptop gets the consent ahead of the content it lets in
    pulled, _ = tablet.pull_all()
    assert [c["change_id"] for c in pulled] == [
        consent["change_id"],
        consented["change_id"],
        parent["change_id"],
        note["change_id"],
    ]
