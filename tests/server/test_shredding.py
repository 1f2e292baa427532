"""Erasure reaches the server's disk (rule 6): a canary scan of the database files.

A participant's content (their record, a note, a contact, a value that lost under last
writer wins, a kept conflict and the answers that carried them) goes to the real server
over HTTP; the participant is erased and the erasure syncs to the worker's other laptop.
Then every file of the database is scanned for the participant's canaries: for SQLite the
file and its write-ahead log while the server still runs; for PostgreSQL the data
directory (heap files and ``pg_wal``) after a checkpoint, and a ``pg_dump`` taken before
the erasure. None may be readable. Another participant's content stays readable through
the server, and a team resource (never sealed) is found by the same scan, so the scan works.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from server_kit import Device, Programme
from serving import running
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from linksdesk.core.ids import uuid7
from linksdesk.server.models import ParticipantKey


def _case(dev: Device, tag: str) -> tuple[str, list[str], list[dict[str, object]]]:
    """A shared participant whose every field holds a canary; returns id, canaries, changes."""
    canaries = [f"CANARY-{tag}-{i}-{uuid7()[-12:]}" for i in range(6)]
    p = dev.participant(given_name=canaries[0], family_name=canaries[1], risk_summary=canaries[2])
    pid = p["row_id"]
    contact = dev.change(
        "contact",
        fields={"kind": "phone", "status": "attended", "purpose": canaries[3]},
        participant_id=pid,
    )
    parent, note = dev.note(pid, canaries[4])
    return pid, canaries, [*dev.shared(p), contact, parent, note]


def _scan(blobs: dict[str, bytes], canaries: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for canary in canaries:
        where = [name for name, data in blobs.items() if canary.encode() in data]
        if where:
            found[canary] = where
    return found


def _story(p: Programme) -> tuple[Device, Device, str, list[str], list[str], str]:
    """Two laptops of one worker; an erased case, a kept case and a team resource."""
    worker = p.worker(p.team())
    laptop, tablet = p.enrol(worker), p.enrol(worker)
    pid, canaries, changes = _case(laptop, "gone")
    assert {r["status"] for r in laptop.push(changes)["results"]} == {"applied"}
    _, kept, keep_changes = _case(laptop, "kept")
    laptop.push(keep_changes)
    tablet.pull_all()
    # the tablet edits the same fields concurrently: a lost value (superseded, kept by
    # the server) and a kept conflict on the narrative risk summary, both with canaries
    concurrent = tablet.change(
        "participant",
        pid,
        fields={"given_name": canaries[5], "risk_summary": f"{canaries[2]}-other"},
        base={"given_name": "000000000000001-00000-x", "risk_summary": "000000000000001-00000-x"},
    )
    answer = tablet.push_one(concurrent)
    assert answer["status"] in ("merged", "conflict"), answer
    marker = f"RESOURCE-MARKER-{uuid7()[-12:]}"
    res = laptop.change("resource", fields={"organisation": marker, "service": "Warm space"})
    assert laptop.push_one(res)["status"] == "applied"
    return laptop, tablet, pid, [*canaries, f"{canaries[2]}-other"], kept, marker


def _erase_and_sync(
    p: Programme,
    laptop: Device,
    tablet: Device,
    pid: str,
    erased: Callable[[], None] = lambda: None,
) -> None:
    """The laptop erases; ``erased`` looks at the server at once; the tablet then pulls."""
    _, cursor = tablet.pull_all()
    assert laptop.push_one(laptop.change("participant", pid, op="erase"))["status"] == "applied"
    erased()
    after, _ = tablet.pull_all(cursor)
    assert [c["op"] for c in after if c["row_id"] == pid] == ["erase"]
    with p.db.reading() as s:
        assert s.get(ParticipantKey, pid) is None  # the key is gone: every copy unreadable


def _still_readable(tablet: Device, kept: list[str]) -> None:
    everything, _ = tablet.pull_all()
    text_ = repr(everything)
    assert all(k in text_ for k in kept[:5])


@pytest.fixture
def sqlite_served(tmp_path: Path) -> Iterator[tuple[str, Programme]]:
    from linksdesk.server.db import init_database

    url = f"sqlite:///{tmp_path / 'server.db'}"
    init_database(url)
    with (
        running(url, tmp_path / "server.log") as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        p = Programme(url, http)
        try:
            yield url, p
        finally:
            p.close()


def test_sqlite_files_hold_no_readable_canary_after_erasure(
    sqlite_served: tuple[str, Programme], tmp_path: Path
) -> None:
    url, p = sqlite_served
    laptop, tablet, pid, canaries, kept, marker = _story(p)
    wal = tmp_path / "server.db-wal"

    def emptied() -> None:  # the erasure's checkpoint emptied the write-ahead log
        assert not wal.exists() or wal.stat().st_size == 0

    # (the tablet's pull after it writes again: its last-seen, another laptop of its worker
    # having been seen since)
    _erase_and_sync(p, laptop, tablet, pid, emptied)
    # the server is still running: its write-ahead log is read as it stands
    files = {f.name: f.read_bytes() for f in sorted(tmp_path.glob("server.db*"))}
    assert "server.db" in files
    assert _scan(files, [marker]), "the scan must find what is stored in clear"
    assert _scan(files, canaries) == {}
    _still_readable(tablet, kept)
    del url


# -- PostgreSQL -----------------------------------------------------------------------------
def _pg_files(url: str) -> dict[str, bytes]:
    """Every file of the cluster's data directory (heap, indexes, pg_wal, pg_xact...)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("CHECKPOINT"))  # dead tuples and all, out on disk
            folder = Path(str(conn.execute(text("SHOW data_directory")).scalar()))
    finally:
        engine.dispose()
    out: dict[str, bytes] = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            try:
                out[str(path.relative_to(folder))] = path.read_bytes()
            except (FileNotFoundError, PermissionError) as exc:  # pragma: no cover
                if isinstance(exc, PermissionError):
                    pytest.fail(f"run as root or postgres to read {folder} (PostgreSQL data)")
    assert any(k.startswith("pg_wal") for k in out)
    return out


def _pg_dump(url: str, dest: Path) -> bytes:
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_dump", "--file", str(dest), libpq], check=True, timeout=120)
    return dest.read_bytes()


@pytest.mark.postgres
def test_postgres_data_directory_wal_and_an_earlier_dump_hold_no_readable_canary(
    pg_url: str, tmp_path: Path
) -> None:
    with (
        running(pg_url, tmp_path / "server.log") as base,
        httpx.Client(base_url=base, timeout=30) as http,
    ):
        p = Programme(pg_url, http)
        try:
            laptop, tablet, pid, canaries, kept, marker = _story(p)
            dump = _pg_dump(pg_url, tmp_path / "before.sql")  # a backup before the erasure
            assert marker.encode() in dump
            _erase_and_sync(p, laptop, tablet, pid)
            files = _pg_files(pg_url)
            files["pg_dump before the erasure"] = dump
            assert _scan(files, [marker])
            assert _scan(files, canaries) == {}
            _still_readable(tablet, kept)
            with p.db.reading() as s:
                assert s.scalars(select(ParticipantKey.participant_id)).all()  # kept's key
        finally:
            p.close()
