"""Composition root and command line: ``linksdesk`` opens the app or runs one verb and exits.

Verbs that do not open a window never import Qt, so they work on a machine with no display.
Errors LinksDesk raises on purpose print one plain line; anything else is a bug, reported
with a short line and the path of the log (which holds ids and events, never personal data).

Each verb lives in a module of its own in ``linksdesk.app.verbs``; ``parser`` puts their
parsers together, and ``main`` runs the verb chosen through this package's ``cmd_<verb>``
name (so a test can stand a verb of its own in for one).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, cast

import platformdirs

from linksdesk import APP_NAME
from linksdesk.app.console import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USER,
    one_line,
)
from linksdesk.app.parser import build_parser
from linksdesk.app.verbs.backup import cmd_backup, cmd_restore
from linksdesk.app.verbs.bundles import cmd_deprivation, cmd_export, cmd_import, cmd_keys
from linksdesk.app.verbs.check import cmd_check
from linksdesk.app.verbs.demo import cmd_demo
from linksdesk.app.verbs.documents import cmd_gp_summary, cmd_record_pdf
from linksdesk.app.verbs.new import cmd_new
from linksdesk.app.verbs.report import cmd_evaluation, cmd_published, cmd_report
from linksdesk.app.verbs.sync import cmd_enrol, cmd_sync
from linksdesk.app.verbs.window import cmd_open
from linksdesk.core.errors import LinksDeskError, UserError
from linksdesk.core.logs import LOG_FILE
from linksdesk.core.logsafe import safe_traceback

__all__ = [
    "EXIT_BUG",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PROBLEM",
    "EXIT_USER",
    "build_parser",
    "cmd_backup",
    "cmd_check",
    "cmd_demo",
    "cmd_deprivation",
    "cmd_enrol",
    "cmd_evaluation",
    "cmd_export",
    "cmd_gp_summary",
    "cmd_import",
    "cmd_keys",
    "cmd_new",
    "cmd_open",
    "cmd_published",
    "cmd_record_pdf",
    "cmd_report",
    "cmd_restore",
    "cmd_sync",
    "configure_logging",
    "log_path",
    "main",
]

log = logging.getLogger("linksdesk.app")


# -- logging ------------------------------------------------------------------------------------
def log_path() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / LOG_FILE


def configure_logging() -> Path | None:
    """Log to a rotating 0600 file in the platform's log folder (ids and events only)."""
    from linksdesk.core import logs

    return logs.configure(log_path().parent)


# -- main ---------------------------------------------------------------------------------------
def _fail(message: str, code: int) -> NoReturn:
    print(f"linksdesk: {one_line(message)}", file=sys.stderr)
    raise SystemExit(code)


def handler(verb: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs ``verb``: this package's ``cmd_<verb>``, looked up when run."""
    return cast(Callable[[argparse.Namespace], int], globals()[f"cmd_{verb.replace('-', '_')}"])


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    from linksdesk.core.logs import no_core_dumps

    no_core_dumps()  # a crash must not leave the open vault's memory in a core file
    path = configure_logging()
    parser = build_parser()
    args = parser.parse_args(args_list)  # usage errors: argparse prints them and exits 2
    verb: str = args.verb or "open"
    func = handler(verb)
    log.info("command: %s", verb)
    try:
        return func(args)
    except KeyboardInterrupt:
        log.info("stopped by the user")
        _fail("Stopped.", EXIT_INTERRUPTED)
    except UserError as exc:
        log.info("refused: %s", type(exc).__name__)
        _fail(str(exc), EXIT_USER)
    except LinksDeskError as exc:
        log.warning("failed: %s", type(exc).__name__)
        _fail(str(exc), EXIT_PROBLEM)
    except Exception as exc:
        log.error("bug:\n%s", safe_traceback(exc))
        from linksdesk.core.logs import write_crash_report

        write_crash_report(exc, where=f"command {verb}")
        where = f" Details are in the log: {path}" if path else ""
        _fail(f"LinksDesk stopped on an unexpected problem (a bug).{where}", EXIT_BUG)
