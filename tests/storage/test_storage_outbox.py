"""The pending batch is a typed thing storage edits: a participant's changes taken out of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from linksdesk.storage.outbox import (
    PendingBatch,
    drop_pending,
    load_pending,
    rewrite_pending_batch,
    save_pending,
)
from linksdesk.storage.store import Store
from linksdesk.storage.tables import Outbox


def _change(table: str, row_id: str, pid: str | None, op: str = "upsert", **fields: Any) -> Any:
    return {"table": table, "row_id": row_id, "participant_id": pid, "op": op, "fields": fields}


BATCH = PendingBatch(
    batch_key="key-1",
    request={
        "batch_key": "key-1",
        "changes": [
            _change("participant", "p1", "p1"),
            _change("note", "n1", "p1"),
            _change("consent", "c1", "p1", scope="team", given=False),
            _change("participant", "p1", "p1", op="erase"),
            _change("note", "n2", "p2"),
            _change("resource", "r1", None),
        ],
    },
)


def test_a_participants_changes_leave_the_batch_under_a_new_key() -> None:
    left = BATCH.without("p1")
    assert left is not None and left is not BATCH
    assert left.batch_key != BATCH.batch_key
    assert left.request["batch_key"] == left.batch_key
    # an erase command must reach everyone: it stays; everything else about p1 goes
    assert [(c["table"], c["row_id"], c["op"]) for c in left.changes] == [
        ("participant", "p1", "erase"),
        ("note", "n2", "upsert"),
        ("resource", "r1", "upsert"),
    ]
    # a withdrawal keeps the team consent record that says so
    kept = BATCH.without("p1", keep_team_consent=True)
    assert kept is not None
    assert ("consent", "c1") in {(c["table"], c["row_id"]) for c in kept.changes}
    # nobody's: the same batch; everybody's: none left
    assert BATCH.without("p9") is BATCH
    only = PendingBatch("k", {"batch_key": "k", "changes": [_change("note", "n1", "p1")]})
    assert only.without("p1") is None


def test_rewriting_the_saved_batch_re_keys_its_outbox_rows(store: Store) -> None:
    with store.bookkeeping() as s:
        save_pending(s, BATCH)
        s.add(
            Outbox(
                change_id="ch-1",
                table_name="note",
                row_id="n2",
                op="upsert",
                hlc="x",
                payload={"participant_id": "p2"},
                base={},
                batch_key="key-1",
                created_at=dt.datetime(2026, 1, 5),
            )
        )
    with store.bookkeeping() as s:
        assert rewrite_pending_batch(s, "p1")
        assert not rewrite_pending_batch(s, "p9")
    with store.read() as s:
        saved = load_pending(s)
        assert saved is not None and saved.batch_key != "key-1"
        assert len(saved.changes) == 3
        assert s.scalar(select(Outbox.batch_key).where(Outbox.change_id == "ch-1")) == (
            saved.batch_key
        )
    with store.bookkeeping() as s:
        drop_pending(s)
    with store.read() as s:
        assert load_pending(s) is None
