"""Test kit for the sync server: a programme set up through the admin API, and test devices."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from linksdesk.core import registry, validate
from linksdesk.core.hlc import HybridClock
from linksdesk.core.ids import uuid7
from linksdesk.core.registry import Column
from linksdesk.core.vocab import IN_ERROR_FIELDS
from linksdesk.server import admin
from linksdesk.server.cli import main
from linksdesk.server.db import Database, init_database
from linksdesk.server.models import ParticipantAccess, Record
from linksdesk.sync.protocol import PROTOCOL_VERSION, SCHEMA_VERSION

CANARY = "CANARY-7f3e-do-not-leak"

# a value of each kind, for the details a test leaves out of a new row: the server keeps a
# new row only whole (every column the registry requires), as a device sends it
_SAMPLE: dict[str, Any] = {
    "text": "x",
    "int": 0,
    "float": 0.0,
    "bool": False,
    "date": "2026-01-05",
    "datetime": "2026-01-05T10:00:00",
    "list": [],
    "object": {},
}


def _sample(spec: Column) -> Any:
    return min(spec.choices) if spec.choices else _SAMPLE[spec.kind]


def whole(table: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` of a new ``table`` row with a sample value for each required detail
    not given (a record another row points at must be given: no sample stands for it)."""
    columns = validate.COLUMNS.get(table, {})
    filled = {name: _sample(columns[name]) for name in validate.missing(table, fields)}
    return {**filled, **fields}


