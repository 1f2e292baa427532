"""Test kit for device sync: a real server process, enrolled vaults, a fault proxy, comparisons.

Everything runs on 127.0.0.1: the server is ``linksdesk-server serve`` in a subprocess over
a SQLite file (or PostgreSQL), devices are real SQLCipher vaults in tmp_path, and the proxy
is a real TCP listener between them. Data is synthetic.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from serving import serve, stop
from sqlalchemy import create_engine, select
from synthetic import PASSPHRASE

from linksdesk.casework.erasure import erase_in
from linksdesk.core import hlc
from linksdesk.core.changes import RowChange
from linksdesk.core.ids import uuid7
from linksdesk.server import admin
from linksdesk.server.db import Database, init_database
from linksdesk.server.models import ParticipantAccess, Record
from linksdesk.storage.store import Store, data_columns, json_value, row_values, shared_participants
from linksdesk.storage.tables import (
    TABLE_BY_NAME,
    Consent,
    Contact,
    Note,
    NoteRevision,
    Outbox,
    Participant,
    ReferralIn,
    Resource,
    SyncAttention,
)
from linksdesk.storage.vault import Vault
from linksdesk.sync import client as sync_client
from linksdesk.sync.client import SyncClient, SyncReport, enrol
from linksdesk.sync.policy import SyncPolicy, shareable_columns
from linksdesk.sync.protocol import RECEIPT_TABLE, SYNCABLE_TABLES
from linksdesk.sync.transport import Backoff

CANARY_PRIVATE = "CANARY-private-7d1f"
CANARY_LOCAL = "CANARY-local-c04e"
CANARY_UNSHARED = "CANARY-unshared-98ab"
CANARIES = (CANARY_PRIVATE, CANARY_LOCAL, CANARY_UNSHARED)
FAST = Backoff(attempts=6, base_s=0.02, cap_s=0.2)


SHM = Path("/dev/shm")


def memory_folder() -> Path | None:
    """tmpfs when there is room in it (a container's /dev/shm may be only 64 MB)."""
    try:
        if SHM.is_dir() and os.access(SHM, os.W_OK) and shutil.disk_usage(SHM).free > 2**30:
            return SHM
    except OSError:
        return None
    return None


# -- the server -----------------------------------------------------------------------------
class ServerProcess:
    """``linksdesk-server serve`` in a subprocess; can be killed with SIGKILL and restarted
    (on the port it was given first: devices hold its address; see ``serving``)."""

    def __init__(self, db_url: str, log_path: Path, port: int | None = None) -> None:
        self.db_url = db_url
        self.log_path = log_path
        self.port = port or 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.db = Database(db_url)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc, self.port = serve(self.db_url, self.log_path, self.port)

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, whatever it was doing."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
        self.proc = None

    def close(self) -> None:
        self.stop()
        self.db.dispose()

    def backup(self, dest: Path) -> None:
        """A consistent copy of a SQLite server database (WAL included), as a backup tool makes."""
        import sqlite3

        src = sqlite3.connect(self.db_url.removeprefix("sqlite:///"))
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
            src.close()

    def restore(self, backup: Path, *, epoch: bool = True) -> None:
        """Stop, put the backup in place of the database, start a new data epoch (unless
        the administrator forgot to)."""
        import shutil

        from linksdesk.server.db import new_epoch

        self.stop()
        self.db.dispose()
        path = Path(self.db_url.removeprefix("sqlite:///"))
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        shutil.copy(backup, path)
        if epoch:
            new_epoch(self.db)
        self.db.dispose()
        self.start()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # - programme administration (the admin functions the CLI uses) -
    def team(self) -> str:
        return admin.add_team(self.db, f"team-{uuid7()[-12:]}")

    def worker(self, team: str) -> str:
        return admin.add_worker(self.db, team, f"worker-{uuid7()[-12:]}")

    def code(self, worker: str) -> str:
        return admin.make_enrol_code(self.db, worker).code

    def programme_ids(self) -> list[str]:
        """Every programme id the server holds, one per participant (repeats kept)."""
        with self.db.reading() as s:
            return [
                str(r.fields["programme_id"])
                for r in s.scalars(select(Record).where(Record.table_name == "participant"))
            ]

    def records(self, worker: str) -> dict[str, dict[str, dict[str, Any]]]:
        """What the server holds that ``worker``'s devices may see: table → id → fields."""
        with self.db.reading() as s:
            team = admin.find_worker(self.db, worker).team_id
            visible = set(
                s.scalars(
                    select(ParticipantAccess.participant_id).where(
                        ParticipantAccess.worker_id == worker
                    )
                )
            )
            out: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in SYNCABLE_TABLES}
            for rec in s.scalars(select(Record).where(Record.team_id == team)):
                if rec.table_name not in out:
                    continue
                if rec.table_name == "resource":
                    pass
                elif rec.table_name == "monthly_total":
                    if rec.owner != worker:
                        continue
                elif rec.participant_id not in visible:
                    continue
                cols = shareable_columns(rec.table_name)
                values = {c: rec.fields.get(c) for c in cols}
                values["deleted"] = bool(rec.deleted)
                out[rec.table_name][rec.row_id] = values
            return out


