"""The hash-chained audit log: edits, removals and a missing head all show on verification."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from vault_kit import PASSPHRASE, add_note, add_participant, raw_connection

from linksdesk.core.vocab import AuditAction
from linksdesk.storage import audit
from linksdesk.storage.tables import AuditEvent
from linksdesk.storage.vault import Vault
from linksdesk.sync.policy import SyncPolicy


@pytest.fixture
def audited(vault_path: Path) -> Path:
    """A locked vault with a dozen audit events: creates, a change and a view."""
    vault, _ = Vault.create(vault_path, PASSPHRASE)
    store = vault.store(SyncPolicy())
    for i in range(3):
        with store.write() as tx:
            p = add_participant(tx, given_name=f"Jo{i}")
            add_note(tx, p.id, "Phoned to arrange a walk on Tuesday.")
    with store.write() as tx:
        tx.update(p, status="paused")
        tx.audit(AuditAction.VIEW, "participant", p.id)
    vault.lock()
    return vault_path


def check(path: Path) -> tuple[bool, int | None, str | None, int]:
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        report = vault.integrity_check()
    finally:
        vault.lock()
    assert not report.damaged  # the file itself is sound in every case here
    return report.ok, report.audit_broken_at, report.audit_problem, report.audit_events


def test_an_untouched_chain_verifies_and_its_head_matches(audited: Path) -> None:
    ok, broken, problem, events = check(audited)
    assert (ok, broken, problem, events) == (True, None, None, 3 * 4 + 2)
    with raw_connection(audited) as conn:
        head = json.loads(
            conn.execute(
                "SELECT value FROM local_setting WHERE key = ?", (audit.HEAD_KEY,)
            ).fetchone()[0]
        )
        last = conn.execute("SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert head == {"count": events, "hash": last}


def test_changing_an_event_is_detected(audited: Path) -> None:
    with raw_connection(audited) as conn:
        conn.execute("UPDATE audit_event SET action = 'view' WHERE seq = 4")
    ok, broken, problem, _ = check(audited)
    assert not ok and broken == 4
    assert problem == "audit event 4 was altered"


def test_deleting_the_latest_event_is_detected(audited: Path) -> None:
    with raw_connection(audited) as conn:
        conn.execute("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")
    ok, broken, problem, events = check(audited)
    assert not ok and broken is None and events == 13
    assert problem == "the latest 1 audit event removed"


def test_deleting_an_event_in_the_middle_is_detected(audited: Path) -> None:
    with raw_connection(audited) as conn:
        conn.execute("DELETE FROM audit_event WHERE seq = 5")
    ok, broken, problem, _ = check(audited)
    assert not ok and broken == 6
    assert problem == "audit event 6 does not follow the one before it"


def test_deleting_the_head_or_every_event_is_detected(audited: Path) -> None:
    with raw_connection(audited) as conn:
        conn.execute("DELETE FROM local_setting WHERE key = ?", (audit.HEAD_KEY,))
    assert check(audited)[2] == "the record of the audit log's latest event is missing"


def test_emptying_the_log_is_detected(audited: Path) -> None:
    with raw_connection(audited) as conn:
        conn.execute("DELETE FROM audit_event")
    ok, _, problem, events = check(audited)
    assert not ok and events == 0 and problem == "the latest 14 audit events removed"


def test_replacing_the_latest_event_with_a_forged_link_is_detected(audited: Path) -> None:
    # a forger who re-links a replacement event but does not know about the head
    with raw_connection(audited) as conn:
        seq, prev, at, actor, entity = conn.execute(
            "SELECT seq, prev_hash, at, actor, entity FROM audit_event ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        at_time = dt.datetime.fromisoformat(at)
        forged = audit._digest(prev, at_time, actor, "create", entity, "")
        conn.execute(
            "UPDATE audit_event SET action = 'create', entity_id = NULL, hash = ? WHERE seq = ?",
            (forged, seq),
        )
    ok, broken, problem, _ = check(audited)
    assert not ok and broken is None
    assert problem == "the audit log does not end at its recorded latest event"


def test_the_limit_a_key_holder_can_rewrite_chain_and_head_together(audited: Path) -> None:
    """Documented limit: with the data key, a consistent rewrite of everything passes."""
    with raw_connection(audited) as conn:
        conn.execute("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")
        count, last = conn.execute(
            "SELECT count(*), (SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1) "
            "FROM audit_event"
        ).fetchone()
        conn.execute(
            "UPDATE local_setting SET value = ? WHERE key = ?",
            (json.dumps({"count": count, "hash": last}), audit.HEAD_KEY),
        )
    assert check(audited)[0] is True


def test_events_keep_chaining_across_sessions_and_the_head_cannot_be_set(audited: Path) -> None:
    vault = Vault.unlock(audited, PASSPHRASE)
    try:
        with vault.store().write() as tx:
            tx.audit(AuditAction.EXPORT, "bundle")
            tx.audit(AuditAction.VIEW, "participant")
        with pytest.raises(ValueError):
            vault.set_setting(audit.HEAD_KEY, {"count": 0, "hash": audit.GENESIS})
        report = vault.integrity_check()
        assert report.ok and report.audit_events == 16
        with vault.store().read() as s:
            assert s.scalar(select(func.count()).select_from(AuditEvent)) == 16
    finally:
        vault.lock()


def test_a_failed_save_leaves_no_audit_event_and_no_head_move(audited: Path) -> None:
    vault = Vault.unlock(audited, PASSPHRASE)
    try:
        with pytest.raises(RuntimeError), vault.store().write() as tx:
            tx.audit(AuditAction.VIEW, "participant")
            raise RuntimeError("the use case failed after auditing")
        assert vault.integrity_check().audit_events == 14
        assert vault.integrity_check().ok
    finally:
        vault.lock()
