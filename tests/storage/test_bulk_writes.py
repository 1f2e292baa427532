"""WriteTx.insert_many: the same vault as inserting row by row, in a handful of statements."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import IntegrityError
from vault_kit import PASSPHRASE

from linksdesk.core.changes import Changes, RowChange
from linksdesk.core.hlc import HybridClock
from linksdesk.storage import audit, search
from linksdesk.storage.store import Store, WriteTx, data_columns, participant_shared, row_values
from linksdesk.storage.tables import (
    SYNCABLE_TABLES,
    AuditEvent,
    Concern,
    Consent,
    Contact,
    Goal,
    GoalStep,
    Note,
    NoteRevision,
    Outbox,
    Participant,
    Resource,
    SyncColumns,
)
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy

DEVICE = "device-bulk"
WORKER = "worker-bulk"
DAY = dt.date(2026, 2, 9)
WHEN = dt.datetime(2026, 2, 9, 10, 30)

# fixed ids, so two vaults given the same input hold the same rows
ANN, BEA, CAL = "p-ann", "p-bea", "p-cal"


def make_store(vault: Vault) -> Store:
    """A store whose clock stands still: every vault given the same writes gets the same
    stamps, so rows, outbox payloads and clocks compare exactly."""
    return Store(
        vault.engine,
        device_id=DEVICE,
        worker_id=WORKER,
        clock=HybridClock(DEVICE, now_ms=lambda: 1_770_000_000_000),
        policy=SyncPolicy(),
        actor=WORKER,
    )


@pytest.fixture
def open_vaults(tmp_path: Path) -> Iterator[Callable[[str], Vault]]:
    made: list[Vault] = []

    def make(name: str) -> Vault:
        vault, _ = Vault.create(tmp_path / f"{name}.vault", PASSPHRASE)
        made.append(vault)
        return vault

    yield make
    for vault in made:
        vault.lock()


def consent(cid: str, pid: str, given: bool, version: int = 1, scope: str = "team") -> Consent:
    return Consent(
        id=cid,
        participant_id=pid,
        scope=scope,
        given=given,
        version=version,
        recorded_on=DAY,
        method="verbal",
    )


def person(pid: str, number: int) -> Participant:
    return Participant(
        id=pid,
        programme_id=f"P{number}",
        given_name="Robin",
        family_name=f"Sample{number}",
        preferred_name="Rob",
        postcode="G31 2XX",
        created_on=DAY,
    )


def note(nid: str, pid: str, body: str, *, sharing: str | None = None) -> list[SyncColumns]:
    return [
        Note(id=nid, participant_id=pid, contact_id=None, written_at=WHEN, sharing=sharing),
        NoteRevision(
            id=f"{nid}-r1",
            note_id=nid,
            participant_id=pid,
            revision=1,
            base_revision_id=None,
            body=body,
            written_at=WHEN,
            sharing=sharing,
        ),
    ]


def revision(nid: str, pid: str, number: int, body: str) -> NoteRevision:
    return NoteRevision(
        id=f"{nid}-r{number}",
        note_id=nid,
        participant_id=pid,
        revision=number,
        base_revision_id=f"{nid}-r{number - 1}",
        body=body,
        written_at=WHEN,
    )


def earlier_rows() -> list[SyncColumns]:
    """What the vault holds before the batch: Bea, who consented, and one note of hers."""
    return [
        person(BEA, 2001),
        consent("c-bea-1", BEA, True),
        *note("n-bea-old", BEA, "Talked about the allotment group"),
    ]


def batch_rows() -> list[SyncColumns]:
    """A batch exercising every path: consent given mid-batch (Ann), withdrawn mid-batch
    (Bea), given at once (Cal), a private note, a later revision of a new note and of an
    earlier one, rows with defaults left unset, indexed and unindexed tables."""
    return [
        Resource(
            id="r-1",
            organisation="Eastfield Community Pantry",
            service="Food parcels",
            description="Weekly parcels and a warm space",
            categories=["food"],
            area="Eastfield",
        ),
        person(ANN, 2002),
        # before Ann's consent: nothing of hers may leave
        Contact(
            id="k-ann-1",
            participant_id=ANN,
            kind="appointment",
            status="attended",
            scheduled_at=WHEN,
            minutes=45,
            venue="Library",
        ),
        *note("n-ann-1", ANN, "First meeting about benefits forms"),
        consent("c-ann-gp", ANN, True, scope="gp"),
        consent("c-ann-team", ANN, True),
        # after it: everything of hers is queued, except what is private
        Goal(id="g-ann", participant_id=ANN, title="Get out walking", set_on=DAY),
        GoalStep(id="s-ann-1", goal_id="g-ann", participant_id=ANN, position=1, description="x"),
        *note("n-ann-2", ANN, "Walking group on Thursdays"),
        revision("n-ann-2", ANN, 2, "Walking group on Thursdays and Saturdays"),
        *note("n-ann-3", ANN, "Worried about the gas bill", sharing="private"),
        # Bea withdraws: rows of hers after that stay on the device
        Concern(
            id="q-bea-1", participant_id=BEA, category="fuel", stage="later", identified_on=DAY
        ),
        consent("c-bea-2", BEA, False, version=2),
        Concern(
            id="q-bea-2", participant_id=BEA, category="debt", stage="later", identified_on=DAY
        ),
        revision("n-bea-old", BEA, 2, "Talked about the allotment group and the food pantry"),
        person(CAL, 2003),
        consent("c-cal-team", CAL, True),
        *note("n-cal-1", CAL, "Housing letter explained"),
    ]


Recorded = list[tuple[str, bool | None]]


def follow_up(tx: WriteTx, seen: Recorded) -> Callable[[Any], Iterable[RowChange]]:
    """A ``then`` that records the sharing it sees and queues the participant row when a
    team consent is given (the demo's backfill of a first consent)."""

    def then(row: Any) -> Iterable[RowChange]:
        pid = row.id if isinstance(row, Participant) else getattr(row, "participant_id", None)
        shared = tx.is_shared(pid) if pid else None
        seen.append((row.id, shared))
        if isinstance(row, Consent) and row.scope == "team" and row.given and shared:
            who = tx.session.get(Participant, pid)
            assert who is not None
            return [
                RowChange(
                    table="participant",
                    row_id=who.id,
                    op="upsert",
                    hlc=who.hlc,
                    values=row_values(who),
                    changed=frozenset(data_columns(who)),
                    base={},
                    participant_id=who.id,
                    participant_shared=True,
                )
            ]
        return []

    return then


def write(store: Store, *, bulk: bool) -> tuple[Changes, Recorded]:
    with store.write() as tx:
        for row in earlier_rows():
            tx.insert(row)
    seen: Recorded = []
    with store.write() as tx:
        then = follow_up(tx, seen)
        rows = batch_rows()
        if bulk:
            assert tx.insert_many(rows, then=then) == rows
        else:
            for row in rows:
                tx.insert(row)
                for change in then(row):
                    tx.queue(change)
        return tx.changes, seen


def vault_content(store: Store) -> dict[str, Any]:
    with store.read() as s:
        tables = {
            t.__tablename__: sorted(  # type: ignore[attr-defined]
                (repr(sorted(row_values(r).items())) for r in s.scalars(select(t))), key=str
            )
            for t in SYNCABLE_TABLES
        }
        outbox = [
            (o.table_name, o.row_id, o.op, o.hlc, o.payload, o.base, o.batch_key)
            for o in s.scalars(select(Outbox).order_by(Outbox.seq))
        ]
        events = [
            (e.actor, e.action, e.entity, e.entity_id)
            for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))
            # the vault's own creation events carry its random ids
            if e.entity not in ("vault", "device")
        ]
        index = sorted(
            s.execute(
                text("SELECT entity, row_id, participant_id, title, body FROM search_index")
            ).all()
        )
        # every key points at the entry of its row, and every entry has its key
        keyed = sorted(
            s.execute(
                text(
                    "SELECT k.entity, k.row_id, k.participant_id, i.title, i.body "
                    "FROM search_key k JOIN search_index i ON i.rowid = k.doc"
                )
            ).all()
        )
        assert keyed == index
        hits = {
            word: sorted((h.entity, h.row_id) for h in search.search(s, word))
            for word in ("walking", "allotment", "pantry", "Robin", "gas", "housing", "benefits")
        }
        chain = audit.verify(s)
        assert chain.ok, chain.problem
    return {"tables": tables, "outbox": outbox, "audit": events, "index": index, "hits": hits}