def pushed_caseload(server: ServerProcess, first: Dev, people: int) -> str:
    """A new worker of a new team, whose laptop ``first`` is enrolled and has pushed
    ``people`` participants with a contact each; the worker's id."""
    worker = server.worker(server.team())
    first.enrol(server, worker)
    for _ in range(people):
        first.contact(first.participant())
    assert first.sync().verified
    return worker


def later_by_the_clock(*holders: Any) -> None:
    """Return once the clocks of ``holders`` (devices or casebooks) read later than every
    stamp they have issued, so that the next edit is the later one by the clock, never a
    tie in the same tick (ties are ordered by device id), however coarse the clock."""
    latest = max(h.store.clock.wall_ms for h in holders)
    while hlc.time.time_ns() // 1_000_000 <= latest:  # the clock the stamps are made by
        time.sleep(0.002)


def lost_in_a_restore(
    server: ServerProcess, devices: Callable[[str], Dev], folder: Path, people: int
) -> tuple[Dev, list[str]]:
    """A laptop of a new worker, enrolled and synced, and the participants it makes and
    sends after the server's backup, each with required fields edited later (two field
    clocks a row), which the server then loses: it is restored from that backup, in a
    new data epoch."""
    laptop = devices("laptop")
    laptop.enrol(server, server.worker(server.team()))
    assert laptop.sync().verified
    backup = folder / "server-backup.db"
    server.backup(backup)
    late = [laptop.participant(given_name=f"Late{n}") for n in range(people)]
    laptop.sync()
    for pid in late:
        laptop.edit("participant", pid, status="paused", given_name="Later")
    laptop.sync()
    server.restore(backup, epoch=True)
    return laptop, late


def shared_by(other: Any, programme_id: str, day: str, **fields: Any) -> str:
    """A participant with team consent, as another device of the worker (``server_kit``'s
    ``Device``, speaking HTTP itself) sends it; returns the id."""
    row = other.participant(programme_id=programme_id, created_on=day, **fields)
    consent = other.consent(row["row_id"])
    consent["fields"]["recorded_on"] = day
    assert {r["status"] for r in other.push([consent, row])["results"]} == {"applied"}
    return str(row["row_id"])


def erase_participant(store: Store, pid: str, at: dt.datetime = dt.datetime(2025, 3, 1, 9)) -> None:
    """Forget a participant as casework's erasure does (purge, receipt, erase command),
    through a store without a casebook."""
    with store.write() as tx:
        erase_in(tx, pid, at)


def two_laptops(
    server: ServerProcess,
    devices: Callable[[str], Dev],
    labels: tuple[str, str] = ("office", "venues"),
) -> tuple[Dev, Dev]:
    """A new worker of a new team with two laptops, each enrolled and opened again (as the
    app does after enrolment: casework's store then knows the worker)."""
    worker = server.worker(server.team())
    laptops = devices(labels[0]), devices(labels[1])
    for dev in laptops:
        dev.enrol(server, worker)
        dev.reopen()
    return laptops


def new_server(tmp_path: Path, db_url: str | None = None) -> ServerProcess:
    url = db_url or f"sqlite:///{tmp_path / 'server.db'}"
    init_database(url)
    server = ServerProcess(url, tmp_path / "server.log")
    try:
        server.start()
    except BaseException:
        server.close()  # its process and engine: the caller never gets them to close
        raise
    return server


