"""The confidentiality policy at enqueue time, checked on real vaults (no server needed)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from sqlalchemy import select
from sync_kit import CANARY_LOCAL, CANARY_PRIVATE, CANARY_UNSHARED, Dev

from linksdesk.core.changes import RowChange
from linksdesk.storage.store import SYNC_META
from linksdesk.storage.tables import SYNCABLE_TABLES, Outbox, Relationship
from linksdesk.sync import policy, protocol
from linksdesk.sync.totals import monthly_counts


def test_every_column_of_every_syncable_table_is_tagged() -> None:
    untagged = []
    for table in SYNCABLE_TABLES:
        name = table.__tablename__  # type: ignore[attr-defined]
        for column in table.__table__.columns:  # type: ignore[attr-defined]
            known = column.key in policy.ROUTING or column.key in policy.COLUMNS.get(name, {})
            if not known:
                untagged.append(f"{name}.{column.key}")
            else:
                assert policy.sync_tag(name, column.key) in ("share", "local")
                assert policy.eval_tag(name, column.key) in ("keep", "transform", "drop")
        extra = set(policy.COLUMNS.get(name, {})) - {c.key for c in table.__table__.columns}  # type: ignore[attr-defined]
        assert not extra, f"policy tags columns {name} no longer has: {extra}"
    assert untagged == [], f"untagged columns (they count as local/drop): {untagged}"
    assert set(policy.COLUMNS) == {t.__tablename__ for t in SYNCABLE_TABLES}  # type: ignore[attr-defined]


def test_an_untagged_column_counts_as_local_and_drop() -> None:
    assert policy.sync_tag("participant", "a_column_added_later") == "local"
    assert policy.eval_tag("participant", "a_column_added_later") == "drop"
    change = RowChange(
        table="participant",
        row_id="x",
        op="upsert",
        hlc="000000000000001-00000-d",
        values={"a_column_added_later": CANARY_LOCAL, "given_name": "Ann", "sharing": "team"},
        changed=frozenset({"a_column_added_later", "given_name"}),
        base={},
        participant_id="x",
        participant_shared=True,
    )
    payload = policy.SyncPolicy().outbound(change)
    assert payload is not None and payload["fields"] == {"given_name": "Ann"}


def test_the_wire_and_the_vault_agree_on_the_tables() -> None:
    names = tuple(t.__tablename__ for t in SYNCABLE_TABLES)  # type: ignore[attr-defined]
    assert names == protocol.SYNCABLE_TABLES
    for table in SYNCABLE_TABLES:
        cols = {c.key for c in table.__table__.columns} - SYNC_META  # type: ignore[attr-defined]
        assert policy.shareable_columns(table.__tablename__) <= cols  # type: ignore[attr-defined]


def _outbox_text(dev: Dev) -> str:
    with dev.store.read() as s:
        rows = s.scalars(select(Outbox)).all()
        return json.dumps([[r.table_name, r.row_id, r.payload, r.base] for r in rows])


def test_private_local_and_unshared_never_enter_the_outbox(
    devices: Callable[[str], Dev],
) -> None:
    dev = devices("laptop")
    hidden = dev.participant(shared=False, given_name=CANARY_UNSHARED)
    dev.contact(hidden, purpose=CANARY_UNSHARED)
    dev.note(hidden, CANARY_UNSHARED)
    secret = dev.participant(private=True, given_name=CANARY_PRIVATE)
    shared = dev.participant(contact_preferences=CANARY_LOCAL)
    dev.contact(shared, purpose=CANARY_PRIVATE, private=True)
    dev.note(shared, CANARY_PRIVATE, private=True)
    dev.edit("participant", shared, contact_preferences=f"{CANARY_LOCAL} again")
    with dev.store.write() as tx:
        tx.insert(
            Relationship(participant_id=shared, kind="friend", name="Pat", phone=CANARY_LOCAL)
        )
    text = _outbox_text(dev)
    for canary in (CANARY_LOCAL, CANARY_PRIVATE, CANARY_UNSHARED):
        assert canary not in text
    assert hidden not in text and secret not in text
    assert shared in text and "Pat" in text  # the shared parts did go in
    # a local-only edit queues nothing at all
    before = dev.outbox()
    dev.edit("participant", shared, contact_preferences="mornings")
    assert dev.outbox() == before


def test_a_private_row_made_shareable_goes_out_whole(devices: Callable[[str], Dev]) -> None:
    dev = devices("laptop")
    pid = dev.participant()
    contact = dev.contact(pid, purpose="was private", private=True)
    assert contact not in _outbox_text(dev)
    dev.edit("contact", contact, sharing="team")
    with dev.store.read() as s:
        row = s.scalars(select(Outbox).where(Outbox.row_id == contact)).one()
    assert row.payload["fields"]["purpose"] == "was private"
    assert set(row.payload["fields"]) == policy.shareable_columns("contact")


def test_monthly_totals_count_what_stays_and_only_counts(devices: Callable[[str], Dev]) -> None:
    dev = devices("laptop")
    hidden = dev.participant(shared=False)
    dev.contact(hidden, status="attended", when=dt.datetime(2025, 3, 4, 10))
    dev.contact(hidden, status="attended", when=dt.datetime(2025, 3, 5, 10))
    dev.contact(hidden, status="did_not_attend", when=dt.datetime(2025, 3, 6, 10))
    dev.referral(hidden, source="gp")
    shared = dev.participant()
    dev.contact(shared, status="attended", when=dt.datetime(2025, 3, 7, 10))  # synced as itself
    with dev.store.read() as s:
        counts = monthly_counts(s, dt.date(2025, 4, 1))
    assert counts["2025-03"]["contacts"] == 2
    assert counts["2025-03"]["did_not_attend"] == 1
    assert counts["2025-01"]["referrals_by_source"] == {"gp": 1}
    assert counts["2025-01"]["participants"] == 1
    assert counts["2025-04"]["participants"] == 1
    assert set(counts["2025-03"]) == {
        "participants",
        "contacts",
        "did_not_attend",
        "referrals_by_source",
    }


def test_policy_lets_only_a_conflict_resolution_mark_out() -> None:
    def change(op: str, sharing: str = "team") -> RowChange:
        return RowChange(
            table=policy.CONFLICT_TABLE,
            row_id="c",
            op=op,
            hlc="000000000000001-00000-d",
            values={"sharing": sharing, "owner": "w", "origin": "d"},
            changed=frozenset({"deleted"}),
            base={},
            participant_id="p",
            participant_shared=True,
        )

    assert policy.SyncPolicy().outbound(change("delete")) == {
        "fields": {},
        "participant_id": "p",
        "owner": "w",
        "sharing": "team",
        "origin": "d",
    }
    assert policy.SyncPolicy().outbound(change("upsert")) is None
    assert policy.SyncPolicy().outbound(change("delete", "private")) is None


def test_an_erasure_receipt_leaves_though_consent_went_with_the_purge(
    devices: Callable[[str], Dev],
) -> None:
    dev = devices("laptop")
    pid = dev.participant(given_name=CANARY_UNSHARED)
    dev.contact(pid, purpose=CANARY_UNSHARED)
    dev.erase(pid)
    with dev.store.read() as s:
        rows = s.scalars(select(Outbox)).all()
    kinds = {
        (r.table_name, r.op)
        for r in rows
        if r.row_id == pid or r.payload.get("participant_id") == pid
    }
    assert ("erasure_receipt", "upsert") in kinds and ("participant", "erase") in kinds
    assert CANARY_UNSHARED not in _outbox_text(dev)
