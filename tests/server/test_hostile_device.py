"""A hostile or broken device against the real server over HTTP (issue 9): crafted pushes.

Poisoned values, spoofed provenance and cross-team erasure, each sent as a device would
send it, to ``linksdesk-server serve`` on 127.0.0.1.
"""

from __future__ import annotations

from typing import Any

from server_kit import Programme
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, func, select

from linksdesk.core.hlc import HLC
from linksdesk.core.ids import uuid7
from linksdesk.core.registry import Column, Kind
from linksdesk.core.validate import COLUMNS
from linksdesk.server.models import Record


def _statuses(answer: dict[str, Any]) -> list[str]:
    return [r["status"] for r in answer["results"]]


# -- sync poisoning -------------------------------------------------------------------------
POISON: list[tuple[str, str, Any]] = [
    ("resource", "last_verified", "not-a-date"),
    ("resource", "last_verified", "2026-02-30"),
    ("resource", "categories", "money"),  # a list column given text
    ("resource", "categories", [1, 2]),
    ("resource", "organisation", "x" * 201),  # String(200)
    ("resource", "organisation", None),  # not nullable
    ("resource", "problem_reports", {"a": 1}),
    ("contact", "minutes", 2**70),
    ("contact", "minutes", "45"),
    ("contact", "minutes", True),
    ("contact", "minutes", 10**4000 if False else 10**40),
    ("contact", "scheduled_at", "2026-01-01T10:00:00+01:00"),  # devices keep naive UTC
    ("contact", "scheduled_at", 5),
    ("contact", "purpose", "x" * 150_000),  # Text: 100,000 characters at most
    ("goal", "progress", 1.5),
    ("measure", "items", [1, "two"]),
    ("measure", "metric", "high"),
    ("relationship", "supportive", 1),
    ("consent", "version", 3.0),
    ("note", "contact_id", "not-an-id"),
    ("note", "contact_id", str(uuid7())),  # a contact the server never received
    ("contact", "status", "half_attended"),  # no word of the field's vocabulary
    ("resource", "capacity", "plenty"),
    ("onward_referral", "in_error_at", "yesterday"),  # the mark of schema 4: a datetime
    ("onward_referral", "in_error_reason", "x" * 501),  # and its reason, 500 at most
    ("concern", "in_error_at", 20260303),  # the mark of schema 5 on a concern: a datetime
    ("concern", "in_error_reason", ["Recorded twice"]),  # and its reason: text
]


def test_values_that_do_not_fit_their_column_are_rejected_and_the_batch_goes_on(
    served: Programme,
) -> None:
    dev = served.enrol(served.worker(served.team()))
    p = dev.participant()
    assert _statuses(dev.push(dev.shared(p))) == ["applied", "applied"]
    pid = p["row_id"]
    for table, column, value in POISON:
        routed = pid if table != "resource" else None
        bad = dev.change(table, fields={column: value}, participant_id=routed)
        good = dev.change("resource", fields={"organisation": "Food bank", "service": "Pantry"})
        answer = dev.push([bad, good])
        assert _statuses(answer) == ["rejected", "applied"], (table, column, value)
        reason = answer["results"][0]["reason"]
        assert column in reason or "points at a record" in reason, reason
        assert repr(value)[:20] not in reason or isinstance(value, bool | None)
    # the values that do fit the same columns are taken
    fine = dev.change(
        "resource",
        fields={
            "organisation": "Library",
            "service": "Warm space",
            "last_verified": "2026-02-28",
            "categories": ["isolation"],
        },
    )
    contact = dev.change(
        "contact",
        fields={"kind": "phone", "status": "attended", "scheduled_at": "2026-01-01T10:00:00"},
        participant_id=pid,
    )
    note = dev.change(
        "note",
        fields={"contact_id": contact["row_id"], "written_at": "2026-01-01T10:30:00.123456"},
        participant_id=pid,
    )
    assert _statuses(dev.push([fine, contact, note])) == ["applied"] * 3


