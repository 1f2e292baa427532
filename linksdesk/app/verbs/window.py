"""``open`` (and no verb at all): the desktop app, the only verb that loads Qt."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from linksdesk.core.errors import EnvironmentProblem

log = logging.getLogger(__name__)


def cmd_open(args: argparse.Namespace) -> int:
    argv: list[str] = []
    if args.vault is not None:
        argv += ["--vault", str(args.vault)]
    if args.smoke_test:
        argv.append("--smoke-test")
    return open_gui(argv)


def open_gui(argv: list[str]) -> int:
    # imported here so that verbs without a window never load Qt
    try:
        from linksdesk.ui.main import run
    except ImportError as exc:
        log.error("the desktop app could not load: %s", type(exc).__name__)
        raise EnvironmentProblem(
            "The LinksDesk window cannot start on this machine: its Qt libraries could not "
            "be loaded. Reinstall LinksDesk, or use the command-line verbs."
        ) from None
    log.info("opening the desktop app")
    return int(run(argv))


def add_window_arguments(p: argparse.ArgumentParser, vault_help: str) -> None:
    """What ``open`` takes, given to the parser itself too (no verb opens the app)."""
    p.add_argument("--vault", type=Path, metavar="PATH", help=vault_help)
    p.add_argument(
        "--smoke-test", action="store_true", help="start the app offscreen, check it, and exit"
    )
