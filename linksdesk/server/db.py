"""The server's database: engine setup, read and write transactions, migrations, the counter.

SQLite (the default) serialises writers with ``BEGIN IMMEDIATE``. On PostgreSQL a push
locks only what it touches (:func:`lock_names`: its participants and rows) while it
applies, and takes the row lock on the single counter row last, just before it writes and
commits: ``server_seq`` values are numbered under that lock and commit in order, so a
puller never skips a change, and one long push does not hold up the others' work.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, bindparam, create_engine, event, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import BigInteger

from linksdesk.core.ids import uuid7
from linksdesk.server.config import (
    ServerKeyError,
    load_server_key,
    make_server_key,
    private_file,
    sqlite_path,
)
from linksdesk.server.models import ServerMeta
from linksdesk.server.problems import database_problem
from linksdesk.server.sealing import Keyring, seal_existing

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
_WRITE = "linksdesk_write"


class SchemaNotReadyError(Exception):
    """The database has not been initialised, or was written by a newer server."""


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def make_engine(db_url: str) -> Engine:
    """An engine for ``db_url``; parameters never appear in error messages (they hold content)."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise ValueError("the server needs a SQLite file, not an in-memory database")
        path = sqlite_path(db_url)
        assert path is not None
        private_file(path)  # 0600 before SQLite makes it; its WAL and SHM files follow suit
        engine = create_engine(
            url,
            hide_parameters=True,
            connect_args={"timeout": 60, "check_same_thread": False},
        )
        _sqlite_setup(engine)
        return engine
    return create_engine(url, hide_parameters=True, pool_pre_ping=True)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # take transaction control from pysqlite so we can say BEGIN IMMEDIATE
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA secure_delete=ON")  # erased content does not linger in free pages
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Session factories over one engine: ``reading()`` and ``writing()`` transactions."""

    def __init__(self, db_url: str, server_key: bytes | None = None) -> None:
        self.url = db_url
        self.engine = make_engine(db_url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._server_key = server_key
        # sessions find the server key through their info (see sealing.keyring_of)
        info = {"keys": self.server_key}
        self._read = sessionmaker(self.engine, expire_on_commit=False, info=info)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False, info=info
        )

    def server_key(self) -> bytes:
        """The key that wraps participant keys, read once from outside the database."""
        if self._server_key is None:
            self._server_key = load_server_key(self.url)
        return self._server_key

    def truncate_wal(self) -> None:
        """After an erasure: fold SQLite's write-ahead log into the file and empty it, so
        no copy of freed pages lingers there (the main file overwrites them itself)."""
        if not self.is_sqlite:
            return
        with self.engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
        if busy:
            log.warning("the write-ahead log could not be emptied yet (a reader was active)")

    @contextmanager
    def reading(self, snapshot: bool = False) -> Iterator[Session]:
        """A read transaction; ``snapshot`` makes several queries agree on PostgreSQL."""
        with self._read() as session:
            if snapshot and not self.is_sqlite:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session  # closing ends the transaction; loaded objects stay readable

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction that commits on success, rolls back on any exception."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


_ADVISORY = text("SELECT pg_advisory_xact_lock(k) FROM unnest(:keys) AS k").bindparams(
    bindparam("keys", type_=ARRAY(BigInteger))
)


def lock_names(session: Session, names: Iterable[str]) -> None:
    """Lock ``names`` for the rest of the writing transaction (PostgreSQL advisory locks).

    Every writer takes its names in one order (sorted by their 64-bit hash, in one
    statement, before the counter), so two writers never wait for each other in a circle.
    On SQLite there is one writer at a time already (``BEGIN IMMEDIATE``): nothing to do.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({_lock_key(n) for n in names})
    if keys:
        session.execute(_ADVISORY, {"keys": keys})


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class Counter:
    """The server_seq counter, locked for the rest of the writing transaction.

    Take it as late as the transaction allows (a push: after applying, just before it
    writes): every other writer of the change log waits for it until this one commits.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        row = session.execute(
            select(ServerMeta.seq, ServerMeta.data_epoch)
            .where(ServerMeta.id == ServerMeta.ROW)
            .with_for_update()
        ).one()
        self.start = self.value = int(row.seq)
        self.data_epoch = str(row.data_epoch)

    def next(self) -> int:
        self.value += 1
        return self.value

    def save(self) -> None:
        if self.value != self.start:
            self._session.execute(
                update(ServerMeta).where(ServerMeta.id == ServerMeta.ROW).values(seq=self.value)
            )


# -- migrations -----------------------------------------------------------------------------
def _config(connection: Any = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _revision_problem(current: str | None) -> str | None:
    """Why a database at migration ``current`` cannot be served by this server, or None."""
    head = head_revision()
    if current == head:
        return None
    if current is None:
        return "The server database is not initialised. Run `linksdesk-server init` first."
    if not _known_revision(current):
        return _NEWER.format(current)
    return (
        f"The server database is from an older LinksDesk server (schema {current}; this one "
        f"needs {head}). Run `linksdesk-server init` with the same --db to upgrade it."
    )


def _known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except CommandError:  # alembic raises, rather than answer None, for a revision unknown
        return False


_NEWER = (
    "The server database was written by a newer LinksDesk server (schema {}), which this "
    "one cannot read. Install that newer version of LinksDesk here; nothing in the "
    "database was changed."
)


def init_database(db_url: str) -> str:
    """Create or upgrade the schema and the counter row; returns the data epoch."""
    db = Database(db_url)
    try:
        current = current_revision(db.engine)
        if current is not None and not _known_revision(current):
            raise SchemaNotReadyError(_NEWER.format(current))
        with db.engine.connect() as conn:
            command.upgrade(_config(conn), "head")
            conn.commit()
        with db.reading() as s:
            meta = ServerMeta.the_row(s)
            initialised = meta is not None and meta.key_check is not None
        if initialised:
            # the database's key, never a new one: a key made now would open nothing in it,
            # and would sit where the administrator is to put the real one back
            try:
                keyring = Keyring(db.server_key())
            except ServerKeyError as exc:
                raise SchemaNotReadyError(str(exc)) from None
        else:
            make_server_key(db_url)
            keyring = Keyring(db.server_key())
        with db.writing() as s:
            meta = ServerMeta.the_row(s)
            if meta is None:
                meta = ServerMeta(id=ServerMeta.ROW, data_epoch=uuid7(), seq=0, created_ms=now_ms())
                s.add(meta)
            if meta.key_check is None:
                meta.key_check = keyring.check_value()
            elif not keyring.matches(meta.key_check):
                raise SchemaNotReadyError(_WRONG_KEY)
            seal_existing(s)  # content an older server kept in clear
            return meta.data_epoch
    finally:
        db.dispose()


_WRONG_KEY = (
    "The server key does not belong to this database. Use the key file made when this "
    "database was initialised (or its LINKSDESK_SERVER_KEY value)."
)


def check_ready(db: Database) -> None:
    """Refuse to serve a database that is missing, older or newer than this server."""
    try:
        current = current_revision(db.engine)
    except Exception as exc:
        raise SchemaNotReadyError(
            database_problem(exc, db.url)
            or "The server database cannot be opened. Check the --db address."
        ) from None
    problem = _revision_problem(current)
    if problem is not None:
        raise SchemaNotReadyError(problem)
    with db.reading() as s:
        meta = ServerMeta.the_row(s)
        if meta is None:
            raise SchemaNotReadyError("Run `linksdesk-server init` with the same --db first.")
        try:
            keyring = Keyring(db.server_key())
        except ServerKeyError as exc:
            raise SchemaNotReadyError(str(exc)) from None
        if meta.key_check is not None and not keyring.matches(meta.key_check):
            raise SchemaNotReadyError(_WRONG_KEY)


def new_epoch(db: Database) -> str:
    """Start a new data epoch (after restoring a backup): every device resyncs by merging."""
    with db.writing() as s:
        Counter(s)  # lock out writers while the epoch changes
        epoch = uuid7()
        s.execute(
            update(ServerMeta).where(ServerMeta.id == ServerMeta.ROW).values(data_epoch=epoch)
        )
        return epoch