def column_of(sa_column: Any) -> Column:
    """The description of one SQLAlchemy column (the device's), as the registry gives it."""
    kind_type = sa_column.type
    refers = next((fk.column.table.name for fk in sa_column.foreign_keys), None)
    nullable = bool(sa_column.nullable)
    kind: Kind
    length: int | None = None
    if isinstance(kind_type, DateTime):
        kind = "datetime"
    elif isinstance(kind_type, Date):
        kind = "date"
    elif isinstance(kind_type, Boolean):
        kind = "bool"
    elif isinstance(kind_type, Integer):
        kind = "int"
    elif isinstance(kind_type, Float):
        kind = "float"
    elif isinstance(kind_type, JSON):
        # JSON says nothing of its shape; the column's default (dict or list) does, and a
        # column without one holds a list (measure items)
        default = getattr(sa_column.default, "arg", None)
        kind = "object" if getattr(default, "__name__", "") == "dict" else "list"
    elif isinstance(kind_type, String):
        kind, length = "text", kind_type.length
    else:  # pragma: no cover - a new column type needs a rule here
        raise TypeError(f"no rule for column type {kind_type!r}")
    return Column(kind=kind, nullable=nullable, max_length=length, refers_to=refers)


def test_the_server_description_matches_the_devices_columns() -> None:
    """COLUMNS is the device's SQLAlchemy columns, column for column (no drift)."""
    from linksdesk.storage.tables import TABLE_BY_NAME
    from linksdesk.sync.policy import shareable_columns

    for name, cls in TABLE_BY_NAME.items():
        columns = cls.__table__.columns  # type: ignore[attr-defined]
        shared = shareable_columns(name) - {"id", "hlc", "origin", "deleted", "sharing", "owner"}
        assert set(COLUMNS[name]) == shared, name
        for column in shared:
            derived = column_of(columns[column])
            described = COLUMNS[name][column]
            assert derived == described.__class__(**{**described.__dict__, "items": None}), (
                name,
                column,
            )


# -- provenance -----------------------------------------------------------------------------
def test_a_device_cannot_sign_as_a_colleagues_laptop(served: Programme) -> None:
    team = served.team()
    a = served.enrol(served.worker(team))
    b = served.enrol(served.worker(team))
    res = a.change("resource", fields={"organisation": "Advice shop", "service": "Debt"})
    assert a.push_one(res)["status"] == "applied"

    # b claims a's laptop as origin, then stamps a's clock: both refused
    as_a = b.change("resource", res["row_id"], fields={"cost": "free"})
    as_a["origin"] = a.device_id
    assert b.push_one(as_a)["status"] == "rejected"
    clock = a.clock.now()
    forged = b.change(
        "resource",
        res["row_id"],
        fields={"cost": "free"},
        hlc=HLC(clock.wall_ms, clock.counter + 1, a.device_id).encode(),
    )
    forged["origin"] = a.device_id
    result = b.push_one(forged)
    assert result["status"] == "rejected" and "another device" in result["reason"]

    # a resource b creates claiming to be a's is stored as b's
    claimed = b.change(
        "resource", fields={"organisation": "Gym", "service": "Walks"}, owner=a.worker_id
    )
    assert b.push_one(claimed)["status"] == "applied"
    with served.db.reading() as s:
        assert s.get(Record, ("resource", claimed["row_id"])).owner == b.worker_id  # type: ignore[union-attr]
        assert s.get(Record, ("resource", res["row_id"])).origin == a.device_id  # type: ignore[union-attr]
    pulled, _ = a.pull_all()
    mine = [c for c in pulled if c["row_id"] == claimed["row_id"]]
    assert mine and all(c["owner"] == b.worker_id and c["origin"] == b.device_id for c in mine)