def test_insert_many_leaves_the_vault_as_inserting_one_by_one(
    open_vaults: Callable[[str], Vault],
) -> None:
    one_by_one, bulk = open_vaults("one"), open_vaults("bulk")
    a, b = make_store(one_by_one), make_store(bulk)
    changes_a, seen_a = write(a, bulk=False)
    changes_b, seen_b = write(b, bulk=True)

    # ``then`` saw the same sharing at every row, and the summaries match
    assert seen_a == seen_b
    assert dict(seen_b)["k-ann-1"] is False  # before Ann's consent
    assert dict(seen_b)["g-ann"] is True  # after it
    assert dict(seen_b)["q-bea-1"] is True and dict(seen_b)["q-bea-2"] is False
    assert changes_a == changes_b
    assert [rid for _, rid in changes_b.created] == [r.id for r in batch_rows()]

    content_a, content_b = vault_content(a), vault_content(b)
    for part in ("tables", "outbox", "audit", "index", "hits"):
        assert content_a[part] == content_b[part], part

    # and what that content is: the rules were applied, not just repeated
    queued = [row_id for _, row_id, *_ in content_b["outbox"]]
    assert "k-ann-1" not in queued and "g-ann" in queued and ANN in queued
    assert not {"n-ann-3", "n-ann-3-r1"} & set(queued)  # private
    assert "q-bea-1" in queued and "q-bea-2" not in queued
    assert content_b["hits"]["walking"] == [("goal", "g-ann"), ("note", "n-ann-2")]
    assert content_b["hits"]["pantry"] == [("note", "n-bea-old"), ("resource", "r-1")]
    assert content_b["hits"]["gas"] == [("note", "n-ann-3")]  # private rows are still found
    assert len(content_b["audit"]) == len(earlier_rows()) + len(batch_rows())
    with b.read() as s:
        goal = s.get(Goal, "g-ann")
        assert goal is not None and (goal.status, goal.progress) == ("active", 0)
    for vault in (one_by_one, bulk):
        assert vault.integrity_check().ok


