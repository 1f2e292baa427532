"""``keys``, ``export``, ``import`` and ``deprivation``: the supervisors' data path."""

from __future__ import annotations

import argparse
import sys

from linksdesk.app.arguments import options
from linksdesk.app.console import EXIT_OK, EXIT_PROBLEM, one_line, print_stage_progress
from linksdesk.app.vaults import casebook
from linksdesk.core.item_words import counted


def cmd_keys(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with casebook(args) as cb:
        if args.keys_action == "new":
            recipient = bundles.new_bundle_key(cb)
            print("This vault's bundle key (give this line to whoever makes bundles for you):")
            print(recipient)
        elif args.keys_action == "export-identity":
            out = bundles.export_identity(cb, args.out)
            print(f"Wrote the identity to {out} (readable by you only). Keep it locked away.")
        else:
            shown = bundles.show_keys(cb)
            print(f"vault kind:  {shown.kind}")
            print(f"recipient:   {shown.recipient or '(none; make one with `keys new`)'}")
            print(f"signing key: {shown.signing.line}")
            print(f"fingerprint: {shown.signing.fingerprint}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    chosen = options(args, "kind", "recipients", "period")
    with casebook(args) as cb:
        done = bundles.export_bundle(cb, args.out, progress=print_stage_progress, **chosen)
    records = sum(done.counts.values())
    print(f"Wrote {done.kind} bundle {done.bundle_id} ({records} records) to {done.path}")
    print(f"and its signature to {done.signature}. Copy both files together.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    with casebook(args) as cb:
        result = bundles.import_file(cb, args.file, trust=args.trust, progress=print_stage_progress)
    if isinstance(result, int):
        print(f"Roster imported: {counted('new signer', result)} of the team now known.")
    elif result.left_out:  # imported, but not all of it: said as a sync not complete is
        print(f"Import not complete: {one_line(result.describe())}", file=sys.stderr)
        return EXIT_PROBLEM
    else:
        print(one_line(result.describe()))
    return EXIT_OK


def cmd_deprivation(args: argparse.Namespace) -> int:
    from linksdesk.casework import bundles

    columns = options(args, "name", "year", "postcode_column", "decile_column")
    with casebook(args) as cb:
        loaded = bundles.import_deprivation(cb, args.file, **columns)
    print(f"Loaded {loaded.name} {loaded.year}: {loaded.postcodes} postcodes.")
    return EXIT_OK
