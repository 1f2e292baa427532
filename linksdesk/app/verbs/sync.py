"""``enrol`` and ``sync``: this laptop and the programme's sync server."""

from __future__ import annotations

import argparse
import sys

from linksdesk.app.console import EXIT_OK, EXIT_PROBLEM, one_line
from linksdesk.app.vaults import casebook
from linksdesk.core.errors import UserError
from linksdesk.core.item_words import counted


def cmd_enrol(args: argparse.Namespace) -> int:
    from linksdesk.sync import client

    with casebook(args) as cb:
        owner = client.whose_code(cb, args.server, args.code)
        if owner is None:
            print(
                "The server could not say whose the code is (it is an older one): ask your "
                "programme administrator to check this laptop is listed as yours."
            )
        else:
            _confirm_whose(f"This code is for {owner.worker} ({owner.team}).", args.yes)
        result = client.enrol(cb, args.server, args.code, label=args.label)
    print(
        f"Enrolled with {result.server_url}: this laptop is device {result.device_id} "
        f"for worker {result.worker_id}."
    )
    if result.new_laptop:
        print(
            "This laptop's old device had been revoked, so it is enrolled as a new laptop; "
            "everything on it is kept and goes with the next sync."
        )
    if result.reowned_rows:
        print(f"{result.reowned_rows} records made before enrolment now belong to that worker.")
    return EXIT_OK


def _confirm_whose(whose: str, yes: bool) -> None:
    """Go on only if the person says the code is theirs: asked at a terminal; a script (no
    one there to read the name) says so with --yes, having set the laptop up for that
    worker. Refused, nothing is used."""
    if yes:
        print(whose)
        return
    if not sys.stdin.isatty():
        raise UserError(
            f"{whose} Nothing was used. If it is yours, run again with --yes; if not, ask "
            "your programme administrator for your own code."
        )
    try:
        answer = input(f"{whose} Enrol this laptop as theirs? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise UserError("Nothing was used: ask your programme administrator for your own code.")


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
        reason = f"{counted('change', report.waiting)} still waiting to be sent."
    elif report.attention:
        reason = f"{counted('change', report.attention)} refused by the server, needing attention."
    else:
        reason = "This laptop and the server could not yet be checked against each other."
    print(f"Sync not complete: {reason} {message}", file=sys.stderr)
    return EXIT_PROBLEM
