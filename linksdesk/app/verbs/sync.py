"""``enrol`` and ``sync``: this laptop and the programme's sync server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from linksdesk.app.arguments import vault_verb
from linksdesk.app.console import EXIT_OK, EXIT_PROBLEM, one_line
from linksdesk.app.vaults import casebook

if TYPE_CHECKING:
    from linksdesk.app.arguments import Verbs


def cmd_enrol(args: argparse.Namespace) -> int:
    from linksdesk.sync import client

    with casebook(args) as cb:
        result = client.enrol(cb, args.server, args.code, label=args.label)
    print(
        f"Enrolled with {result.server_url}: this laptop is device {result.device_id} "
        f"for worker {result.worker_id}."
    )
    if result.reowned_rows:
        print(f"{result.reowned_rows} records made before enrolment now belong to that worker.")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from linksdesk.sync import client

    with casebook(args) as cb:
        report = client.sync_once(cb, allow_mass_delete=args.allow_mass_delete)
    message = one_line(report.message) or f"Sent {report.pushed}, received {report.pulled}."
    complete = report.verified and not report.waiting and not report.attention
    if complete:
        print(message)
        return EXIT_OK
    if report.waiting:
        reason = f"{report.waiting} change(s) are still waiting to be sent."
    elif report.attention:
        reason = f"{report.attention} change(s) were refused by the server and need attention."
    else:
        reason = "This laptop and the server could not yet be checked against each other."
    print(f"Sync not complete: {reason} {message}", file=sys.stderr)
    return EXIT_PROBLEM


def add_parsers(verbs: Verbs, default_vault: Path) -> None:
    p = vault_verb(
        verbs,
        "enrol",
        vault=default_vault,
        what="vault to enrol",
        help="enrol this laptop with the programme's sync server",
        description="Enrol this laptop with the sync server using a one-time code.",
    )
    p.add_argument("--server", required=True, metavar="URL", help="the sync server's address")
    p.add_argument("--code", required=True, metavar="CODE", help="one-time enrolment code")
    p.add_argument("--label", metavar="TEXT", help="a name for this laptop on the server")

    p = vault_verb(
        verbs,
        "sync",
        vault=default_vault,
        what="vault to sync",
        help="push, pull and verify once with the sync server",
        description=(
            "Sync once: send waiting changes, receive new ones, and check both sides match. "
            "Exit 0 only when everything was sent, received and verified."
        ),
    )
    p.add_argument(
        "--allow-mass-delete",
        action="store_true",
        help="go on even if the sync would remove more than 30%% of this laptop's records",
    )
