"""``check``: a vault's encrypted pages, structure and audit chain, read without a write."""

from __future__ import annotations

import argparse
import logging
import sys

from linksdesk.app.console import EXIT_OK, EXIT_PROBLEM, one_line
from linksdesk.app.passphrase import read_passphrase
from linksdesk.app.vaults import looked_into

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