def test_the_consent_cache_follows_the_batch(open_vaults: Callable[[str], Vault]) -> None:
    store = make_store(open_vaults("cache"))
    with store.write() as tx:
        for row in earlier_rows():
            tx.insert(row)
    with store.write() as tx:
        assert tx.is_shared(BEA)  # cached before the batch withdraws it
        tx.insert_many(batch_rows())
        assert [tx.is_shared(p) for p in (ANN, BEA, CAL)] == [True, False, True]
        assert all(tx.is_shared(p) == participant_shared(tx.session, p) for p in (ANN, BEA, CAL))
        # a row written one by one afterwards is judged the same way
        tx.insert(
            Concern(
                id="q-bea-3", participant_id=BEA, category="food", stage="later", identified_on=DAY
            )
        )
    with store.read() as s:
        queued = set(s.scalars(select(Outbox.row_id).where(Outbox.table_name == "concern")))
    assert queued == {"q-bea-1"}


def people(n: int, start: int) -> list[SyncColumns]:
    """n participants with a consent, a contact, a note and its revision each."""
    rows: list[SyncColumns] = []
    for i in range(start, start + n):
        pid = f"p-{i}"
        rows += [
            person(pid, i),
            consent(f"c-{i}", pid, i % 3 != 0),
            Contact(
                id=f"k-{i}",
                participant_id=pid,
                kind="phone",
                status="attended",
                scheduled_at=WHEN,
                minutes=15,
            ),
            *note(f"n-{i}", pid, f"Phone call number {i} about the lunch club"),
        ]
    return rows


