"""Verify's digests read beside a long push are brought up to date, never compared stale.

With no digests kept (the first sync since the app started), a long push reads them from
the vault on a thread of its own. Work saved after that read, while the push goes on, must
count at the comparison exactly as a fresh read of the vault would count it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_kit import Dev, ServerProcess, assert_replica_matches

from linksdesk.sync import verify
from linksdesk.sync.steps import verify as verify_step


def test_work_saved_after_the_digests_were_read_ahead_counts_at_the_comparison(
    fast_tmp: Path,
    server: ServerProcess,
    devices: Callable[[str], Dev],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(verify_step, "PRIME_FROM", 4)  # "a long push": a few batches here
    a = devices("laptop-a")
    a.enrol(server, server.worker(server.team()))
    a.reopen()
    assert a.sync().verified
    people = [a.participant(given_name=f"Person{i}") for i in range(4)]
    cache = verify.DigestCache(str(a.store.path))
    cache.forget(cache.key)

    saved: list[str] = []

    def work_during_the_push(point: str) -> None:
        if point != "push:saved" or saved:
            return
        deadline = time.monotonic() + 30
        while not cache.held():  # the read beside the push has finished
            assert time.monotonic() < deadline, "the digests were not read ahead"
            time.sleep(0.01)
        # saved after that read: an edit of a row already counted, and a new contact (a new
        # person would change who counts, and that reads everything again anyway)
        a.edit("participant", people[0], family_name="Changed")
        saved.append(a.contact(people[1], purpose="after the read"))

    report = a.client(batch_size=2, checkpoint=work_during_the_push).sync()
    assert saved, "no batch was saved during the push"
    # nothing needed mending: the comparison used digests brought up to date, not the read
    assert report.verified and not report.repaired_tables, report.message
    assert report.waiting == 0
    with a.store.read() as s:
        assert cache.digests(s, {}) == verify.local_digests(s)
    assert_replica_matches(a, server)