# -- devices --------------------------------------------------------------------------------
class Dev:
    """One worker's laptop: an unlocked vault enrolled with the server, plus data helpers."""

    def __init__(self, path: Path, vault: Vault, label: str) -> None:
        self.path = path
        self.vault = vault
        self.store: Store = vault.store(SyncPolicy())
        self.label = label
        self.server_url = ""
        self._next_programme = 1000

    @classmethod
    def create(cls, tmp_path: Path, label: str) -> Dev:
        path = tmp_path / f"{label}.vault"
        vault, _ = Vault.create(path, PASSPHRASE)
        return cls(path, vault, label)

    def enrol(self, server: ServerProcess, worker: str, url: str | None = None) -> None:
        self.server_url = url or server.url
        enrol(self.store, self.server_url, server.code(worker), label=self.label)

    @property
    def worker_id(self) -> str:
        return self.store.worker_id

    def reopen(self) -> None:
        """Lock and unlock again (as after a crash or restart of the app)."""
        self.vault.lock()
        self.vault = Vault.unlock(self.path, PASSPHRASE)
        self.store = self.vault.store(SyncPolicy())

    def close(self) -> None:
        self.vault.lock()

    def client(self, **kw: Any) -> SyncClient:
        kw.setdefault("backoff", FAST)
        kw.setdefault("timeout_s", 10.0)
        return SyncClient(_Both(self), **kw)

    def sync(self, **kw: Any) -> SyncReport:
        allow = kw.pop("allow_mass_delete", False)
        full = kw.pop("full_check", False)
        return self.client(**kw).sync(allow_mass_delete=allow, full_check=full)

    # - writing, as casework would -
    def participant(
        self,
        *,
        shared: bool = True,
        private: bool = False,
        given_name: str = "Alex",
        family_name: str = "Example",
        risk_summary: str | None = None,
        contact_preferences: str | None = None,
    ) -> str:
        with self.store.write() as tx:
            self._next_programme += 1
            p = tx.insert(
                Participant(
                    programme_id=f"{self.label[:3]}{self._next_programme}-{uuid7()[-4:]}",
                    given_name=given_name,
                    family_name=family_name,
                    risk_summary=risk_summary,
                    contact_preferences=contact_preferences,
                    status="active",
                    created_on=dt.date(2025, 1, 15),
                    referred_on=dt.date(2025, 1, 10),
                    sharing="private" if private else "team",
                )
            )
            tx.insert(
                Consent(
                    participant_id=p.id,
                    scope="team",
                    given=shared,
                    version=1,
                    recorded_on=dt.date(2025, 1, 15),
                    method="verbal",
                    sharing="private" if private else "team",
                )
            )
            if shared and not private:
                tx.forget_consent_cache()
                _backfill(tx, p)
            return p.id

    def contact(
        self,
        pid: str,
        *,
        status: str = "attended",
        purpose: str | None = None,
        private: bool = False,
        when: dt.datetime | None = None,
    ) -> str:
        with self.store.write() as tx:
            c = tx.insert(
                Contact(
                    participant_id=pid,
                    kind="appointment",
                    status=status,
                    scheduled_at=when or dt.datetime(2025, 2, 3, 10, 0),
                    minutes=30,
                    venue="Library",
                    purpose=purpose,
                    sharing="private" if private else "team",
                )
            )
            return c.id

    def referral(self, pid: str, source: str = "gp", reason: str | None = None) -> str:
        with self.store.write() as tx:
            r = tx.insert(
                ReferralIn(
                    participant_id=pid,
                    received_on=dt.date(2025, 1, 10),
                    source=source,
                    reason=reason,
                )
            )
            return r.id

    def note(self, pid: str, body: str, *, private: bool = False) -> tuple[str, str]:
        with self.store.write() as tx:
            n = tx.insert(
                Note(
                    participant_id=pid,
                    written_at=dt.datetime(2025, 2, 3, 11, 0),
                    sharing="private" if private else "team",
                )
            )
            r = tx.insert(
                NoteRevision(
                    note_id=n.id,
                    participant_id=pid,
                    revision=1,
                    base_revision_id=None,
                    body=body,
                    written_at=dt.datetime(2025, 2, 3, 11, 0),
                    sharing="private" if private else "team",
                )
            )
            return n.id, r.id

    def revise(self, note_id: str, base_id: str, body: str) -> str:
        with self.store.write() as tx:
            base = tx.session.get(NoteRevision, base_id)
            assert base is not None
            r = tx.insert(
                NoteRevision(
                    note_id=note_id,
                    participant_id=base.participant_id,
                    revision=base.revision + 1,
                    base_revision_id=base.id,
                    body=body,
                    written_at=dt.datetime(2025, 2, 4, 11, 0),
                    sharing=base.sharing,
                    owner=base.owner,
                )
            )
            return r.id

    def resource(self, organisation: str = "Food Bank", service: str = "Parcels") -> str:
        with self.store.write() as tx:
            r = tx.insert(Resource(organisation=organisation, service=service, area="North"))
            return r.id

    def edit(self, table: str, row_id: str, **values: Any) -> None:
        with self.store.write() as tx:
            row = tx.session.get(TABLE_BY_NAME[table], row_id)
            assert row is not None, f"{table} {row_id} not on {self.label}"
            tx.update(row, **values)

    def delete(self, table: str, row_id: str) -> None:
        with self.store.write() as tx:
            row = tx.session.get(TABLE_BY_NAME[table], row_id)
            assert row is not None
            tx.delete(row)

    def erase(self, pid: str) -> None:
        erase_participant(self.store, pid)

    # - reading -
    def get(self, table: str, row_id: str) -> Any:
        with self.store.read() as s:
            return s.get(TABLE_BY_NAME[table], row_id)

    def outbox(self) -> int:
        with self.store.read() as s:
            return len(list(s.scalars(select(Outbox.seq))))

    def attention(self) -> list[SyncAttention]:
        with self.store.read() as s:
            return list(s.scalars(select(SyncAttention)))

    def replica(self) -> dict[str, dict[str, dict[str, Any]]]:
        """What this device holds in common with the server: table → id → synced fields."""
        out: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in SYNCABLE_TABLES}
        with self.store.read() as s:
            visible = shared_participants(s) | set(
                sync_client.state.get(s, sync_client.state.READ_ONLY, [])
            )
            for table in SYNCABLE_TABLES:
                cls: Any = TABLE_BY_NAME[table]
                cols = shareable_columns(table)
                for row in s.scalars(select(cls).where(cls.sharing == "team")):
                    pid = row.id if table == "participant" else getattr(row, "participant_id", None)
                    routed = table == "participant" or hasattr(cls, "participant_id")
                    if routed and table != RECEIPT_TABLE and pid not in visible:
                        continue
                    values = {c: json_value(getattr(row, c)) for c in cols}
                    values["deleted"] = bool(row.deleted)
                    out[table][row.id] = values
        return out