def test_a_worker_may_relay_only_their_own_other_laptops_changes(served: Programme) -> None:
    team = served.team()
    worker = served.worker(team)
    laptop, tablet = served.enrol(worker), served.enrol(worker)
    colleague = served.enrol(served.worker(team))
    relay = tablet.change("resource", fields={"organisation": "Hub", "service": "Food"})
    relay["origin"] = laptop.device_id  # the resync after a restore re-sends it so
    assert tablet.push_one(relay)["status"] == "applied"
    foreign = colleague.change("resource", fields={"organisation": "Hub", "service": "Food"})
    foreign["origin"] = laptop.device_id
    assert colleague.push_one(foreign)["status"] == "rejected"


# -- erasure authority ----------------------------------------------------------------------
def _consents_kept(p: Programme, pid: str) -> int:
    with p.db.reading() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(Record)
                .where(Record.participant_id == pid, Record.table_name == "consent")
            )
            or 0
        )


def test_another_team_cannot_erase_or_pre_erase_a_participant(served: Programme) -> None:
    north = served.enrol(served.worker(served.team("North")))
    south = served.enrol(served.worker(served.team("South")))
    # a North case shared, then withdrawn: the server keeps its two consent records
    p = north.participant()
    pid = p["row_id"]
    assert _statuses(north.push(north.shared(p))) == ["applied", "applied"]
    withdrawn = north.consent(pid, given=False, version=2)
    assert north.push_one(withdrawn)["status"] == "applied"
    assert _consents_kept(served, pid) == 2

    erase = south.change("participant", pid, op="erase")
    result = south.push_one(erase)
    assert result["status"] == "rejected" and "another team" in result["reason"]
    assert _consents_kept(served, pid) == 2

    # South "erases" an id it never held (North's, not yet shared): kept for South only
    unshared = str(uuid7())
    assert south.push_one(south.change("participant", unshared, op="erase"))["status"] == "applied"
    later = north.participant(unshared)
    assert _statuses(north.push(north.shared(later))) == ["applied", "applied"]
    contact = north.change(
        "contact", fields={"kind": "phone", "status": "attended"}, participant_id=unshared
    )
    assert north.push_one(contact)["status"] == "applied"


def test_only_the_case_worker_or_a_supervisor_erases_a_withdrawn_case(served: Programme) -> None:
    team = served.team()
    owner = served.enrol(served.worker(team))
    colleague = served.enrol(served.worker(team))
    supervisor = served.enrol(served.worker(team, role="supervisor"))
    p = owner.participant()
    pid = p["row_id"]
    owner.push(owner.shared(p))
    assert owner.push_one(owner.consent(pid, given=False, version=2))["status"] == "applied"
    refused = colleague.push_one(colleague.change("participant", pid, op="erase"))
    assert refused["status"] == "rejected" and "links worker or a supervisor" in refused["reason"]
    assert _consents_kept(served, pid) == 2
    done = supervisor.push_one(supervisor.change("participant", pid, op="erase"))
    assert done["status"] == "applied"
    assert _consents_kept(served, pid) == 0


def test_a_laptop_may_resend_its_workers_other_laptops_clock_but_not_a_colleagues(
    served: Programme,
) -> None:
    """A backfill after consent is given again keeps each row's own clock, which may be the
    worker's other laptop's; a colleague's clock stays refused."""
    team = served.team()
    worker = served.worker(team)
    laptop, tablet = served.enrol(worker), served.enrol(worker)
    colleague = served.enrol(served.worker(team))
    clock = laptop.clock.now()
    theirs = HLC(clock.wall_ms, clock.counter + 1, laptop.device_id).encode()
    resent = tablet.change(
        "resource", fields={"organisation": "Hub", "service": "Food"}, hlc=theirs
    )
    resent["origin"] = laptop.device_id
    assert tablet.push_one(resent)["status"] == "applied"
    forged = colleague.change(
        "resource", fields={"organisation": "Hub", "service": "Gym"}, hlc=theirs
    )
    forged["origin"] = laptop.device_id
    assert colleague.push_one(forged)["status"] == "rejected"
