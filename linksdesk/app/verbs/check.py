"""``check``: a vault's encrypted pages, structure and audit chain, read without a write."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from linksdesk.app.arguments import vault_verb
from linksdesk.app.console import EXIT_OK, EXIT_PROBLEM, one_line
from linksdesk.app.passphrase import read_passphrase
from linksdesk.app.vaults import looked_into

if TYPE_CHECKING:
    from linksdesk.app.arguments import Verbs

log = logging.getLogger(__name__)


def cmd_check(args: argparse.Namespace) -> int:
    # the storage Vault, not the Casebook: checking writes nothing (no unlock/lock events)
    with looked_into(args.vault, read_passphrase(args)) as vault:
        report = vault.integrity_check()
    if report.ok:
        print(one_line(report.describe()))
        return EXIT_OK
    log.warning("vault check found problems")
    print(one_line(report.describe()), file=sys.stderr)
    return EXIT_PROBLEM


def add_parsers(verbs: Verbs, default_vault: Path) -> None:
    vault_verb(
        verbs,
        "check",
        vault=default_vault,
        what="vault to check",
        help="check a vault's encrypted pages, structure and audit chain",
        description=(
            "Check the vault: every encrypted page, the database structure and the "
            "hash-chained audit log. Exit 0 if intact, 1 with the reason if not."
        ),
    )