class _Both:
    """A vault with the store this device uses (so clocks observed by sync carry over)."""

    def __init__(self, dev: Dev) -> None:
        self._dev = dev

    @property
    def vault(self) -> Vault:
        return self._dev.vault

    @property
    def store(self) -> Store:
        return self._dev.store


def _backfill(tx: Any, participant: Participant) -> None:
    """What casework's consent backfill does: queue the participant row as it stands."""
    tx.queue(
        RowChange(
            table="participant",
            row_id=participant.id,
            op="upsert",
            hlc=participant.hlc,
            values=row_values(participant),
            changed=frozenset(data_columns(participant)),
            base={},
            participant_id=participant.id,
            participant_shared=True,
        )
    )


def normalise(replica: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """JSON round trip so dates, times and numbers compare the same on both sides."""
    return json.loads(json.dumps(replica, sort_keys=True, default=str))  # type: ignore[no-any-return]


def assert_replica_matches(
    dev: Dev, server: ServerProcess, *, ignore: frozenset[str] = frozenset()
) -> None:
    mine = normalise(dev.replica())
    theirs = normalise(server.records(dev.worker_id))
    for table in SYNCABLE_TABLES:
        a = {k: v for k, v in mine[table].items() if k not in ignore}
        b = {k: v for k, v in theirs[table].items() if k not in ignore}
        if a != b:
            only_here = sorted(set(a) - set(b))[:3]
            only_there = sorted(set(b) - set(a))[:3]
            differ = sorted(k for k in set(a) & set(b) if a[k] != b[k])[:3]
            detail = [(k, a[k], b[k]) for k in differ]
            raise AssertionError(
                f"{dev.label}: {table} differs: only on device {only_here}, only on server "
                f"{only_there}, different {detail}"
            )


def assert_agrees_with_server(dev: Dev, server: ServerProcess) -> None:
    """Every synced table as on the server; monthly totals are each laptop's own (counted
    from what it holds), so a worker's two laptops each hold only theirs."""
    totals = set(dev.replica()["monthly_total"]) | set(
        server.records(dev.worker_id)["monthly_total"]
    )
    assert_replica_matches(dev, server, ignore=frozenset(totals))


# -- the fault-injecting proxy ----------------------------------------------------------------
@dataclass
class FaultPlan:
    """Chances of each fault per request (the rest pass through untouched)."""

    drop_request: float = 0.0  # close before forwarding (the server never sees it)
    error_before: float = 0.0  # answer 500 without forwarding
    drop_response: float = 0.0  # forward, then close without answering (the server did it)
    error_after: float = 0.0  # forward, then answer 500 instead (the server did it)
    truncate: float = 0.0  # forward, then send half the answer and close
    delay: float = 0.0  # forward, answer after a pause
    delay_s: float = 0.15
    seed: int = 1


@dataclass
class FaultProxy:
    """A TCP proxy on 127.0.0.1 that parses HTTP/1.1 requests and injects faults.

    Every byte both ways is recorded, so tests can search the traffic for canaries.
    """

    upstream_port: int
    plan: FaultPlan = field(default_factory=FaultPlan)
    traffic: list[bytes] = field(default_factory=list)
    faults: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.plan.seed)
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._acceptor.start()

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join(timeout=5)
        self._sock.close()
        for t in self._threads:
            t.join(timeout=5)

    def all_traffic(self) -> bytes:
        with self._lock:
            return b"".join(self.traffic)

    def _record(self, data: bytes) -> None:
        with self._lock:
            self.traffic.append(data)

    def _count(self, name: str) -> None:
        with self._lock:
            self.faults[name] = self.faults.get(name, 0) + 1

    def _pick(self) -> str:
        p = self.plan
        with self._lock:
            x = self._rng.random()
        for name, chance in (
            ("drop_request", p.drop_request),
            ("error_before", p.error_before),
            ("drop_response", p.drop_response),
            ("error_after", p.error_after),
            ("truncate", p.truncate),
            ("delay", p.delay),
        ):
            if x < chance:
                return name
            x -= chance
        return "pass"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads = [x for x in self._threads if x.is_alive()]
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        buf = b""
        try:
            while not self._stop.is_set():
                request, buf = _read_message(conn, buf)
                if request is None:
                    return
                self._record(request)
                fault = self._pick()
                if fault != "pass":
                    self._count(fault)
                if fault == "drop_request":
                    return
                if fault == "error_before":
                    conn.sendall(_ERROR_500)
                    continue
                response = _forward(self.upstream_port, request)
                if response is None:
                    return  # upstream down: the client sees a closed connection
                self._record(response)
                if fault == "drop_response":
                    return
                if fault == "error_after":
                    conn.sendall(_ERROR_500)
                    continue
                if fault == "truncate":
                    conn.sendall(response[: max(1, len(response) // 2)])
                    return
                if fault == "delay":
                    time.sleep(self.plan.delay_s)
                conn.sendall(response)
        except OSError:
            return
        finally:
            conn.close()


_ERROR_500 = (
    b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n"
    b'content-length: 22\r\n\r\n{"detail":"injected"}\n'
)


def _read_message(conn: socket.socket, buf: bytes) -> tuple[bytes | None, bytes]:
    """One HTTP/1.1 message with a Content-Length body (what httpx and uvicorn send)."""
    while b"\r\n\r\n" not in buf:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


def _forward(port: int, request: bytes) -> bytes | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as up:
            up.sendall(request)
            response, _ = _read_message(up, b"")
            return response
    except OSError:
        return None


# -- syncs in child processes (to kill them) ------------------------------------------------
CHILD = Path(__file__).with_name("sync_child.py")


class SyncForker:
    """A process that has imported everything and forks one child per sync on request."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "LINKSDESK_KDF_PROFILE": "fast"}
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "serve", PASSPHRASE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )

    def start(self, vault_path: Path, *, batch: int, page: int) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{vault_path} {batch} {page}\n")
        self.proc.stdin.flush()
        while True:
            line = self._line()
            if line.startswith("started "):
                return int(line.split()[1])

    def wait_for(self, pid: int, stage: str, timeout: float = 60) -> str:
        """Read progress until ``pid`` reports ``stage`` ("stage"), or ends ("done"/"error")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            parts = self._line().split()
            if not parts or parts[0] != str(pid):
                continue  # a line from an earlier child
            if parts[1] == stage:
                return "stage"
            if parts[1] in ("done", "error"):
                return " ".join(parts[1:])
        raise TimeoutError(f"child {pid} did not report {stage}")

    @staticmethod
    def kill(pid: int) -> None:
        import signal

        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        for _ in range(200):  # until the forker has reaped it
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.005)

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the sync forker ended")
        return line.strip()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def db_file_bytes(db_url: str) -> bytes:
    path = Path(db_url.removeprefix("sqlite:///"))
    data = b""
    for p in (path, Path(f"{path}-wal")):
        if p.exists():
            data += p.read_bytes()
    return data


def dump_database_text(db_url: str) -> str:
    """Every value in every table of a server database, as text (for PostgreSQL too)."""
    engine = create_engine(db_url)
    try:
        out: list[str] = []
        with engine.connect() as conn:
            from sqlalchemy import inspect, text

            for table in inspect(conn).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    out.append(repr(tuple(row)))
        return "\n".join(out)
    finally:
        engine.dispose()
