"""A ``-wal`` beside a vault that is not its file's own: set aside before the vault opens.

A ``-wal`` beside the vault holds saves not yet in the vault file (LinksDesk has it open, or
was stopped without closing it): opening reads the file through it, and the next close
writes those pages in. SQLite has no way to tell whose ``-wal`` it is. One left by a power
cut under another vault, before this one was copied in by hand, reads as damage (its pages
are under another key); one left by a later state of this vault, before an older copy of
the file was put back by hand, tears the file (a mix of two copies, written in for good at
the next close).

So before a vault opens: when a ``-wal`` is beside it, the file read through it does not
check out, and the file alone does, the ``-wal`` and ``-shm`` are set aside, renamed
``<name>-wal.not-this-file-<time>`` beside it (never deleted), and the vault opens as its
file is. A ``-wal`` that fits, or a file damaged in itself, is left as it is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from pathlib import Path

from linksdesk.core import files
from linksdesk.storage.engine import DB_ERRORS, connect_read_only

log = logging.getLogger(__name__)

SIDES = ("-wal", "-shm")
# what SQLite says of pages that are not this file's: under another key, or torn
_NOT_ITS_OWN = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def _reads_whole(path: Path, key: bytes, *, alone: bool) -> bool | None:
    """Whether the vault file (``alone``, or read through its ``-wal``) passes SQLite's
    quick check under ``key``; None when the read failed for another reason (a lock, the
    disk) and nothing can be told."""
    try:
        conn = connect_read_only(path, key, alone=alone)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except DB_ERRORS as exc:
        name = str(getattr(exc, "sqlite_errorname", ""))
        return False if name.startswith(_NOT_ITS_OWN) else None
    return rows == ["ok"]


def set_aside_if_not_its_own(path: Path, key: bytes) -> None:
    """Set aside a ``-wal`` (and ``-shm``) beside the vault at ``path`` that is not its
    file's own (see the module); ``key`` must be the vault's data key."""
    try:
        if Path(f"{path}-wal").stat().st_size == 0:
            return
    except OSError:
        return  # none beside it (or none to be read: opening says so)
    if _reads_whole(path, key, alone=False) is not False:
        return  # it fits, or nothing can be told: left as it is
    if not _reads_whole(path, key, alone=True):
        return  # the file is damaged in itself: opening says so
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for side in SIDES:
        here = Path(f"{path}{side}")
        aside, n = here.with_name(f"{here.name}.not-this-file-{stamp}"), 1
        while aside.exists():
            n += 1
            aside = here.with_name(f"{here.name}.not-this-file-{stamp}-{n}")
        with contextlib.suppress(FileNotFoundError):
            os.rename(here, aside)
    files.fsync_folder(path.parent)
    log.warning("a -wal beside the vault was not its file's own: set aside, kept beside it")
