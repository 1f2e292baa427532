"""The next push batch leaves as soon as an answer is in, before that answer is recorded.

While the laptop records batch N's answer (outbox deletions, cursor, the next batch saved),
batch N+1 is already at the server. These tests break that window from the outside: the
answer's transaction fails on a full disk after N+1 went, and a consent is withdrawn after
N+1 went but before it was saved; and a withdrawal rewrites the pending batch under a new
key while it is at the server. Nothing may be lost, applied twice, or left stuck.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_kit import Dev, ServerProcess, assert_replica_matches

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.core.errors import DiskFullError
from linksdesk.core.vocab import ConsentScope
from linksdesk.server.models import Batch, ChangeLog
from linksdesk.storage.tables import Outbox
from linksdesk.sync import state

Checkpoint = Callable[[str], None]


def _server_batches(server: ServerProcess) -> set[str]:
    with server.db.reading() as s:
        return set(s.scalars(select(Batch.batch_key)))


def _logged_change_ids(server: ServerProcess) -> Counter[str]:
    with server.db.reading() as s:
        return Counter(s.scalars(select(ChangeLog.change_id)))


def _queued(dev: Dev) -> tuple[set[str], dict[str, str | None]]:
    """The pending batch's change ids, and every outbox row's batch key by change id."""
    with dev.store.read() as s:
        saved = state.get(s, state.PENDING_BATCH)
        keys = {c: k for c, k in s.execute(select(Outbox.change_id, Outbox.batch_key))}
    pending = {c["change_id"] for c in saved["request"]["changes"]} if saved else set()
    return pending, keys


def _withdrawing_at(dev: Dev, point: str, participant_id: str) -> tuple[Checkpoint, list[str]]:
    """A sync checkpoint that withdraws the participant's team consent the first time the
    sync reaches ``point``, and the list that notes it did."""
    hit: list[str] = []

    def checkpoint(at: str) -> None:
        if at == point and not hit:
            hit.append(at)
            record_consent(Casebook(dev.vault), participant_id, ConsentScope.TEAM, False)

    return checkpoint, hit


def test_the_answer_not_recorded_after_the_next_batch_went_loses_and_repeats_nothing(
    fast_tmp: Path, server: ServerProcess, enrolled: Dev
) -> None:
    a = enrolled
    assert a.sync().verified
    for i in range(5):
        a.participant(given_name=f"Person{i}")
    queued = set(_queued(a)[1])
    batches_before = _server_batches(server)

    went: list[str] = []

    def disk_full_after_the_next_went(point: str) -> None:
        if point == "push:sent-ahead" and not went:
            went.append(point)
        elif point == "push:before-commit" and went == ["push:sent-ahead"]:
            went.append(point)
            # the transaction recording the first answer (and saving the batch that went)
            raise DiskFullError()

    with pytest.raises(DiskFullError):
        a.client(batch_size=2, checkpoint=disk_full_after_the_next_went).sync()
    assert went == ["push:sent-ahead", "push:before-commit"]

    # the sync waited for the batch that went ahead: the server holds it, two batches in all,
    # and this laptop recorded neither answer
    sent = _server_batches(server) - batches_before
    assert len(sent) == 2
    pending, keys = _queued(a)
    assert keys.keys() == queued  # nothing dropped from the queue
    assert len(pending) == 2 and {keys[c] for c in pending} - {None} <= sent
    assert sum(1 for c in keys.values() if c is None) == len(queued) - 2  # the rest unbatched
    logged = _logged_change_ids(server)
    assert len(logged.keys() & queued) == 4  # both batches applied on the server

    # room again: the first batch goes again under its key, the second's changes in a batch
    # made again; the server applies each change once and answers the rest as it did
    report = a.sync()
    assert report.verified and not report.attention and report.waiting == 0, report.message
    assert a.outbox() == 0
    logged = _logged_change_ids(server)
    assert queued <= logged.keys()
    assert all(logged[c] == 1 for c in queued)
    assert_replica_matches(a, server)


def test_a_consent_withdrawn_after_the_next_batch_went_leaves_nothing_stuck(
    fast_tmp: Path, server: ServerProcess, enrolled: Dev
) -> None:
    a = enrolled
    assert a.sync().verified
    people = [a.participant(given_name=f"Person{i}") for i in range(3)]
    withdrawn = people[-1]

    # after the batch holding their row left, before it is saved as pending
    withdraw, went = _withdrawing_at(a, "push:sent-ahead", withdrawn)
    report = a.client(batch_size=2, checkpoint=withdraw).sync()
    assert went and report.verified and not report.attention, report.message
    # the batch that went is the one recorded: no row is left batched under a key no
    # pending batch holds (it would never be sent again)
    assert report.waiting == 0 and a.outbox() == 0
    report = a.sync()
    assert report.verified and report.waiting == 0, report.message
    assert_replica_matches(a, server)


def test_a_batch_rewritten_while_at_the_server_leaves_nothing_queued(
    fast_tmp: Path, server: ServerProcess, enrolled: Dev
) -> None:
    a = enrolled
    assert a.sync().verified
    kept = a.participant(given_name="Kept")
    withdrawn = a.participant(given_name="Withdrawn")

    # rewrites the pending batch (both consents) under a new key, without theirs
    withdraw, answered = _withdrawing_at(a, "push:answered", withdrawn)
    report = a.client(batch_size=2, checkpoint=withdraw).sync()
    assert answered and report.verified, report.message
    # the kept person's consent was answered under the batch's first key: gone from the
    # queue, not left there under the new key with no pending batch to send it
    assert report.waiting == 0 and a.outbox() == 0
    assert a.get("participant", kept) is not None
