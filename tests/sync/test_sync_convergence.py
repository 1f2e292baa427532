"""Convergence: random edits, deletes, erasures, handovers and syncs, in random orders, with
syncs that crash at random points; two sync rounds later every device equals the server.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sync_kit import Dev, ServerProcess, memory_folder, normalise
from sync_kit import new_server as start_server

from linksdesk.core.errors import SyncError
from linksdesk.server import admin
from linksdesk.server.errors import AdminError
from linksdesk.server.models import ChangeLog, ParticipantAccess
from linksdesk.storage.tables import TABLE_BY_NAME, Participant
from linksdesk.sync import state
from linksdesk.sync.protocol import SYNCABLE_TABLES

pytestmark = pytest.mark.slow

CRASH_POINTS = (
    "push:saved",
    "push:before-send",
    "push:answered",
    "push:before-commit",
    "pull:received",
    "pull:before-commit",
)


class Crash(BaseException):
    """Stands for the process dying at a checkpoint: nothing after it happens."""


@pytest.fixture(scope="module")
def conv_server() -> Iterator[ServerProcess]:
    folder = Path(tempfile.mkdtemp(prefix="linksdesk-conv-", dir=memory_folder()))
    srv = start_server(folder)
    try:
        yield srv
    finally:
        srv.close()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class World:
    server: ServerProcess
    devs: list[Dev]
    workers: list[str]

    def dev_worker(self, d: int) -> str:
        return self.devs[d].worker_id

    def live_participants(self, d: int, *, own: bool) -> list[str]:
        dev = self.devs[d]
        with dev.store.read() as s:
            read_only = set(state.get(s, state.READ_ONLY, []))
            rows = s.scalars(
                select(Participant).where(
                    Participant.deleted.is_(False), Participant.sharing == "team"
                )
            )
            return sorted(
                p.id
                for p in rows
                if not own or (p.owner == dev.worker_id and p.id not in read_only)
            )


op = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 4), st.booleans()),
    st.tuples(st.just("contact"), st.integers(0, 4), st.integers(0, 50)),
    st.tuples(
        st.just("edit"),
        st.integers(0, 4),
        st.integers(0, 50),
        st.sampled_from(["family_name", "risk_summary", "status"]),
        st.integers(0, 3),
    ),
    st.tuples(st.just("note"), st.integers(0, 4), st.integers(0, 50)),
    st.tuples(st.just("revise"), st.integers(0, 4), st.integers(0, 50)),
    st.tuples(st.just("delete"), st.integers(0, 4), st.integers(0, 50)),
    st.tuples(st.just("erase"), st.integers(0, 4), st.integers(0, 50)),
    st.tuples(st.just("handover"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("sync"), st.integers(0, 4)),
    st.tuples(st.just("crash"), st.integers(0, 4), st.sampled_from(CRASH_POINTS)),
)


def _pick(items: list[str], n: int) -> str | None:
    return items[n % len(items)] if items else None


def _run(world: World, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "handover":
        _handover(world, step[1], step[2])
        return
    d = step[1] % len(world.devs)
    dev = world.devs[d]
    if kind == "create":
        dev.participant(shared=step[2], given_name=f"Person {step[1]}")
    elif kind == "sync":
        _sync(dev)
    elif kind == "crash":
        point = step[2]

        def crash_at(name: str) -> None:
            if name == point:
                raise Crash(name)

        try:
            dev.client(checkpoint=crash_at).sync(allow_mass_delete=True)
        except (Crash, SyncError):
            pass
    else:
        pid = _pick(world.live_participants(d, own=True), step[2])
        if pid is None:
            return
        if kind == "contact":
            dev.contact(pid, purpose=f"visit {step[2]}")
        elif kind == "edit":
            field, value = step[3], step[4]
            values = {
                "family_name": f"Family{value}",
                "risk_summary": f"risk {value} from {dev.label}",
                "status": ["active", "paused", "closed", "referred"][value],
            }
            dev.edit("participant", pid, **{field: values[field]})
        elif kind == "note":
            dev.note(pid, f"note {step[2]} on {dev.label}")
        elif kind == "revise":
            _revise(dev, pid)
        elif kind == "delete":
            _delete_contact(dev, pid)
        elif kind == "erase":
            dev.erase(pid)


def _sync(dev: Dev) -> None:
    try:
        dev.sync(allow_mass_delete=True)
    except SyncError:
        pass


def _revise(dev: Dev, pid: str) -> None:
    from linksdesk.storage.tables import NoteRevision

    with dev.store.read() as s:
        latest = s.scalar(
            select(NoteRevision)
            .where(NoteRevision.participant_id == pid, NoteRevision.deleted.is_(False))
            .order_by(NoteRevision.revision.desc())
            .limit(1)
        )
    if latest is not None:
        dev.revise(latest.note_id, latest.id, f"revised on {dev.label}")


def _delete_contact(dev: Dev, pid: str) -> None:
    from linksdesk.storage.tables import Contact

    with dev.store.read() as s:
        row = s.scalar(
            select(Contact).where(Contact.participant_id == pid, Contact.deleted.is_(False))
        )
    if row is not None:
        dev.delete("contact", row.id)


def _handover(world: World, n: int, keep_read_only: bool) -> None:
    with world.server.db.reading() as s:
        cases = sorted(
            s.execute(
                select(ParticipantAccess.participant_id, ParticipantAccess.worker_id).where(
                    ParticipantAccess.mode == "owner",
                    ParticipantAccess.worker_id.in_(world.workers),
                )
            ).all()
        )
    if not cases:
        return
    pid, holder = cases[n % len(cases)]
    target = next(w for w in world.workers if w != holder)
    try:
        admin.handover(world.server.db, pid, target, keep_read_only=keep_read_only)
    except AdminError:
        pass  # erased meanwhile


def _tainted(dev: Dev) -> set[str]:
    """Participants with a change the server refused: their rows may differ on purpose."""
    out: set[str] = set()
    with dev.store.read() as s:
        for item in dev.attention():
            cls: Any = TABLE_BY_NAME.get(item.table_name)
            row = s.get(cls, item.row_id) if cls is not None else None
            pid = getattr(row, "participant_id", None) if row is not None else None
            out.add(item.row_id if item.table_name == "participant" else str(pid))
    return out


def _without(replica: dict[str, Any], pids: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table, rows in replica.items():
        out[table] = {
            k: v for k, v in rows.items() if k not in pids and v.get("participant_id") not in pids
        }
    return out


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(n_devices=st.integers(3, 5), ops=st.lists(op, min_size=5, max_size=25))
def test_devices_converge_within_two_rounds(
    conv_server: ServerProcess, n_devices: int, ops: list[tuple[Any, ...]]
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="conv-", dir=conv_server.log_path.parent))
    team = conv_server.team()
    workers = [conv_server.worker(team), conv_server.worker(team)]
    devs: list[Dev] = []
    try:
        for i in range(n_devices):
            dev = Dev.create(folder, f"d{i}")
            dev.enrol(conv_server, workers[0] if i < (n_devices + 1) // 2 else workers[1])
            devs.append(dev)
        world = World(conv_server, devs, workers)
        for step in ops:
            _run(world, step)
        for _round in range(2):
            for dev in devs:
                dev.sync(allow_mass_delete=True)
        with conv_server.db.reading() as s:
            twice = s.execute(
                select(ChangeLog.change_id, func.count())
                .group_by(ChangeLog.change_id)
                .having(func.count() > 1)
            ).all()
        assert twice == []
        by_worker: dict[str, list[dict[str, Any]]] = {}
        for dev in devs:
            assert dev.outbox() == 0, dev.label
            for item in dev.attention():
                assert "caseload" in item.reason or "erased" in item.reason or "Only" in item.reason
            tainted = _tainted(dev)
            mine = _without(normalise(dev.replica()), tainted)
            theirs = _without(normalise(conv_server.records(dev.worker_id)), tainted)
            for table in SYNCABLE_TABLES:
                assert mine[table] == theirs[table], (dev.label, table)
            by_worker.setdefault(dev.worker_id, []).append(mine)
        del by_worker
    finally:
        for dev in devs:
            dev.close()
        shutil.rmtree(folder, ignore_errors=True)
