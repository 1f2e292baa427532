"""Which computer this is: a random id kept outside every vault, so a vault can tell that it
was copied or restored here from another computer (see ``Vault._open`` and
``restored.take_as_copy``).

The id is made once per user account, in the platform's data folder (or the folder named by
``LINKSDESK_MACHINE_DIR``), and says nothing about the computer or the person. A computer
where it cannot be kept gives no id, and a vault opened there is taken as it is.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

FOLDER_ENV = "LINKSDESK_MACHINE_DIR"
FILE_NAME = "this-computer.id"
_SHAPE = re.compile(r"[0-9a-f]{32}")


def folder() -> Path:
    named = os.environ.get(FOLDER_ENV)
    if named:
        return Path(named)
    return Path(platformdirs.user_data_dir("LinksDesk", appauthor=False))


def machine_id() -> str:
    """This computer's id, made the first time it is asked for ("" if it cannot be kept)."""
    path = folder() / FILE_NAME
    try:
        return _read(path) or _make(path)
    except OSError as exc:
        log.warning("this computer's id could not be kept (%s)", exc.strerror)
        return ""


def _read(path: Path) -> str:
    with contextlib.suppress(FileNotFoundError):
        text = path.read_text(encoding="ascii", errors="replace").strip()
        if _SHAPE.fullmatch(text):
            return text
        log.warning("this computer's id file is unreadable; a new one is made")
        path.unlink()
    return ""


def _make(path: Path) -> str:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    made = secrets.token_hex(16)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another LinksDesk made it just now
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(made + "\n")
        out.flush()
        os.fsync(out.fileno())
    return made