def statements_for(store: Store, engine: Engine, rows: list[SyncColumns]) -> int:
    counted = itertools.count()

    def count(*_: Any) -> None:
        next(counted)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with store.write() as tx:
            tx.insert_many(rows)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return next(counted)


def test_statements_grow_with_the_tables_not_the_rows(
    open_vaults: Callable[[str], Vault],
) -> None:
    vault = open_vaults("count")
    store = make_store(vault)
    statements_for(store, vault.engine, earlier_rows())  # the audit log's first events
    few = statements_for(store, vault.engine, people(3, 5000))
    many = statements_for(store, vault.engine, people(300, 6000))
    # BEGIN, the consent look-up, one INSERT per table (5), the search index (3), the
    # outbox, the audit head read, the audit events and the head written at commit
    assert many == few == 14
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Participant)) == 304
        # at least the contact, note and revision of the two in three who consented
        assert (s.scalar(select(func.count()).select_from(Outbox)) or 0) >= (2 + 200) * 3
        assert audit.verify(s).ok
    assert vault.integrity_check().ok


def snapshot(store: Store) -> tuple[Any, ...]:
    with store.read() as s:
        tables: list[Any] = [*SYNCABLE_TABLES, Outbox, AuditEvent]
        counts = tuple(s.scalar(select(func.count()).select_from(t)) for t in tables)
        index = s.execute(text("SELECT count(*) FROM search_index")).scalar_one()
        keys = s.execute(text("SELECT count(*) FROM search_key")).scalar_one()
        head = s.scalar(text("SELECT value FROM local_setting WHERE key = :k"), {"k": "audit_head"})
    return counts, index, keys, head


@pytest.mark.parametrize("failure", ["foreign key", "duplicate", "then"])
def test_a_failure_mid_batch_writes_nothing(
    open_vaults: Callable[[str], Vault], failure: str
) -> None:
    vault = open_vaults("fail")
    store = make_store(vault)
    with store.write() as tx:
        tx.insert_many(earlier_rows())
    before = snapshot(store)
    rows = people(20, 3000)
    broken: SyncColumns = Contact(
        id="k-broken",
        participant_id="p-3005" if failure != "foreign key" else "nobody",
        kind="phone",
        status="attended",
        scheduled_at=WHEN,
    )
    if failure == "duplicate":
        broken = person("p-dup", 3004)  # the programme id of p-3004, which must be unique
    rows.insert(len(rows) // 2, broken)

    def then(row: Any) -> Iterable[RowChange]:
        if row is broken:
            raise RuntimeError("stopped mid-batch")
        return []

    expected = RuntimeError if failure == "then" else IntegrityError
    with pytest.raises(expected), store.write() as tx:
        tx.insert_many(rows, then=then if failure == "then" else None)
    assert snapshot(store) == before
    # the chain and its head are as they were, and the next write carries on from them
    with store.write() as tx:
        tx.insert_many(people(2, 4000))
    with store.read() as s:
        assert audit.verify(s).ok
    assert vault.integrity_check().ok


def test_rows_without_ids_get_them_in_order(open_vaults: Callable[[str], Vault]) -> None:
    store = make_store(open_vaults("ids"))
    with store.write() as tx:
        rows = tx.insert_many(
            [Resource(organisation=f"Org {i}", service="Advice") for i in range(5)]
        )
        assert tx.insert_many([]) == []
    ids = [r.id for r in rows]
    assert all(ids) and ids == sorted(ids) and len(set(ids)) == 5
    hlcs = [r.hlc for r in rows]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == 5
    assert all(r.field_hlc == dict.fromkeys(data_columns(r), r.hlc) for r in rows)
    assert all((r.origin, r.owner, r.sharing) == (DEVICE, WORKER, "team") for r in rows)
