"""The log folder holds no personal data, whatever another library or a thread writes.

A links worker prints a participant's record: the PDF library's font subsetter logs the
names of the glyphs it kept (the letters of the person's name); fpdf2 quotes characters its
font lacks; a thread's uncaught exception is printed, message and all, on stderr (which a
desktop session keeps in its journal); a handler that formatted an exception first leaves its
full text cached on the record for the log file's handler. Each is walked here with
distinctive synthetic values, and the bytes written are searched for them.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_cli import PASSPHRASE, cli_env, linksdesk

from linksdesk.casework import notes, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core import logs

# a name whose letters have distinctive glyph names in the font (Lslash, Zdotaccent, ...)
GIVEN = "Łucja"
FAMILY = "Żółtowska-Quartermaine"
NOTE = "PURPLEMARKER spoke about the letters"
GLYPH_NAMES = (b"Lslash", b"Zdotaccent", b"oacute", b"lslash")
MARKER = "Zebedee-PURPLEMARKER-9Q"


def _log_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    """The app's own file logging into a folder of the test's; taken down after."""
    folder = tmp_path / "log"
    root = logging.getLogger()
    level = root.level
    path = logs.configure(folder)
    assert path is not None
    yield folder
    logs.unconfigure()
    root.setLevel(level)


def test_printing_a_record_writes_no_letters_of_the_name_to_the_log(tmp_path: Path) -> None:
    home = tmp_path / "home"
    vault = tmp_path / "worker.vault"
    cb, _recovery = Casebook.create(vault, PASSPHRASE)
    try:
        person = participants.create_participant(cb, given_name=GIVEN, family_name=FAMILY).value
        notes.write_note(cb, person.id, NOTE)
    finally:
        cb.lock()
    for args in (
        ("record-pdf", "--out", str(tmp_path / "record.pdf")),
        ("gp-summary", "--format", "pdf", "--out", str(tmp_path / "gp.pdf")),
    ):
        done = linksdesk(
            home,
            args[0],
            "--vault",
            str(vault),
            "--participant",
            person.programme_id,
            *args[1:],
            passphrase=PASSPHRASE,
        )
        assert done.returncode in (0, 2), done.stderr  # the GP summary is refused: no consent
    assert (tmp_path / "record.pdf").stat().st_size > 1000
    written = _log_bytes(home / "state")
    assert b"command: record-pdf" in written  # the log is in use
    assert [g for g in GLYPH_NAMES if g in written] == []
    assert b"fontTools" not in written  # the subsetter's chatter stays out altogether
    assert FAMILY.encode() not in written and b"PURPLEMARKER" not in written


def test_another_librarys_warning_is_written_without_its_values(log_folder: Path) -> None:
    # what fpdf2 says of characters its font lacks: they are the document's own text
    logging.getLogger("fpdf.output").warning(
        "Font %s is missing the following glyphs: %s", "DejaVu", f"'{MARKER}'"
    )
    logging.getLogger("fontTools.subset").info("Glyph names: %s", [MARKER])
    logging.getLogger("linksdesk.sync").info("pushed %s changes", 7)  # ours: values kept
    written = _log_bytes(log_folder)
    assert b"Font %s is missing the following glyphs: %s [values left out]" in written
    assert b"pushed 7 changes" in written
    assert MARKER.encode() not in written and b"Glyph names" not in written


def test_an_exception_another_handler_formatted_first_stays_safe(log_folder: Path) -> None:
    """A handler with Python's own formatter, ahead of the file's, caches the exception's full
    text (message and chained cause) on the record; the file must not reuse it."""
    plain = logging.FileHandler(log_folder / "plain.txt", encoding="utf-8")
    plain.setFormatter(logging.Formatter(logs.FORMAT))
    root = logging.getLogger()
    root.handlers.insert(0, plain)
    try:
        try:
            try:
                raise KeyError(f"parameters: {MARKER}")
            except KeyError as inner:
                raise RuntimeError(f"could not store {MARKER}") from inner
        except RuntimeError:
            logging.getLogger("linksdesk.casework").exception("saving failed")
    finally:
        root.removeHandler(plain)
        plain.close()
    (log_folder / "plain.txt").unlink()  # Python's formatter, not ours: it has the message
    written = _log_bytes(log_folder)
    assert b"saving failed" in written and b"builtins.RuntimeError" in written
    assert MARKER.encode() not in written


def test_the_crash_dialogs_recent_log_follows_the_same_rules() -> None:
    from linksdesk.ui.crash_dialog import RecentLog

    recent = RecentLog()
    root = logging.getLogger()
    root.addHandler(recent)
    try:
        try:
            raise ValueError(f"bad value {MARKER}")
        except ValueError:
            logging.getLogger("linksdesk.ui").exception("a job failed")
        logging.getLogger("fpdf").warning("missing glyphs: %s", MARKER)
    finally:
        root.removeHandler(recent)
    tail = recent.tail()
    assert "a job failed" in tail and "builtins.ValueError" in tail
    assert "missing glyphs: %s" in tail
    assert MARKER not in tail


def test_a_threads_exception_goes_to_the_log_safely_not_to_stderr(tmp_path: Path) -> None:
    home = tmp_path / "home"
    script = textwrap.dedent(
        f"""
        import threading
        from linksdesk import app
        app.configure_logging()
        def work():
            raise ValueError({MARKER!r})
        t = threading.Thread(target=work, name="page-check")
        t.start(); t.join()
        class Held:
            def __repr__(self):
                return {MARKER!r}
            def __del__(self):
                raise KeyError({MARKER!r})
        h = Held()
        del h
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=cli_env(home),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert MARKER.encode() not in done.stderr + done.stdout
    written = _log_bytes(home / "state")
    assert b"bug in thread page-check" in written and b"builtins.ValueError" in written
    assert b"exception Python could not raise" in written and b"builtins.KeyError" in written
    assert MARKER.encode() not in written


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's own process flag")
def test_a_linksdesk_process_leaves_no_core_dump_of_its_memory(tmp_path: Path) -> None:
    """A crash of the app (a library's segfault) would have the system write the process's
    memory (the vault's key, decrypted pages, names and notes) to a core file, apport's
    /var/crash or the journal's coredump store, all outside the vault."""
    home = tmp_path / "home"
    script = textwrap.dedent(
        f"""
        import ctypes, resource
        from linksdesk import app
        try:
            app.main(["check", "--vault", {str(tmp_path / "none.vault")!r}])
        except SystemExit:
            pass
        libc = ctypes.CDLL(None, use_errno=True)
        print(libc.prctl(3, 0, 0, 0, 0), resource.getrlimit(resource.RLIMIT_CORE)[0])
        """
    )
    before = subprocess.run(
        [sys.executable, "-c", "import ctypes; print(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert before.stdout.split() == ["1"]  # a process is dumpable unless it says otherwise
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=cli_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split() == ["0", "0"], done.stderr  # not dumpable, core size 0
