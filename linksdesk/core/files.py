"""Files written where the person chose (a memory stick, a shared folder): whole or not at all.

A file is written to a hidden ``.part`` file beside its place, flushed to the disk, and only
then renamed into place: a full memory stick, one taken out, or a power cut leaves no file
under the chosen name that looks whole but is not. What cannot be written is said in the
person's terms (``not_written``), never as the operating system's words alone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from linksdesk.core.errors import NotWrittenError, UserError

# the disk or memory stick went away, or stopped answering, while it was being written
_GONE = frozenset(
    getattr(errno, name)
    for name in ("EIO", "ENODEV", "ENXIO", "ESTALE", "ENOTCONN", "ENOMEDIUM", "EREMOTEIO")
    if hasattr(errno, name)
)


def not_written(exc: OSError, what: str, path: Path | str, *, then: str = "") -> NotWrittenError:
    """Why ``what`` ("The backup", "The PDF") could not be written to ``path``, in the terms
    of the person who chose the place: what is wrong with it, and what to do (``then``: a
    sentence more, such as what was left as it was)."""
    folder = Path(path).parent
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        why = (
            f"there is no room left on the disk or memory stick at {folder}. Free some space "
            "there, or choose another place"
        )
    elif code == errno.EROFS:
        why = (
            f"{folder} is on a disk or memory stick that cannot be written to (some memory "
            "sticks have a lock switch). Choose another place"
        )
    elif code in (errno.EACCES, errno.EPERM):
        why = f"you cannot save files in {folder}. Choose another place"
    elif code in (errno.ENOENT, errno.ENOTDIR):
        why = (
            f"the folder {folder} is not there (was the memory stick taken out?). Put it "
            "back, or choose another place"
        )
    elif code in _GONE:
        why = (
            f"the disk or memory stick at {folder} stopped answering (taken out, or "
            "failing). Put it back and try again, or choose another place"
        )
    else:
        why = f"{folder} reported a problem ({exc.strerror}). Try again, or choose another place"
    return NotWrittenError(f"{what} was not saved: {why}." + (f" {then}" if then else ""))


def folder_exists(path: Path | str, what: str) -> None:
    """Refuse, in the person's terms, a file whose folder is not there: never make it, as
    the folder of a memory stick taken out would then be made on the laptop's own disk."""
    if not Path(path).parent.is_dir():
        raise not_written(FileNotFoundError(errno.ENOENT, "not there"), what, path)


def write_whole(
    path: Path,
    data: bytes | Callable[[BinaryIO], object],
    *,
    what: str,
    replace: bool = False,
) -> None:
    """Write ``data`` (bytes, or a function writing to the open file) to ``path``, readable by
    its owner only, all or nothing. An existing file is refused unless ``replace`` (a file
    dialog asked); a failure raises ``not_written`` and leaves the place as it was."""
    path = Path(path)
    folder_exists(path, what)
    if not replace and os.path.lexists(path):
        raise UserError(f"{path} is already there. Choose another name. Nothing was written.")
    try:
        with staged(path) as part:
            with part.open("r+b") as fh:
                if isinstance(data, bytes):
                    fh.write(data)
                else:
                    data(fh)
                fh.flush()
                os.fsync(fh.fileno())
            if replace:
                os.replace(part, path)
            else:
                publish_new(part, path)
            fsync_folder(path.parent)
    except FileExistsError:
        raise UserError(
            f"{path} is already there. Choose another name. Nothing was written."
        ) from None
    except OSError as exc:
        raise not_written(exc, what, path) from None


@contextlib.contextmanager
def staged(path: Path) -> Iterator[Path]:
    """A new, empty hidden file beside ``path`` (owner only), removed again unless the body
    moved it into place."""
    part = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)
    try:
        yield part
    finally:
        with contextlib.suppress(OSError):
            os.unlink(part)


def publish_new(part: Path, path: Path) -> None:
    """Move ``part`` to ``path`` only if nothing is there (FileExistsError if something is),
    without a check-then-write race where the file system has hard links."""
    try:
        os.link(part, path)  # fails if path exists, atomically
    except FileExistsError:
        raise
    except OSError as e:
        # file systems without hard links (FAT/exFAT memory sticks) get check-then-replace;
        # a single desktop user will not race themselves
        if e.errno not in (
            errno.EPERM,
            errno.ENOTSUP,
            errno.EOPNOTSUPP,
            errno.ENOSYS,
            errno.EMLINK,
            errno.EXDEV,
        ):
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "already there", str(path)) from None
        os.replace(part, path)
        return
    os.unlink(part)


def flush_to_disk(path: Path) -> None:
    """Flush a file another library wrote by name to the disk, before it is renamed into
    place (a power cut then leaves the old name or the whole new file, never an empty one)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to the disk, where the system allows."""
    if os.name != "posix":
        return  # Windows cannot open a folder; NTFS journals the rename itself
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
