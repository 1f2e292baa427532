"""What went wrong under a ``linksdesk-server`` command, in the administrator's terms.

A driver's or the system's own error text is never shown: a database error quotes the
statement's parameters (sealed content, ids), a connection error the address (its
password), a file error a path the administrator did not give. Each problem is recognised
by its kind and said as what it means for the server: which database or disk, what to put
right, and what happened to the command's work (``undone``). Anything not recognised is
named by its type only.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from linksdesk.server.config import sqlite_path

NOTHING_CHANGED = "Nothing was changed."

# libpq's words for a server it could not reach (it gives no error code for these)
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "no such file or directory",  # a Unix socket that is not there: PostgreSQL is stopped
    "failed to resolve host",
    "could not translate host name",
    "name or service not known",
    "timeout expired",
    "timed out",
    "network is unreachable",
    "no route to host",
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
)
_LOST = (
    "server closed the connection unexpectedly",
    "terminating connection",
    "connection is closed",
    "consuming input failed",
    "connection lost",
    "ssl syscall error",
)


def _where_pg(url: str) -> str:
    u = make_url(url)
    return f"{u.host or 'localhost'}:{u.port or 5432}"


def _folder(url: str) -> Path | None:
    path = sqlite_path(url)
    return path.parent if path is not None else None


def database_problem(exc: BaseException, url: str, undone: str = NOTHING_CHANGED) -> str | None:
    """The administrator's message for a failure reaching or writing the database at
    ``url``; None when ``exc`` is not a database or file-system problem."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = ""
    foreign = isinstance(exc, ImportError) and backend not in ("sqlite", "postgresql")
    if foreign or isinstance(exc, (NoSuchModuleError, ArgumentError)):
        return (
            "The database address is not one the server can use. Give a SQLite file path, "
            "or postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME for PostgreSQL "
            "(docs/server.md, section 1)."
        )
    if isinstance(exc, OSError):
        path = sqlite_path(url)
        if exc.filename is None or path is None or Path(exc.filename) != path:
            return None  # not the database's (a file of the command's, standard output)
        return file_problem(exc, path, "the server database", undone)
    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    text = str(orig).lower()
    state = str(getattr(orig, "sqlstate", "") or "")
    if backend == "postgresql":
        return _postgres_problem(text, state, url, undone)
    if backend == "sqlite":
        return _sqlite_problem(text, url, undone)
    return None


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` is the database being out of reach (stopped, restarting, the
    connection lost), not a fault of the request: the served app answers 503 for it."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    text = str(exc.orig).lower()
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    return any(words in text for words in _UNREACHABLE + _LOST) or state.startswith(("08", "57P"))


def _postgres_problem(text: str, state: str, url: str, undone: str) -> str:
    u = make_url(url)
    where = _where_pg(url)
    if "password authentication failed" in text or state in ("28P01", "28000"):
        return (
            f"PostgreSQL at {where} refused the user name or password in the database "
            f"address (user {u.username!r}). Check the address in LINKSDESK_SERVER_DB or "
            f"--db. {undone}"
        )
    if ("database" in text and "does not exist" in text) or state == "3D000":
        return (
            f"PostgreSQL at {where} has no database called {u.database!r}. Create it "
            f"(docs/server.md, section 1), or check the name in the database address. {undone}"
        )
    if state == "53100" or "no space left on device" in text or "could not extend file" in text:
        return (
            f"The disk of the PostgreSQL server at {where} is full. Free some space there and "
            f"run the command again. {undone}"
        )
    if state in ("53300", "53400") or "sorry, too many" in text:  # PostgreSQL's own words
        return (
            f"PostgreSQL at {where} has no free connection (too many open). Try again in "
            f"a moment, or raise max_connections. {undone}"
        )
    if any(words in text for words in _LOST) or state.startswith("57P"):
        return (
            f"The connection to PostgreSQL at {where} was lost during the command (was it "
            f"stopped or restarted?). PostgreSQL undid the command's unfinished change. "
            f"Check that it is running, then run the command again. {undone}"
        )
    if any(words in text for words in _UNREACHABLE) or state.startswith("08"):
        return (
            f"The database server PostgreSQL at {where} is not answering. Check that it is "
            f"running and that the host and port in the database address are right. {undone}"
        )
    return (
        f"PostgreSQL at {where} refused the command (error {state or 'without a code'}). {undone}"
    )


def _sqlite_problem(text: str, url: str, undone: str) -> str:
    folder = _folder(url)
    path = sqlite_path(url)
    if "disk is full" in text or ("disk i/o error" in text and _no_room(folder)):
        return _disk_full(folder, undone)
    if "readonly" in text or "read-only" in text:
        return (
            f"The server database {path} cannot be written to (a read-only disk or file). "
            f"Make it writable by the server's user and run the command again. {undone}"
        )
    if "not a database" in text or "malformed" in text:
        return (
            f"{path} is not a LinksDesk server database, or it is damaged. Check the --db "
            f"path; a damaged database is restored from its backup (docs/server.md, section "
            f"6). {undone}"
        )
    if "database is locked" in text:
        return (
            f"The server database {path} stayed locked by another process for a minute. "
            f"Try again when it is less busy. {undone}"
        )
    if "unable to open" in text:
        return (
            f"The server database {path} cannot be opened: check that the path is right and "
            f"that the server's user may read and write its folder. {undone}"
        )
    if "disk i/o error" in text:
        return (
            f"The disk holding the server database {path} reported an error. Check the disk, "
            f"then run the command again. {undone}"
        )
    return f"The server database {path} refused the command. {undone}"


def file_problem(exc: OSError, path: Path, what: str, undone: str = NOTHING_CHANGED) -> str:
    """A file-system error on ``path`` (``what``: "the server database", "the roster")."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return _disk_full(path.parent if path.suffix else path, undone)
    if code == errno.EROFS:
        return f"{path} is on a disk that cannot be written to, so {what} was not written. {undone}"
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"The server's user may not use {path} ({what}). Give it access to the file and "
            f"its folder, then run the command again. {undone}"
        )
    if code == errno.EISDIR:
        return f"{path} is a folder; {what} must be a file. {undone}"
    if code in (errno.ENOENT, errno.ENOTDIR):
        return f"{path} is not there ({what}). Check the path. {undone}"
    return (
        f"The disk holding {path} reported a problem ({os.strerror(code) if code else 'unknown'}"
        f") with {what}. {undone}"
    )


def _disk_full(folder: Path | None, undone: str) -> str:
    where = f"the disk holding {folder}" if folder is not None else "the disk"
    return (
        f"There is no room left on {where}. Free some space there and run the command again. "
        f"{undone}"
    )


def _no_room(folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1024 * 1024


def unexpected(exc: BaseException, command: str, undone: str = NOTHING_CHANGED) -> str:
    """A failure nobody foresaw: its type only (its message may quote content)."""
    return (
        f"`{command}` stopped on an unexpected problem ({type(exc).__name__}). {undone} Its "
        "details are not shown, as they can quote the server's records; if it happens again, "
        "report the command and this message to whoever supports your LinksDesk server."
    )
