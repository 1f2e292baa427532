"""Which computer this is: a random id kept outside every vault, so a vault can tell that it
was copied or restored here from another computer (see ``Vault._open`` and
``restored.take_as_copy``).

The id is made once per user account, in the platform's data folder (or the folder named by
``LINKSDESK_MACHINE_DIR``), and says nothing about the computer or the person. A computer
where it cannot be kept gives no id, and a vault opened there is taken as it is.

That folder is the vault's own by default, and a worker moving to a new laptop (or a tool
moving a whole user profile) may copy it whole: the id file then arrives with the vault.
So the file also keeps a digest of the id the system keeps of its computer (Linux's
machine-id, Windows' MachineGuid, the Mac's platform UUID), which no user folder carries:
an id file whose digest is another system's was copied here, and a new id is made. A file
kept before the digest was, or a system whose id cannot be read, is taken as it is.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

FOLDER_ENV = "LINKSDESK_MACHINE_DIR"
# the system's id of this computer, in its place (tests: a computer of their own)
SYSTEM_ENV = "LINKSDESK_SYSTEM_ID"
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
    system = _system_digest()
    try:
        made, kept_for = _read(path)
        if made and system and kept_for not in ("", system):
            log.warning(
                "this computer's id file was copied from another computer; a new one is made"
            )
            path.unlink()
            made = ""
        elif made and system and not kept_for:
            with contextlib.suppress(OSError):  # kept before the digest was: add it
                _write(path, made, system, replace=True)
        return made or _make(path, system)
    except OSError as exc:
        log.warning("this computer's id could not be kept (%s)", exc.strerror)
        return ""


def _read(path: Path) -> tuple[str, str]:
    """The id kept in ``path`` and the system digest kept with it ("" for each not kept)."""
    with contextlib.suppress(FileNotFoundError):
        words = path.read_text(encoding="ascii", errors="replace").split()
        if 1 <= len(words) <= 2 and all(_SHAPE.fullmatch(w) for w in words):
            return words[0], words[1] if len(words) == 2 else ""
        log.warning("this computer's id file is unreadable; a new one is made")
        path.unlink()
    return "", ""


def _make(path: Path, system: str) -> str:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    made = secrets.token_hex(16)
    try:
        _write(path, made, system, replace=False)
    except FileExistsError:  # another LinksDesk made it just now
        return _read(path)[0]
    return made


def _write(path: Path, made: str, system: str, *, replace: bool) -> None:
    """Keep the id (and the system digest) in ``path``: a new file, or one put in place
    whole over the old."""
    target = path.with_name(f"{path.name}.new") if replace else path
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(f"{made}\n{system}\n" if system else f"{made}\n")
        out.flush()
        os.fsync(out.fileno())
    if replace:
        os.replace(target, path)


def _system_digest() -> str:
    """A digest of the id the system keeps of this computer ("" when none can be read):
    the same for every user folder on it, and never the id itself."""
    raw = os.environ.get(SYSTEM_ENV) or _system_id()
    if not raw.strip():
        return ""
    return hashlib.sha256(b"linksdesk computer " + raw.strip().encode()).hexdigest()[:32]


@functools.cache
def _system_id() -> str:
    """The id the system keeps of this computer, as it keeps it ("" when none is read)."""
    try:
        if sys.platform == "win32":
            import winreg

            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE,
                r"SOFTWARE\Microsoft\Cryptography",
                0,
                winreg.KEY_READ | winreg.KEY_WOW64_64KEY,
            ) as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0])
        if sys.platform == "darwin":
            out = subprocess.run(
                ["/usr/sbin/ioreg", "-rd1", "-c", "IOPlatformExpertDevice"],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            ).stdout
            found = re.search(r'"IOPlatformUUID" = "([^"]+)"', out)
            return found.group(1) if found else ""
        for place in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
            with contextlib.suppress(OSError):
                kept = Path(place).read_text(encoding="ascii", errors="replace").strip()
                if kept:
                    return kept
    except (OSError, subprocess.SubprocessError):
        pass
    return ""
