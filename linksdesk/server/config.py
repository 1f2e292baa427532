"""Where the server's database is: ``--db``, else ``LINKSDESK_SERVER_DB``, else a SQLite file.

And where its key is: ``LINKSDESK_SERVER_KEY`` (the key itself, base64), else the file
``LINKSDESK_SERVER_KEY_FILE``, else ``server.key`` beside a SQLite database (or in the
server's data folder for PostgreSQL). The key never goes into the database: it unwraps each
participant's content key (see :mod:`linksdesk.server.sealing`). Files the server makes are
readable by its own user only (0600, folders 0700): they hold case records.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import stat
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

ENV_DB = "LINKSDESK_SERVER_DB"
ENV_KEY = "LINKSDESK_SERVER_KEY"
ENV_KEY_FILE = "LINKSDESK_SERVER_KEY_FILE"
APP_NAME = "LinksDesk-server"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
KEY_FILE_NAME = "server.key"
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700

log = logging.getLogger(__name__)


class ServerKeyError(Exception):
    """The server key is missing or unreadable: a plain message for the administrator."""


def data_folder() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_url() -> str:
    return f"sqlite:///{data_folder() / 'server.db'}"


def private_folder(folder: Path) -> Path:
    """Make ``folder`` (and missing parents) for the server's own user only."""
    if not folder.exists():
        folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        folder.chmod(PRIVATE_DIR)  # mkdir's mode is cut by the umask
    return folder


def private_file(path: Path) -> Path:
    """Create ``path`` empty and 0600 if it is missing, before anything writes into it."""
    private_folder(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)
    return path


def resolve_db_url(cli_value: str | None) -> str:
    """The database address to use; a plain file path means a SQLite file there, and a
    PostgreSQL address without a driver (``postgresql://``, as PostgreSQL's own tools
    write it) means the driver LinksDesk installs (psycopg 3). Nothing is made here: a
    mistyped path must not leave folders behind (the engine makes the file's, ``init``)."""
    url = (cli_value or os.environ.get(ENV_DB) or default_db_url()).strip()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    for bare in ("postgresql://", "postgres://"):
        if url.startswith(bare):
            url = "postgresql+psycopg://" + url.removeprefix(bare)
    return url


def sqlite_path(db_url: str) -> Path | None:
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def key_file(db_url: str) -> Path:
    """Where the server key file of ``db_url`` is (when not given in ``LINKSDESK_SERVER_KEY``)."""
    named = os.environ.get(ENV_KEY_FILE)
    if named:
        return Path(named).expanduser()
    db_file = sqlite_path(db_url)
    folder = db_file.parent if db_file is not None else data_folder()
    return folder / KEY_FILE_NAME


REVOKED_FILE_NAME = "revoked-devices.txt"


def revoked_file(db_url: str) -> Path:
    """Where the server notes every device it revokes, beside its key and outside the
    database: a backup restored from before a revocation does not hold it, and
    ``new-epoch`` revokes those devices again from this note (``admin.revoke_again``)."""
    return key_file(db_url).parent / REVOKED_FILE_NAME


# the administrator's command, as its help and the commands to run again after a restore name it
PROGRAM = "linksdesk-server"
COMMANDS_FILE_NAME = "admin-commands.jsonl"


def commands_file(db_url: str) -> Path:
    """Where the server notes every ``handover``, ``move-cases`` and ``settings set`` done,
    beside its key and outside the database, as revocations are: ``new-epoch`` lists those
    a restored database lacks, to run again (``admin_note``)."""
    return key_file(db_url).parent / COMMANDS_FILE_NAME


def note_line(path: Path, line: str, what: str) -> str | None:
    """Append ``line`` to the note ``path`` beside the server key (made 0600 first); why it
    could not be written (what it notes stands all the same), else None."""
    try:
        with private_file(path).open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError as exc:
        log.warning("%s could not be noted beside the server key: %s", what, exc.strerror)
        return f"{path} could not be written ({exc.strerror})"
    return None


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ServerKeyError(f"The server key in {where} is not 32 bytes of base64.")
    return key


def load_server_key(db_url: str) -> bytes:
    """The server key, from the environment or its file; a plain error when missing."""
    given = os.environ.get(ENV_KEY)
    if given:
        return _decode(given, ENV_KEY)
    path = key_file(db_url)
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise ServerKeyError(
            f"The server key file {path} is missing. Restore it there from the copy you keep "
            f"(or set {ENV_KEY_FILE} to where it is): this database's records can be read "
            "only with the key made when it was initialised, and a new one would not open "
            "them."
        ) from None
    except OSError as exc:
        raise ServerKeyError(
            f"The server key file {path} cannot be read ({exc.strerror})."
        ) from None
    warn_if_shared(path)
    return _decode(text, str(path))


def shared_with_others(path: Path) -> bool:
    """Whether a key file may be read (or changed) by users other than its owner."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.name == "posix" and bool(stat.S_IMODE(mode) & 0o077)


def warn_if_shared(path: Path) -> None:
    if shared_with_others(path):
        log.warning(
            "The server key file %s may be read by other users of this machine (mode %s). "
            "Make it readable by the server's user only: chmod 600 %s",
            path,
            f"{stat.S_IMODE(path.stat().st_mode):o}",
            path,
        )


def make_server_key(db_url: str) -> bool:
    """Create the key file (0600) unless a key is already given; True if one was made."""
    if os.environ.get(ENV_KEY):
        return False
    path = key_file(db_url)
    if path.exists():
        return False
    private_folder(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    with os.fdopen(fd, "w") as f:
        f.write(base64.b64encode(os.urandom(32)).decode() + "\n")
    return True
