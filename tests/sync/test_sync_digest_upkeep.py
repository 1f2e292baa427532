"""The device's verify digests and monthly totals follow changes row by row: what a sync costs
must not grow with the vault (issue 4: incremental sync at 100,000 records ≤ 1.3× at 1,000)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from linksdesk.casework import contacts, notes
from linksdesk.casework import participants as P
from linksdesk.casework.casebook import Casebook
from linksdesk.casework.consent import record_consent
from linksdesk.core.vocab import ConsentScope
from linksdesk.sync import verify
from linksdesk.sync.totals import totals_may_have_changed, update_monthly_totals

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def cb(vault: Any) -> Iterator[Casebook]:
    book = Casebook(vault)
    yield book
    book.lock()


def caseload(cb: Casebook, n: int, *, shared: bool = True) -> list[str]:
    ids = []
    for i in range(n):
        p = P.create_participant(cb, given_name=f"Dee{i}", family_name="Gest").value
        if shared:
            record_consent(cb, p.id, ConsentScope.TEAM, True)
        notes.write_note(cb, p.id, f"Synthetic note {i} about the walking group.")
        contacts.record_contact(cb, p.id, kind="appointment", at=dt.datetime(2026, 3, 2, 10))
        ids.append(p.id)
    return ids


def test_digests_kept_in_step_hash_only_the_rows_that_changed(
    cb: Casebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = caseload(cb, 12)
    cache = verify.DigestCache(f"test:{id(cb)}")
    with cb.store.read() as s:
        cache.digests(s, {}, fresh=True)

    hashed: list[str] = []
    real_hash = verify.row_hash

    def counting(row_id: str, *args: Any) -> int:
        hashed.append(row_id)
        return real_hash(row_id, *args)

    monkeypatch.setattr(verify, "row_hash", counting)
    note = notes.write_note(cb, people[0], "One more synthetic note.").value
    P.edit_participant(cb, people[1], preferred_name="Dee")
    contacts.remove_contact(
        cb,
        contacts.record_contact(cb, people[2], kind="phone", at=dt.datetime(2026, 3, 3)).value.id,
    )
    record_consent(cb, people[3], ConsentScope.TEAM, False)  # stops counting: rows leave
    with cb.store.read() as s:  # the same as reading everything afresh
        assert cache.digests(s, {}) == verify.local_digests(s)
    assert note.id in hashed

    hashed.clear()
    notes.write_note(cb, people[5], "Another synthetic note.")
    P.edit_participant(cb, people[6], preferred_name="D")
    with cb.store.read() as s:
        assert cache.digests(s, {}) == verify.local_digests(s)
    # the new note, its revision and the edited participant: not the vault's 70-odd rows
    assert 0 < len(hashed) <= 4, len(hashed)


def test_totals_skip_a_recount_for_edits_of_shared_participants(cb: Casebook) -> None:
    shared = caseload(cb, 3)
    unshared = caseload(cb, 2, shared=False)
    assert update_monthly_totals(cb.store, cb.worker_id, TODAY) > 0
    with cb.store.read() as s:
        assert not totals_may_have_changed(s, TODAY)

    P.edit_participant(cb, shared[0], preferred_name="Dee")  # shared: never counted
    notes.write_note(cb, shared[1], "A shared participant's note.")
    with cb.store.read() as s:
        assert not totals_may_have_changed(s, TODAY)

    P.edit_participant(cb, unshared[0], preferred_name="Dot")  # counted: may have changed
    with cb.store.read() as s:
        assert totals_may_have_changed(s, TODAY)
    update_monthly_totals(cb.store, cb.worker_id, TODAY)

    record_consent(cb, unshared[1], ConsentScope.TEAM, True)  # counted last time, now shared
    with cb.store.read() as s:
        assert totals_may_have_changed(s, TODAY)
    update_monthly_totals(cb.store, cb.worker_id, TODAY)

    record_consent(cb, shared[2], ConsentScope.TEAM, False)  # not shared now: counts
    with cb.store.read() as s:
        assert totals_may_have_changed(s, TODAY)
