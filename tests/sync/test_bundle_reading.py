"""Bundles read fast and stay exact: the export reads rows without ORM objects yet lets out
exactly what the outbox policy lets out row by row, and a damaged bundle's import names its
first problem (a guard for any faster parsing of the records). Synthetic data."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import CANARIES, Laptop, Supervisor, canary
from sqlalchemy import select, update

from linksdesk.core.changes import RowChange
from linksdesk.core.ids import SYNC_NAMESPACE
from linksdesk.storage.store import data_columns, json_value, row_values, shared_participants
from linksdesk.storage.tables import TABLE_BY_NAME, Contact, Participant, Relationship
from linksdesk.sync.bundle import export, format, keys, receive
from linksdesk.sync.bundle.format import BundleRefused, Sender, seal
from linksdesk.sync.policy import AGGREGATE_TABLES, RECEIPT_TABLE, TEAM_TABLES, SyncPolicy
from linksdesk.sync.protocol import compact_clocks


def _row_by_row(lap: Laptop) -> list[dict[str, Any]]:
    """The reference: every mapped row loaded as an object and put through the outbox
    policy as its own change (how bundles were read before the Core statements)."""
    policy = SyncPolicy()
    worker = lap.store.worker_id
    out: list[dict[str, Any]] = []
    with lap.store.read() as s:
        people = set(s.scalars(select(Participant.id).where(Participant.owner == worker)))
        for table, cls in TABLE_BY_NAME.items():
            if table == RECEIPT_TABLE:
                continue
            for row in s.scalars(select(cls).where(cls.sharing != "private")):
                if table in AGGREGATE_TABLES and row.owner != worker:
                    continue
                pid = row.id if table == "participant" else getattr(row, "participant_id", None)
                if table not in TEAM_TABLES and table not in AGGREGATE_TABLES and pid not in people:
                    continue
                shared = shared_participants(s, [pid]) if pid else set()
                payload = policy.outbound(
                    RowChange(
                        table=table,
                        row_id=row.id,
                        op="upsert",
                        hlc=row.hlc,
                        values=row_values(row),
                        changed=frozenset(data_columns(row)),
                        base={},
                        participant_id=pid,
                        participant_shared=pid is None or pid in shared,
                    )
                )
                if payload is None:
                    continue
                fields = {k: json_value(v) for k, v in payload["fields"].items()}
                clocks = {
                    k: v for k, v in (row.field_hlc or {}).items() if k in fields and v != row.hlc
                }
                out.append(
                    {
                        "change_id": str(
                            uuid.uuid5(SYNC_NAMESPACE, f"bundle:{table}:{row.id}:{row.hlc}")
                        ),
                        "table": table,
                        "row_id": row.id,
                        "op": "delete" if row.deleted else "upsert",
                        "hlc": row.hlc,
                        "origin": row.origin,
                        "owner": row.owner,
                        "participant_id": pid,
                        "sharing": "team",
                        "participant_shared": True if pid else None,
                        "fields": {} if row.deleted else fields,
                        "base": {},
                        "field_hlc": {} if row.deleted else compact_clocks(clocks, row.hlc),
                    }
                )
    return out


def test_the_export_lets_out_what_the_policy_lets_out_row_by_row(laptop: Laptop) -> None:
    who = laptop.plant_canaries()
    # a tombstone, an edited row (fields at different clocks) and another worker's case
    gone = laptop.contact(who["shared"], purpose="a contact later deleted")
    with laptop.store.write() as tx:
        tx.delete(tx.session.get(Contact, gone))
        tx.update(tx.session.get(Participant, who["shared"]), status="closed")
    with laptop.store.applying() as s:
        # handed to a colleague (as a pulled handover writes it): no longer this caseload
        moved = update(Participant).where(Participant.id == who["no_eval"])
        s.execute(moved.values(owner=str(uuid.uuid4())))
    with laptop.store.read() as s:
        caseload = export.caseload_changes(s, laptop.store.worker_id)
    expected = _row_by_row(laptop)
    assert caseload.changes == expected
    assert {c["table"] for c in expected} >= {"participant", "contact", "note", "concern"}
    assert any(c["op"] == "delete" for c in expected)
    assert any(c["field_hlc"] for c in expected)
    text = repr(caseload.changes)
    # the case handed on (NOEVAL's) is no longer this laptop's to send
    assert who["no_eval"] not in text
    for mark, where in CANARIES.items():
        assert (mark in text) == ("S" in where and "NOEVAL" not in mark), mark
    # the local column and a relation's phone never appear, whatever the read path
    assert canary("LOCAL") not in text and canary("RELPHONE") not in text
    with laptop.store.read() as s:
        assert s.scalars(select(Relationship)).first() is not None


def _bundle(lap: Laptop, sup: Supervisor, out: Path, records: list[dict[str, Any]]) -> Path:
    key = keys.signing_key(lap.store)
    sender = Sender("device", "laptop", lap.store.worker_id, lap.store.device_id, None)
    sealed = seal(records, kind="supervision", sender=sender, key=key, recipients=[sup.recipient])
    path, _ = sealed.write(out)
    return path


def test_a_damaged_bundle_still_names_its_first_problem(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop.plant_canaries()
    with laptop.store.read() as s:
        good = export.caseload_changes(s, laptop.store.worker_id).changes
    fp = keys.signing_key(laptop.store).public.fingerprint
    private = {**good[0], "sharing": "private"}
    broken = {**good[1], "row_id": "not a row id"}
    before = supervisor.content_hash()
    # the private record comes first: that is what the person is told, not "damaged"
    out = _bundle(laptop, supervisor, tmp_path / "a.age", [private, broken, *good[2:]])
    with pytest.raises(BundleRefused, match="private record"):
        receive.import_bundle(supervisor.store, out, trust=fp)
    out = _bundle(laptop, supervisor, tmp_path / "b.age", [broken, private, *good[2:]])
    with pytest.raises(BundleRefused, match="damaged"):
        receive.import_bundle(supervisor.store, out, trust=fp)
    # a signer's tool that writes a line that is JSON but not a record (a list, a number):
    # damage too, said plainly (the manifest counts it as a participant row)
    real = format.records_bytes

    def lenient(records: list[Any]) -> tuple[bytes, dict[str, int]]:
        _, counts = real([r if isinstance(r, dict) else {"table": "participant"} for r in records])
        lines = [json.dumps(r, separators=(",", ":")) for r in records]
        return "\n".join([*lines, ""]).encode(), counts

    monkeypatch.setattr(format, "records_bytes", lenient)
    for n, odd in enumerate(([good[0]], 7, "text", None)):
        out = _bundle(laptop, supervisor, tmp_path / f"c{n}.age", [*good[:1], odd, *good[2:]])
        with pytest.raises(BundleRefused, match="damaged"):
            receive.import_bundle(supervisor.store, out, trust=fp)
    monkeypatch.undo()
    assert supervisor.content_hash() == before
    # the same records undamaged import whole
    out = _bundle(laptop, supervisor, tmp_path / "d.age", good)
    report = receive.import_bundle(supervisor.store, out, trust=fp)
    assert report.applied == len(good)
