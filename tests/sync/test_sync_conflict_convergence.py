"""Conflict state converges on a worker's two laptops (issue 8, part 2).

Hypothesis drives two laptops of one worker, over a real server on 127.0.0.1, through
random case-note revisions on any version either holds (forks), edits of a narrative field
(kept as server conflicts), resolutions of open conflicts and syncs in any order. After
every laptop has synced twice, each conflict is open on both laptops or on neither, and
both hold the same revisions.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sync_kit import Dev, ServerProcess, memory_folder

from linksdesk.casework.casebook import Casebook
from linksdesk.casework.notes import revise_note
from linksdesk.core.errors import UserError
from linksdesk.storage.tables import NoteRevision, SyncConflict
from linksdesk.sync.client import resolve_conflict

Action = tuple[str, int, int]

# a round: what each laptop writes offline (a revision on a picked version, a narrative
# field edit, a resolution of a picked open conflict), then who syncs in which order
laptop_work = st.tuples(
    st.sampled_from(["revise", "revise", "resolve", "risk", "none"]), st.integers(0, 50)
)
rounds = st.lists(
    st.tuples(laptop_work, laptop_work, st.lists(st.integers(0, 1), min_size=1, max_size=3)),
    min_size=1,
    max_size=5,
)


def as_actions(script: list[tuple[tuple[str, int], tuple[str, int], list[int]]]) -> list[Action]:
    out: list[Action] = []
    for first, second, syncs in script:
        for which, (kind, pick) in enumerate((first, second)):
            if kind != "none":
                out.append((kind, which, pick))
        out += [("sync", which, 0) for which in syncs]
    return out


# the issue's case: a fork at revision 2 seen on both laptops, then laptop 1 writes
# revision 3 on laptop 2's branch (version 1 of the two at the top, by clock)
ISSUE_CASE = [
    (("revise", 0), ("revise", 0), [0, 1, 0]),
    (("revise", 2), ("none", 0), [0]),
]


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    base = memory_folder()
    path = Path(tempfile.mkdtemp(prefix="linksdesk-conflicts-", dir=base))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _open_conflicts(dev: Dev) -> set[str]:
    with dev.store.read() as s:
        return set(s.scalars(select(SyncConflict.id).where(SyncConflict.resolved_at.is_(None))))


def _all_conflicts(dev: Dev) -> dict[str, bool]:
    with dev.store.read() as s:
        return {c.id: c.resolved_at is None for c in s.scalars(select(SyncConflict))}


def _revisions(dev: Dev, note_id: str) -> list[NoteRevision]:
    with dev.store.read() as s:
        return list(
            s.scalars(
                select(NoteRevision)
                .where(NoteRevision.note_id == note_id)
                .order_by(NoteRevision.hlc, NoteRevision.id)
            )
        )


def _run(laptops: list[Dev], pid: str, note_id: str, script: list[Action]) -> None:
    count = 0
    for kind, which, pick in script:
        dev = laptops[which]
        count += 1
        if kind == "sync":
            report = dev.sync()
            assert not report.attention, report.message
        elif kind == "revise":
            held = _revisions(dev, note_id)
            base = held[pick % len(held)]  # any version this laptop holds: forks happen
            revise_note(Casebook(dev.vault), note_id, f"version {count}", base_revision_id=base.id)
        elif kind == "risk":
            dev.edit("participant", pid, risk_summary=f"risk {count}")
        else:
            open_ = sorted(_open_conflicts(dev))
            if not open_:
                continue
            choice = ("mine", "theirs", "merged")[pick % 3]
            try:
                resolve_conflict(
                    dev.store, open_[pick % len(open_)], choice, merged_value=f"merged {count}"
                )
            except UserError:
                pass  # "no longer there" is a fair answer to a stale pick


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples in CI and here
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(script=ISSUE_CASE)
@given(script=rounds)
def test_conflict_state_converges_on_a_workers_two_laptops(
    shared_server: ServerProcess,
    folder: Path,
    script: list[tuple[tuple[str, int], tuple[str, int], list[int]]],
) -> None:
    where = Path(tempfile.mkdtemp(dir=folder))
    team = shared_server.team()
    worker = shared_server.worker(team)
    laptops = [Dev.create(where, "office"), Dev.create(where, "venues")]
    try:
        for dev in laptops:
            dev.enrol(shared_server, worker)
            dev.reopen()
        pid = laptops[0].participant(given_name="Ash", risk_summary="risk 0")
        note_id, _ = laptops[0].note(pid, "version 0")
        for dev in laptops:
            assert dev.sync().verified
        _run(laptops, pid, note_id, as_actions(script))
        for _ in range(2):  # every laptop syncs twice
            for dev in laptops:
                report = dev.sync()
                assert not report.attention, report.message
        one, two = laptops
        assert [r.id for r in _revisions(one, note_id)] == [r.id for r in _revisions(two, note_id)]
        assert _open_conflicts(one) == _open_conflicts(two), (
            _all_conflicts(one),
            _all_conflicts(two),
        )
    finally:
        for dev in laptops:
            dev.close()
        shutil.rmtree(where, ignore_errors=True)


def test_a_revision_written_here_on_top_of_a_fork_settles_it_on_both_laptops(
    shared_server: ServerProcess, folder: Path
) -> None:
    """The issue's case: a note forked at revision 2, then laptop 1 wrote revision 3 on
    laptop 2's branch; today the conflict stays open on laptop 1 only."""
    where = Path(tempfile.mkdtemp(dir=folder))
    team = shared_server.team()
    worker = shared_server.worker(team)
    one, two = Dev.create(where, "office"), Dev.create(where, "venues")
    try:
        for dev in (one, two):
            dev.enrol(shared_server, worker)
            dev.reopen()
        pid = one.participant(given_name="Ash")
        note_id, first = one.note(pid, "version 1")
        assert one.sync().verified and two.sync().verified
        one.revise(note_id, first, "version 2 on laptop 1")
        theirs = two.revise(note_id, first, "version 2 on laptop 2")
        assert one.sync().verified and two.sync().verified and one.sync().verified
        assert len(_open_conflicts(one)) == len(_open_conflicts(two)) == 1
        revise_note(Casebook(one.vault), note_id, "version 3", base_revision_id=theirs)
        for _ in range(2):
            for dev in (one, two):
                dev.sync()
        assert _open_conflicts(one) == _open_conflicts(two) == set()
    finally:
        for dev in (one, two):
            dev.close()
        shutil.rmtree(where, ignore_errors=True)
