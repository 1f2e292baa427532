"""``demo``: a vault of synthetic participants, built again only when asked to replace it."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import sys
from pathlib import Path

from linksdesk.app.console import EXIT_OK, progress_printer
from linksdesk.app.passphrase import read_demo_passphrase
from linksdesk.app.vaults import default_demo_path, looked_into, vault_exists, vault_files
from linksdesk.app.verbs.window import open_gui
from linksdesk.core.errors import UserError

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
