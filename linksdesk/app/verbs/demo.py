"""``demo``: a vault of synthetic participants, built again only when asked to replace it."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from linksdesk.app.arguments import EPILOG, vault_verb
from linksdesk.app.console import EXIT_OK, progress_printer
from linksdesk.app.passphrase import DEMO_PASSPHRASE, read_demo_passphrase
from linksdesk.app.vaults import default_demo_path, looked_into, vault_exists, vault_files
from linksdesk.app.verbs.window import open_gui
from linksdesk.core.errors import UserError

if TYPE_CHECKING:
    from linksdesk.app.arguments import Verbs

log = logging.getLogger(__name__)

DEMO_MARKER = "demo"  # local setting that says a vault holds synthetic demo data only


def cmd_demo(args: argparse.Namespace) -> int:
    from linksdesk.casework.casebook import Casebook
    from linksdesk.demo import build_demo

    out = sys.stdout
    path: Path = args.vault or default_demo_path()
    if args.participants < 1 or args.participants > 100_000:
        raise UserError("--participants must be a number from 1 to 100000.")
    passphrase = read_demo_passphrase(args, out)
    if vault_exists(path):
        # a look that writes nothing, so a vault that is not a demo vault is left exactly
        # as it was
        with looked_into(path, passphrase) as existing:
            marker = existing.setting(DEMO_MARKER)
        if not isinstance(marker, dict):
            raise UserError(
                f"There is already a vault at {path} and it is not a demo vault, so it was "
                "left alone. Choose another place with --vault."
            )
        if not args.replace:
            print(
                f"A demo vault is already at {path} ({marker.get('participants')} participants, "
                f"seed {marker.get('seed')}); using it. Add --replace to build a new one.",
                file=out,
            )
            return open_gui(["--vault", str(path)]) if args.open else EXIT_OK
        for p in vault_files(path):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        log.info("previous demo vault removed")
    cb, recovery = Casebook.create(path, passphrase)
    try:
        # marked first, so a demo stopped half way can still be replaced safely
        cb.vault.set_setting(
            DEMO_MARKER,
            {
                "seed": args.seed,
                "participants": args.participants,
                "built_on": dt.date.today().isoformat(),
            },
        )
        print(f"Building a demo vault of synthetic participants at {path}", file=out)
        summary = build_demo(
            cb,
            participants=args.participants,
            seed=args.seed,
            progress=progress_printer(out, "Writing participants"),
        )
    finally:
        cb.lock()
    for line in summary.describe():
        print(line, file=out)
    print(f"Recovery key of this demo vault: {recovery}", file=out)
    if args.open:
        return open_gui(["--vault", str(path)])
    return EXIT_OK


def add_parsers(verbs: Verbs, default_vault: Path) -> None:
    p = vault_verb(
        verbs,
        "demo",
        vault=default_demo_path(),
        what="where to build the demo vault",
        help="build a vault of synthetic demo participants",
        description=(
            "Build a demo vault holding a year of synthetic casework (invented people, "
            "places and resources) and print a short summary of counts."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--participants",
        type=int,
        default=150,
        metavar="N",
        help="how many participants (default: 150)",
    )
    p.add_argument(
        "--seed", type=int, default=1, metavar="S", help="seed: the same seed gives the same data"
    )
    p.add_argument("--open", action="store_true", help="open the app on the demo vault after")
    p.add_argument(
        "--replace", action="store_true", help="replace an existing demo vault at that place"
    )
    p.add_argument(
        "--demo-passphrase",
        metavar="TEXT",
        help=f'passphrase for the demo vault (default: "{DEMO_PASSPHRASE}")',
    )
