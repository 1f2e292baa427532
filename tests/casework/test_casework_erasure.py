"""Erasure: nothing of the participant survives anywhere in the decrypted file; a receipt does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlcipher3
from casework_kit import outbox
from sqlalchemy import select
from vault_kit import decrypted_pages

from linksdesk.casework import (
    concerns,
    contacts,
    goals,
    measures,
    notes,
    onward,
    referrals,
    relationships,
    resources,
)
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook, draft_key
from linksdesk.casework.consent import record_consent
from linksdesk.casework.erasure import erase_participant
from linksdesk.casework.search import search
from linksdesk.core.errors import NotFoundError
from linksdesk.core.vocab import (
    ConsentScope,
    ContactKind,
    MeasureContext,
    MeasureKind,
    OnwardKind,
    OnwardStatus,
    ParticipantStatus,
    ReferralSource,
    RelationshipKind,
)
from linksdesk.storage import keyfile
from linksdesk.storage.tables import AuditEvent, ErasureReceipt

PASS = "correct horse battery staple"
GONE = "Xylocanary"  # planted in everything about the erased participant
KEPT = "Quokkacanary"  # planted in someone else, who must survive (proves the scan sees text)


def _plant(cb: Casebook, mark: str) -> str:
    """A participant with the mark in every free-text field of every kind of row."""
    p = P.create_participant(
        cb,
        given_name=f"{mark}given",
        family_name=f"{mark}family",
        preferred_name=f"{mark}pref",
        phone=f"{mark}phone",
        email=f"{mark}@example.org",
        address=f"1 {mark} Street",
        gp_practice=f"{mark} Practice",
        contact_preferences=f"{mark} mornings",
        risk_summary=f"{mark} risk",
        date_of_birth=dt.date(1950, 1, 1),
    ).value
    pid = p.id
    record_consent(cb, pid, ConsentScope.TEAM, True, note=f"{mark} consent note")
    referrals.record_referral(
        cb, pid, source=ReferralSource.SELF, referrer=f"{mark} ref", reason=f"{mark} reason"
    )
    concerns.add_concern(cb, pid, "Housing", detail=f"{mark} concern")
    c = contacts.record_contact(
        cb,
        pid,
        kind=ContactKind.APPOINTMENT,
        at=dt.datetime(2025, 1, 2, 10),
        venue=f"{mark} venue",
        purpose=f"{mark} purpose",
    ).value
    n = notes.write_note(cb, pid, f"first {mark} note", contact_id=c.id).value
    for i in range(3):
        n = notes.revise_note(
            cb, n.id, f"revision {i} {mark} " * 40, base_revision_id=n.latest.id
        ).value
    g = goals.set_goal(
        cb, pid, f"{mark} goal", why_it_matters=f"{mark} why", steps=[f"{mark} step"]
    ).value
    goals.add_step(cb, g.id, f"{mark} second step")
    relationships.add_relationship(
        cb, pid, RelationshipKind.FAMILY, f"{mark} sister", detail=f"{mark} d", phone=f"{mark}ph"
    )
    res = resources.add_resource(cb, organisation="Shared Org", service="Walks").value
    o = onward.refer_onward(cb, pid, res.id, OnwardKind.REFERRAL, status=OnwardStatus.MADE).value
    onward.update_onward(cb, o.id, OnwardStatus.ATTENDED, outcome=f"{mark} outcome")
    measures.record_measure(cb, pid, MeasureKind.WEMWBS, [3] * 14, context=MeasureContext.BASELINE)
    P.close_participant(cb, pid, f"{mark} closing reason")
    cb.save_draft(draft_key("note", pid), f"draft {mark} text")
    return pid


def _plaintext_export(path: Path, key: bytes, dest: Path) -> bytes:
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"ATTACH DATABASE '{dest}' AS plaintext KEY ''")
        conn.execute("SELECT sqlcipher_export('plaintext')")
        conn.execute("DETACH DATABASE plaintext")
    finally:
        conn.close()
    return dest.read_bytes()


def _found(blob: bytes, mark: str) -> bool:
    return mark.lower().encode() in blob.lower()


def test_erasure_leaves_no_trace_indecrypted_pages(tmp_path: Path) -> None:
    path = tmp_path / "erase.vault"
    cb, _ = Casebook.create(path, PASS)
    gone = _plant(cb, GONE)
    kept = _plant(cb, KEPT)
    key = keyfile.unlock_with_passphrase(keyfile.keyfile_path(path), PASS)
    raw = cb.vault.engine.raw_connection()  # outside any transaction, so it can checkpoint
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()
    assert _found(decrypted_pages(path, key), GONE)  # the scan does see planted text
    assert search(cb, GONE)

    receipt = erase_participant(cb, gone)
    assert receipt.value.participant_id == gone and receipt.value.rows_removed >= 15
    assert receipt.changes.touched("participant")

    with pytest.raises(NotFoundError):
        P.get_participant(cb, gone)
    assert search(cb, GONE) == []
    assert cb.drafts() == [draft_key("note", kept)]
    queued = outbox(cb)
    about_gone = [o for o in queued if o.payload.get("participant_id") == gone]
    # only the erase command and the receipt (ids, a time and a count) are left to send
    assert sorted((o.table_name, o.op) for o in about_gone) == [
        ("erasure_receipt", "upsert"),
        ("participant", "erase"),
    ]
    assert next(o.row_id for o in about_gone if o.op == "erase") == gone
    receipt_fields = next(o.payload["fields"] for o in about_gone if o.op == "upsert")
    assert set(receipt_fields) <= {"participant_id", "erased_at", "rows_removed"}
    assert GONE not in repr([o.payload for o in about_gone])
    with cb.store.read() as s:
        assert s.scalars(select(ErasureReceipt.participant_id)).all() == [gone]
        assert s.scalar(select(AuditEvent.entity_id).where(AuditEvent.action == "erase")) == gone
    assert cb.check().ok  # the audit chain survives erasure
    assert P.get_participant(cb, kept).status is ParticipantStatus.CLOSED
    cb.lock()

    pages = decrypted_pages(path, key)
    assert not _found(pages, GONE)
    assert _found(pages, KEPT)
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert not side.exists() or not _found(side.read_bytes(), GONE)
    exported = _plaintext_export(path, key, tmp_path / "plain.db")
    assert not _found(exported, GONE)
    assert _found(exported, KEPT)


def test_erasing_an_unknown_participant_is_not_found(cb: Casebook) -> None:
    with pytest.raises(NotFoundError):
        erase_participant(cb, "01900000-0000-7000-8000-000000000000")


def test_erasure_rewrites_the_pending_batch_without_them(cb: Casebook) -> None:
    """A batch saved before sending (not yet answered) loses the erased person's changes."""
    from linksdesk.storage.tables import Outbox
    from linksdesk.sync import state

    gone, kept = _plant(cb, GONE), _plant(cb, KEPT)
    with cb.store.write() as tx:
        rows = list(tx.session.scalars(select(Outbox).order_by(Outbox.seq)))
        changes = [
            {
                "change_id": r.change_id,
                "table": r.table_name,
                "row_id": r.row_id,
                "op": r.op,
                "participant_id": (r.payload or {}).get("participant_id"),
                "fields": (r.payload or {}).get("fields", {}),
            }
            for r in rows
        ]
        for r in rows:
            r.batch_key = "old-key"
        state.put(
            tx.session,
            state.PENDING_BATCH,
            {"batch_key": "old-key", "request": {"batch_key": "old-key", "changes": changes}},
        )
    assert GONE in repr(changes) and KEPT in repr(changes)
    erase_participant(cb, gone)
    with cb.store.read() as s:
        saved = state.get(s, state.PENDING_BATCH)
        keys = set(s.scalars(select(Outbox.batch_key).where(Outbox.batch_key.is_not(None))))
    assert GONE not in repr(saved)
    assert KEPT in repr(saved)  # the colleague's-eye view: others' changes still go
    assert saved["batch_key"] != "old-key" and saved["request"]["batch_key"] == saved["batch_key"]
    assert keys == {saved["batch_key"]}
    assert kept
