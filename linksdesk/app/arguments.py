"""The arguments every verb that opens a vault shares (--vault, --passphrase-file)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    # argparse's own name for what add_subparsers() returns
    Verbs: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

EPILOG = """\
passphrase:
  Verbs that open a vault read its passphrase from --passphrase-file FILE (first line), else
  from the environment variable LINKSDESK_PASSPHRASE, else by asking in the terminal (twice
  when creating a vault). Demo vaults hold synthetic data only: unless a passphrase is given
  with --passphrase-file, --demo-passphrase or LINKSDESK_PASSPHRASE, `demo` uses the
  passphrase "demo passphrase" and says so.

exit codes:
  0 done; 1 a problem was found or the sync did not finish; 2 something to put right
  (wrong passphrase, bad arguments, vault already there); 70 a bug (see the log); 130 stopped.
"""


def add_passphrase_file(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="read the passphrase from the first line of FILE (for scripts)",
    )


def add_vault(p: argparse.ArgumentParser, default: Path | None, what: str) -> None:
    p.add_argument(
        "--vault",
        type=Path,
        metavar="PATH",
        default=default,
        help=f"{what} (default: {default})" if default else what,
    )


def options(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """The options ``names`` as keyword arguments for a use case whose parameters they name."""
    return {name: getattr(args, name) for name in names}
