"""What a verb tells the person and the shell: exit codes, one-line messages, progress."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

# exit codes: what a script needs to tell apart
EXIT_OK = 0
EXIT_PROBLEM = 1  # the check found damage, the sync did not finish, the machine failed us
EXIT_USER = 2  # something to put right: wrong passphrase, bad arguments, vault exists
EXIT_BUG = 70  # BSD EX_SOFTWARE: a bug in LinksDesk
EXIT_INTERRUPTED = 130


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def progress_printer(out: TextIO, what: str) -> Callable[[int, int], None] | None:
    """``what: done/total`` rewritten in place on a terminal; None when ``out`` is not one."""
    if not out.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{what}: {done}/{total}", end=end, file=out, flush=True)

    return show


def print_stage_progress(stage: str, done: int, total: int) -> None:
    """Progress of a bundle's stages on the terminal's error stream (stdout stays for results)."""
    if sys.stderr.isatty():
        print(f"\r{stage}: {done}/{total}", end="", file=sys.stderr, flush=True)
