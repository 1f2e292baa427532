"""Log files and crash reports: rotating by size, readable by the user only, no personal data.

The folder is the platform's log directory (chosen by the caller with platformdirs). What
goes in is ids, counts and event names; exceptions are written as their type and frames
only (``safe_traceback``), never their message, which can quote a name or a note. A hard
crash of the interpreter (a segfault in a library) is written by ``faulthandler`` as
frames only as well.

Other libraries' log lines are not ours to vouch for: fontTools lists the letters of every
PDF it subsets, fpdf2 quotes the characters a font lacks. So a line from a logger outside
``OUR_LOGGERS`` is written only from WARNING up, and then as its template without the
values (``Font %s is missing the following glyphs: %s``). An exception in a thread of ours
or one Python could not raise (``__del__``) is logged the same safe way instead of being
printed, message and all, on the standard error stream (which a desktop session keeps in
its journal).
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path
from typing import IO, Any

from linksdesk.core.logsafe import safe_traceback

LOG_FILE = "linksdesk.log"
FAULT_FILE = "hard-crash.log"
CRASH_PREFIX = "crash-"
MAX_BYTES = 1_000_000
BACKUPS = 5
KEEP_CRASH_REPORTS = 20
FILE_MODE = 0o600
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# loggers whose lines are written with their values: ours (ids, counts and events only) and
# Qt's messages (about widgets, fonts and the display; ``ui.main`` passes them on)
OUR_LOGGERS = ("linksdesk", "qt")

_fault_file: IO[str] | None = None
_hooks_before: tuple[Any, Any] | None = None  # threading's and sys's, put back by unconfigure


def _open_private(path: Path, *, append: bool) -> IO[str]:
    """Open a text file created as 0600 (before anything is written); an older one made so."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.chmod(path, FILE_MODE)  # a file left by an older LinksDesk may be 0644
    except OSError:
        pass
    return os.fdopen(fd, "a" if append else "w", encoding="utf-8")


def is_ours(name: str) -> bool:
    return any(name == ours or name.startswith(f"{ours}.") for ours in OUR_LOGGERS)


class OursOrWarnings(logging.Filter):
    """Our lines, and other libraries' warnings and errors (their chatter stays out)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or is_ours(record.name)


class SafeFormatter(logging.Formatter):
    """A line with an attached exception as its type and frames only (never its message); a
    line of another library's as its template, without the values it was given (unless
    ``others_values``: the server, whose libraries are never handed a person's details)."""

    def __init__(self, fmt: str = FORMAT, *, others_values: bool = False) -> None:
        super().__init__(fmt)
        self.others_values = others_values

    def format(self, record: logging.LogRecord) -> str:
        # another handler's formatter may have cached the exception's full text on the record
        # (``exc_text``); and another library's values are not written, so neither is the
        # message made from them
        cached, msg, args = record.exc_text, record.msg, record.args
        record.exc_text = None
        if args and not self.others_values and not is_ours(record.name):
            record.msg, record.args = f"{msg} [values left out]", None
        try:
            return super().format(record)
        finally:
            record.exc_text, record.msg, record.args = cached, msg, args

    def formatException(self, ei: Any) -> str:
        exc = ei[1]
        return safe_traceback(exc) if isinstance(exc, BaseException) else "(no exception)"

    def formatStack(self, stack_info: str) -> str:
        return stack_info  # file names and lines only


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files are created readable by their owner only."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        try:
            os.chmod(self.baseFilename, FILE_MODE)
        except OSError:
            pass
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def private_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass
    return folder


def configure(folder: Path, *, level: int = logging.INFO) -> Path | None:
    """Log to ``folder/linksdesk.log`` (rotating); None when the folder is not writable.

    Called again in the same process it changes nothing (tests call ``main`` many times).
    """
    root = logging.getLogger()
    path = folder / LOG_FILE
    for handler in root.handlers:
        if isinstance(handler, PrivateRotatingFileHandler):
            return Path(handler.baseFilename)
    try:
        private_folder(folder)
        handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        # logging must never stop the app: carry on without a file
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(SafeFormatter(FORMAT))
    handler.addFilter(OursOrWarnings())
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migration chatter is not news
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request lines carry URLs with ids
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    _enable_faulthandler(folder)
    _log_unraised_exceptions()
    return path