class Device:
    """One enrolled device: an HTTP client carrying its token, and its own clock."""

    def __init__(self, http: httpx.Client, enrolment: dict[str, Any]) -> None:
        self.http = http
        self.token: str = enrolment["token"]
        self.device_id: str = enrolment["device_id"]
        self.worker_id: str = enrolment["worker_id"]
        self.team_id: str = enrolment["team_id"]
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.clock = HybridClock(self.device_id)

    def post(self, path: str, body: Any = None) -> httpx.Response:
        return self.http.post(f"/v1/{path}", json=body, headers=self.headers)

    def change(
        self,
        table: str,
        row_id: str | None = None,
        *,
        fields: dict[str, Any] | None = None,
        participant_id: str | None = None,
        op: str = "upsert",
        base: dict[str, str] | None = None,
        sharing: str = "team",
        shared: bool | None = True,
        hlc: str | None = None,
        owner: str | None = None,
    ) -> dict[str, Any]:
        if row_id is None and op == "upsert" and not (fields or {}).get("deleted"):
            fields = whole(table, fields or {})  # a new row, whole
        row_id = row_id or uuid7()
        if table == "participant":
            participant_id = participant_id or row_id
        return {
            "change_id": uuid7(),
            "table": table,
            "row_id": row_id,
            "op": op,
            "hlc": hlc or self.clock.now().encode(),
            "origin": self.device_id,
            "owner": owner or self.worker_id,
            "participant_id": participant_id,
            "sharing": sharing,
            "participant_shared": shared if participant_id else None,
            "fields": fields or {},
            "base": base or {},
        }

    def participant(self, pid: str | None = None, **fields: Any) -> dict[str, Any]:
        values = {"given_name": "Sam", "family_name": "Example", "status": "active", **fields}
        return self.change("participant", pid, fields=whole("participant", values))

    def totals(self, month: str, counts: dict[str, Any]) -> dict[str, Any]:
        """This device's monthly totals of ``month``, under the id it derives (the server
        lets a device create only its own)."""
        row_id = registry.derived_id("monthly_total", {"origin": self.device_id, "month": month})
        return self.change("monthly_total", row_id, fields={"month": month, "counts": counts})

    def note(self, pid: str, body: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """A new note of ``pid`` and its first revision holding ``body`` (the server keeps a
        revision only with its note)."""
        parent = self.change("note", participant_id=pid)
        fields = {"note_id": parent["row_id"], "body": body, "revision": 1}
        return parent, self.change("note_revision", fields=fields, participant_id=pid)

    def consent(self, pid: str, *, given: bool = True, version: int = 1) -> dict[str, Any]:
        """A team-sharing consent record: the server takes a participant's content only
        while the latest one it holds says given, so push it first (as devices do)."""
        fields = {"scope": "team", "given": given, "version": version, "method": "verbal"}
        return self.change("consent", fields=fields, participant_id=pid)

    def shared(self, participant: dict[str, Any]) -> list[dict[str, Any]]:
        """A new participant's row after the team consent that lets it in."""
        return [self.consent(participant["row_id"]), participant]

    def same_person(self, participant: dict[str, Any], into: str) -> dict[str, Any]:
        """The change that marks ``participant`` (a pushed row) the same person as ``into``."""
        pid = participant["row_id"]
        return self.change(
            "participant",
            pid,
            participant_id=pid,
            fields={"merged_into_id": into, "merged_on": "2026-03-02"},
            base={"merged_into_id": participant["hlc"], "merged_on": participant["hlc"]},
        )

    def push(self, changes: list[dict[str, Any]], batch_key: str | None = None) -> dict[str, Any]:
        r = self.post("push", {"batch_key": batch_key or uuid7(), "changes": changes})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def push_one(self, change: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.push([change])["results"][0]
        return result

    def pull_all(self, cursor: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
        changes: list[dict[str, Any]] = []
        while True:
            r = self.post("pull", {"cursor": cursor, "limit": limit})
            assert r.status_code == 200, r.text
            page = r.json()
            changes.extend(page["changes"])
            assert page["next_cursor"] >= cursor
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return changes, cursor

    def handshake(self, cursor: int | None = None) -> dict[str, Any]:
        r = self.post(
            "handshake",
            {
                "protocol_version": PROTOCOL_VERSION,
                "schema_version": SCHEMA_VERSION,
                "device_id": self.device_id,
                "cursor": cursor,
            },
        )
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]


class Programme:
    """Teams and workers made through the admin functions, devices enrolled over HTTP."""

    def __init__(self, db_url: str, http: httpx.Client) -> None:
        self.db_url = db_url
        self.db = Database(db_url)
        self.http = http

    def team(self, name: str | None = None) -> str:
        return admin.add_team(self.db, name or f"team-{uuid7()[-8:]}")

    def worker(self, team: str, role: str = "worker") -> str:
        return admin.add_worker(self.db, team, f"worker-{uuid7()[-8:]}", role)

    def enrol(self, worker: str, http: httpx.Client | None = None) -> Device:
        http = http or self.http
        code = admin.make_enrol_code(self.db, worker).code
        r = http.post("/v1/enrol", json={"code": code, "label": "test laptop"})
        assert r.status_code == 200, r.text
        return Device(http, r.json())

    def close(self) -> None:
        self.db.dispose()


def older_and_newer(programme: Programme) -> tuple[Device, Device]:
    """One worker's two laptops: one still on an older LinksDesk, one updated."""
    worker = programme.worker(programme.team())
    return programme.enrol(worker), programme.enrol(worker)


def older_step_beside_a_mark(
    programme: Programme, older: Device, newer: Device, row: dict[str, Any], step: dict[str, Any]
) -> dict[str, Any]:
    """``row``, as ``older`` pushed it (before its LinksDesk knew the entered-in-error mark of
    its table), is marked by ``newer``; ``older`` then sends ``step`` of it, knowing nothing
    of the mark. Both are taken (the step beside the mark, merged: nothing of either is lost,
    and the step never takes the mark off); the fields the server holds after."""
    assert not set(IN_ERROR_FIELDS) & set(row["fields"])  # as the older laptop sent it
    table, rid, first, pid = row["table"], row["row_id"], row["hlc"], row["participant_id"]
    mark = dict(zip(IN_ERROR_FIELDS, ("2026-03-03T09:00:00", "Recorded twice"), strict=True))
    marked = newer.push_one(
        newer.change(table, rid, fields=mark, participant_id=pid, base=dict.fromkeys(mark, first))
    )
    assert marked["status"] == "applied", marked.get("reason")
    later = older.push_one(
        older.change(table, rid, fields=step, participant_id=pid, base=dict.fromkeys(step, first))
    )
    assert later["status"] in ("applied", "merged"), later.get("reason")
    with programme.db.reading() as s:
        held = s.get(Record, (table, rid))
        assert held is not None
        assert {name: held.fields[name] for name in mark} == mark
        return dict(held.fields)


def push_while_pulling(
    writers: list[Device], readers: list[Device], batches: int = 15, per_batch: int = 8
) -> None:
    """Writers push concurrently while a reader pulls; assert the reader never skips a change.

    A puller that stored a cursor past a change committed later with a lower number would
    never see it: the reader's running view must end identical to a fresh pull from 0.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    done = threading.Event()
    pushed: list[str] = []
    lock = threading.Lock()

    def write(dev: Device) -> None:
        for _ in range(batches):
            p = dev.participant()
            changes = dev.shared(p) + [
                dev.change(
                    "contact", fields={"kind": "phone", "minutes": i}, participant_id=p["row_id"]
                )
                for i in range(per_batch - 2)
            ]
            results = dev.push(changes)["results"]
            assert all(r["status"] == "applied" for r in results), results
            with lock:
                pushed.extend(c["change_id"] for c in changes)

    def read() -> tuple[list[str], list[int]]:
        seen: list[str] = []
        seqs: list[int] = []
        cursor = 0
        turn = 0
        while True:
            finished = done.is_set()  # read before pulling: a last full pull follows
            reader = readers[turn % len(readers)]
            turn += 1
            r = reader.post("pull", {"cursor": cursor, "limit": 13})
            assert r.status_code == 200, r.text
            page = r.json()
            for c in page["changes"]:
                assert c["server_seq"] > cursor
                seen.append(c["change_id"])
                seqs.append(c["server_seq"])
            cursor = page["next_cursor"]
            if finished and not page["has_more"]:
                return seen, seqs

    with ThreadPoolExecutor(max_workers=len(writers) + 1) as pool:
        reading = pool.submit(read)
        writing = [pool.submit(write, w) for w in writers]
        for f in writing:
            f.result()
        done.set()
        seen, seqs = reading.result()

    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert len(seen) == len(set(seen))
    assert set(seen) == set(pushed)
    assert len(pushed) == len(writers) * batches * per_batch
    fresh, _ = readers[0].pull_all(limit=500)
    assert [c["change_id"] for c in fresh] == seen


def stored_bytes(db_url: str) -> bytes:
    """Everything the server database holds: every row of every table as text, and for
    SQLite also the raw bytes of the database file and its write-ahead log."""
    from sqlalchemy import MetaData, create_engine, select

    engine = create_engine(db_url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            dump = "\n".join(
                repr(list(conn.execute(select(table)))) for table in meta.sorted_tables
            ).encode()
    finally:
        engine.dispose()
    if db_url.startswith("sqlite:///"):
        folder = Path(db_url.removeprefix("sqlite:///")).parent
        dump += b"".join(p.read_bytes() for p in sorted(folder.glob("server.db*")))
    return dump


def restore_backup(folder: Path, backup: str = "backup.db", live: str = "server.db") -> None:
    """docs/server.md's restore of a SQLite server: the backup copied in place of the live
    database, its -wal and -shm removed first (``new-epoch`` comes next)."""
    for extra in ("-wal", "-shm"):
        (folder / f"{live}{extra}").unlink(missing_ok=True)
    shutil.copyfile(folder / backup, folder / live)


@contextmanager
def north_on_sqlite(folder: Path) -> Iterator[tuple[str, Database, str]]:
    """A server database (SQLite) in ``folder`` holding team North and its worker Alex
    Morgan: its URL, the database (disposed of after the ``with``) and the worker's id."""
    url = f"sqlite:///{folder / 'server.db'}"
    init_database(url)
    db = Database(url)
    try:
        admin.add_team(db, "North")
        yield url, db, admin.add_worker(db, "North", "Alex Morgan")
    finally:
        db.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``linksdesk-server ARGS`` (the command line, in this process): its exit code and
    everything it printed."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def owner(url: str, participant_id: str) -> str:
    """The worker whose caseload the server has ``participant_id`` on."""
    db = Database(url)
    try:
        with db.reading() as s:
            rows = s.query(ParticipantAccess).filter(
                ParticipantAccess.participant_id == participant_id,
                ParticipantAccess.mode == "owner",
            )
            return next(a.worker_id for a in rows)
    finally:
        db.dispose()


def two_cases(folder: Path) -> tuple[str, dict[str, str]]:
    """Team North on SQLite: Alex Morgan holds P1042 and P1043; Jo Kerr and Sam Reid are
    colleagues. The database's URL, and each name or programme id → its id."""
    from fastapi.testclient import TestClient  # (conftest imports it first: see there)

    from linksdesk.server.app import create_app

    with north_on_sqlite(folder) as (url, db, alex), TestClient(create_app(url)) as client:
        ids = {
            "Alex Morgan": alex,
            "Jo Kerr": admin.add_worker(db, "North", "Jo Kerr"),
            "Sam Reid": admin.add_worker(db, "North", "Sam Reid"),
        }
        code = admin.make_enrol_code(db, alex).code
        laptop = Device(client, client.post("/v1/enrol", json={"code": code}).json())
        for pid in ("P1042", "P1043"):
            case = laptop.participant(programme_id=pid)
            laptop.push(laptop.shared(case))
            ids[pid] = case["row_id"]
    return url, ids
