"""Casebook: opening and locking the vault, settings, drafts, checks and passphrase advice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from casework_kit import outbox
from sqlalchemy import select

from linksdesk.casework import participants
from linksdesk.casework.casebook import Casebook, draft_key
from linksdesk.casework.search import search
from linksdesk.core.errors import ValidationError, VaultLockedError, WrongPassphraseError
from linksdesk.core.settings import Settings
from linksdesk.storage.tables import AuditEvent

PASS = "correct horse battery staple"


def test_create_unlock_recover_and_change_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "w.vault"
    cb, recovery = Casebook.create(path, PASS)
    pid = participants.create_participant(cb, given_name="Ann", family_name="Example").value.id
    cb.lock()
    assert cb.is_locked

    with pytest.raises(WrongPassphraseError):
        Casebook.unlock(path, "not the passphrase at all")
    with Casebook.unlock(path, PASS) as again:
        assert participants.get_participant(again, pid).programme_id == "P1001"
        again.change_passphrase("a brand new passphrase here")
    with Casebook.unlock(path, "a brand new passphrase here") as again:
        assert not again.is_locked
    with Casebook.recover(path, recovery, "recovered passphrase words") as again:
        assert participants.get_participant(again, pid).family_name == "Example"
    with Casebook.unlock(path, "recovered passphrase words") as again:
        with again.store.read() as s:
            actions = list(s.scalars(select(AuditEvent.action)))
        assert {"unlock", "lock", "passphrase", "view"} <= set(actions)


def test_locked_casebook_refuses_every_use(cb: Casebook) -> None:
    cb.lock()
    with pytest.raises(VaultLockedError):
        participants.create_participant(cb, given_name="A", family_name="B")
    with pytest.raises(VaultLockedError):
        cb.settings()
    with pytest.raises(VaultLockedError):
        _ = cb.store
    cb.lock()  # locking twice is harmless


def test_settings_default_update_validate_and_persist(cb: Casebook, vault_path: Path) -> None:
    assert cb.settings() == Settings()
    updated = cb.update_settings(appointment_limit=3, concern_taxonomy=["Housing", " Food ", ""])
    assert updated.appointment_limit == 3
    assert updated.concern_taxonomy == ("Housing", "Food")
    with pytest.raises(ValidationError, match="no setting called"):
        cb.update_settings(colour="blue")
    with pytest.raises(ValidationError, match="appointment limit"):
        cb.update_settings(appointment_limit=0)
    assert cb.settings().appointment_limit == 3  # a refused change leaves settings alone
    cb.lock()
    with Casebook.unlock(vault_path, PASS) as again:
        assert again.settings().concern_taxonomy == ("Housing", "Food")
        assert again.update_settings(appointment_limit=None).appointment_limit is None


def test_drafts_stay_in_the_draft_table_only(cb: Casebook) -> None:
    person = participants.create_participant(cb, given_name="Dee", family_name="Raft").value
    key = draft_key("note", person.id)
    assert person.id in key
    queued_before = len(outbox(cb))
    cb.save_draft(key, "half written quokkadraft text")
    cb.save_draft(key, "more quokkadraft text")
    assert cb.load_draft(key) == "more quokkadraft text"
    assert cb.drafts("note/") == [key]
    assert len(outbox(cb)) == queued_before  # never synced
    assert search(cb, "quokkadraft") == []  # never indexed
    cb.discard_draft(key)
    assert cb.load_draft(key) is None
    with pytest.raises(ValidationError):
        cb.save_draft("", "x")


def test_check_reports_an_intact_vault(cb: Casebook) -> None:
    participants.create_participant(cb, given_name="Chek", family_name="Person")
    report = cb.check()
    assert report.ok
    assert report.audit_events >= 2
    assert report.damaged_pages == 0 and report.audit_broken_at is None


def test_passphrase_strength_is_advice_without_echo() -> None:
    weak = Casebook.passphrase_strength("password")
    strong = Casebook.passphrase_strength("lantern orbit pickle meadow harbour")
    assert not weak.acceptable and weak.score == 0
    assert strong.acceptable and strong.score >= 3
    assert "password" not in weak.message


def test_dates_in_outbox_payloads_are_iso_text(cb: Casebook) -> None:
    from linksdesk.casework import consent
    from linksdesk.core.vocab import ConsentScope

    p = participants.create_participant(
        cb, given_name="Iso", family_name="Dates", date_of_birth=dt.date(1970, 2, 3)
    ).value
    consent.record_consent(cb, p.id, ConsentScope.TEAM, True)
    payloads = {o.table_name: o.payload for o in outbox(cb)}
    assert payloads["participant"]["fields"]["date_of_birth"] == "1970-02-03"