def _thread_exception(hook: threading.ExceptHookArgs) -> None:
    if hook.exc_value is None or isinstance(hook.exc_value, SystemExit):
        return
    name = hook.thread.name if hook.thread is not None else "?"
    logging.getLogger("linksdesk.thread").error(
        "bug in thread %s:\n%s", name, safe_traceback(hook.exc_value)
    )


def _unraisable(hook: Any) -> None:
    # ``hook.object`` (whose repr can show a record's fields) and the message stay out
    logging.getLogger("linksdesk.unraisable").error(
        "exception Python could not raise:\n%s",
        safe_traceback(hook.exc_value) if hook.exc_value is not None else hook.exc_type,
    )


def _log_unraised_exceptions() -> None:
    """Exceptions in threads and in ``__del__`` go to the log, safely, not to stderr."""
    global _hooks_before
    if _hooks_before is None:
        _hooks_before = (threading.excepthook, sys.unraisablehook)
    threading.excepthook = _thread_exception
    sys.unraisablehook = _unraisable


PR_SET_DUMPABLE = 4  # linux/prctl.h


def no_core_dumps() -> bool:
    """Keep this process's memory out of core dumps: it holds the vault's key, decrypted
    pages, names and notes, and a crash's core file or report (apport's in /var/crash,
    systemd-coredump's in the journal) is kept outside the vault, readable by others.

    The core size limit is set to 0, and on Linux the process is made non-dumpable, which
    stops piped crash collectors too (and other programs of the same user attaching to it).
    ``faulthandler`` still writes the frames of a hard crash. True if Linux's flag took.
    """
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    except (ImportError, ValueError, OSError):
        pass  # Windows has no core files (its crash dumps are off unless an admin sets them)
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _enable_faulthandler(folder: Path) -> None:
    """A segfault or abort writes the Python frames (no values) to hard-crash.log."""
    global _fault_file
    if _fault_file is not None:
        return
    try:
        _fault_file = _open_private(folder / FAULT_FILE, append=True)
        faulthandler.enable(file=_fault_file, all_threads=True)
    except (OSError, ValueError):
        _fault_file = None


def unconfigure() -> None:
    """Undo ``configure``: close the log file and the hard-crash file (tests call ``main`` many
    times in one process, and an open file left to the garbage collector warns later)."""
    global _fault_file, _hooks_before
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
        _fault_file = None
    if _hooks_before is not None:
        threading.excepthook, sys.unraisablehook = _hooks_before
        _hooks_before = None


def log_folder() -> Path | None:
    """The folder of the configured log file, if logging to a file is set up."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrivateRotatingFileHandler):
            return Path(handler.baseFilename).parent
    return None


def write_crash_report(exc: BaseException, *, recent: str = "", where: str = "") -> Path | None:
    """A crash report file beside the log: version, platform, frames and the recent log.

    The exception's message is never written. Old reports beyond the last 20 are removed.
    """
    folder = log_folder()
    if folder is None:
        return None
    from linksdesk import __version__

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{CRASH_PREFIX}{stamp}.txt"
    lines = [
        f"LinksDesk {__version__} crash report ({where or 'unexpected error'})",
        f"Python {sys.version.split()[0]} on {sys.platform}",
        f"Time (UTC): {stamp}",
        "",
        safe_traceback(exc),
        "",
        "Recent log:",
        recent or "(none)",
        "",
    ]
    try:
        with _open_private(path, append=False) as fh:
            fh.write("\n".join(lines))
    except OSError:
        return None
    _prune_crash_reports(folder)
    logging.getLogger(__name__).error("crash report written: %s", path.name)
    return path


def _prune_crash_reports(folder: Path) -> None:
    reports = sorted(folder.glob(f"{CRASH_PREFIX}*.txt"))
    for old in reports[:-KEEP_CRASH_REPORTS]:
        try:
            old.unlink()
        except OSError:
            pass
