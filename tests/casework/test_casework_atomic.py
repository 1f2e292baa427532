"""Every write and its outbox, audit and search entries commit together, or none of them do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from casework_kit import outbox
from sqlalchemy import event, func, select

from linksdesk.casework import notes
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent, sharing_allowed
from linksdesk.casework.dto import Participant
from linksdesk.casework.search import search
from linksdesk.core.vocab import ConsentScope
from linksdesk.storage.tables import AuditEvent, LocalSetting
from linksdesk.storage.tables import Participant as ParticipantRow


class DiskTrouble(Exception):
    pass


@contextmanager
def failing_on(cb: Casebook, statement_start: str) -> Iterator[None]:
    """The database refuses the first statement starting with ``statement_start``."""

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(statement_start.upper()):
            raise DiskTrouble("injected failure")

    event.listen(cb.vault.engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(cb.vault.engine, "before_cursor_execute", refuse)


def _counts(cb: Casebook) -> tuple[int, int, int, object]:
    queued = len(outbox(cb))
    with cb.store.read() as s:
        return (
            s.scalar(select(func.count()).select_from(ParticipantRow)) or 0,
            queued,
            s.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            s.scalar(select(LocalSetting.value).where(LocalSetting.key == P.NEXT_NUMBER_KEY)),
        )


def test_a_failed_create_leaves_no_row_no_outbox_no_audit(cb: Casebook) -> None:
    before = _counts(cb)
    # the participant row, its search entry and audit line are written; the status history
    # row then fails
    with failing_on(cb, "INSERT INTO status_change"), pytest.raises(DiskTrouble):
        P.create_participant(cb, given_name="Half", family_name="Written")
    assert _counts(cb) == before
    assert search(cb, "Written") == []
    made = P.create_participant(cb, given_name="Whole", family_name="Written").value
    assert made.programme_id == "P1001"  # the failed attempt used no number


def test_a_failed_consent_backfill_queues_nothing(cb: Casebook, person: Participant) -> None:
    notes.write_note(cb, person.id, "Before consent")
    queued = len(outbox(cb))
    # the backfill queues every existing row first; the consent row itself then fails
    with failing_on(cb, "INSERT INTO consent"), pytest.raises(DiskTrouble):
        record_consent(cb, person.id, ConsentScope.TEAM, True)
    assert len(outbox(cb)) == queued
    assert sharing_allowed(cb, person.id)[ConsentScope.TEAM] is False


def test_outbox_entry_commits_with_its_write(cb: Casebook, person: Participant) -> None:
    record_consent(cb, person.id, ConsentScope.TEAM, True)
    queued = len(outbox(cb))
    with failing_on(cb, "INSERT INTO outbox"), pytest.raises(DiskTrouble):
        notes.write_note(cb, person.id, "Lost with its outbox entry")
    assert notes.list_notes(cb, person.id) == []
    assert len(outbox(cb)) == queued
    note = notes.write_note(cb, person.id, "Kept with its outbox entry").value
    assert {o.row_id for o in outbox(cb)[queued:]} >= {note.id, note.latest.id}
