"""A hostile or broken device against the real server over HTTP: rewriting consent held.

Devices record every consent as a new version and never change or remove one; the
server's gate reads the team consent records it holds. A device that tombstones a held
team consent, moves it to another scope, or turns a withdrawal into a "given" would leave
content on the server under no team consent, or share a case again without a new consent
and take the withdrawal out of the person's history: each is refused, nothing changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from server_kit import CANARY, Programme
from sqlalchemy import func, select

from linksdesk.server.models import ChangeLog, ParticipantAccess, Record
from linksdesk.server.sealing import keyring_of
from linksdesk.server.sync.consent import latest_team_consent

REWRITE = "stays as it was"


def _held(p: Programme, pid: str) -> dict[str, Any]:
    """What the server holds of a participant: its records' tables, the team consent
    records' decisions, what the gate says, and who may pull the case."""
    with p.db.reading() as s:
        ring = keyring_of(s)
        records = list(s.scalars(select(Record).where(Record.participant_id == pid)))
        consents = sorted(
            (r.row_id, r.deleted, (f := ring.open(s, r.fields))["scope"], f["given"], f["version"])
            for r in records
            if r.table_name == "consent"
        )
        return {
            "tables": sorted(r.table_name for r in records),
            "consents": consents,
            "shared": latest_team_consent(s, pid),
            "access": s.scalar(select(func.count()).where(ParticipantAccess.participant_id == pid)),
            "logged": s.scalar(select(func.count()).where(ChangeLog.participant_id == pid)),
        }


@pytest.mark.parametrize(
    "rewrite",
    [
        {"op": "delete"},
        {"fields": {"deleted": True}},
        {"fields": {"scope": "evaluation"}},
        {"fields": {"version": 0}},
    ],
    ids=["tombstone", "deleted-flag", "other-scope", "lower-version"],
)
def test_a_held_team_consent_is_never_removed_or_moved_from_under_the_content(
    served: Programme, rewrite: dict[str, Any]
) -> None:
    worker = served.worker(served.team())
    laptop, other = served.enrol(worker), served.enrol(worker)
    part = laptop.participant()
    pid = part["row_id"]
    consent = laptop.consent(pid)
    contact = laptop.change(
        "contact", fields={"kind": "phone", "purpose": CANARY}, participant_id=pid
    )
    assert [r["status"] for r in laptop.push([consent, part, contact])["results"]] == [
        "applied"
    ] * 3
    before = _held(served, pid)
    assert before["shared"] is True

    change = laptop.change(
        "consent",
        consent["row_id"],
        participant_id=pid,
        base=dict.fromkeys(consent["fields"], consent["hlc"]),
        **rewrite,
    )
    result = laptop.push_one(change)
    assert result["status"] == "rejected" and REWRITE in result["reason"], result
    assert CANARY not in result["reason"]

    # the consent stands as recorded, so does what it let in, and nothing went to devices
    assert _held(served, pid) == before
    pulled, _ = other.pull_all()
    assert [c["op"] for c in pulled if c["row_id"] == consent["row_id"]] == ["upsert"]


def test_a_withdrawal_is_not_turned_back_into_sharing_without_a_new_consent(
    served: Programme,
) -> None:
    dev = served.enrol(served.worker(served.team()))
    part = dev.participant()
    pid = part["row_id"]
    assert [r["status"] for r in dev.push(dev.shared(part))["results"]] == ["applied"] * 2
    withdrawal = dev.consent(pid, given=False, version=2)
    assert dev.push_one(withdrawal)["status"] == "applied"
    after_withdrawal = _held(served, pid)
    assert after_withdrawal["tables"] == ["consent", "consent"]
    assert after_withdrawal["shared"] is False and after_withdrawal["access"] == 0

    flip = dev.change(
        "consent",
        withdrawal["row_id"],
        fields={"given": True},
        participant_id=pid,
        base={"given": withdrawal["hlc"]},
    )
    flipped = dev.push_one(flip)
    assert flipped["status"] == "rejected" and REWRITE in flipped["reason"]
    record = dev.push_one(dev.participant(pid))
    assert record["status"] == "rejected" and "withdrew consent" in record["reason"]
    assert _held(served, pid) == after_withdrawal

    # a new consent is how sharing is given again
    again = [dev.consent(pid, given=True, version=3), dev.participant(pid)]
    assert [r["status"] for r in dev.push(again)["results"]] == ["applied"] * 2
    held = _held(served, pid)
    assert held["shared"] is True and held["access"] == 1
    assert sorted((c[4], c[3]) for c in held["consents"]) == [(1, True), (2, False), (3, True)]
